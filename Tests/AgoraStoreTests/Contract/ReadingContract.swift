import AgoraCore
import Foundation
import Testing

/// A person's own state: what they have read, and their drafts.
@Suite("Contract: reading and drafts") struct ReadingContract {
    typealias G = ContractGiven

    /// The header's count, the unread totals and the list's unread marks tell the same story.
    static func expectCountsAgree(_ s: any Store, _ login: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let marked = try s.topics(TopicQuery(), for: login).filter(\.unread).count
        #expect(try s.unreadTopicCount(for: login) == marked, "\(login): unreadTopicCount", sourceLocation: sourceLocation)
        #expect(try s.unreadCounts(for: login).topics == marked, "\(login): unreadCounts.topics", sourceLocation: sourceLocation)
    }

    static func unread(_ s: any Store, _ topic: Int64, for login: String) throws -> Bool? {
        try s.topicSummary(topic, for: login)?.unread
    }

    @Test(arguments: ContractBackend.all)
    func aPostIsUnreadForOthersAndReadForItsAuthor(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        #expect(try Self.unread(s, t.topic, for: "ana") == false)
        #expect(try Self.unread(s, t.topic, for: "bo") == true)
        #expect(try Self.unread(s, t.topic, for: "lea") == true)

        try s.markRead(login: "bo", topic: t.topic, upTo: t.post)
        #expect(try Self.unread(s, t.topic, for: "bo") == false)
        #expect(try s.thread(t.topic, for: "bo").lastReadPostId == t.post)

        // Bo's reply is news to Ana, not to Bo.
        let r = try s.reply(topic: t.topic, body: "b", by: "bo", now: G.at(1))
        #expect(try Self.unread(s, t.topic, for: "ana") == true)
        #expect(try Self.unread(s, t.topic, for: "bo") == false)
        #expect(try s.thread(t.topic, for: "bo").lastReadPostId == r)
        for login in ["ana", "bo", "lea", "cham"] { try Self.expectCountsAgree(s, login) }
    }

    @Test(arguments: ContractBackend.all)
    func postsShownAreReadAndTheRestStayUnread(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let r1 = try s.reply(topic: t.topic, body: "r1", by: "bo", now: G.at(1))
        let r2 = try s.reply(topic: t.topic, body: "r2", by: "bo", now: G.at(2))
        let r3 = try s.reply(topic: t.topic, body: "r3", by: "bo", now: G.at(3))
        // Lea's screen showed the opening post and r2 (r2 answers it; r1 and r3 hang further down).
        try s.markRead([ReadState(login: "lea", topicId: t.topic, lastReadPostId: 0, posts: [t.post, r2])])
        #expect(try s.unreadCounts(for: "lea") == (topics: 1, posts: 2))
        var view = try s.thread(t.topic, for: "lea")
        #expect(view.lastReadPostId == t.post, "the run from the start folds into the mark")
        #expect(view.readBeyond == [r2])
        try Self.expectCountsAgree(s, "lea")
        // Then r1: everything up to r2 is read in a row, r3 is still new.
        try s.markRead([ReadState(login: "lea", topicId: t.topic, lastReadPostId: 0, posts: [r1])])
        view = try s.thread(t.topic, for: "lea")
        #expect(view.lastReadPostId == r2)
        #expect(view.readBeyond == [])
        #expect(try Self.unread(s, t.topic, for: "lea") == true)
        try s.markRead([ReadState(login: "lea", topicId: t.topic, lastReadPostId: 0, posts: [r3, 999_999])])   // not its post: ignored
        #expect(try Self.unread(s, t.topic, for: "lea") == false)
        #expect(try s.unreadCounts(for: "lea") == (topics: 0, posts: 0))
        try Self.expectCountsAgree(s, "lea")
    }

