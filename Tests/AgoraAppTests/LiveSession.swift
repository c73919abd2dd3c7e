import AgoraApp
import AgoraCore
import AgoraScreen
@testable import AgoraStore
import AgoraTestSupport
import Foundation
import GRDB

/// A program in a temporary file, as `agora --db FILE` opens it, with its people.
final class ProgramFile {
    static let t0 = Date(timeIntervalSince1970: 1_795_687_200)   // 2026-11-26T10:00:00Z
    let dir: URL
    var path: String { dir.appendingPathComponent("agora.db").path }

    /// `in`: a directory of the test's (a small disk); by default a new one under the temporary directory.
    init(in place: URL? = nil) throws {
        dir = place ?? FileManager.default.temporaryDirectory.appendingPathComponent("agora-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore.open(path: path)
        _ = try store.createProgram(name: "Circle", purpose: "Peers helping peers",
                                    leader: Peer(login: "lea", name: "Lea Leader", joined: Self.t0), now: Self.t0)
        try store.addPeers([
            Peer(login: "ana", name: "Ana Lima", joined: Self.t0),
            Peer(login: "bo", name: "Bo Berg", joined: Self.t0),
            Peer(login: "cy", name: "Cy Chen", joined: Self.t0),
        ], by: "lea", now: Self.t0)
        for login in ["lea", "ana", "bo", "cy"] { try store.welcomeIfNeeded(login) }
        try store.post(kind: .idea, title: "Shared playbook", body: "Let us write one.", by: "ana", now: Self.t0)
        try store.post(kind: .idea, title: "Pair on SQL", body: "Anyone?", by: "bo", now: Self.t0.addingTimeInterval(60))
    }

    /// Another process's connection to the same program.
    func connection() throws -> SQLiteStore { try SQLiteStore.open(path: path) }

    deinit { try? FileManager.default.removeItem(at: dir) }
}

extension SQLiteStore {
    /// Newcomers start in the queue; the fixtures are not about welcoming.
    func welcomeIfNeeded(_ login: String) throws {
        if try peer(login)?.welcomedAt == nil { try welcome(login, by: "lea", now: ProgramFile.t0) }
    }
}

/// One person's full-screen session, in process: the same `TUIRunner` the binary runs, on a `MemoryTerminal`,
/// over the program's file, woken by the real change signal (inotify).
final class LiveSession {
    /// The time the sessions show (AGORA_NOW's role): an hour after the program's fixtures, unless a test moves it.
    static let now = ProgramFile.t0.addingTimeInterval(3600)
    var clock = LiveSession.now
    let terminal: MemoryTerminal
    let store: SQLiteStore
    let bridge: StoreBridge
    let runner: TUIRunner

    init(_ program: ProgramFile, as login: String, size: Size = Size(width: 100, height: 24), viewFile: ViewFile? = nil,
         at start: Date = LiveSession.now, adjust: (inout Configuration) -> Void = { _ in }) throws {
        clock = start
        terminal = MemoryTerminal(size: size)
        store = try SQLiteStore.open(path: program.path, adjust: adjust)
        weak var me: LiveSession?
        bridge = StoreBridge(store: store, login: login, clock: { me?.clock ?? LiveSession.now })
        runner = TUIRunner(terminal: terminal, bridge: bridge, clock: { me?.clock ?? LiveSession.now }, viewFile: viewFile)
        me = self
        try runner.start(signals: false)
    }

    var screen: [String] { terminal.screen }
    func shows(_ text: String) -> Bool { screen.contains { $0.contains(text) } }

    /// Keys as typed: the loop wakes for them and handles them in one step.
    func press(_ keys: Key...) throws {
        terminal.feed(keys)
        try runner.step(limit: 1000)
    }

    func type(_ text: String) throws {
        terminal.type(text)
        try runner.step(limit: 1000)
    }

    /// Lets the loop run, one wakeup at a time, until `condition` holds (or 5 s pass: then false).
    /// Every wakeup is an event (inotify, a deadline); nothing here sleeps on its own.
    @discardableResult
    func runUntil(_ condition: () -> Bool) throws -> Bool {
        let end = Date().addingTimeInterval(5)
        while !condition() {
            if Date() > end { return false }
            try runner.step(limit: 100)
        }
        return true
    }

    /// Runs the loop until it has nothing left to look at (no change-log look pending) and returns.
    func settle() throws {
        let end = Date().addingTimeInterval(5)
        repeat {
            try runner.step(limit: 150)
        } while runner.hasPendingLook && Date() < end
    }

    func finish() { runner.finish() }
}
