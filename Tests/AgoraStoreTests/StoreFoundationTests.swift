import Foundation
import Testing
import AgoraCore
@testable import AgoraStore
import GRDB

@Suite struct StoreMigrationTests {
    @Test func emptyInMemoryDatabaseGetsTheWholeSchema() throws {
        let db = try SQLiteStore.inMemory()
        #expect(try db.program() == nil)
        let tables = try db.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        for t in ["program", "peer", "topic", "post", "readState", "flag", "highlight", "testimonial", "draft", "auditEvent", "postFts", "topicFts"] {
            #expect(tables.contains(t), "table \(t)")
        }
        #expect(try db.topics().isEmpty)
    }

    @Test func emptyFileDatabaseIsCreatedInWALAndReopens() throws {
        let dir = try StoreGiven.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("agora.db").path
        do {
            let db = try SQLiteStore.open(path: path)
            let mode = try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            _ = try StoreGiven(db)
        }
        let again = try SQLiteStore.open(path: path)   // migrating twice is a no-op
        #expect(try again.program()?.name == "Circle")
        #expect(try again.peers().count == 5)
    }

    @Test func aFileThatIsNotSQLiteIsRefusedClearly() throws {
        let dir = try StoreGiven.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("notes.txt").path
        try String(repeating: "this is not a database\n", count: 200).write(toFile: path, atomically: true, encoding: .utf8)
        let e = #expect(throws: AgoraError.self) { try SQLiteStore.open(path: path) }
        #expect(e?.message.contains("is not an Agora database") == true)
    }
}

@Suite struct StoreWritePolicyTests {
    @Test func onlyTheLeaderManagesPeers() throws {
        let g = try StoreGiven()
        for who in ["ana", "cham", "olga", "stranger"] {
            #expect(throws: AgoraError.self) { try g.db.addPeer(Peer(login: "new1", name: "New", joined: StoreGiven.t0), by: who, now: StoreGiven.t0) }
            #expect(throws: AgoraError.self) { try g.db.peerLeave("bo", by: who, now: StoreGiven.t0) }
        }
        #expect(try g.db.peer("new1") == nil)
        #expect(try g.db.peer("bo")?.isAlumni == false)
    }

    @Test func nonMembersAndAlumniCannotPostOrReply() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .idea, title: "Idea", body: "Body", by: "ana", now: StoreGiven.t0)
        for who in ["olga", "stranger"] {
            #expect(throws: AgoraError.self) { try g.db.post(kind: .idea, title: "X", body: "Y", by: who, now: StoreGiven.t0) }
            #expect(throws: AgoraError.self) { try g.db.reply(topic: t.topic, body: "Y", by: who, now: StoreGiven.t0) }
        }
        #expect(try g.db.topics().count == 1)
        #expect(try g.db.thread(t.topic).posts.count == 1)
    }

    @Test func noProgramMeansNothingCanBeWritten() throws {
        let db = try SQLiteStore.inMemory()
        let e = #expect(throws: AgoraError.self) { try db.post(kind: .idea, title: "X", body: "Y", by: "ana", now: StoreGiven.t0) }
        #expect(e?.hint?.contains("agora init") == true)
    }

    @Test func aSecondProgramIsRefused() throws {
        let g = try StoreGiven()
        #expect(throws: AgoraError.self) {
            try g.db.createProgram(name: "Other", purpose: "", leader: Peer(login: "x", name: "X", joined: StoreGiven.t0), now: StoreGiven.t0)
        }
        #expect(try g.db.program()?.name == "Circle")
    }

    @Test func addingPeersIsAllOrNothing() throws {
        let g = try StoreGiven()
        #expect(throws: AgoraError.self) {
            try g.db.addPeers([Peer(login: "fine", name: "Fine", joined: StoreGiven.t0), Peer(login: "ana", name: "Dup", joined: StoreGiven.t0)],
                              by: "lea", now: StoreGiven.t0)
        }
        #expect(try g.db.peer("fine") == nil)
    }

    @Test func alumniKeepTheirHistoryAndCanRejoin() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .idea, title: "Before leaving", body: "x", by: "bo", now: StoreGiven.t0)
        try g.db.peerLeave("bo", by: "lea", now: StoreGiven.at(1))
        let summary = try #require(try g.db.topicSummary(t.topic, for: "lea"))
        #expect(summary.authorIsAlumni)
        #expect(try g.db.thread(t.topic).posts.first?.author == "bo")
        try g.db.peerRejoin("bo", by: "lea", now: StoreGiven.at(2))
        #expect(try g.db.peer("bo")?.isAlumni == false)
    }
}

