import Foundation
import AgoraCore
@testable import AgoraStore

/// A small program to start each store test from: a leader, a champion, two peers and one alumna.
struct StoreGiven {
    static let t0 = Date(timeIntervalSince1970: 1_795_687_200)   // 2026-11-26T10:00:00Z
    let db: SQLiteStore

    static func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }

    init(_ db: SQLiteStore? = nil) throws {
        self.db = try db ?? SQLiteStore.inMemory()
        _ = try self.db.createProgram(name: "Circle", purpose: "Peers helping peers",
                                      leader: Peer(login: "lea", name: "Lea Leader", joined: Self.t0), now: Self.t0)
        try self.db.addPeers([
            Peer(login: "cham", name: "Cham Pion", unit: "Ops", role: .champion, joined: Self.t0),
            Peer(login: "ana", name: "Ana Lima", unit: "Platform", region: "EMEA", joined: Self.t0),
            Peer(login: "bo", name: "Bo Berg", unit: "Sales", region: "APAC", joined: Self.t0),
            Peer(login: "olga", name: "Olga Old", joined: Self.t0),
        ], by: "lea", now: Self.t0)
        try self.db.peerLeave("olga", by: "lea", now: Self.t0)
    }

    /// A temporary directory removed by the caller's `defer`.
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("agora-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
