import AgoraTestSupport
import Foundation
import Testing
import AgoraCore
@testable import AgoraStore
import GRDB

/// The unread figures kept by triggers (`CountSchema`) against the scans they replaced, after every kind of write.
@Suite struct UnreadCountTests {
    typealias G = StoreGiven

    /// What the figures were computed as before they were kept: the oracle.
    static func scanned(_ db: Database, _ login: String) throws -> (topics: Int, posts: Int) {
        // A post is read when it is at or below its topic's mark or has a row of its own (read beyond the mark).
        let unreadPost = """
            NOT EXISTS (SELECT 1 FROM readState rs WHERE rs.topicId = post.topicId AND rs.login = ?1 AND post.id <= rs.lastReadPostId)
            AND NOT EXISTS (SELECT 1 FROM postRead pr WHERE pr.login = ?1 AND pr.postId = post.id)
            """
        let topics = try Int.fetchOne(db, sql: "SELECT count(*) FROM topic WHERE EXISTS (SELECT 1 FROM post WHERE post.topicId = topic.id AND \(unreadPost))",
                                      arguments: [login]) ?? -1
        let posts = try Int.fetchOne(db, sql: "SELECT count(*) FROM post WHERE \(unreadPost)", arguments: [login]) ?? -1
        return (topics, posts)
    }

    static let people = ["lea", "cham", "ana", "bo"]

    static func expectAgree(_ s: SQLiteStore, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for login in people + ["nobody"] {
            let kept = try s.unreadCounts(for: login)
            let scan = try s.read { try scanned($0, login) }
            #expect(kept == scan, "\(login) after \(what): kept \(kept), scanned \(scan)", sourceLocation: sourceLocation)
            #expect(try s.unreadTopicCount(for: login) == scan.topics, sourceLocation: sourceLocation)
        }
    }

    @Test func theKeptFiguresMatchTheScansAfterEveryWrite() throws {
        let g = try G()
        let s = g.db
        var rng = SplitMix(seed: 7)
        var topics: [Int64] = []
        var posts: [Int64: [Int64]] = [:]
        for step in 0..<160 {
            let who = Self.people[Int(rng.next() % 4)]
            let at = G.at(Double(step))
            switch rng.next() % 8 {
            case 0 where topics.count < 12, _ where topics.isEmpty:
                let t = try s.post(kind: .idea, title: "T\(step)", body: "b", by: who, now: at)
                topics.append(t.topic)
                posts[t.topic] = [t.post]
                try Self.expectAgree(s, "\(who) posted topic \(t.topic)")
            case 1, 2:
                let t = topics[Int(rng.next() % UInt64(topics.count))]
                let parent = rng.next() % 2 == 0 ? posts[t]!.randomElement(using: &rng) : nil
                let p = try s.reply(topic: t, parent: parent, body: "r\(step)", by: who, now: at)
                posts[t]!.append(p)
                try Self.expectAgree(s, "\(who) replied in \(t)")
            case 3:
                // A mark anywhere: to a post in the middle, to the last one, past the end, or behind the current one.
                let t = topics[Int(rng.next() % UInt64(topics.count))]
                let ids = posts[t]!
                let upTo = rng.next() % 5 == 0 ? ids.last! + 50 : ids[Int(rng.next() % UInt64(ids.count))]
                try s.markRead(login: who, topic: t, upTo: upTo)
                try Self.expectAgree(s, "\(who) read \(t) to \(upTo)")
            case 4:
                let marks = (0..<3).map { _ -> ReadState in
                    let t = topics[Int(rng.next() % UInt64(topics.count))]
                    return ReadState(login: Self.people[Int(rng.next() % 4)], topicId: t, lastReadPostId: posts[t]!.last!)
                }
                try s.markRead(marks)
                try Self.expectAgree(s, "marks \(marks.map(\.topicId))")
            case 5:
                // Some posts shown (what a screen shows: any of them, in any order), sometimes with a mark too.
                let t = topics[Int(rng.next() % UInt64(topics.count))]
                let shown = posts[t]!.filter { _ in rng.next() % 3 == 0 }
                try s.markRead([ReadState(login: who, topicId: t, lastReadPostId: rng.next() % 4 == 0 ? posts[t]!.first! : 0, posts: shown)])
                try Self.expectAgree(s, "\(who) was shown \(shown) of \(t)")
            case 6:
                let t = topics[Int(rng.next() % UInt64(topics.count))]
                let p = posts[t]!.randomElement(using: &rng)!
                try s.markUnread(login: who, post: p)
                try Self.expectAgree(s, "\(who) marked \(p) unread")
            default:
                try s.markRead(login: who, topic: 999_999, upTo: 5)   // a topic that does not exist counts for nothing
                // A mark on the next topic's id, made before it exists (ids can be guessed), from 0 or far ahead.
                let next = (topics.max() ?? 0) + 1
                try s.markRead(login: who, topic: next, upTo: rng.next() % 2 == 0 ? 0 : 1_000_000)
                try Self.expectAgree(s, "a mark on no topic")
            }
        }
        // Hiding a post or settling a topic changes no count.
        let t = topics[0]
        _ = try s.flag(post: posts[t]![0], reason: "spam", by: "ana", now: G.at(500))
        try Self.expectAgree(s, "a flag")
        try s.setStatus(t, .resolved, by: "lea", now: G.at(501))
        try Self.expectAgree(s, "resolved")
    }

