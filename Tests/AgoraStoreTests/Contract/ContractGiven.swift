import AgoraCore
import Foundation
import Testing

/// The program each contract test starts from, built through the store protocols only:
/// Lea leads it, Cham and Cara are champions, Ana and Bo are peers, Olga has left (alumna). Everyone but Olga has
/// been welcomed, so nothing waits in the champion queue and no rules are set (nobody has to acknowledge any).
final class ContractGiven {
    static let t0 = Date(timeIntervalSince1970: 1_795_687_200)   // 2026-11-26T10:00:00Z, as StoreGiven.t0
    static func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }
    static func hours(_ h: Double) -> Date { t0.addingTimeInterval(h * 3600) }

    let program: ContractProgram
    var store: any Store { program.store }
    var backend: ContractBackend { program.backend }

    init(_ backend: ContractBackend) throws {
        program = try backend.makeProgram()
        let s = program.store
        let t0 = Self.t0
        try s.createProgram(name: "Circle", purpose: "Peers helping peers",
                            leader: Peer(login: "lea", name: "Lea Leader", joined: t0), now: t0)
        try s.addPeers([
            Peer(login: "cham", name: "Cham Pion", unit: "Ops", role: .champion, joined: t0),
            Peer(login: "cara", name: "Cara Vel", unit: "Ops", role: .champion, joined: t0),
            Peer(login: "ana", name: "Ana Lima", unit: "Platform", region: "EMEA", goals: "learn SQL", joined: t0),
            Peer(login: "bo", name: "Bo Berg", unit: "Sales", region: "APAC", offers: "SQL, negotiation", joined: t0),
            Peer(login: "olga", name: "Olga Old", joined: t0),
        ], by: "lea", now: t0)
        try s.peerLeave("olga", by: "lea", now: t0)
        for login in ["cham", "cara", "ana", "bo"] { try s.welcome(login, by: "lea", now: t0) }
    }

    /// Another session on this program (another process); skips the test case on a backend that has none.
    func openSession(sourceLocation: SourceLocation = #_sourceLocation) throws -> (any Store)? {
        try program.openSession(sourceLocation: sourceLocation)
    }

    /// A newcomer who joined at `joined` and waits to be welcomed.
    func addNewcomer(_ login: String = "nina", name: String = "Nina New", joined: Date = ContractGiven.t0) throws {
        try store.addPeer(Peer(login: login, name: name, joined: joined), by: "lea", now: joined)
    }

    /// Where the change log is now: what a test compares a write against.
    func mark() throws -> Int64 { try store.latestChange() }

    /// The changes since `mark`, all of them.
    func changes(since mark: Int64) throws -> ChangeBatch { try store.changes(after: mark, limit: 10_000) }

    /// Topic ids as `topics` lists them for `reader`, newest activity first.
    func topicIds(_ q: TopicQuery = TopicQuery(), for reader: String? = nil) throws -> [Int64] {
        try store.topics(q, for: reader).compactMap(\.topic.id)
    }

    func topic(_ id: Int64) throws -> Topic { try store.thread(id).topic }

    func queueKeys(for login: String = "cham", at now: Date) throws -> [String] {
        try store.queue(for: login, now: now).map(\.key)
    }
}

/// Expects `body` to be refused with an `AgoraError` carrying `exitCode` (the CLI's exit status: 1 general,
/// 2 invalid input, 3 not found, 4 not allowed, 5 claimed by someone else). Returns the error.
@discardableResult
func expectRefused(exitCode: Int32, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () throws -> Void) -> AgoraError? {
    let e = #expect(throws: AgoraError.self, comment, sourceLocation: sourceLocation) { try body() }
    if let e {
        #expect(e.exitCode == exitCode, "\(comment.map { "\($0): " } ?? "")\(e)", sourceLocation: sourceLocation)
    }
    return e
}
