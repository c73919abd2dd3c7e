/// Display width of text in terminal columns, by one fixed rule that does not depend on the locale
/// or on the C library's `wcwidth` (which differs between systems and knows nothing of grapheme
/// clusters). The rule, per grapheme cluster (Swift `Character`):
///
/// - a cluster containing a control character (C0, DEL, C1) counts 1: `Buffer.write` draws it as U+FFFD;
/// - a cluster containing U+FE0F (emoji presentation selector, e.g. "❤️", "1️⃣") counts 2;
/// - a pair of regional indicators (a flag) counts 2;
/// - otherwise the first scalar decides: East Asian Wide/Fullwidth (which since Unicode 9 includes
///   emoji-presentation pictographs, so "👍", "👍🏽", "👨‍👩‍👧" are 2) counts 2; a non-spacing or
///   enclosing mark or an invisible format character counts 0; everything else 1.
///
/// Terminals disagree about some of these; the curses layer draws emoji defensively so that a row
/// never overflows whatever the terminal decides (see CursesTerminal).
public enum DisplayWidth {
    public static func of(_ s: String) -> Int {
        if isPrintableASCII(s) { return s.utf8.count }
        var total = 0
        for g in s { total += of(g) }
        return total
    }

    public static func of(_ g: Character) -> Int {
        let scalars = g.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // Fast path: printable ASCII.
        if first.value >= 0x20 && first.value < 0x7F && scalars.count == 1 { return 1 }
        var hasVS16 = false
        var regionalIndicators = 0
        for s in scalars {
            if isControl(s) { return 1 }
            if s.value == 0xFE0F { hasVS16 = true }
            if (0x1F1E6...0x1F1FF).contains(s.value) { regionalIndicators += 1 }
        }
        if hasVS16 || regionalIndicators >= 2 { return 2 }
        return width(of: first)
    }

    /// True when every byte of `s` is printable ASCII (U+0020…U+007E): then each byte is a grapheme of one column,
    /// and the grapheme-by-grapheme work (Unicode segmentation, property lookups) can be skipped.
    @inlinable
    public static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Width of one scalar on its own (no cluster context).
    public static func width(of s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0xA0 { return 1 }   // ASCII, and controls (drawn as U+FFFD)
        if isZeroWidth(s) { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// C0 (< U+0020), DEL and C1 (U+0080–U+009F). These never reach the terminal as themselves.
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value)
    }

    /// True when any scalar of `g` is a control character.
    public static func isControl(_ g: Character) -> Bool {
        g.unicodeScalars.contains(where: isControl)
    }