@Suite struct StoreConversationTests {
    @Test func countersFollowPostsAndReplies() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .request, title: "Help with SQL", body: "How?", tags: ["SQL", "data"], by: "ana", now: StoreGiven.at(0))
        var topic = try g.db.thread(t.topic).topic
        #expect((topic.postCount, topic.answerCount, topic.status) == (1, 0, .open))
        #expect(topic.lastActivity == StoreGiven.at(0))
        #expect(topic.lastPostId == t.post)

        // The author adding detail is not an answer.
        let own = try g.db.reply(topic: t.topic, body: "More detail", by: "ana", now: StoreGiven.at(5))
        topic = try g.db.thread(t.topic).topic
        #expect((topic.postCount, topic.answerCount, topic.status) == (2, 0, .open))
        #expect(topic.lastActivity == StoreGiven.at(5))
        #expect(topic.lastPostId == own)

        let answer = try g.db.reply(topic: t.topic, parent: own, body: "Use an index", by: "bo", now: StoreGiven.at(10))
        topic = try g.db.thread(t.topic).topic
        #expect((topic.postCount, topic.answerCount, topic.status) == (3, 1, .answered))
        #expect(topic.lastActivity == StoreGiven.at(10))
        #expect(try g.db.thread(t.topic).posts.last?.parentId == own)
        #expect(topic.lastPostId == answer)
        #expect(try g.db.thread(t.topic).tags == ["data", "sql"])
    }

    @Test func replyingToAPostOfAnotherTopicIsRefused() throws {
        let g = try StoreGiven()
        let a = try g.db.post(kind: .idea, title: "A", body: "a", by: "ana", now: StoreGiven.at(0))
        let b = try g.db.post(kind: .idea, title: "B", body: "b", by: "ana", now: StoreGiven.at(1))
        #expect(throws: AgoraError.self) { try g.db.reply(topic: a.topic, parent: b.post, body: "x", by: "bo", now: StoreGiven.at(2)) }
        #expect(throws: AgoraError.self) { try g.db.reply(topic: 999, body: "x", by: "bo", now: StoreGiven.at(2)) }
        #expect(try g.db.thread(a.topic).posts.count == 1)
    }

    @Test func unansweredMeansNoReplyFromAnyoneButTheAuthor() throws {
        let g = try StoreGiven()
        let lonely = try g.db.post(kind: .request, title: "Lonely", body: "anyone?", by: "ana", now: StoreGiven.at(0))
        let selfReplied = try g.db.post(kind: .concern, title: "Talking to myself", body: "hm", by: "ana", now: StoreGiven.at(1))
        try g.db.reply(topic: selfReplied.topic, body: "still hm", by: "ana", now: StoreGiven.at(2))
        let answered = try g.db.post(kind: .request, title: "Answered", body: "?", by: "ana", now: StoreGiven.at(3))
        try g.db.reply(topic: answered.topic, body: "!", by: "bo", now: StoreGiven.at(4))

        let ids = try g.db.topics(TopicQuery(unansweredOnly: true)).map { $0.topic.id! }
        #expect(ids == [selfReplied.topic, lonely.topic])   // newest activity first
        #expect(try g.db.topics().map { $0.topic.id! } == [answered.topic, selfReplied.topic, lonely.topic])
    }

    @Test func filtersByKindAndTag() throws {
        let g = try StoreGiven()
        let a = try g.db.post(kind: .idea, title: "A", body: "a", tags: ["swift"], by: "ana", now: StoreGiven.at(0))
        _ = try g.db.post(kind: .request, title: "B", body: "b", tags: ["sql"], by: "ana", now: StoreGiven.at(1))
        #expect(try g.db.topics(TopicQuery(kind: .idea)).map { $0.topic.id! } == [a.topic])
        #expect(try g.db.topics(TopicQuery(tag: "SWIFT")).map { $0.topic.id! } == [a.topic])
        #expect(try g.db.topics(TopicQuery(kind: .concern)).isEmpty)
    }

    @Test func readStateAndUnreadCounts() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .idea, title: "A", body: "a", by: "ana", now: StoreGiven.at(0))
        let r1 = try g.db.reply(topic: t.topic, body: "r1", by: "bo", now: StoreGiven.at(1))
        _ = try g.db.reply(topic: t.topic, body: "r2", by: "bo", now: StoreGiven.at(2))
        let u = try g.db.post(kind: .idea, title: "B", body: "b", by: "bo", now: StoreGiven.at(3))

        // ana wrote topic A (read up to her post); bo's two replies and topic B are new to her.
        #expect(try g.db.unreadCounts(for: "ana") == (topics: 2, posts: 3))
        #expect(try g.db.topics(for: "ana").map(\.unread) == [true, true])
        // bo's own posts are read to him; ana's opening post, which he answered without reading it here, is not
        // (replying is not reading the thread); the leader has read nothing.
        #expect(try g.db.unreadCounts(for: "bo") == (topics: 1, posts: 1))
        #expect(try g.db.unreadCounts(for: "lea") == (topics: 2, posts: 4))

        try g.db.markRead(login: "ana", topic: t.topic, upTo: r1)
        #expect(try g.db.unreadCounts(for: "ana") == (topics: 2, posts: 2))
        try g.db.markRead(login: "ana", topic: t.topic, upTo: t.post)   // never moves backwards
        #expect(try g.db.unreadCounts(for: "ana") == (topics: 2, posts: 2))
        try g.db.markRead(login: "ana", topic: u.topic, upTo: u.post)
        try g.db.markRead(login: "ana", topic: t.topic, upTo: 10_000)
        #expect(try g.db.unreadCounts(for: "ana") == (topics: 0, posts: 0))
        #expect(try g.db.topics(for: "ana").map(\.unread) == [false, false])
        #expect(try g.db.thread(t.topic, for: "ana").lastReadPostId == 10_000)
    }

    @Test func draftsAreKeptPerPlaceAndClearedBySending() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .idea, title: "A", body: "a", by: "ana", now: StoreGiven.at(0))
        let scope = Draft.scope(topic: t.topic, parent: nil)
        #expect(scope == "topic:\(t.topic)")
        #expect(Draft.scope(topic: t.topic, parent: 7) == "topic:\(t.topic)/post:7")
        try g.db.saveDraft(Draft(login: "bo", scope: scope, body: "half a tho", saved: StoreGiven.at(1)))
        try g.db.saveDraft(Draft(login: "bo", scope: scope, body: "half a thought", saved: StoreGiven.at(2)))
        try g.db.saveDraft(Draft(login: "bo", scope: "new", kind: .idea, title: "Later", tags: "x", body: "idea", saved: StoreGiven.at(3)))
        #expect(try g.db.draft(login: "bo", scope: scope)?.body == "half a thought")
        #expect(try g.db.drafts(login: "bo").map(\.scope) == ["new", scope])
        #expect(try g.db.drafts(login: "ana").isEmpty)

        try g.db.reply(topic: t.topic, body: "half a thought, finished", by: "bo", now: StoreGiven.at(4))
        #expect(try g.db.draft(login: "bo", scope: scope) == nil)
        try g.db.post(kind: .idea, title: "Later", body: "idea", by: "bo", now: StoreGiven.at(5))
        #expect(try g.db.drafts(login: "bo").isEmpty)

        try g.db.saveDraft(Draft(login: "bo", scope: scope, body: "again", saved: StoreGiven.at(6)))
        try g.db.deleteDraft(login: "bo", scope: scope)
        #expect(try g.db.drafts(login: "bo").isEmpty)
    }

    @Test func statusChangesByAuthorOrChampionOnly() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .request, title: "A", body: "a", by: "ana", now: StoreGiven.at(0))
        #expect(throws: AgoraError.self) { try g.db.setStatus(t.topic, .resolved, by: "bo", now: StoreGiven.at(1)) }
        try g.db.setStatus(t.topic, .resolved, by: "ana", now: StoreGiven.at(1))
        #expect(try g.db.thread(t.topic).topic.status == .resolved)
        try g.db.setStatus(t.topic, .open, by: "cham", now: StoreGiven.at(2))
        #expect(try g.db.thread(t.topic).topic.status == .open)
    }
}

