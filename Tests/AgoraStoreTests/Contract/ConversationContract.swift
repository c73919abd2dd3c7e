import AgoraCore
import Foundation
import Testing

/// Topics and threads: starting, replying, counters and status, listing.
@Suite("Contract: conversation") struct ConversationContract {
    typealias G = ContractGiven

    @Test(arguments: ContractBackend.all)
    func startingATopicStoresItsOpeningPost(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .request, title: "  Help with SQL  ", body: "How do I index?\n", tags: ["SQL", "data", "sql"],
                                 by: "ana", now: G.at(1))
        let thread = try g.store.thread(t.topic)
        #expect(thread.topic.id == t.topic)
        #expect(thread.topic.kind == .request)
        #expect(thread.topic.title == "Help with SQL")
        #expect(thread.topic.author == "ana")
        #expect(thread.topic.status == .open)
        #expect(thread.topic.created == G.at(1))
        #expect(thread.topic.lastActivity == G.at(1))
        #expect(thread.topic.postCount == 1)
        #expect(thread.topic.answerCount == 0)
        #expect(thread.topic.lastPostId == t.post)
        #expect(thread.tags == ["data", "sql"])
        #expect(thread.posts.map(\.id) == [t.post])
        #expect(thread.posts.first?.body == "How do I index?")
        #expect(thread.posts.first?.parentId == nil)
        #expect(thread.posts.first?.author == "ana")
        #expect(thread.peers["ana"]?.name == "Ana Lima")
    }

    @Test(arguments: ContractBackend.all)
    func repliesThreadUnderTheTopicOrUnderAPost(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .discussion, title: "Pairing", body: "Who pairs?", by: "ana", now: G.at(0))
        let r1 = try g.store.reply(topic: t.topic, parent: nil, body: "Me", by: "bo", now: G.at(1))
        let r2 = try g.store.reply(topic: t.topic, parent: r1, body: "Me too, with Bo", by: "cham", now: G.at(2))
        let r3 = try g.store.reply(topic: t.topic, parent: t.post, body: "Fridays?", by: "ana", now: G.at(3))
        let thread = try g.store.thread(t.topic)
        #expect(thread.posts.map(\.id) == [t.post, r1, r2, r3])   // oldest first
        #expect(thread.posts.map(\.parentId) == [nil, nil, r1, t.post])
        #expect(thread.posts.map(\.author) == ["ana", "bo", "cham", "ana"])
        #expect(Set(thread.peers.keys) == ["ana", "bo", "cham"])
        #expect(thread.peers["cham"]?.role == .champion)
        #expect(r1 < r2 && r2 < r3)
    }

    @Test(arguments: ContractBackend.all)
    func countersFollowEveryPost(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .request, title: "Help with SQL", body: "How?", by: "ana", now: G.at(0))

        // The author adding detail is a post, not an answer.
        let own = try g.store.reply(topic: t.topic, body: "More detail", by: "ana", now: G.at(5))
        var topic = try g.topic(t.topic)
        #expect((topic.postCount, topic.answerCount, topic.status) == (2, 0, .open))
        #expect(topic.lastPostId == own)
        #expect(topic.lastActivity == G.at(5))

        let answer = try g.store.reply(topic: t.topic, parent: own, body: "Use an index", by: "bo", now: G.at(10))
        topic = try g.topic(t.topic)
        #expect((topic.postCount, topic.answerCount, topic.status) == (3, 1, .answered))
        #expect(topic.lastPostId == answer)
        #expect(topic.lastActivity == G.at(10))
        #expect(topic.created == G.at(0))

        // The author thanking: still answered, one more post, no more answers.
        let thanks = try g.store.reply(topic: t.topic, body: "Thanks!", by: "ana", now: G.at(11))
        topic = try g.topic(t.topic)
        #expect((topic.postCount, topic.answerCount, topic.status) == (4, 1, .answered))
        #expect(topic.lastPostId == thanks)
    }

    @Test(arguments: ContractBackend.all)
    func onlySomeoneElsesReplyAnswersAndResolvedStaysResolved(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .concern, title: "Too many meetings", body: "Help", by: "ana", now: G.at(0))
        try g.store.reply(topic: t.topic, body: "and another thing", by: "ana", now: G.at(1))
        #expect(try g.topic(t.topic).status == .open)

        try g.store.setStatus(t.topic, .resolved, by: "ana", now: G.at(2))
        try g.store.reply(topic: t.topic, body: "Late advice", by: "bo", now: G.at(3))
        let topic = try g.topic(t.topic)
        #expect(topic.status == .resolved)
        #expect(topic.answerCount == 1)
        #expect(topic.postCount == 3)
    }

    @Test(arguments: ContractBackend.all)
    func theAuthorOrAChampionSetsTheStatus(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .request, title: "A", body: "a", by: "ana", now: G.at(0))
        expectRefused(exitCode: 4, "another peer") { try g.store.setStatus(t.topic, .resolved, by: "bo", now: G.at(1)) }
        expectRefused(exitCode: 4, "a stranger") { try g.store.setStatus(t.topic, .resolved, by: "stranger", now: G.at(1)) }
        #expect(try g.topic(t.topic).status == .open)

        try g.store.setStatus(t.topic, .resolved, by: "ana", now: G.at(2))
        #expect(try g.topic(t.topic).status == .resolved)
        try g.store.setStatus(t.topic, .open, by: "cham", now: G.at(3))
        #expect(try g.topic(t.topic).status == .open)
        expectRefused(exitCode: 3, "a missing topic") { try g.store.setStatus(999_999, .resolved, by: "cham", now: G.at(3)) }

        // An author who left can no longer settle their own topic.
        try g.store.peerLeave("ana", by: "lea", now: G.at(4))
        expectRefused(exitCode: 4, "an alumna") { try g.store.setStatus(t.topic, .resolved, by: "ana", now: G.at(5)) }
        #expect(try g.topic(t.topic).status == .open)
    }

    @Test(arguments: ContractBackend.all)
    func aReplyToAMissingTopicOrToAPostElsewhereIsRefused(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let a = try g.store.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let b = try g.store.post(kind: .idea, title: "B", body: "b", by: "ana", now: G.at(1))
        let mark = try g.mark()
        expectRefused(exitCode: 3) { try g.store.reply(topic: a.topic, parent: b.post, body: "x", by: "bo", now: G.at(2)) }
        expectRefused(exitCode: 3) { try g.store.reply(topic: 999_999, parent: nil, body: "x", by: "bo", now: G.at(2)) }
        #expect(try g.store.thread(a.topic).posts.count == 1)
        #expect(try g.store.thread(b.topic).posts.count == 1)
        #expect(try g.topic(a.topic).postCount == 1)
        #expect(try g.changes(since: mark).changes.isEmpty)
        expectRefused(exitCode: 3) { _ = try g.store.thread(999_999) }
    }

    @Test(arguments: ContractBackend.all)
    func topicsListNewestActivityFirstAndFilter(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let idea = try g.store.post(kind: .idea, title: "Idea", body: "a", tags: ["swift"], by: "ana", now: G.at(0))
        let request = try g.store.post(kind: .request, title: "Request", body: "b", tags: ["sql"], by: "bo", now: G.at(1))
        let concern = try g.store.post(kind: .concern, title: "Concern", body: "c", by: "ana", now: G.at(2))
        #expect(try g.topicIds() == [concern.topic, request.topic, idea.topic])

        // A reply brings a topic to the top.
        try g.store.reply(topic: idea.topic, body: "bump", by: "bo", now: G.at(3))
        #expect(try g.topicIds() == [idea.topic, concern.topic, request.topic])

        #expect(try g.topicIds(TopicQuery(kind: .request)) == [request.topic])
        #expect(try g.topicIds(TopicQuery(tag: "SWIFT")) == [idea.topic])
        #expect(try g.topicIds(TopicQuery(author: "ana")) == [idea.topic, concern.topic])
        #expect(try g.topicIds(TopicQuery(unansweredOnly: true)) == [concern.topic, request.topic])
        #expect(try g.topicIds(TopicQuery(kind: .resource)).isEmpty)
        #expect(try g.topicIds(TopicQuery(limit: 2)) == [idea.topic, concern.topic])
        #expect(try g.topicIds(TopicQuery(limit: 2, offset: 2)) == [request.topic])
        let summary = try #require(try g.store.topics(TopicQuery(kind: .idea), for: "ana").first)
        #expect(summary.tags == ["swift"])
        #expect(summary.authorName == "Ana Lima")
        #expect(summary.authorIsAlumni == false)
    }

    @Test(arguments: ContractBackend.all)
    func summariesComeInTheAskedOrderAndShowAlumni(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let a = try g.store.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let b = try g.store.post(kind: .idea, title: "B", body: "b", tags: ["x", "a"], by: "bo", now: G.at(1))
        try g.store.peerLeave("bo", by: "lea", now: G.at(2))
        let summaries = try g.store.topicSummaries([b.topic, 999_999, a.topic], for: "ana")
        #expect(summaries.map(\.topic.id) == [b.topic, a.topic])
        #expect(summaries.map(\.authorIsAlumni) == [true, false])
        #expect(summaries.first?.tags == ["a", "x"])
        #expect(try g.store.topicSummaries([], for: "ana").isEmpty)
        #expect(try g.store.topicSummary(a.topic, for: "ana")?.topic.title == "A")
    }

    @Test(arguments: ContractBackend.all)
    func aThreadsTailHoldsOnlyTheNewerPostsAndTheTopicAsItIsNow(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .request, title: "A", body: "a", by: "ana", now: G.at(0))
        let r1 = try g.store.reply(topic: t.topic, body: "r1", by: "bo", now: G.at(1))
        let r2 = try g.store.reply(topic: t.topic, parent: r1, body: "r2", by: "cham", now: G.at(2))
        let tail = try g.store.threadTail(t.topic, after: t.post, for: "ana")
        #expect(tail.posts.map(\.id) == [r1, r2])
        #expect(tail.topic.postCount == 3)
        #expect(tail.topic.status == .answered)
        #expect(Set(tail.peers.keys) == ["bo", "cham"])
        #expect(try g.store.threadTail(t.topic, after: r2, for: "ana").posts.isEmpty)
    }

    @Test(arguments: ContractBackend.all)
    func aThreadOpensWithTheBodiesOfItsWindowAndTheRestOnRequest(_ backend: ContractBackend) throws {
        let g = try G(backend)
        // Reading order: p, r1, r1a (under r1, written after r2), r2, r3, r4.
        let t = try g.store.post(kind: .discussion, title: "Long", body: "opening", by: "ana", now: G.at(0))
        let r1 = try g.store.reply(topic: t.topic, parent: nil, body: "one", by: "bo", now: G.at(1))
        let r2 = try g.store.reply(topic: t.topic, parent: nil, body: "two", by: "cham", now: G.at(2))
        let r1a = try g.store.reply(topic: t.topic, parent: r1, body: "one-a", by: "bo", now: G.at(3))
        let r3 = try g.store.reply(topic: t.topic, parent: nil, body: "three", by: "ana", now: G.at(4))
        let r4 = try g.store.reply(topic: t.topic, parent: nil, body: "four", by: "cara", now: G.at(5))
        let other = try g.store.post(kind: .idea, title: "Other", body: "elsewhere", by: "bo", now: G.at(6))
        try g.store.markRead(login: "lea", topic: t.topic, upTo: r1)

        // Lea read up to r1: her first unread line is r1a's; one line more makes r2's the last body.
        let opened = try g.store.threadOpening(t.topic, for: "lea", window: ThreadWindow(more: 1))
        #expect(opened.posts.map(\.id) == [t.post, r1, r2, r1a])
        #expect(opened.posts.map(\.body) == ["opening", "one", "two", "one-a"])
        #expect(opened.posts.map(\.parentId) == [nil, nil, nil, r1])
        #expect(opened.posts == (try g.store.thread(t.topic).posts.filter { [t.post, r1, r2, r1a].contains($0.id!) }))
        // The rest hold their places in the tree (with their authors), in reading order.
        #expect(opened.withheld == [PostOutline(id: r3, parentId: nil, author: "ana"), PostOutline(id: r4, parentId: nil, author: "cara")])
        #expect(Set(opened.peers.keys) == ["ana", "bo", "cham"])   // not Cara: her only post is withheld
        #expect(opened.lastReadPostId == r1)
        #expect(opened.topic.postCount == 6)
        #expect(opened.tags == (try g.store.thread(t.topic).tags))

        // A focus names the line to reach instead; all read (Cara wrote the last post): the first line.
        #expect(try g.store.threadOpening(t.topic, for: "lea", window: ThreadWindow(focus: r1, more: 0)).withheld.map(\.id) == [r1a, r2, r3, r4])
        #expect(try g.store.threadOpening(t.topic, for: "cara", window: ThreadWindow(more: 0)).withheld.map(\.id) == [r1, r1a, r2, r3, r4])
        #expect(try g.store.threadOpening(t.topic, for: "lea", window: ThreadWindow(more: 99)).withheld.isEmpty)
        // A client's window of any size (Int.max once stopped the daemon with an overflow).
        #expect(try g.store.threadOpening(t.topic, for: "lea", window: ThreadWindow(more: .max)).withheld.isEmpty)
        #expect(try g.store.threadOpening(t.topic, for: "lea", window: ThreadWindow(focus: r4, more: .max)).withheld.isEmpty)

        // The withheld posts come whole with their authors; ids of another topic, or of no post, are left out.
        let rest = try g.store.threadPosts(t.topic, ids: [r4, other.post, 999_999, r3], for: "lea")
        #expect(rest.posts.map(\.id) == [r3, r4])
        #expect(rest.posts.map(\.body) == ["three", "four"])
        #expect(Set(rest.peers.keys) == ["ana", "cara"])
        #expect(rest.peers["cara"]?.name == "Cara Vel")
        #expect(rest.withheld.isEmpty)
        #expect(throws: AgoraError.self) { try g.store.threadOpening(999_999, for: "lea", window: ThreadWindow(more: 1)) }
    }

    @Test(arguments: ContractBackend.all)
    func homeAgreesWithTheSingleReads(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .request, title: "Anyone?", body: "a", by: "ana", now: G.at(0))
        try g.store.post(kind: .idea, title: "Idea", body: "b", by: "bo", now: G.at(1))
        try g.addNewcomer(joined: G.at(2))
        let now = G.hours(30)
        let home = try g.store.home(for: "cham", now: now, topicLimit: 10, includePeers: true, knownPeersVersion: nil)
        #expect(home.program?.name == "Circle")
        #expect(home.me?.login == "cham")
        #expect(home.topics == (try g.store.topics(TopicQuery(limit: 10), for: "cham")))
        #expect(home.queue == (try g.store.queue(for: "cham", now: now)))
        #expect(home.queue.map(\.key).contains("topic:\(t.topic)"))
        #expect(home.unreadTopics == (try g.store.unreadTopicCount(for: "cham")))
        #expect(home.unreadTopics == 2)
        #expect(Set(home.peers?.map(\.login) ?? []) == ["lea", "cham", "cara", "ana", "bo", "olga", "nina"])

        // The directory comes again only once a peer changed.
        let same = try g.store.home(for: "cham", now: now, topicLimit: 10, includePeers: true, knownPeersVersion: home.peersVersion)
        #expect(same.peers == nil)
        try g.addNewcomer("nils", name: "Nils New", joined: G.at(3))
        let changed = try g.store.home(for: "cham", now: now, topicLimit: 10, includePeers: true, knownPeersVersion: home.peersVersion)
        #expect(changed.peersVersion != home.peersVersion)
        #expect(changed.peers?.contains { $0.login == "nils" } == true)
    }
}
