import Foundation

/// One member must not pass for another: lists show display names, so two members' names (or a name and another's
/// login) may not look alike. Looking alike is decided on a skeleton: compatibility-normalised (fullwidth letters
/// become ASCII), case-folded, spaces collapsed, and the Cyrillic and Greek letters that are drawn like Latin ones
/// replaced by them (UTS #39's idea, with the few dozen letters that matter for names written in Latin).
public enum DisplayNames {
    public static func skeleton(_ s: String) -> String {
        var out = ""
        // Lookalikes are mapped before and after case folding (capital Cyrillic В folds to в, drawn unlike b), and
        // what draws as nothing (fillers, joiners, variation selectors) is left out, as a reader would not see it.
        var mapped = ""
        for u in s.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if let latin = lookalikes[u.value] { mapped.append(latin) } else { mapped.unicodeScalars.append(u) }
        }
        for u in mapped.lowercased().unicodeScalars {
            if Limits.drawsNothing(u) {
                continue
            } else if u.properties.isWhitespace {
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
        /// Logins by the skeleton of their display name (legacy programs may hold two alike).
        var byName: [String: Set<String>] = [:]
        /// Logins by skeleton: "Bob" and "bob" are two logins with one skeleton.
        var byLogin: [String: Set<String>] = [:]
        /// Logins by each form their names show (the whole skeleton without spaces, and each part in parentheses):
        /// who passes for a login that joins after them, in one lookup.
        var byForm: [String: Set<String>] = [:]
        /// Each member's display name.
        var nameOf: [String: String] = [:]

        public init(_ people: [(login: String, name: String)] = []) {
            for p in people { add(login: p.login, name: p.name) }
        }

        public mutating func add(login: String, name: String) {
            byLogin[skeleton(login), default: []].insert(login)
            show(login, name)
        }

        /// `login`'s display name is now `name` (in place: a rename costs no rebuild).
        public mutating func rename(login: String, to name: String) {
            if let old = nameOf[login] {
                let key = skeleton(old)
                byName[key]?.remove(login)
                for form in Self.forms(key) { byForm[form]?.remove(login) }
            }
            show(login, name)
        }

        private mutating func show(_ login: String, _ name: String) {
            let key = skeleton(name)
            byName[key, default: []].insert(login)
            for form in Self.forms(key) { byForm[form, default: []].insert(login) }
            nameOf[login] = name
        }

        /// A name's skeleton without spaces, and each part of it in parentheses the same way.
        static func forms(_ skeleton: String) -> [String] {
            var out = [skeleton.filter { $0 != " " }]
            var rest = Substring(skeleton)
            while let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
                out.append(String(rest[rest.index(after: open)..<close]).filter { $0 != " " })
                rest = rest[rest.index(after: close)...]
            }
            return out
        }

        /// The members whose display names pass for `login` (are it, or show it in parentheses): what a member could
        /// only have taken before that login joined. Sorted.
        public func passing(forLogin login: String) -> [String] {
            (byForm[skeleton(login).filter { $0 != " " }] ?? []).subtracting([login]).sorted()
        }

        /// Why `name` cannot be `login`'s (nil: it can be): another's name looks the same, or the name is, or shows in
        /// parentheses, another's login.
        public func conflict(_ name: String, of login: String) -> String? {
            let mine = skeleton(name)
            if let other = byName[mine]?.subtracting([login]).sorted().first {
                return "the name '\(Sanitizer.line(name))' is too like \(Sanitizer.line(other))'s"
            }
            for q in Self.forms(mine) { if let other = byLogin[q]?.subtracting([login]).sorted().first {
                return "the name '\(Sanitizer.line(name))' would pass for \(Sanitizer.line(other))"
            } }
            return nil
        }

        /// What a member joining as `login`, named `name` by the leader or the system, does to everyone's names.
        public struct Admission: Equatable, Sendable {
            /// The newcomer's name: as given, or with their login when someone already had it.
            public var name: String
            /// Members shown with their logins from now on (new names), sorted by login.
            public var renamed: [Renamed]
            public init(name: String, renamed: [Renamed]) {
                self.name = name
                self.renamed = renamed
            }
        }

        public struct Renamed: Equatable, Sendable {
            public var login: String
            public var name: String
            public var why: String
        }

        /// Admits `login` named `name`. A member whose name passes for the login could only have taken it before
        /// the login joined, and a member whose name is like the newcomer's shares it with them: either way both
        /// are shown with their logins, so nobody keeps a colleague out (or keeps their name) by wearing it first.
        /// Throws when the newcomer's name itself passes for another member (their choice, not a clash).
        public mutating func admit(login: String, name: String) throws -> Admission {
            var renamed: [Renamed] = []
            let sharing = byName[skeleton(name)]?.subtracting([login]) ?? []
            for other in Set(passing(forLogin: login)).union(sharing).sorted() {
                let old = nameOf[other] ?? other
                var new = Self.withLogin(old, other)
                rename(login: other, to: new)
                if conflict(new, of: other) != nil || Self.forms(skeleton(new)).contains(skeleton(login).filter { $0 != " " }) {
                    new = other
                    rename(login: other, to: new)
                }
                let why = sharing.contains(other) ? "shares the name '\(Sanitizer.line(name))' with \(login), who joined"
                                                  : "display name passed for \(login), who joined"
                renamed.append(Renamed(login: other, name: new, why: why))
            }
            var mine = sharing.isEmpty ? name : Self.withLogin(name, login)
            if conflict(mine, of: login) != nil { mine = Self.withLogin(name, login) }
            if let why = conflict(mine, of: login) { throw AgoraError.invalid(why, hint: "lists show display names: choose one nobody could take for someone else's") }
            add(login: login, name: mine)
            return Admission(name: mine, renamed: renamed)
        }

        /// "Name (login)", the name cut so that the whole fits a name's limit.
        static func withLogin(_ name: String, _ login: String) -> String {
            let room = max(1, Limits.name - login.count - 3)
            return "\(name.prefix(room).trimmingCharacters(in: .whitespaces))\(loginSuffix(login))"
        }

        /// Whether `name` already ends in `login` the way `withLogin` puts it there (a label adds it only once).
        public static func carriesLogin(_ name: String, _ login: String) -> Bool {
            name.hasSuffix(loginSuffix(login))
        }

        private static func loginSuffix(_ login: String) -> String { " (\(login))" }
    }

