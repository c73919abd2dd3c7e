import AgoraCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Unsent text kept on the client's own disk while it talks to the daemon, so no draft depends on the daemon
/// being up: `${XDG_STATE_HOME:-~/.local/state}/agora/drafts/LOGIN/SCOPE.json`, directories 0700, files 0600,
/// written whole (temporary file, then rename). A draft is kept here only while the daemon cannot take it: it
/// goes once the daemon confirms a later save of it, the post that sends it, or its deletion; the newer of this
/// copy and the daemon's wins when one is read.
public struct LocalDrafts {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The default place, from the environment of the person running the client.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> LocalDrafts {
        LocalDrafts(directory: stateDirectory(environment) + "/agora/drafts")
    }

    /// A file name for a scope or login: letters, digits, `-` and `_` kept, everything else (dots too) as %XX.
    static func fileName(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                out.append(Character(UnicodeScalar(b)))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// One directory per login (root acting for several people keeps theirs apart).
    private func folder(_ login: String) -> String { directory + "/" + Self.fileName(login) }
    private func path(_ login: String, _ scope: String) -> String { folder(login) + "/" + Self.fileName(scope) + ".json" }

    /// Keeps `d`; throws a one-line error if the disk refuses.
    public func save(_ d: Draft) throws {
        try makeDirectory(folder(d.login))
        let data = try JSONEncoder().encode(d)
        let target = path(d.login, d.scope)
        do {
            try replaceFile(target, with: Array(data), temp: target + ".tmp", mode: 0o600, flags: O_TRUNC | O_NOFOLLOW)
        } catch {
            throw AgoraError("cannot keep the draft in \(directory): \(error)")
        }
    }

    public func load(login: String, scope: String) -> Draft? {
        guard let data = FileManager.default.contents(atPath: path(login, scope)) else { return nil }
        return try? JSONDecoder().decode(Draft.self, from: data)
    }

    public func all(login: String) -> [Draft] {
        let dir = folder(login)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".json") }.compactMap { name in
            FileManager.default.contents(atPath: dir + "/" + name).flatMap { try? JSONDecoder().decode(Draft.self, from: $0) }
        }
    }

    public func remove(login: String, scope: String) {
        unlink(path(login, scope))
    }

    private func makeDirectory(_ directory: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw AgoraError("cannot keep drafts in \(directory): \(error.localizedDescription)")
        }
    }
}