    @Test func aWelcomeTopicAndTheDemoAreCounted() throws {
        let g = try G()
        try g.db.addPeer(Peer(login: "nina", name: "Nina New", joined: G.t0), by: "lea", now: G.t0)
        _ = try g.db.welcome("nina", message: "Welcome, Nina!", by: "cham", now: G.at(1))
        try Self.expectAgree(g.db, "a welcome with a message")

        let demo = try SQLiteStore.inMemory()
        _ = try demo.fillDemo(DemoProgram(peers: 40, topics: 60, posts: 400, seed: 3), me: Peer(login: "lea", name: "Lea", joined: G.t0), now: G.t0)
        try Self.expectAgree(demo, "the demo's bulk load")
        let first = try #require(try demo.topics().first?.topic.id)
        _ = try demo.reply(topic: first, body: "after the demo", by: "lea", now: G.at(2))
        try Self.expectAgree(demo, "a reply after the demo (its triggers are back)")
    }

    @Test func aDatabaseFromBeforeTheFiguresGetsThemOnMigration() throws {
        let dir = try G.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.db").path
        do {
            // The schema as it was before v7, with a program that has posts and read marks.
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v6-presence")
            try queue.write { db in
                try db.execute(sql: """
                INSERT INTO peer(login, name, unit, region, generation, role, goals, offers, bio, joined, rulesAckVersion)
                  VALUES ('ana', 'Ana', '', '', '', 'peer', '', '', '', '2026-01-01 00:00:00.000', 0);
                INSERT INTO topic(id, kind, title, author, status, created, lastActivity, postCount, answerCount, lastPostId)
                  VALUES (1, 'idea', 'a', 'ana', 'open', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000', 3, 2, 3),
                         (2, 'idea', 'b', 'ana', 'open', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000', 1, 0, 4);
                INSERT INTO post(id, topicId, author, body, created) VALUES
                  (1, 1, 'ana', 'x', '2026-01-01 00:00:00.000'), (2, 1, 'ana', 'y', '2026-01-01 00:00:00.000'),
                  (3, 1, 'ana', 'z', '2026-01-01 00:00:00.000'), (4, 2, 'ana', 'w', '2026-01-01 00:00:00.000');
                INSERT INTO readState(login, topicId, lastReadPostId) VALUES ('ana', 1, 2), ('bo', 2, 4);
                """)
            }
        }
        let s = try SQLiteStore.open(path: path)
        #expect(try s.unreadCounts(for: "ana") == (topics: 2, posts: 2))
        #expect(try s.unreadCounts(for: "bo") == (topics: 1, posts: 3))
        #expect(try s.unreadCounts(for: "cy") == (topics: 2, posts: 4))
    }
}

/// Group commit (`writeBatch`): the daemon's posts that arrive together share one transaction.
@Suite struct WriteBatchTests {
    typealias G = StoreGiven

    @Test func eachWriteInABatchSucceedsOrFailsAloneAndTheBatchCommitsOnce() throws {
        let g = try G()
        let s = g.db
        let before = try s.latestChange()
        var refused: Error?
        let ids = try s.writeBatch { () -> [Int64] in
            let a = try s.post(kind: .idea, title: "First in the batch", body: "a", by: "ana", now: G.at(1)).topic
            do { _ = try s.reply(topic: 999_999, body: "to nothing", by: "bo", now: G.at(1)) } catch { refused = error }
            let b = try s.reply(topic: a, body: "second", by: "bo", now: G.at(2))
            return [a, b]
        }
        #expect(refused is AgoraError, "the reply to a topic that does not exist fails, alone")
        #expect(try s.thread(ids[0]).posts.map(\.body) == ["a", "second"])
        #expect(try s.changes(after: before, limit: 10).changes.map(\.kind) == [.posted, .posted, .notified])   // Ana hears of Bo's reply
        try UnreadCountTests.expectAgree(s, "a batch")
    }

    @Test func aBatchThatFailsKeepsNothing() throws {
        let g = try G()
        let s = g.db
        struct Crash: Error {}
        #expect(throws: Crash.self) {
            try s.writeBatch {
                _ = try s.post(kind: .idea, title: "Never kept", body: "a", by: "ana", now: G.at(1))
                throw Crash()
            }
        }
        #expect(try s.topics().contains { $0.topic.title == "Never kept" } == false)
        try UnreadCountTests.expectAgree(s, "a failed batch")
    }
}
