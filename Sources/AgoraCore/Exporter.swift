import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum Exporter {
    /// JSON as every `--json` prints it: sorted snake_case keys, ISO dates, sanitised text.
    public static func jsonText<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        e.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(RelativeAge.iso(date))
        }
        return Sanitizer.jsonSafe(String(decoding: try e.encode(value), as: UTF8.self))
    }

    /// The export as a file holds it: Markdown, or JSON as every `--json` prints it.
    public static func text(_ e: ProgramExport, markdown: Bool, now: Date) throws -> String {
        markdown ? self.markdown(e, now: now) : try jsonText(e)
    }

    /// Writes `text` to `path` as the caller (a temporary file beside it, then renamed), failing with the system's own
    /// reason ("Permission denied"; Foundation's atomic write said "The file doesn't exist" for a directory we may not
    /// write to). The file keeps the mode it had; a new one is the caller's alone (an export holds the members' words).
    /// Fails with "cannot write PATH: reason".
    public static func write(_ text: String, toFile path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.agora-\(getpid())-\(UInt32.random(in: 0 ... .max)).tmp"
        var old = stat()
        let mode: mode_t = stat(path, &old) == 0 ? old.st_mode & 0o777 : 0o600
        do { try replaceFile(path, with: Array(text.utf8), temp: temp, mode: mode, flags: O_EXCL) } catch {
            throw AgoraError("cannot write \(path): \(error)")
        }
    }

    /// Markdown a leader can paste anywhere. User text is sanitised and its Markdown specials escaped,
    /// so a title cannot inject links or headings.
    /// One line of user text as Markdown: sanitised, every Markdown special escaped.
    public static func markdownInline(_ s: String) -> String {
        var out = ""
        for ch in Sanitizer.line(s) {
            if "\\`*_{}[]<>()#+-!|".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    public static func markdown(_ e: ProgramExport, now: Date) -> String {
        func md(_ s: String) -> String { markdownInline(s) }
        func mdBody(_ s: String) -> String {
            Sanitizer.text(s).split(separator: "\n", omittingEmptySubsequences: false).map { "> " + md(String($0)) }.joined(separator: "\n")
        }
        let names = Dictionary(e.peers.map { ($0.login, $0.name) }) { a, _ in a }
        var out = "# \(md(e.program.name))\n\n"
        if !e.program.purpose.isEmpty { out += md(e.program.purpose) + "\n\n" }
        out += "Exported \(RelativeAge.iso(now)). \(e.peers.count) peers, \(e.topics.count) topics, \(e.topics.reduce(0) { $0 + $1.posts.count }) posts.\n\n"
        if e.program.rulesVersion > 0 {
            out += "## Rules of engagement (version \(e.program.rulesVersion))\n\n\(mdBody(e.program.rulesText))\n\n"
        }
        out += "## Peers\n\n| Login | Name | Role | Unit | Region | Generation |\n|---|---|---|---|---|---|\n"
        for p in e.peers {
            out += "| \(md(p.login)) | \(md(p.name))\(p.isAlumni ? " (alumni)" : "") | \(p.role.rawValue) | \(md(p.unit)) | \(md(p.region)) | \(md(p.generation)) |\n"
        }
        out += "\n## Topics\n"
        for t in e.topics {
            out += "\n### #\(t.topic.id ?? 0) \(md(t.topic.title))\n\n"
            out += "*\(t.topic.kind.rawValue), \(t.topic.status.rawValue)*"
            if !t.tags.isEmpty { out += " · tags: \(t.tags.map(md).joined(separator: ", "))" }
            out += "\n"
            for p in t.posts {
                out += "\n**\(md(names[p.author] ?? p.author))** (\(md(p.author))), \(RelativeAge.iso(p.created))"
                if let parent = p.parentId { out += ", in reply to post \(parent)" }
                out += ":\n\n\(mdBody(p.body))\n"
            }
        }
        if !e.highlights.isEmpty {
            out += "\n## Highlights\n\n"
            for h in e.highlights { out += "- topic #\(h.topicId): \(md(h.why)) — \(md(names[h.by] ?? h.by))\n" }
        }
        if !e.testimonials.isEmpty {
            out += "\n## Testimonials\n\n"
            for t in e.testimonials { out += "\(mdBody(t.text))\n> — \(md(names[t.by] ?? t.by))\n\n" }
        }
        return out
    }
}
