import AgoraCore
import Foundation
import Testing

/// Every backend keeps each person's inbox theirs: who is told of what, watching levels, read marks, hidden posts.
@Suite("Contract: notifications and watching") struct NotificationContract {
    typealias G = ContractGiven

    /// What `login` has unread, leaving out the welcomes the scene starts with.
    static func unread(_ g: G, _ login: String) throws -> [NotificationKind] {
        try g.store.notifications(for: login, unreadOnly: true, limit: 100).map(\.kind).filter { $0 != .welcome }
    }

    @Test(arguments: ContractBackend.all)
    func repliesAndMentionsReachTheRightPeopleOnly(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .request, title: "SQL help", body: "Who knows joins?", by: "ana", now: G.at(1))
        let mark = try g.mark()
        let r = try g.store.reply(topic: t.topic, parent: t.post, body: "I do. @cara too, and @olga (gone) and @nobody.", by: "bo", now: G.at(2))
        #expect(try Self.unread(g, "ana") == [.replyToPost])
        #expect(try Self.unread(g, "cara") == [.mention])
        #expect(try Self.unread(g, "bo").isEmpty, "nobody hears of their own post")
        #expect(try g.store.notifications(for: "olga", unreadOnly: true, limit: 10).isEmpty, "alumni are not told")
        let item = try #require(try g.store.notifications(for: "ana", unreadOnly: true, limit: 10).first { $0.kind != .welcome })
        #expect(item.topicId == t.topic && item.postId == r && item.actor == "bo" && item.actorName == "Bo Berg" && item.topicTitle == "SQL help")
        #expect(try g.store.unreadNotificationCount(for: "cara") == 2, "a welcome and the mention")
        // Each told person's session hears of it by name only.
        let notified = Set(try g.changes(since: mark).changes.filter { $0.kind == .notified }.compactMap(\.login))
        #expect(notified == ["ana", "cara"])
        try g.store.markNotificationsRead(for: "cara", ids: nil, now: G.at(3))
        #expect(try g.store.unreadNotificationCount(for: "cara") == 0)
        #expect(try Self.unread(g, "ana") == [.replyToPost], "marking is per person")
    }

    @Test(arguments: ContractBackend.all)
    func watchingMutingAndHiddenPosts(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .idea, title: "Playbook", body: "Let us write one.", by: "ana", now: G.at(1))
        #expect(try g.store.watchLevel(t.topic, for: "ana") == .watching)
        #expect(try g.store.watchLevel(t.topic, for: "bo") == .normal)
        try g.store.setWatch(t.topic, level: .watching, by: "cara", now: G.at(1))
        try g.store.setWatch(t.topic, level: .muted, by: "ana", now: G.at(1))
        let r = try g.store.reply(topic: t.topic, parent: nil, body: "Count me in, @ana.", by: "bo", now: G.at(2))
        #expect(try Self.unread(g, "ana").isEmpty, "muted: not even a mention")
        // And it sinks out of her unread counts: a muted topic is always read.
        #expect(try g.store.topics(TopicQuery(), for: "ana").first { $0.topic.id == t.topic }?.unread == false)
        #expect(try g.store.topics(TopicQuery(), for: "cara").first { $0.topic.id == t.topic }?.unread == true)
        try g.store.setWatch(t.topic, level: .muted, by: "cara", now: G.at(2))
        #expect(try g.store.topics(TopicQuery(), for: "cara").first { $0.topic.id == t.topic }?.unread == false, "muting reads it")
        #expect(try Self.unread(g, "cara") == [.watched])
        // A champion hides the post: what it said is nobody's news any more.
        let flag = try g.store.flag(post: r, reason: "off topic", by: "ana", now: G.at(3))
        try g.store.resolveFlag(flag, hide: true, reason: "off topic", by: "cham", now: G.at(4))
        #expect(try Self.unread(g, "cara").isEmpty)
        expectRefused(exitCode: 3, "an unknown topic") { try g.store.setWatch(999, level: .muted, by: "bo", now: G.at(5)) }
        // Ana flagged it: she hears it was hidden, with no link to what is not shown any more.
        let told = try #require(try g.store.notifications(for: "ana", unreadOnly: true, limit: 10).first { $0.kind == .flagHidden })
        #expect(told.actor == "cham" && told.topicId == t.topic && told.postId == nil)
    }

    @Test(arguments: ContractBackend.all)
    func aClaimOnARequestTellsItsAuthorOnce(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .request, title: "Need a mentor", body: "For SQL.", by: "bo", now: G.at(0))
        // Past the grace period the request waits in the queue; a champion takes it on.
        let later = G.at(2 * 86400)
        try g.store.claim("topic:\(t.topic)", by: "cham", session: nil, now: later)
        try g.store.claim("topic:\(t.topic)", by: "cham", session: nil, now: later.addingTimeInterval(60))   // acting again
        #expect(try Self.unread(g, "bo") == [.claimed])
        #expect(try NotificationContract.unread(g, "cham").isEmpty)
    }
}

