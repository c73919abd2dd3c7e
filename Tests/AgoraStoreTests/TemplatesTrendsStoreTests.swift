import AgoraCore
import AgoraStore
import Foundation
import Testing

@Suite struct TemplatesTrendsStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func program() throws -> SQLiteStore {
        let db = try SQLiteStore.inMemory()
        _ = try db.createProgram(name: "Circle", purpose: "", leader: Peer(login: "lea", name: "Lea", joined: now), now: now)
        try db.addPeer(Peer(login: "bob", name: "Bob", joined: now), by: "lea", now: now)
        return db
    }

    @Test func aTemplatedTopicComesBackToTheQueueWhenItsFollowUpIsDue() throws {
        let db = try program()
        #expect(try db.templates().map(\.name) == ["mentoring agreement", "problem-solving circle"])
        let ids = try db.post(kind: .request, title: "Stuck on the migration", body: "Context: ...", by: "bob", now: now,
                              template: "problem-solving circle")
        _ = try db.reply(topic: ids.topic, body: "Let's meet", by: "lea", now: now)
        let due = now.addingTimeInterval(14 * 86400)
        #expect(try db.thread(ids.topic).topic.followUp == due)
        #expect(try !db.queue(for: "lea", now: due.addingTimeInterval(-60)).contains { $0.kind == .followUp })
        let item = try db.queue(for: "lea", now: due.addingTimeInterval(60)).first { $0.key == "topic:\(ids.topic)" }
        #expect(item?.kind == .followUp)
    }

    @Test func onlyTheLeaderAddsTemplatesAndUnknownOnesAreRefused() throws {
        let db = try program()
        let t = try TopicTemplate.validated(name: "retro", sections: ["Went well", "To change"], followUpDays: 7)
        #expect(throws: AgoraError.self) { try db.saveTemplate(t, by: "bob", now: now) }
        try db.saveTemplate(t, by: "lea", now: now)
        #expect(try db.template(named: "RETRO").sections == ["Went well", "To change"])
        #expect(throws: AgoraError.self) {
            try db.post(kind: .idea, title: "x", body: "y", by: "bob", now: now, template: "nope")
        }
        #expect(throws: AgoraError.self) { try TopicTemplate.validated(name: "empty", sections: [], followUpDays: nil) }
    }

    @Test func trendsCountNewTopicsPerTagInTheTwoWindows() throws {
        let db = try program()
        for (i, days) in [1.0, 3, 40].enumerated() {
            try db.post(kind: .idea, title: "remote \(i)", body: "b", tags: ["remote"], by: "bob", now: now.addingTimeInterval(-days * 86400))
        }
        try db.post(kind: .idea, title: "hiring", body: "b", tags: ["hiring"], by: "bob", now: now.addingTimeInterval(-45 * 86400))
        let t = try db.tagTrends(by: "bob", now: now)
        #expect(t == [TagTrend(tag: "remote", recent: 2, previous: 1), TagTrend(tag: "hiring", recent: 0, previous: 1)])
    }
}