    @Test(arguments: ContractBackend.all)
    func aPostMarkedUnreadIsNewAgainAndTheOthersStayRead(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let r1 = try s.reply(topic: t.topic, body: "r1", by: "bo", now: G.at(1))
        let r2 = try s.reply(topic: t.topic, body: "r2", by: "bo", now: G.at(2))
        try s.markRead(login: "lea", topic: t.topic, upTo: r2)
        try s.markUnread(login: "lea", post: r1)
        let view = try s.thread(t.topic, for: "lea")
        #expect(view.lastReadPostId < r1 && view.readBeyond == [r2], "r1 alone is new again")
        #expect(try Self.unread(s, t.topic, for: "lea") == true)
        #expect(try s.unreadCounts(for: "lea") == (topics: 1, posts: 1))
        try Self.expectCountsAgree(s, "lea")
        #expect(try s.unreadCounts(for: "bo") == (topics: 1, posts: 1), "nobody else's state moved")
        // Reading it again makes the topic read to the end.
        try s.markRead([ReadState(login: "lea", topicId: t.topic, lastReadPostId: 0, posts: [r1])])
        #expect(try s.thread(t.topic, for: "lea").lastReadPostId == r2)
        #expect(try s.unreadCounts(for: "lea") == (topics: 0, posts: 0))
        // A post never read, marked unread: nothing changes; a post that does not exist: a clear error.
        try s.markUnread(login: "cara", post: r1)
        #expect(try s.unreadCounts(for: "cara") == (topics: 1, posts: 3))
        #expect(throws: AgoraError.self) { try s.markUnread(login: "lea", post: 999_999) }
    }

    @Test(arguments: ContractBackend.all)
    func aReadMarkNeverMovesBackwards(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let r1 = try s.reply(topic: t.topic, body: "r1", by: "bo", now: G.at(1))
        let r2 = try s.reply(topic: t.topic, body: "r2", by: "bo", now: G.at(2))
        try s.markRead(login: "lea", topic: t.topic, upTo: r2)
        try s.markRead(login: "lea", topic: t.topic, upTo: r1)       // an older screen catching up late
        try s.markRead(login: "lea", topic: t.topic, upTo: t.post)
        #expect(try s.thread(t.topic, for: "lea").lastReadPostId == r2)
        #expect(try Self.unread(s, t.topic, for: "lea") == false)
        #expect(try s.unreadCounts(for: "lea") == (topics: 0, posts: 0))
    }

    @Test(arguments: ContractBackend.all)
    func severalPeoplesMarksInOneWriteEachMoveOnlyForward(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let r1 = try s.reply(topic: t.topic, body: "r1", by: "ana", now: G.at(1))
        try s.markRead(login: "cham", topic: t.topic, upTo: r1)
        try s.markRead([ReadState(login: "bo", topicId: t.topic, lastReadPostId: r1),
                        ReadState(login: "lea", topicId: t.topic, lastReadPostId: t.post),
                        ReadState(login: "cham", topicId: t.topic, lastReadPostId: t.post)])
        #expect(try Self.unread(s, t.topic, for: "bo") == false)
        #expect(try Self.unread(s, t.topic, for: "lea") == true, "read up to the opening post only")
        #expect(try s.thread(t.topic, for: "cham").lastReadPostId == r1, "a batch does not move a mark back either")
        #expect(try Self.unread(s, t.topic, for: "cara") == true, "nobody else's state moved")
    }

    @Test(arguments: ContractBackend.all)
    func unreadCountsCountTopicsAndPosts(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let r1 = try s.reply(topic: t.topic, body: "r1", by: "bo", now: G.at(1))
        try s.reply(topic: t.topic, body: "r2", by: "bo", now: G.at(2))
        let u = try s.post(kind: .idea, title: "B", body: "b", by: "bo", now: G.at(3))

        // Ana wrote A (read up to her post): Bo's two replies and topic B are new to her.
        #expect(try s.unreadCounts(for: "ana") == (topics: 2, posts: 3))
        // Bo's own posts are read to him, Ana's opening post is not: he replied without being shown it.
        #expect(try s.unreadCounts(for: "bo") == (topics: 1, posts: 1))
        #expect(try s.unreadCounts(for: "lea") == (topics: 2, posts: 4))
        for login in ["ana", "bo", "lea"] { try Self.expectCountsAgree(s, login) }

        try s.markRead(login: "ana", topic: t.topic, upTo: r1)
        #expect(try s.unreadCounts(for: "ana") == (topics: 2, posts: 2))
        try s.markRead(login: "ana", topic: u.topic, upTo: u.post)
        #expect(try s.unreadCounts(for: "ana") == (topics: 1, posts: 1))
        try Self.expectCountsAgree(s, "ana")
        try s.markRead(login: "ana", topic: t.topic, upTo: 10_000_000)
        #expect(try s.unreadCounts(for: "ana") == (topics: 0, posts: 0))
        #expect(try s.topics(TopicQuery(), for: "ana").map(\.unread) == [false, false])
        try Self.expectCountsAgree(s, "ana")
        // …until someone writes again.
        try s.reply(topic: u.topic, body: "more", by: "cham", now: G.at(4))
        #expect(try s.unreadCounts(for: "ana") == (topics: 1, posts: 1))
        try Self.expectCountsAgree(s, "ana")
    }

