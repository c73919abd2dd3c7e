import AgoraCore
import AgoraClient
import AgoraServer
import AgoraStore   // the only file of the contract suite that knows a backend
import Foundation
import Testing

// The store contract: every test in this folder talks to `any Store` only, so each backend runs the very same
// tests. A test takes a `ContractBackend` argument (`@Test(arguments: ContractBackend.all)`), builds its program
// through the protocols (`ContractGiven`), and, to play another process, opens a second session on that program.
//
// EXTENSION POINT — adding a backend:
//   A PostgreSQL backend adds a case here, reading its URL from AGORA_TEST_POSTGRES_URL, and skips when unset:
//     1. `case postgres = "PostgreSQL"` below;
//     2. `unavailableReason`: for `.postgres`, "AGORA_TEST_POSTGRES_URL is unset" when the variable is missing
//        (every test case of that backend then ends as skipped, with that reason);
//     3. `makeProgram()`: an empty program of its own for each test (for instance a new schema or database
//        named from a UUID), `openSession` opening another connection to that same program (as another
//        process would), and `cleanup` dropping it;
//     4. `knownIssues`: none for it, so the tests that pin SQLite's known bugs hold it to the contract in full.
//   Nothing else in the suite changes: no test may name a backend.

/// Where a contract test's program is kept.
enum ContractBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `SQLiteStore.inMemory()`: one connection, no second session.
    case sqliteMemory = "SQLite in memory"
    /// `SQLiteStore.open(path:)` on a file in a temporary directory; another session is another `open` of it.
    case sqliteFile = "SQLite file"
    /// `agora serve` in this process over a SQLite file; each session is a `RemoteStore` on its socket.
    case daemon = "agora serve"
    // case postgres = "PostgreSQL"   // see EXTENSION POINT above

    /// Every backend a contract test runs against. Those that cannot run here are still listed: their cases end as
    /// skipped with `unavailableReason` (with toolchains before Swift 6.3, which cannot skip, they are left out).
    static var all: [ContractBackend] {
        #if compiler(>=6.3)
        allCases
        #else
        allCases.filter { $0.unavailableReason == nil }
        #endif
    }

    var testDescription: String { rawValue }

    /// Why this backend cannot run here (nil: it can).
    var unavailableReason: String? {
        switch self {
        case .sqliteMemory, .sqliteFile: nil
        // The suite acts as many people through one store; the daemon takes the acting login from the
        // connection's uid, except for root's connections.
        case .daemon: getuid() == 0 ? nil : "needs root: only root's connections may act as the contract's many logins"
        }
    }

    /// Store bugs this backend has today, each pinned by a contract test that fails without the mark: the test
    /// wraps the failing expectations in `withKnownIssue` for the backends listed here only (`expectKnownIssue`),
    /// so the suite stays green, and the mark fails ("known issue was not recorded") the day the bug is fixed.
    var knownIssues: Set<ContractKnownIssue> {
        switch self {
        case .sqliteMemory, .sqliteFile, .daemon: []
        }
    }

    /// A new, empty store (no program yet), private to one test.
    func makeProgram() throws -> ContractProgram {
        if let reason = unavailableReason {
            try skipContract("\(rawValue): \(reason)")
            throw ContractSkipped(reason: reason)
        }
        switch self {
        case .sqliteMemory:
            return ContractProgram(backend: self, store: try SQLiteStore.inMemory(), openSession: nil, cleanup: {})
        case .sqliteFile:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agora-contract-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("agora.db").path
            return ContractProgram(backend: self, store: try SQLiteStore.open(path: path),
                                   openSession: { try SQLiteStore.open(path: path) },
                                   cleanup: { try? FileManager.default.removeItem(at: dir) })
        case .daemon:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agora-contract-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let socket = dir.appendingPathComponent("s").path
            let daemon = Daemon(store: try SQLiteStore.open(path: dir.appendingPathComponent("agora.db").path),
                                options: Daemon.Options(socketPath: socket))
            try daemon.start()
            // Each session keeps its local drafts in the test's directory, never in the home of whoever runs the tests.
            func session() throws -> RemoteStore {
                try RemoteStore(socketPath: socket, draftsDirectory: dir.appendingPathComponent("drafts-\(UUID().uuidString)").path)
            }
            return ContractProgram(backend: self, store: try session(), openSession: { try session() },
                                   cleanup: { daemon.shutdown(); try? FileManager.default.removeItem(at: dir) })
        }
    }
}

/// One test's program on one backend: the store the test writes with, and (when the backend can) a way to open
/// more sessions on the same program, each its own connection with its own `origin`, as other processes would.
final class ContractProgram {
    let backend: ContractBackend
    let store: any Store
    private let opener: (() throws -> any Store)?
    private let cleanup: () -> Void

    init(backend: ContractBackend, store: any Store, openSession: (() throws -> any Store)?, cleanup: @escaping () -> Void) {
        self.backend = backend
        self.store = store
        self.opener = openSession
        self.cleanup = cleanup
    }

    var supportsSessions: Bool { opener != nil }

    /// Another session on this program. For a backend with one connection only, the test case is skipped (it
    /// ends as cancelled, with the reason) and this returns nil: callers `guard let … else { return }`.
    func openSession(sourceLocation: SourceLocation = #_sourceLocation) throws -> (any Store)? {
        guard let opener else {
            try skipContract("\(backend.rawValue) has a single connection: no second session to open on the same program",
                             sourceLocation: sourceLocation)
            return nil
        }
        return try opener()
    }

    deinit { cleanup() }
}

struct ContractSkipped: Error { var reason: String }

/// Ends the current test case as skipped, saying why. Before Swift 6.3 (no `Test.cancel`) it only returns and the
/// caller returns too, so the case passes without checking anything.
/// The reason is also recorded as a warning, because the console does not show why a test case was cancelled.
func skipContract(_ reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #if compiler(>=6.3)
    Issue.record(Comment(rawValue: "skipped: \(reason)"), severity: .warning, sourceLocation: sourceLocation)
    try Test.cancel(Comment(rawValue: reason), sourceLocation: sourceLocation)
    #endif
}

/// A store bug a contract test pins down (see `ContractBackend.knownIssues`).
enum ContractKnownIssue: String, Sendable {
    /// `fillDemo` writes a whole program but logs no change: a session open on the file never hears of the demo.
    case demoLogsNoChange = "fillDemo logs no change"
    /// Search ranks titles and bodies each by bm25 within its own table, so a title match of a word common among
    /// titles (bm25's idf floors at ~0 once the word is in half of them) falls below a body-only match.
    case titleRankDependsOnWordFrequency = "a title match can rank below a body-only match"
}

/// Runs expectations that fail on backends with `issue` as a known issue (and must pass on the others).
func expectKnownIssue(_ issue: ContractKnownIssue, on backend: ContractBackend, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () throws -> Void) rethrows {
    try withKnownIssue(Comment(rawValue: issue.rawValue), sourceLocation: sourceLocation, body,
                       when: { backend.knownIssues.contains(issue) })
}
