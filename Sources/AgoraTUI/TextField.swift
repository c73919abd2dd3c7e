import AgoraScreen

/// Editable text with a cursor, for prompts (one line) and the composer body (many lines).
/// The cursor is an offset in Characters, so a CJK or emoji grapheme moves as one.
public struct TextField: Equatable, Sendable {
    public private(set) var chars: [Character]
    public var cursor: Int
    public var multiline: Bool

    public init(_ text: String = "", multiline: Bool = false) {
        chars = Array(text)
        cursor = chars.count
        self.multiline = multiline
    }

    public var text: String { String(chars) }
    public var isEmpty: Bool { chars.isEmpty }

    public mutating func setText(_ s: String) {
        chars = Array(s)
        cursor = chars.count
    }

    /// The word just before the cursor (letters up to the last space or line start).
    public var wordBeforeCursor: String {
        var i = cursor
        while i > 0, !chars[i - 1].isWhitespace { i -= 1 }
        return String(chars[i..<cursor])
    }

    /// Puts `s` in place of the `count` characters before the cursor.
    public mutating func replaceBeforeCursor(_ count: Int, with s: String) {
        let from = max(0, cursor - count)
        chars.replaceSubrange(from..<cursor, with: Array(s))
        cursor = from + s.count
    }

    public mutating func insert(_ c: Character) {
        if c == "\n" && !multiline { return }
        chars.insert(c, at: cursor)
        cursor += 1
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        chars.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < chars.count else { return }
        chars.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(chars.count, cursor + 1) }

    /// Start of the line the cursor is on.
    var lineStart: Int {
        var i = cursor
        while i > 0 && chars[i - 1] != "\n" { i -= 1 }
        return i
    }

    var lineEnd: Int {
        var i = cursor
        while i < chars.count && chars[i] != "\n" { i += 1 }
        return i
    }

    public mutating func home() { cursor = lineStart }
    public mutating func end() { cursor = lineEnd }

    public mutating func up() {
        let start = lineStart
        guard start > 0 else { cursor = 0; return }
        let column = cursor - start
        var prevStart = start - 1
        while prevStart > 0 && chars[prevStart - 1] != "\n" { prevStart -= 1 }
        cursor = min(prevStart + column, start - 1)
    }

    public mutating func down() {
        let column = cursor - lineStart
        let end = lineEnd
        guard end < chars.count else { cursor = end; return }
        let nextStart = end + 1
        var nextEnd = nextStart
        while nextEnd < chars.count && chars[nextEnd] != "\n" { nextEnd += 1 }
        cursor = min(nextStart + column, nextEnd)
    }

    /// Deletes back to the start of the word before the cursor (Ctrl-W).
    public mutating func deleteWord() {
        while cursor > 0 && chars[cursor - 1] == " " { backspace() }
        while cursor > 0 && chars[cursor - 1] != " " && chars[cursor - 1] != "\n" { backspace() }
    }

    /// Applies an editing key; false if the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): insert(c)
        case .enter where multiline: insert("\n")
        case .backspace, .ctrl("h"): backspace()
        case .delete, .ctrl("d"): deleteForward()
        case .left, .ctrl("b"): left()
        case .right, .ctrl("f"): right()
        case .home, .ctrl("a"): home()
        case .end: end()
        case .up where multiline: up()
        case .down where multiline: down()
        case .ctrl("u"):
            // Read lineStart before mutating: inside removeSubrange the array is exclusively borrowed.
            let start = lineStart
            chars.removeSubrange(start..<cursor)
            cursor = start
        case .ctrl("w"): deleteWord()
        default: return false
        }
        return true
    }
}