    /// Cyrillic and Greek letters drawn like Latin ones, capitals and small letters.
    static let lookalikes: [UInt32: Character] = [
        // Capitals (before case folding): Cyrillic А В Е К М Н О Р С Т Х Ѕ І Ј, Greek Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ.
        0x0410: "a", 0x0412: "b", 0x0415: "e", 0x041A: "k", 0x041C: "m", 0x041D: "h", 0x041E: "o", 0x0420: "p",
        0x0421: "c", 0x0422: "t", 0x0425: "x", 0x0405: "s", 0x0406: "i", 0x0408: "j",
        0x0391: "a", 0x0392: "b", 0x0395: "e", 0x0396: "z", 0x0397: "h", 0x0399: "i", 0x039A: "k", 0x039C: "m",
        0x039D: "n", 0x039F: "o", 0x03A1: "p", 0x03A4: "t", 0x03A5: "y", 0x03A7: "x",
        0x0430: "a", 0x0435: "e", 0x043E: "o", 0x0440: "p", 0x0441: "c", 0x0443: "y", 0x0445: "x", 0x0456: "i",
        0x0458: "j", 0x0455: "s", 0x0501: "d", 0x04CF: "l", 0x0461: "w", 0x051B: "q", 0x0457: "i", 0x04BB: "h",
        0x03BF: "o", 0x03B1: "a", 0x03B9: "i", 0x03BD: "v", 0x03C1: "p", 0x03BA: "k", 0x03C5: "u", 0x03C7: "x",
        // Small letters that look like small Latin ones only in some fonts are left out (Cyrillic т, н, м).
        0x0131: "i",
    ]
}