    @Test(arguments: ContractBackend.all)
    func theThreeUnreadFiguresAgreeThroughAWholeConversation(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let people = ["lea", "cham", "cara", "ana", "bo"]
        var topics: [Int64] = []
        for i in 0..<6 {
            let author = people[i % people.count]
            topics.append(try s.post(kind: .discussion, title: "T\(i)", body: "b", by: author, now: G.at(Double(i))).topic)
        }
        for i in 0..<18 {
            let who = people[(i * 3) % people.count]
            let topic = topics[(i * 5) % topics.count]
            let post = try s.reply(topic: topic, body: "reply \(i)", by: who, now: G.at(Double(10 + i)))
            if i % 4 == 0 { try s.markRead(login: people[(i + 1) % people.count], topic: topic, upTo: post) }
            for login in people { try Self.expectCountsAgree(s, login) }
        }
    }

    @Test(arguments: ContractBackend.all)
    func draftsAreKeptPerPersonAndPlace(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let topicScope = Draft.scope(topic: t.topic, parent: nil)
        let placeScope = Draft.scope(topic: t.topic, parent: t.post)
        try s.saveDraft(Draft(login: "bo", scope: topicScope, body: "half a tho", saved: G.at(1)))
        try s.saveDraft(Draft(login: "bo", scope: topicScope, body: "half a thought", saved: G.at(2)))   // replaces
        try s.saveDraft(Draft(login: "bo", scope: placeScope, body: "to the post", saved: G.at(3)))
        try s.saveDraft(Draft(login: "bo", scope: "new", kind: .request, title: "Later", tags: "sql ops", body: "idea", saved: G.at(4)))
        try s.saveDraft(Draft(login: "cham", scope: topicScope, body: "cham's own", saved: G.at(5)))

        #expect(try s.draft(login: "bo", scope: topicScope)?.body == "half a thought")
        #expect(try s.draft(login: "bo", scope: placeScope)?.body == "to the post")
        let new = try #require(try s.draft(login: "bo", scope: "new"))
        #expect(new == Draft(login: "bo", scope: "new", kind: .request, title: "Later", tags: "sql ops", body: "idea", saved: G.at(4)))
        #expect(try s.drafts(login: "bo").map(\.scope) == ["new", placeScope, topicScope])   // newest first
        #expect(try s.draft(login: "cham", scope: topicScope)?.body == "cham's own")
        #expect(try s.drafts(login: "ana").isEmpty)
        #expect(try s.draft(login: "ana", scope: topicScope) == nil)

        try s.deleteDraft(login: "bo", scope: placeScope)
        #expect(try s.draft(login: "bo", scope: placeScope) == nil)
        #expect(try s.drafts(login: "bo").count == 2)
        try s.deleteDraft(login: "bo", scope: "never saved")   // nothing to delete is no error
    }