@Suite struct StoreSearchTests {
    @Test func aTitleMatchOutranksABodyMatch() throws {
        let g = try StoreGiven()
        let body = try g.db.post(kind: .idea, title: "Monthly talks", body: "We could cover kubernetes upgrades here.", by: "ana", now: StoreGiven.at(0))
        let title = try g.db.post(kind: .request, title: "Kubernetes upgrades", body: "Who has done one?", by: "bo", now: StoreGiven.at(1))
        let hits = try g.db.search("kubernetes")
        #expect(hits.map(\.topicId) == [title.topic, body.topic])
        #expect(hits[0].postId == nil)
        #expect(hits[1].postId == body.post)
        #expect(hits[1].snippet.contains("kubernetes"))
    }

    @Test func aTopicMatchedInItsTitleAndItsPostsIsFoundByItsTitle() throws {
        let g = try StoreGiven()
        // The reply mentions the word more often than the title: its bm25 is the better one, yet the hit is the title.
        let t = try g.db.post(kind: .request, title: "Kubernetes upgrades", body: "Who has done one?", by: "bo", now: StoreGiven.at(0))
        try g.db.reply(topic: t.topic, body: "kubernetes kubernetes kubernetes: we upgrade kubernetes monthly", by: "ana", now: StoreGiven.at(1))
        let hits = try g.db.search("kubernetes")
        #expect(hits.map(\.topicId) == [t.topic])
        #expect(hits[0].postId == nil)
        #expect(hits[0].snippet.isEmpty)
        #expect(hits[0].relevance >= 1)
    }

