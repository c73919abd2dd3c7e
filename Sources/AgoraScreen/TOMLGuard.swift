/// What toml++ (the parser inside TOMLKit 0.6.0) cannot be given: three shapes of invalid TOML on which it fails an
/// `assert` and aborts the program instead of throwing a parse error (SwiftPM defines no NDEBUG, so release builds
/// abort too): a table header whose key starts with anything but a key character (`[&`, `[` then a line break,
/// `[[[`: upstream marzer/tomlplusplus#294, fixed after the copy TOMLKit ships), a `}` where an array expects a
/// value (`a = [}`, `a = [[}`), and a date, a space and one digit (`a = 1979-05-27 0`). Found by Fuzz/FuzzConfig
/// and Fuzz/FuzzTheme; a config or theme file shaped so is refused here, with its line, before it reaches the parser.
///
/// A scan of the text's structure only: strings and comments are skipped whole (a `}` or `[` inside them is text), so
/// valid TOML is never refused.
enum TOMLGuard {
    /// The line (from 1) of the first such shape, and what it is.
    static func problem(in text: String) -> (line: Int, problem: String)? {
        let b = Array(text.utf8)
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0   // toml++ skips a byte order mark
        var line = 1
        var open: [UInt8] = []        // the arrays ("[") and inline tables ("{") the scan is inside
        var lineStart = true          // nothing but blanks since the last line break, outside any value
        var valueDue = false          // in an array, just after its "[" or a ","
        func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        while i < b.count {
            let c = b[i]
            switch c {
            case 0x0A:
                line += 1
                lineStart = open.isEmpty
                i += 1
                continue
            case 0x20, 0x09, 0x0D:
                i += 1
                continue
            case UInt8(ascii: "#"):
                while i < b.count, b[i] != 0x0A { i += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                skipString(b, &i, &line)
                lineStart = false
                valueDue = false
                continue
            case UInt8(ascii: "[") where lineStart:
                // A table header: after "[" (or "[["), the key's first character.
                var j = i + 1
                while j < b.count, blank(b[j]) { j += 1 }
                if j < b.count, b[j] == UInt8(ascii: "[") { j += 1; while j < b.count, blank(b[j]) { j += 1 } }
                guard j < b.count, isKeyStart(b[j]) else { return (line, "a table header must start with a key, like [name]") }
                while i < b.count, b[i] != 0x0A { i += 1 }   // the rest of the header's line
                continue
            default:
                break
            }
            lineStart = false
            if c == UInt8(ascii: "}"), valueDue, open.last == UInt8(ascii: "[") {
                return (line, "'}' where the array needs a value or ']'")
            }
            if isDigit(c), i == 0 || startsToken(b[i - 1]), isBrokenDateTime(b, at: i) {
                return (line, "a date and a space must be followed by a time like 07:32:00")
            }
            switch c {
            case UInt8(ascii: "["):
                open.append(c)
                valueDue = true
            case UInt8(ascii: "{"):
                open.append(c)
                valueDue = false
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if !open.isEmpty { open.removeLast() }
                valueDue = false
            case UInt8(ascii: ","):
                valueDue = open.last == UInt8(ascii: "[")
            default:
                valueDue = false
            }
            i += 1
        }
        return nil
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// What a value (or a key) can follow: toml++ reads a number or a date from there.
    private static func startsToken(_ c: UInt8) -> Bool {
        switch c {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "="), UInt8(ascii: "["), UInt8(ascii: ","), UInt8(ascii: "{"): return true
        default: return false
        }
    }

    /// Ten characters shaped like a date (`-` fifth and eighth, `_` not counted, as toml++ counts them), a space, a
    /// digit and then no second digit: toml++ takes it for a date-time with a space and fails an assertion reading the
    /// time (`when = 1979-05-27 0`). A real date-time has two digits there (`1979-05-27 07:32:00`).
    private static func isBrokenDateTime(_ b: [UInt8], at start: Int) -> Bool {
        var j = start
        var chars: [UInt8] = []   // the first byte of each character
        while j < b.count {
            let c = b[j]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C
                || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: ",") || c == UInt8(ascii: "#") { break }
            if c != UInt8(ascii: "_"), c & 0xC0 != 0x80 { chars.append(c) }
            if chars.count > 10 { return false }
            j += 1
        }
        guard chars.count == 10, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-") else { return false }
        guard j + 1 < b.count, b[j] == 0x20, isDigit(b[j + 1]) else { return false }
        return !(j + 2 < b.count && isDigit(b[j + 2]))
    }

    /// A bare key's characters, a quote, or the "]" of an (invalid, but handled) empty header.
    private static func isKeyStart(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }

    /// Moves past the string starting at `i` ("…", '…', """…""" or '''…'''), counting its line breaks. A one-line
    /// string ends at its line's end at the latest (unclosed, the parser says so).
    private static func skipString(_ b: [UInt8], _ i: inout Int, _ line: inout Int) {
        let q = b[i]
        let basic = q == UInt8(ascii: "\"")
        if i + 2 < b.count, b[i + 1] == q, b[i + 2] == q {
            i += 3
            while i < b.count {
                if b[i] == 0x0A { line += 1 }
                if basic, b[i] == UInt8(ascii: "\\") {   // an escape, or a backslash ending the line
                    if i + 1 < b.count, b[i + 1] == 0x0A { line += 1 }
                    i += 2
                    continue
                }
                if b[i] == q, i + 2 < b.count, b[i + 1] == q, b[i + 2] == q {
                    i += 3
                    while i < b.count, b[i] == q { i += 1 }   // up to two quotes before the closing ones are content
                    return
                }
                i += 1
            }
            return
        }
        i += 1
        while i < b.count, b[i] != 0x0A {
            if basic, b[i] == UInt8(ascii: "\\"), i + 1 < b.count, b[i + 1] != 0x0A { i += 2; continue }
            if b[i] == q { i += 1; return }
            i += 1
        }
    }
}