/// Accepted answers (issue 14): the topic's author or a champion marks a reply; its author is told; the mark toggles.
@Suite("Contract: accepted answers") struct AcceptedAnswerContract {
    typealias G = ContractGiven

    @Test(arguments: ContractBackend.all)
    func theAuthorOrAChampionMarksAReplyAndItsAuthorIsTold(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .request, title: "Which index?", body: "For the queue.", by: "ana", now: G.at(1))
        let r = try g.store.reply(topic: t.topic, parent: t.post, body: "A partial one.", by: "bo", now: G.at(2))
        expectRefused(exitCode: 4, "a peer who did not ask") { try g.store.acceptAnswer(r, by: "bo", now: G.at(3)) }
        let opening = expectRefused(exitCode: 2, "the opening post") { try g.store.acceptAnswer(t.post, by: "ana", now: G.at(3)) }
        #expect(opening?.message == "the opening post asks; a reply answers")
        #expect(try g.store.acceptAnswer(r, by: "ana", now: G.at(4)))
        let topic = try g.store.thread(t.topic).topic
        #expect(topic.acceptedPostId == r && topic.status == .answered)
        #expect(try NotificationContract.unread(g, "bo").contains(.accepted))
        // A champion may take it back (the same post again).
        #expect(try !g.store.acceptAnswer(r, by: "cham", now: G.at(5)))
        #expect(try g.store.thread(t.topic).topic.acceptedPostId == nil)
        expectRefused(exitCode: 3, "no such post") { try g.store.acceptAnswer(9999, by: "ana", now: G.at(6)) }
    }

}

/// Watching per tag, through every backend: a tag's level counts for its topics, under the topic's own.
@Suite("Contract: watching tags") struct TagWatchContract {
    typealias G = ContractGiven

    @Test(arguments: ContractBackend.all)
    func aTagsLevelCountsForItsTopicsUnderTheTopicsOwn(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let old = try s.post(kind: .idea, title: "Old SQL news", body: "x", tags: ["sql"], by: "ana", now: G.at(0))
        try s.setTagWatch("SQL", level: .watching, by: "bo", now: G.at(1))
        try s.setTagWatch("sql", level: .muted, by: "cham", now: G.at(1))
        #expect(try s.tagWatchLevel("sql", for: "bo") == .watching)
        #expect(try s.tagWatchLevel("sql", for: "ana") == .normal)
        #expect(try s.topicSummary(old.topic, for: "cham")?.unread == false, "muting a tag marks its topics read")
        #expect(try s.watchLevel(old.topic, for: "cham") == .muted)

        // A new topic with the tag: Bo hears of it, Cham does not even when mentioned, and it stays read for Cham.
        let t = try s.post(kind: .request, title: "Joins?", body: "Ask @cham", tags: ["sql"], by: "ana", now: G.at(2))
        #expect(try NotificationContract.unread(g, "bo") == [.watched])
        #expect(try NotificationContract.unread(g, "cham").isEmpty)
        #expect(try s.topicSummary(t.topic, for: "cham")?.unread == false)
        // The topic's own level wins over its tag's.
        try s.setWatch(t.topic, level: .normal, by: "cham", now: G.at(3))
        try s.reply(topic: t.topic, body: "@cham what do you think?", by: "bo", now: G.at(4))
        #expect(try NotificationContract.unread(g, "cham") == [.mention])
        // Of several tags, the strongest level counts; the author's own topic is watched whatever its tags.
        try s.setTagWatch("offtopic", level: .muted, by: "bo", now: G.at(5))
        try s.setTagWatch("offtopic", level: .muted, by: "ana", now: G.at(5))
        let both = try s.post(kind: .idea, title: "Both", body: "x", tags: ["sql", "offtopic"], by: "cara", now: G.at(6))
        #expect(try s.watchLevel(both.topic, for: "bo") == .watching)
        let mine = try s.post(kind: .idea, title: "Mine", body: "x", tags: ["offtopic"], by: "ana", now: G.at(7))
        #expect(try s.watchLevel(mine.topic, for: "ana") == .watching)
        #expect(try s.watchLevel(mine.topic, for: "bo") == .muted)

        expectRefused(exitCode: 2, "not a tag") { try s.setTagWatch("no way", level: .muted, by: "bo", now: G.at(8)) }
        expectRefused(exitCode: 2, "not a tag") { try s.setTagWatch("bad!tag", level: .muted, by: "bo", now: G.at(8)) }
    }
}