    @Test func everyWordMustMatch() throws {
        let g = try StoreGiven()
        let both = try g.db.post(kind: .idea, title: "Pairing", body: "pairing on swift testing", by: "ana", now: StoreGiven.at(0))
        _ = try g.db.post(kind: .idea, title: "Only one", body: "swift is nice", by: "ana", now: StoreGiven.at(1))
        #expect(try g.db.search("swift testing").map(\.topicId) == [both.topic])
        #expect(try g.db.search("swift nonexistentword").isEmpty)
    }

    @Test func wordsMatchAsPrefixes() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .idea, title: "Onboarding checklist", body: "x", by: "ana", now: StoreGiven.at(0))
        #expect(try g.db.search("onboard check").map(\.topicId) == [t.topic])
    }

    @Test func commonWordsAreLeftOutUnlessTheyAreAllThereIs() throws {
        let g = try StoreGiven()
        // "the" and "of" would match nearly every post; the other words decide.
        let crm = try g.db.post(kind: .request, title: "Moving to a new CRM", body: "Any tips?", by: "ana", now: StoreGiven.at(0))
        #expect(try g.db.search("the new CRM").map(\.topicId) == [crm.topic])
        let only = try g.db.post(kind: .idea, title: "To be or not", body: "that is it", by: "bo", now: StoreGiven.at(1))
        #expect(try g.db.search("to be").map(\.topicId) == [only.topic])
        #expect(SQLiteStore.searchWords("The state of the art!") == ["state", "art"])
    }

    @Test func aQueryMatchingMoreThanTheWindowRanksTheNewestMatches() throws {
        let g = try StoreGiven()
        let n = SQLiteStore.searchWindow + 5
        // The oldest post mentions the word most; it is outside the newest `searchWindow` matches.
        try g.db.post(kind: .idea, title: "Old", body: "retro retro retro retro", by: "ana", now: StoreGiven.at(0))
        for i in 0..<n {
            try g.db.post(kind: .idea, title: "Topic \(i)", body: "a retro and \(i)", by: "ana", now: StoreGiven.at(Double(i + 1)))
        }
        let hits = try g.db.search("retro", limit: n + 10)
        #expect(hits.count == SQLiteStore.searchWindow)
        #expect(!hits.contains { $0.title == "Old" })
        #expect(try g.db.search("retro retro", limit: 5).count == 5)
    }

    @Test func diacriticsAreIgnored() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .idea, title: "Café culture", body: "Nguyễn wrote about naïve résumés", by: "ana", now: StoreGiven.at(0))
        #expect(try g.db.search("cafe").map(\.topicId) == [t.topic])
        #expect(try g.db.search("nguyen resume").map(\.topicId) == [t.topic])
        #expect(try g.db.search("CAFÉ").map(\.topicId) == [t.topic])
    }

    @Test func oneHitPerTopicAndRepliesAreFound() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .idea, title: "Budget", body: "spreadsheet", by: "ana", now: StoreGiven.at(0))
        let r = try g.db.reply(topic: t.topic, body: "my spreadsheet template", by: "bo", now: StoreGiven.at(1))
        _ = r
        #expect(try g.db.search("spreadsheet").map(\.topicId) == [t.topic])
        #expect(try g.db.search("template").first?.postId == r)
    }

    @Test func emptyOrPunctuationOnlyQueries() throws {
        let g = try StoreGiven()
        #expect(throws: AgoraError.self) { try g.db.search("   ") }
        #expect(try g.db.search("\"*)(").isEmpty)
    }
}

