import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one run of the `agora` binary did.
struct CLIRun: CustomStringConvertible {
    var status: Int32
    var out: String
    var err: String

    var ok: Bool { status == 0 }
    /// Standard output without its final newline.
    var text: String { out.hasSuffix("\n") ? String(out.dropLast()) : out }
    var errLines: [Substring] { err.split(separator: "\n", omittingEmptySubsequences: false).dropLast(err.hasSuffix("\n") ? 1 : 0).map { $0 } }
    var description: String { "exit \(status)\n--- stdout\n\(out)--- stderr\n\(err)" }
}

/// Runs the real `agora` binary as a subprocess, on a database of its own in a temporary directory.
/// The test owns that file, so `--as LOGIN` lets it act as any peer.
final class CLI: @unchecked Sendable {
    let dir: URL
    let db: String
    /// Pins the clock (AGORA_NOW) so ages and exports do not depend on when the test runs.
    var now = "2026-11-26T10:00:00Z"

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agora-cli-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        db = dir.appendingPathComponent("agora.db").path
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// The built binary: $AGORA_BIN, else the `agora` next to the test bundle (walking up from it).
    static let binary: String = {
        if let env = ProcessInfo.processInfo.environment["AGORA_BIN"], !env.isEmpty { return env }
        let starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL]
        for start in starts {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<6 {
                let candidate = dir.appendingPathComponent("agora").path
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate) {
                    return candidate
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return "agora-binary-not-found (set AGORA_BIN)"
    }()

    /// The environment every run gets: our database and clock, a private HOME, nothing from the developer's own setup.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for k in env.keys where k.hasPrefix("AGORA_") || k.hasPrefix("XDG_") { env[k] = nil }
        env["AGORA_DB"] = db
        env["AGORA_NOW"] = now
        env["HOME"] = dir.path
        env["LANG"] = "C.UTF-8"
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `agora ARGS`, with `--as LOGIN` when given, and `stdin` as standard input (else /dev/null).
    @discardableResult
    func run(_ args: [String], as login: String? = nil, stdin: Data? = nil, env: [String: String] = [:],
             executable: String? = nil, prefix: [String] = []) throws -> CLIRun {
        let id = UUID().uuidString.prefix(8)
        let outURL = dir.appendingPathComponent("out-\(id)"), errURL = dir.appendingPathComponent("err-\(id)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable ?? Self.binary)
        p.arguments = prefix + args + (login.map { ["--as", $0] } ?? [])
        p.environment = environment(env)
        p.currentDirectoryURL = dir
        // Files, not pipes: a chatty child can never block on a full pipe while we wait for it.
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        p.standardOutput = out
        p.standardError = err
        if let stdin {
            let inURL = dir.appendingPathComponent("in-\(id)")
            try stdin.write(to: inURL)
            defer { try? FileManager.default.removeItem(at: inURL) }
            p.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        try p.run()
        p.waitUntilExit()
        return CLIRun(status: p.terminationStatus,
                      out: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                      err: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }

    @discardableResult
    func run(_ args: String..., as login: String? = nil, stdin: String? = nil) throws -> CLIRun {
        try run(args, as: login, stdin: stdin.map { Data($0.utf8) })
    }

    /// The whole program as the leader exports it: what "the database is unchanged" is measured by.
    func snapshot(as login: String = "lea") throws -> String {
        let r = try run(["export", "--format", "json"], as: login)
        return r.ok ? r.out : "export failed: \(r)"
    }

    /// A program: lea leads, cham is a champion, ana and bo are peers, olga has left.
    static func withProgram() throws -> CLI {
        let cli = try CLI()
        try cli.must(["init", "--name", "Circle", "--purpose", "Peers helping peers", "--leader-name", "Lea Leader"], as: "lea")
        try cli.must(["peer", "add", "cham", "--name", "Cham Pion", "--role", "champion", "--unit", "Ops"], as: "lea")
        try cli.must(["peer", "add", "ana", "--name", "Ana Lima", "--unit", "Platform", "--region", "EMEA", "--generation", "Gen Z",
                      "--goals", "public speaking", "--offers", "Swift"], as: "lea")
        try cli.must(["peer", "add", "bo", "--name", "Bo Berg", "--unit", "Sales", "--region", "APAC"], as: "lea")
        try cli.must(["peer", "add", "olga", "--name", "Olga Old"], as: "lea")
        try cli.must(["peer", "leave", "olga"], as: "lea")
        return cli
    }

    /// Runs a command that must succeed; throws with its output otherwise.
    @discardableResult
    func must(_ args: [String], as login: String? = nil, stdin: String? = nil) throws -> CLIRun {
        let r = try run(args, as: login, stdin: stdin.map { Data($0.utf8) })
        guard r.ok else { throw CLIFailure(command: args, run: r) }
        return r
    }

    /// JSON output parsed into plain Foundation values.
    func json(_ args: [String], as login: String? = nil) throws -> Any {
        let r = try must(args + ["--json"], as: login)
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    var command: [String]
    var run: CLIRun
    var description: String { "agora \(command.joined(separator: " ")) failed: \(run)" }
}
