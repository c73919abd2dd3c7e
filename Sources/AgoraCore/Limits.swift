import Foundation

/// Input limits and the checks that enforce them, with errors that say the limit.
public enum Limits {
    public static let title = 200
    public static let bodyBytes = 64 * 1024
    public static let name = 80
    public static let tag = 32
    public static let tagsPerTopic = 10
    public static let shortText = 2000   // goals, offers, bio, reasons

    /// Text with a NUL in it is refused, never cut: SQLite's C strings (and so every read) would end at the NUL, and
    /// `admin\0 (not really)` would be stored as `admin` while the command said it worked.
    public static func noNUL(_ raw: String, field: String) throws {
        guard let offset = raw.utf8.firstIndex(of: 0).map({ raw.utf8.distance(from: raw.utf8.startIndex, to: $0) }) else { return }
        throw AgoraError.invalid("the \(field) has a NUL byte at byte \(offset)", hint: "remove it: Agora keeps text, and a NUL would cut it there")
    }

    /// Whether `s` shows anything: a character that is not a space, a control or format character, a combining mark
    /// on its own, or one of the letters and symbols that draw as blank (Hangul fillers, the blank Braille pattern,
    /// Khmer's inherent vowels, musical-notation fillers).
    public static func isVisible(_ s: String) -> Bool {
        s.unicodeScalars.contains { u in
            if drawsNothing(u) || u.properties.isWhitespace { return false }
            switch u.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator, .nonspacingMark, .enclosingMark, .unassigned, .surrogate,
                 .privateUse:
                return false
            default:
                return true
            }
        }
    }

    /// A code point that draws nothing, even beside others: a blank letter (`blank`), a default-ignorable, format or
    /// control character, a variation selector. `isVisible` and `DisplayNames.skeleton` both go by it.
    public static func drawsNothing(_ u: Unicode.Scalar) -> Bool {
        blank.contains(u.value) || u.properties.isDefaultIgnorableCodePoint || u.properties.isVariationSelector
            || u.properties.generalCategory == .format || u.properties.generalCategory == .control
    }

    static let blank: Set<UInt32> = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x17B4, 0x17B5, 0x180E, 0x034F, 0x00AD,
                                     0x1D159, 0x1D173, 0x1D174, 0x1D175, 0x1D176, 0x1D177, 0x1D178, 0x1D179, 0x1D17A]

    static func requireVisible(_ t: String, field: String) throws {
        guard isVisible(t) else {
            throw AgoraError.invalid("the \(field) has no visible character", hint: "blank letters (such as U+3164) would show as nothing")
        }
    }

    public static func title(_ raw: String) throws -> String {
        try noNUL(raw, field: "title")
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { throw AgoraError.invalid("the title is empty", hint: "a topic needs a title") }
        try requireVisible(t, field: "title")
        if t.count > title { throw AgoraError.invalid("the title is \(t.count) characters; the limit is \(title)") }
        return t
    }

    public static func body(_ raw: String) throws -> String {
        try noNUL(raw, field: "text")
        if raw.utf8.count > bodyBytes {
            throw AgoraError.invalid("the text is \(raw.utf8.count) bytes; the limit is \(bodyBytes) (64 KiB)")
        }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw AgoraError.invalid("the text is empty", hint: "write something first") }
        return trimmed
    }

    public static func name(_ raw: String, field: String = "name") throws -> String {
        try noNUL(raw, field: field)
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { throw AgoraError.invalid("the \(field) is empty") }
        try requireVisible(t, field: field)
        if t.count > name { throw AgoraError.invalid("the \(field) is \(t.count) characters; the limit is \(name)") }
        return t
    }

    /// Unit, region, generation: optional, short.
    public static func label(_ raw: String, field: String) throws -> String {
        try noNUL(raw, field: field)
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.count > name { throw AgoraError.invalid("the \(field) is \(t.count) characters; the limit is \(name)") }
        return t
    }

    public static func shortText(_ raw: String, field: String) throws -> String {
        try noNUL(raw, field: field)
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.count > shortText { throw AgoraError.invalid("the \(field) is \(t.count) characters; the limit is \(shortText)") }
        return t
    }

    /// Tags are lower-cased words: letters, digits, '-', '_' , '.', '+', '#'.
    public static func tags(_ raw: [String]) throws -> [String] {
        var out: [String] = []
        for tag in raw { try noNUL(tag, field: "tag") }
        for item in raw.flatMap({ $0.split(whereSeparator: { $0 == "," || $0 == " " }) }) {
            let tag = item.lowercased()
            // Counted in code points: a letter carrying a thousand combining marks is one Character, not a short tag.
            let length = tag.unicodeScalars.count
            if length > Limits.tag { throw AgoraError.invalid("the tag '\(Sanitizer.line(String(tag.prefix(Limits.tag))))…' is \(length) characters; the limit is \(Limits.tag)") }
            guard tag.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_.+#".unicodeScalars.contains($0) }) else {
                throw AgoraError.invalid("the tag '\(Sanitizer.line(tag))' has characters a tag cannot have", hint: "use letters, digits, '-', '_', '.', '+', '#'")
            }
            try requireVisible(tag, field: "tag '\(Sanitizer.line(tag))'")
            if !out.contains(tag) { out.append(tag) }
        }
        if out.count > tagsPerTopic { throw AgoraError.invalid("\(out.count) tags; a topic can have at most \(tagsPerTopic)") }
        return out
    }

    /// A Unix login name.
    public static func login(_ raw: String) throws -> String {
        let ok = !raw.isEmpty && raw.count <= 32 && raw.unicodeScalars.enumerated().allSatisfy { i, c in
            (c >= "a" && c <= "z") || c == "_" || (i > 0 && ((c >= "0" && c <= "9") || c == "-" || c == "." || (c >= "A" && c <= "Z")))
                || (c >= "A" && c <= "Z")
        }
        guard ok else {
            throw AgoraError.invalid("'\(Sanitizer.line(raw))' is not a valid login", hint: "a Unix login: letters, digits, '_', '-', '.', up to 32")
        }
        return raw
    }
}

extension Peer {
    /// The profile with every field checked against `Limits` (login shape, name, labels, texts).
    public func validated() throws -> Peer {
        var p = self
        p.login = try Limits.login(p.login)
        p.name = try Limits.name(p.name)
        p.unit = try Limits.label(p.unit, field: "unit")
        p.region = try Limits.label(p.region, field: "region")
        p.generation = try Limits.label(p.generation, field: "generation")
        p.goals = try Limits.shortText(p.goals, field: "goals")
        p.offers = try Limits.shortText(p.offers, field: "offers")
        p.bio = try Limits.shortText(p.bio, field: "bio")
        return p
    }
}