@Suite struct StoreExportTests {
    @Test func exportHoldsTheProgramAndOnlyShareableTestimonials() throws {
        let g = try StoreGiven()
        let t = try g.db.post(kind: .idea, title: "A", body: "a", tags: ["x"], by: "ana", now: StoreGiven.at(0))
        try g.db.reply(topic: t.topic, body: "b", by: "bo", now: StoreGiven.at(1))
        try g.db.write { db in
            var yes = Testimonial(by: "ana", text: "Share me", shareable: true, created: StoreGiven.at(2))
            var no = Testimonial(by: "bo", text: "Private", shareable: false, created: StoreGiven.at(3))
            try yes.insert(db)
            try no.insert(db)
        }
        let e = try g.db.export(by: "ana")
        #expect(e.program.name == "Circle")
        #expect(e.peers.map(\.login) == ["ana", "bo", "cham", "lea", "olga"])
        #expect(e.topics.count == 1)
        #expect(e.topics[0].tags == ["x"])
        #expect(e.topics[0].posts.map(\.body) == ["a", "b"])
        #expect(e.testimonials.map(\.text) == ["Share me"])
    }

    @Test func strangersCannotExport() throws {
        let g = try StoreGiven()
        #expect(throws: AgoraError.self) { try g.db.export(by: "stranger") }
    }
}

@Suite struct StoreDemoTests {
    static let now = StoreGiven.t0
    static func demo(seed: UInt64) throws -> SQLiteStore {
        let db = try SQLiteStore.inMemory()
        _ = try db.fillDemo(DemoProgram(peers: 40, topics: 120, posts: 600, seed: seed),
                            me: Peer(login: "me", name: "Me", joined: now), now: now)
        return db
    }

    static func fingerprint(_ db: SQLiteStore) throws -> [String] {
        let e = try db.export(by: "me")
        return e.topics.flatMap { t in
            ["\(t.topic.id!) \(t.topic.kind) \(t.topic.title) \(t.topic.author) \(t.topic.status) \(t.tags)"]
                + t.posts.map { "  \($0.id!) \($0.parentId ?? 0) \($0.author) \($0.created.timeIntervalSince1970) \($0.body)" }
        } + e.peers.map { "\($0.login) \($0.name) \($0.unit) \($0.region) \($0.generation) \($0.role)" }
    }

