import Foundation
import AgoraStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `agora serve` as the binary runs it: its refusals, and a real daemon process that CLI sessions use.
@Suite("agora serve")
struct ServeCommandTests {
    @Test func badArgumentsAreOneLineEach() throws {
        let cli = try CLI()
        let missing = try cli.run(["serve", "--db", cli.dir.appendingPathComponent("none.db").path, "--socket", cli.dir.appendingPathComponent("s").path])
        #expect(missing.status != 0 && missing.errLines.count == 1 && missing.err.contains("there is no Agora database"), "\(missing)")
        #expect(try cli.run(["init", "--name", "Served"]).ok)
        let noDir = try cli.run(["serve", "--db", cli.db, "--socket", "/nonexistent-\(getpid())/agora.sock"])
        #expect(noDir.status != 0 && noDir.errLines.count == 1 && noDir.err.contains("does not exist"), "\(noDir)")
        let level = try cli.run(["serve", "--db", cli.db, "--log-level", "loud"])
        #expect(level.status != 0 && level.errLines.count == 1 && level.err.contains("unknown log level"), "\(level)")
        let both = try cli.run(["topics", "--db", cli.db, "--socket", cli.dir.appendingPathComponent("s").path])
        #expect(both.status != 0 && both.err.contains("choose one"), "\(both)")
        // The environment naming both a file and a daemon is as ambiguous as the flags; a flag settles it.
        let envBoth = try cli.run(["topics"], env: ["AGORA_SOCKET": cli.dir.appendingPathComponent("s").path])
        #expect(envBoth.status != 0 && envBoth.errLines.count == 1 && envBoth.err.contains("unset one"), "\(envBoth)")
        #expect(try cli.run(["topics", "--db", cli.db], env: ["AGORA_SOCKET": "/nonexistent"]).ok, "--db beats the environment")
        let nobody = try cli.run(["topics", "--socket", cli.dir.appendingPathComponent("nobody-listens").path])
        #expect(nobody.status != 0 && nobody.errLines.count == 1 && nobody.err.contains("daemon is not running"), "\(nobody)")
    }

    @Test func presenceIsThePeersOwnChoiceInTheirProfile() throws {
        let cli = try CLI()
        #expect(try cli.run(["init", "--name", "Served"]).ok)
        #expect(try cli.run(["peer", "add", "ana", "--name", "Ana"]).ok)
        let me = try cli.run(["profile", "edit", "--presence", "hidden"])
        #expect(me.ok, "\(me)")
        let bad = try cli.run(["profile", "edit", "--presence", "invisible"])
        #expect(bad.status != 0 && bad.errLines.count == 1 && bad.err.contains("shown or hidden"), "\(bad)")
        let other = try cli.run(["profile", "edit", "--login", "ana", "--presence", "hidden"])
        #expect(other.status != 0 && other.err.contains("only ana chooses"), "the leader cannot hide or show a peer: \(other)")
        // A leader's edit of another field keeps the peer's choice, and the peer's own edit sticks.
        #expect(try cli.run(["profile", "edit", "--presence", "hidden"], as: "ana").ok)
        #expect(try cli.run(["profile", "edit", "--login", "ana", "--bio", "hi"]).ok)
        let file = try SQLiteStore.open(path: cli.db)
        #expect(try file.peer("ana")?.hidesPresence == true)
        #expect(try file.peer("ana")?.bio == "hi")
    }

    @Test func aDaemonProcessServesCLISessionsAndLeavesOnSIGTERM() throws {
        let cli = try CLI()
        #expect(try cli.run(["init", "--name", "Served"]).ok)
        let socket = cli.dir.appendingPathComponent("agora.sock").path
        let log = cli.dir.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: CLI.binary)
        daemon.arguments = ["serve", "--db", cli.db, "--socket", socket]
        daemon.environment = cli.environment([:])
        let logHandle = try FileHandle(forWritingTo: log)
        daemon.standardError = logHandle
        daemon.standardOutput = logHandle
        try daemon.run()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        // Ready when its socket answers (a connect, not a sleep).
        var ready = false
        for _ in 0..<200 where !ready {
            ready = try cli.run(["topics", "--socket", socket]).ok
            if !ready { usleep(50_000) }
        }
        #expect(ready, "the daemon did not answer: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")

        let posted = try cli.run(["post", "--socket", socket, "--kind", "idea", "--title", "Through the daemon", "--body", "hi"])
        #expect(posted.ok, "\(posted)")
        let listed = try cli.run(["topics", "--socket", socket])
        #expect(listed.text.contains("Through the daemon"), "\(listed)")
        let status = try cli.run(["admin", "status", "--socket", socket])
        #expect(status.ok && status.out.contains("sessions: 1") && status.out.contains("database: "), "\(status)")

        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file is removed on the way out")
        let after = try cli.run(["topics", "--socket", socket])
        #expect(!after.ok && after.err.contains("daemon is not running"), "\(after)")
        // What it served is in the file.
        #expect(try cli.run(["topics", "--db", cli.db]).text.contains("Through the daemon"))
    }
}

/// The shared install's config file (PREFIX/etc/agora/config.toml next to an installed binary), read as TOML.
@Suite struct SharedConfigFileTests {
    /// The built binary, linked (or copied) into PREFIX/bin of a test's own prefix, so that it finds PREFIX/etc.
    static func installedBinary(in cli: CLI) throws -> (binary: String, config: String) {
        let bin = cli.dir.appendingPathComponent("prefix/bin"), etc = cli.dir.appendingPathComponent("prefix/etc/agora")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        let binary = bin.appendingPathComponent("agora").path
        if link(CLI.binary, binary) != 0 { try FileManager.default.copyItem(atPath: CLI.binary, toPath: binary) }
        return (binary, etc.appendingPathComponent("config.toml").path)
    }

    @Test func aSocketPathWithAQuoteAndACommentIsReadAsWritten() throws {
        let cli = try CLI()
        let (binary, config) = try Self.installedBinary(in: cli)
        let socket = cli.dir.appendingPathComponent("the \"agora\" socket").path
        let escaped = socket.replacingOccurrences(of: "\"", with: "\\\"")
        try "# by hand\nsocket = \"\(escaped)\"   # where the daemon listens\n".write(toFile: config, atomically: true, encoding: .utf8)
        // No --db and no $AGORA_DB: the config's socket is the program.
        let r = try cli.run(["topics"], env: ["AGORA_DB": ""], executable: binary)
        #expect(r.status != 0 && r.errLines.count == 1 && r.err.contains("daemon is not running"), "\(r)")
        #expect(r.err.contains("the \"agora\" socket"), "the path as the file says it, not cut at the quote: \(r)")
    }

    @Test func aBrokenConfigIsOneLineNamingTheFileAndTheLine() throws {
        let cli = try CLI()
        let (binary, config) = try Self.installedBinary(in: cli)
        for (text, problem) in [("database = \"/var/lib/agora/agora.db\"\nsocket = /run/agora.sock\n", ":2: not valid TOML"),
                                ("\nsockets = \"/run/agora.sock\"\n", ":2: unknown setting 'sockets' (known: database, socket)")] {
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            let r = try cli.run(["topics"], env: ["AGORA_DB": ""], executable: binary)
            #expect(r.status != 0 && r.errLines.count == 1, "\(r)")
            #expect(r.err.hasPrefix("agora: error: \(config)\(problem)"), "\(r)")
        }
    }
}