    static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 0x00AD { return false }                 // soft hyphen: terminals show it
        if (0x1160...0x11FF).contains(v) { return true } // Hangul medial vowels / final consonants
        if (0xD7B0...0xD7FF).contains(v) { return true }
        // General categories come from the Swift runtime's own Unicode tables, not from the locale.
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Cuts `s` so its width is at most `width`, ending in "…" when something was cut.
    public static func truncate(_ s: String, to width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if isPrintableASCII(s) {
            // One byte, one grapheme, one column: cut by bytes (most titles and names, every frame).
            let n = s.utf8.count
            if n <= width { return s }
            let kept = String(decoding: s.utf8.prefix(ellipsis ? width - 1 : width), as: UTF8.self)
            return ellipsis ? kept + "…" : kept
        }
        if of(s) <= width { return s }
        let budget = ellipsis ? width - 1 : width
        var out = ""
        var used = 0
        for g in s {
            let w = of(g)
            if used + w > budget { break }
            out.append(g)
            used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// Truncates or right-pads with spaces so the result is exactly `width` columns.
    public static func pad(_ s: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        let cut = truncate(s, to: width)
        var w = of(cut)
        // A cluster that ends in a prepended mark (U+0604, U+0D4E...) takes the first space into itself, where it
        // counts for nothing: one space more (found by Fuzz/FuzzSanitizer).
        if w < width, let last = cut.last, (String(last) + " ").count == 1 { w -= 1 }
        return w < width ? cut + String(repeating: " ", count: width - w) : cut
    }

    /// Word-wraps `s` to lines of at most `width` columns. Explicit line breaks are kept (an empty
    /// line stays an empty line); words longer than a line are broken hard; spaces at a soft break
    /// are dropped. A grapheme wider than `width` itself (a wide char with width 1) becomes "…".
    /// Returns no lines for `width <= 0`.
    public static func wrap(_ s: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            wrapParagraph(Substring(paragraph), width: width, into: &lines)
        }
        return lines
    }

    private static func wrapParagraph(_ p: Substring, width: Int, into lines: inout [String]) {
        var line = ""
        var lineWidth = 0
        var pendingSpaces = ""   // spaces seen after the last word, emitted only if another word follows on this line
        var pendingWidth = 0
        var emittedAny = false

        func flush() {
            lines.append(line)
            line = ""; lineWidth = 0
            pendingSpaces = ""; pendingWidth = 0
            emittedAny = true
        }

        // Printable ASCII (most text) is one column per byte: skip grapheme breaking and width lookups.
        let ascii = p.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        var words: [(isSpace: Bool, text: [Character], width: Int)] = []
        func add(_ g: Character, _ w: Int) {
            let space = g == " "
            if let last = words.last, last.isSpace == space {
                words[words.count - 1].text.append(g)
                words[words.count - 1].width += w
            } else {
                words.append((space, [g], w))
            }
        }
        if ascii {
            for b in p.utf8 { add(Character(Unicode.Scalar(b)), 1) }
        } else {
            for g in p { add(g, of(g)) }
        }

        for token in words {
            if token.isSpace {
                pendingSpaces += String(token.text)
                pendingWidth += token.text.count
                continue
            }
            let wordWidth = token.width
            if lineWidth + pendingWidth + wordWidth <= width {
                line += pendingSpaces + String(token.text)
                lineWidth += pendingWidth + wordWidth
                pendingSpaces = ""; pendingWidth = 0
                continue
            }
            if wordWidth <= width {
                if !line.isEmpty { flush() }
                pendingSpaces = ""; pendingWidth = 0
                line = String(token.text); lineWidth = wordWidth
                continue
            }
            // A word longer than a whole line: fill the current line with spaces + start of word, break hard.
            if lineWidth + pendingWidth < width && !line.isEmpty {
                line += pendingSpaces; lineWidth += pendingWidth
            } else if !line.isEmpty {
                flush()
            }
            pendingSpaces = ""; pendingWidth = 0
            for g in token.text {
                var g = g
                var w = ascii ? 1 : of(g)
                if w > width { g = "…"; w = 1 }
                if lineWidth + w > width { flush() }
                line.append(g); lineWidth += w
            }
        }
        // Trailing spaces of a paragraph are kept only if they fit (they are visible indentation on a blank line).
        if line.isEmpty && pendingWidth > 0 {
            line = String(pendingSpaces.prefix(width)); lineWidth = line.count
        }
        if !line.isEmpty || !emittedAny { lines.append(line) }
    }
}

extension DisplayWidth {
    /// East Asian Wide (W) and Fullwidth (F) code points, from Unicode 14 EastAsianWidth.txt with unassigned
    /// gaps merged into their neighbours and the CJK ideograph planes included whole. Sorted, disjoint.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
        0x3041...0x3247, 0x3250...0x4DBF, 0x4E00...0xA4C6, 0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6B, 0xFF01...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x1B2FB, 0x1F004...0x1F004,
        0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F320, 0x1F32D...0x1F335,
        0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
        0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D,
        0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4,
        0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6DF,
        0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
        0x1F947...0x1F9FF, 0x1FA70...0x1FAF6, 0x20000...0x3FFFD,
    ]
}
