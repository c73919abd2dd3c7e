import AgoraCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of the real binary, kept as bytes: the hostile-text tests judge what leaves the program byte by byte.
struct HostileRun {
    var status: Int32
    var out: Data
    var err: Data
    var ok: Bool { status == 0 }
    var text: String { String(decoding: out, as: UTF8.self) }
    var errText: String { String(decoding: err, as: UTF8.self) }
}

/// Runs `agora` as a subprocess on a private database in a temporary directory (the test owns it,
/// so `--as` works). Used by the hostile-text and durability tests; independent of other helpers.
final class HostileAgora: @unchecked Sendable {
    let dir: URL
    let db: String

    /// `database`: the program's file somewhere else (a test's small disk); by default in the test's directory.
    init(label: String = "hostile", database: String? = nil) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agora-\(label)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        db = database ?? dir.appendingPathComponent("agora.db").path
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// $AGORA_BIN, else the `agora` built next to the test bundle.
    static let binary: String = {
        if let env = ProcessInfo.processInfo.environment["AGORA_BIN"], !env.isEmpty { return env }
        for start in [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL] {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<6 {
                let c = dir.appendingPathComponent("agora").path
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: c, isDirectory: &isDir), !isDir.boolValue,
                   FileManager.default.isExecutableFile(atPath: c) { return c }
                dir = dir.deletingLastPathComponent()
            }
        }
        return "agora-binary-not-found (set AGORA_BIN)"
    }()

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for k in env.keys where k.hasPrefix("AGORA_") || k.hasPrefix("XDG_") { env[k] = nil }
        env["AGORA_DB"] = db
        env["AGORA_NOW"] = "2026-11-26T10:00:00Z"
        env["HOME"] = dir.path
        env["LANG"] = "C.UTF-8"
        return env
    }

    /// A configured process whose output goes to files (never a pipe a chatty child could fill).
    func process(_ args: [String], as login: String?, stdin: Data?, out: URL, err: URL) throws -> Process {
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args + (login.map { ["--as", $0] } ?? [])
        p.environment = environment
        p.currentDirectoryURL = dir
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let inURL = out.deletingPathExtension().appendingPathExtension("in")
            try stdin.write(to: inURL)
            p.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        return p
    }

    @discardableResult
    func run(_ args: [String], as login: String? = "lea", stdin: Data? = nil) throws -> HostileRun {
        let id = UUID().uuidString.prefix(8)
        let out = dir.appendingPathComponent("o-\(id).out"), err = dir.appendingPathComponent("o-\(id).err")
        defer {
            for u in [out, err, out.deletingPathExtension().appendingPathExtension("in")] { try? FileManager.default.removeItem(at: u) }
        }
        let p = try process(args, as: login, stdin: stdin, out: out, err: err)
        try p.run()
        p.waitUntilExit()
        return HostileRun(status: p.terminationStatus, out: (try? Data(contentsOf: out)) ?? Data(),
                          err: (try? Data(contentsOf: err)) ?? Data())
    }

    @discardableResult
    func must(_ args: [String], as login: String? = "lea", stdin: Data? = nil) throws -> HostileRun {
        let r = try run(args, as: login, stdin: stdin)
        guard r.ok else { throw HostileFailure("agora \(args.joined(separator: " ")) failed: \(r.status) \(r.errText)") }
        return r
    }

    /// A program led by lea.
    static func withProgram(label: String = "hostile") throws -> HostileAgora {
        let a = try HostileAgora(label: label)
        try a.must(["init", "--name", "Circle", "--leader-name", "Lea Leader"])
        return a
    }
}

struct HostileFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// What may leave the program on a terminal: newline, printable ASCII, and non-control UTF-8 that the sanitiser allows.
enum TerminalSafety {
    /// Each problem found in `bytes`, described; empty when the output is safe.
    static func problems(_ bytes: Data, allowJSONEscapes: Bool = false) -> [String] {
        var found: [String] = []
        for (i, b) in bytes.enumerated() where (b < 0x20 && b != 0x0A) || b == 0x7F {
            found.append("byte 0x\(String(b, radix: 16)) at \(i)")
            if found.count > 5 { return found }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { return found + ["not valid UTF-8"] }
        for u in s.unicodeScalars where u.value != 0x0A && Sanitizer.isForbidden(u) {
            found.append("U+\(String(u.value, radix: 16, uppercase: true))")
            if found.count > 5 { break }
        }
        return found
    }
}