    /// What a newcomer learns from (issue 16): rules to accept, distinct people whose offers are not their goals,
    /// conversations spread over weeks, flags in every state.
    @Test func theDemoIsAProgramANewcomerLearnsFrom() throws {
        let db = try Self.demo(seed: 1)
        let program = try #require(try db.program())
        #expect(program.rulesVersion == 1 && program.rulesText.contains("Assume good intent"))
        #expect(!program.expectedReturn.isEmpty)
        #expect(try db.peer("me")?.rulesAckVersion == 1)   // `agora demo`: accepted, for scripts
        let peers = try db.peers()
        #expect(Set(peers.map(\.name)).count == peers.count)
        for p in peers where !p.goals.isEmpty {
            let offers = p.offers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(!offers.contains { p.goals.contains($0) }, "\(p.login) offers what they want: \(p.goals) / \(p.offers)")
        }
        // The longest thread runs over days, and no more than a tenth of it falls in its last hour.
        let e = try db.export(by: "me")
        let longest = try #require(e.topics.max { $0.posts.count < $1.posts.count })
        let times = longest.posts.map(\.created).sorted()
        #expect(times.last!.timeIntervalSince(times.first!) > 2 * 86400)
        #expect(times.filter { times.last!.timeIntervalSince($0) < 3600 }.count <= max(2, times.count / 10))
        let flags = try db.read { try PostFlag.fetchAll($0) }
        #expect(flags.contains { $0.resolvedAt == nil })
        #expect(flags.contains { $0.resolution?.hasPrefix("kept") == true })
        #expect(flags.contains { $0.resolution?.hasPrefix("hidden") == true })
        // From the welcome screen the demo's user meets the rules first.
        let fresh = try SQLiteStore.inMemory()
        _ = try fresh.fillDemo(DemoProgram(peers: 10, topics: 20, posts: 60, seed: 1, rulesPending: true),
                               me: Peer(login: "me", name: "Me", joined: Self.now), now: Self.now)
        #expect(try fresh.peer("me")?.rulesAckVersion == 0)
    }

    @Test func sameSeedSameProgram() throws {
        let a = try Self.fingerprint(Self.demo(seed: 7))
        let b = try Self.fingerprint(Self.demo(seed: 7))
        #expect(a == b)
        #expect(a != (try Self.fingerprint(Self.demo(seed: 8))))
    }

    @Test func demoHasWorkForChampions() throws {
        let db = try Self.demo(seed: 1)
        let unanswered = try db.topics(TopicQuery(unansweredOnly: true))
        #expect(unanswered.contains { $0.topic.kind == .request })
        let newcomers = try db.peers().filter { $0.welcomedAt == nil && !$0.isAlumni }
        #expect(!newcomers.isEmpty)
        let queue = try db.queue(for: "me", now: Self.now)
        #expect(queue.contains { $0.kind == .newcomer })
        #expect(queue.contains { $0.kind == .unanswered })
        #expect(try db.peers().count == 40)
        #expect(try db.topics(TopicQuery(limit: 1000)).count == 120)
        #expect(Set(try db.topics(TopicQuery(limit: 1000)).map(\.topic.kind)) == Set(TopicKind.allCases))
        // Search works after the bulk load rebuilt the index, and new posts are indexed by the triggers again.
        #expect(!(try db.search("onboarding")).isEmpty)
        let t = try db.post(kind: .idea, title: "Zebracorn meetup", body: "x", by: "me", now: Self.now)
        #expect(try db.search("zebracorn").map(\.topicId) == [t.topic])
        #expect(t.topic == 121)
    }

    @Test func demoRefusesADatabaseThatHoldsAProgram() throws {
        let g = try StoreGiven()
        #expect(throws: AgoraError.self) {
            try g.db.fillDemo(DemoProgram(), me: Peer(login: "me", name: "Me", joined: Self.now), now: Self.now)
        }
    }
}

