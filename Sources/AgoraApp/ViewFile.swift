import AgoraCore
import AgoraScreen
import AgoraTUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The topic list's sort and filters between sessions: `${XDG_STATE_HOME:-~/.local/state}/agora/view.toml`, written
/// whole (temporary file, then rename) whenever they change. State, not configuration: the person's hand-written
/// config.toml is never rewritten (lazygit keeps state.yml apart from config.yml for the same reason).
public struct ViewFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ViewFile {
        ViewFile(path: stateDirectory(environment) + "/agora/view.toml")
    }

    static let keys = ["sort", "kind", "tag"]

    /// What was kept, or the defaults; a file that cannot be used is named in `problem` (the list then starts as
    /// for a first session, and the next change writes the file anew).
    public func load() -> (ViewSettings, problem: String?) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (ViewSettings(), nil) }
        do {
            let settings = try ConfigFile.parse(text, file: path, known: Self.keys)
            var view = ViewSettings()
            if let sort = settings["sort"] {
                guard let s = TopicSort(rawValue: sort) else { throw ConfigError(file: path, line: nil, message: "sort is 'unreadFirst' or 'activity', not '\(sort)'") }
                view.sort = s
            }
            if let kind = settings["kind"] {
                guard let k = TopicKind(rawValue: kind) else { throw ConfigError(file: path, line: nil, message: "'\(kind)' is not a kind of topic") }
                view.filter.kind = k
            }
            if let tag = settings["tag"], !tag.isEmpty { view.filter.tag = tag }
            return (view, nil)
        } catch let e as ConfigError {
            // The reason first: the status line is one row, and the path can be long.
            return (ViewSettings(), "the list's saved view: \(e.message); it starts unfiltered (\(path)\(e.line.map { ":\($0)" } ?? ""))")
        } catch {
            return (ViewSettings(), "the list's saved view: \(error); it starts unfiltered (\(path))")
        }
    }

    public func save(_ view: ViewSettings) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            var settings = [("sort", view.sort.rawValue)]
            if let kind = view.filter.kind { settings.append(("kind", kind.rawValue)) }
            if let tag = view.filter.tag { settings.append(("tag", tag)) }
            let text = ConfigFile.render(settings, comment: ["The topic list's sort and filters, kept by agora between sessions."])
            try replaceFile(path, with: Array(text.utf8), temp: path + ".tmp", mode: 0o600, flags: O_TRUNC | O_NOFOLLOW)
        } catch {
            let reason = (error as? SystemError)?.description ?? error.localizedDescription
            throw AgoraError("cannot keep the list's sort and filters in \(path): \(reason)")
        }
    }
}