    @Test(arguments: ContractBackend.all)
    func startingATopicClearsTheDraftOfItsPlaceOnly(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let other = try s.post(kind: .idea, title: "Other", body: "x", by: "cham", now: G.at(0))
        try s.saveDraft(Draft(login: "bo", scope: "new", kind: .idea, title: "Later", body: "idea", saved: G.at(1)))
        try s.saveDraft(Draft(login: "bo", scope: "template:mentoring agreement", body: "goals", saved: G.at(1)))
        try s.saveDraft(Draft(login: "bo", scope: Draft.scope(topic: other.topic, parent: nil), body: "reply", saved: G.at(1)))
        try s.saveDraft(Draft(login: "ana", scope: "new", body: "ana's", saved: G.at(1)))

        try s.post(kind: .idea, title: "Later", body: "idea", by: "bo", now: G.at(2))   // from the "new" composer
        #expect(try s.draft(login: "bo", scope: "new") == nil)
        #expect(try s.draft(login: "bo", scope: "template:mentoring agreement") != nil)
        #expect(try s.draft(login: "bo", scope: Draft.scope(topic: other.topic, parent: nil)) != nil)
        #expect(try s.draft(login: "ana", scope: "new") != nil)

        try s.post(kind: .idea, title: "Agreement", body: "goals", tags: [], by: "bo", now: G.at(3), template: nil, followUp: nil,
                   draftScope: "template:mentoring agreement")
        #expect(try s.draft(login: "bo", scope: "template:mentoring agreement") == nil)
        #expect(try s.draft(login: "bo", scope: Draft.scope(topic: other.topic, parent: nil)) != nil)
    }

    @Test(arguments: ContractBackend.all)
    func sendingAReplyClearsTheDraftsOfItsPlace(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let other = try s.post(kind: .idea, title: "B", body: "b", by: "ana", now: G.at(0))
        let r = try s.reply(topic: t.topic, body: "first", by: "cham", now: G.at(1))
        let topicScope = Draft.scope(topic: t.topic, parent: nil)
        let toR = Draft.scope(topic: t.topic, parent: r)
        let toOpening = Draft.scope(topic: t.topic, parent: t.post)
        let elsewhere = Draft.scope(topic: other.topic, parent: nil)
        for scope in [topicScope, toR, toOpening, elsewhere, "new"] {
            try s.saveDraft(Draft(login: "bo", scope: scope, body: "draft", saved: G.at(2)))
        }
        try s.saveDraft(Draft(login: "cham", scope: toR, body: "cham's", saved: G.at(2)))

        // A reply to post r settles the draft for r and the topic's own; the others stay.
        try s.reply(topic: t.topic, parent: r, body: "to r", by: "bo", now: G.at(3))
        #expect(try s.draft(login: "bo", scope: toR) == nil)
        #expect(try s.draft(login: "bo", scope: topicScope) == nil)
        #expect(try s.draft(login: "bo", scope: toOpening) != nil)
        #expect(try s.draft(login: "bo", scope: elsewhere) != nil)
        #expect(try s.draft(login: "bo", scope: "new") != nil)
        #expect(try s.draft(login: "cham", scope: toR) != nil)

        // A reply to the topic as a whole settles the topic's draft only.
        try s.saveDraft(Draft(login: "bo", scope: topicScope, body: "again", saved: G.at(4)))
        try s.reply(topic: t.topic, parent: nil, body: "to all", by: "bo", now: G.at(5))
        #expect(try s.draft(login: "bo", scope: topicScope) == nil)
        #expect(try s.draft(login: "bo", scope: toOpening) != nil)
    }

    @Test(arguments: ContractBackend.all)
    func aRefusedPostOrReplyKeepsTheDraft(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let topicScope = Draft.scope(topic: t.topic, parent: nil)
        try s.saveDraft(Draft(login: "bo", scope: "new", title: "T", body: "keep me", saved: G.at(1)))
        try s.saveDraft(Draft(login: "bo", scope: topicScope, body: "keep me too", saved: G.at(1)))
        let tooLong = String(repeating: "x", count: Limits.bodyBytes + 1)
        expectRefused(exitCode: 2) { try s.post(kind: .idea, title: "T", body: tooLong, by: "bo", now: G.at(2)) }
        expectRefused(exitCode: 2) { try s.reply(topic: t.topic, parent: nil, body: tooLong, by: "bo", now: G.at(2)) }
        // Rules the author has not accepted yet.
        try s.setRules("Be kind", by: "lea", now: G.at(3))
        expectRefused(exitCode: 4) { try s.post(kind: .idea, title: "T", body: "keep me", by: "bo", now: G.at(4)) }
        expectRefused(exitCode: 4) { try s.reply(topic: t.topic, parent: nil, body: "keep me too", by: "bo", now: G.at(4)) }
        #expect(try s.draft(login: "bo", scope: "new")?.body == "keep me")
        #expect(try s.draft(login: "bo", scope: topicScope)?.body == "keep me too")
    }
}