@Suite struct DatabaseLocationTests {
    @Test func theDefaultDatabaseIsUnderTheRealHomeWhateverTheEnvironmentSays() {
        let passwdHome = String(cString: getpwuid(getuid())!.pointee.pw_dir!)
        #expect(DatabaseLocation.resolve(flag: nil, environment: ["HOME": "/h"]) == "/h/.local/share/agora/agora.db")
        // An empty or relative $HOME would put the program under / or the current directory.
        #expect(DatabaseLocation.resolve(flag: nil, environment: ["HOME": ""]) == passwdHome + "/.local/share/agora/agora.db")
        #expect(DatabaseLocation.resolve(flag: nil, environment: ["HOME": "home"]) == passwdHome + "/.local/share/agora/agora.db")
        #expect(DatabaseLocation.resolve(flag: nil, environment: ["HOME": "/h", "XDG_DATA_HOME": "/x"]) == "/x/agora/agora.db")
        #expect(DatabaseLocation.resolve(flag: nil, environment: ["HOME": "/h", "XDG_DATA_HOME": "rel"]) == "/h/.local/share/agora/agora.db")
        #expect(DatabaseLocation.resolve(flag: nil, environment: ["HOME": "/h", "AGORA_DB": "/a.db"]) == "/a.db")
        #expect(DatabaseLocation.resolve(flag: "/f.db", environment: ["AGORA_DB": "/a.db"]) == "/f.db")
    }
}

/// A write the program acknowledged survives a power cut: every connection that writes syncs the WAL at each commit.
@Suite struct SynchronousFullTests {
    @Test func theWritingConnectionSyncsEveryCommit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agora-sync-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for _ in 0..<2 {   // a new file, then the same file opened again
            let store = try SQLiteStore.open(path: dir.appendingPathComponent("agora.db").path)
            let writing = try store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            let reading = try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(writing == 2, "synchronous = FULL (2) on the writer, not \(writing ?? -1)")
            #expect(reading == 2)
        }
    }
}

/// A program from before names were kept apart: migration v9 makes every member's name their own.
@Suite struct NamesApartMigrationTests {
    @Test func aliveNamesFromBeforeAreMadeApartInOrderOfJoining() throws {
        let store = try SQLiteStore.inMemory()
        let t0 = Date(timeIntervalSince1970: 1_795_687_200)
        _ = try store.createProgram(name: "Old", purpose: "p", leader: Peer(login: "lea", name: "Lea Leader", joined: t0), now: t0)
        try store.writer.write { db in
            // As an older agora let them be written.
            for (login, name, day) in [("ana", "Ana Lima", 1.0), ("ana2", "ana  lima", 2), ("eve", "bo", 3), ("bo", "Bo Berg", 4), ("zed", "Zed", 5)] {
                try db.execute(sql: "INSERT INTO peer(login, name, unit, region, generation, role, goals, offers, bio, joined) VALUES (?, ?, '', '', '', 'peer', '', '', '', ?)",
                               arguments: [login, name, t0.addingTimeInterval(day * 86_400).stored])
            }
        }
        let renamed = try store.writer.write { db in try NamesApartSchema.renameAlike(db, now: t0) }
        // Two who share a name both show their logins; a name that passed for a later login shows its own.
        #expect(renamed == ["ana": "Ana Lima (ana)", "ana2": "ana  lima (ana2)", "eve": "bo (eve)"])
        #expect(try store.peer("zed")?.name == "Zed")
        let audit = try store.auditLog().filter { $0.action == "peer.rename" }.map(\.subject).sorted()
        #expect(audit == ["ana", "ana2", "eve"])
    }
}

/// A newer agora's file is left alone.
@Suite struct FileIdentityTests {
    @Test func aFileANewerAgoraMigratedIsRefusedUnchanged() throws {
        let dir = try StoreGiven.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("agora.db").path
        do {
            let store = try SQLiteStore.open(path: path)
            try store.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        }
        // As if a later agora had added a migration this one does not know.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteStore.open(path: path)
        } throws: { error in
            "\(error)".contains("was written by a newer version of agora: nothing was changed")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
