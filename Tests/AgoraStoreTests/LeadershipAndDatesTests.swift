import AgoraCore
import AgoraStore
import Foundation
import Testing

@Suite struct LeadershipAndDatesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func program() throws -> SQLiteStore {
        let db = try SQLiteStore.inMemory()
        _ = try db.createProgram(name: "Circle", purpose: "", leader: Peer(login: "lea", name: "Lea", joined: now), now: now)
        try db.addPeer(Peer(login: "bob", name: "Bob", joined: now), by: "lea", now: now)
        return db
    }

    @Test func theOnlyLeaderCannotLeaveOrStepDownUntilThereIsAnother() throws {
        let db = try program()
        #expect(throws: AgoraError.self) { try db.peerLeave("lea", by: "lea", now: now) }
        var lea = try #require(try db.peer("lea"))
        lea.role = .peer
        #expect(throws: AgoraError.self) { try db.updatePeer(lea, by: "lea", now: now) }
        var bob = try #require(try db.peer("bob"))
        bob.role = .leader
        try db.updatePeer(bob, by: "lea", now: now)
        try db.peerLeave("lea", by: "bob", now: now)
        #expect(try db.peer("lea")?.isAlumni == true)
    }

    @Test func datesFarAheadAreRefusedBeforeTheyReachTheDatabase() throws {
        #expect(RelativeAge.parse("+500000w", now: now) == nil)
        #expect(RelativeAge.parse("+3d", now: now) == now.addingTimeInterval(3 * 86400))
        let db = try program()
        let farAway = now.addingTimeInterval(400 * 366 * 86400)
        #expect(throws: AgoraError.self) {
            try db.post(kind: .request, title: "t", body: "b", by: "bob", now: now, followUp: farAway)
        }
        let t = try db.post(kind: .request, title: "t", body: "b", by: "bob", now: now)
        #expect(throws: AgoraError.self) { try db.snooze("topic:\(t.topic)", until: farAway, by: "lea", now: now) }
        #expect(try db.topics(for: "bob").count == 1)   // the list still reads
    }

    @Test func aLeaderWithAnImpossibleLoginIsRefused() throws {
        let db = try SQLiteStore.inMemory()
        #expect(throws: AgoraError.self) {
            try db.createProgram(name: "Circle", purpose: "", leader: Peer(login: "Alice Smith", name: "Alice", joined: now), now: now)
        }
        #expect(try db.program() == nil)
    }
}
