import Foundation

/// One member must not pass for another: lists show display names, so two members' names (or a name and another's
/// login) may not look alike. Looking alike is decided on a skeleton: compatibility-normalised (fullwidth letters
/// become ASCII), case-folded, spaces collapsed, and the Cyrillic and Greek letters that are drawn like Latin ones
/// replaced by them (UTS #39's idea, with the few dozen letters that matter for names written in Latin).
public enum DisplayNames {
    public static func skeleton(_ s: String) -> String {
        var out = ""
        for u in s.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if u.properties.isWhitespace {
                if !out.isEmpty && out.last != " " { out.append(" ") }
            } else if let latin = lookalikes[u.value] {
                out.append(latin)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out.hasSuffix(" ") ? String(out.dropLast()) : out
    }

    /// Everyone's names and logins by skeleton, to check a name against all of them at once.
    public struct Index: Sendable {
        var byName: [String: String] = [:]
        var byLogin: [String: String] = [:]

        public init(_ people: [(login: String, name: String)] = []) {
            for p in people { add(login: p.login, name: p.name) }
        }

        public mutating func add(login: String, name: String) {
            let key = skeleton(name)
            if byName[key] == nil { byName[key] = login }
            byLogin[skeleton(login)] = login
        }

        /// Why `name` cannot be `login`'s (nil: it can be): another's name looks the same, or the name is, or shows in
        /// parentheses, another's login.
        public func conflict(_ name: String, of login: String) -> String? {
            let mine = skeleton(name)
            if let other = byName[mine], other != login {
                return "the name '\(Sanitizer.line(name))' is too like \(Sanitizer.line(other))'s"
            }
            var quoted = [mine.filter { $0 != " " }]
            var rest = Substring(mine)
            while let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
                quoted.append(String(rest[rest.index(after: open)..<close]).filter { $0 != " " })
                rest = rest[rest.index(after: close)...]
            }
            for q in quoted { if let other = byLogin[q], other != login {
                return "the name '\(Sanitizer.line(name))' would pass for \(Sanitizer.line(other))"
            } }
            return nil
        }
    }

    /// Cyrillic and Greek lower-case letters drawn like Latin ones (after case folding).
    static let lookalikes: [UInt32: Character] = [
        0x0430: "a", 0x0435: "e", 0x043E: "o", 0x0440: "p", 0x0441: "c", 0x0443: "y", 0x0445: "x", 0x0456: "i",
        0x0458: "j", 0x0455: "s", 0x0501: "d", 0x04CF: "l", 0x0461: "w", 0x051B: "q", 0x0457: "i", 0x04BB: "h",
        0x03BF: "o", 0x03B1: "a", 0x03B9: "i", 0x03BD: "v", 0x03C1: "p", 0x03BA: "k", 0x03C5: "u", 0x03C7: "x",
        0x0131: "i",
    ]
}
