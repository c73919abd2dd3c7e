/// The one place where text written by users is made safe to print.
///
/// Every string Agora shows came from another person: a post body can carry terminal escapes
/// (CVE-2024-28085), carriage returns that overwrite columns, or bidi controls that reorder what
/// the reader sees (CVE-2021-42574). Each such code point is replaced by a visible stand-in,
/// never dropped silently: C0 controls in caret notation (`^[`, `^M`), everything else by U+FFFD.
public enum Sanitizer {
    public static let replacement: Character = "\u{FFFD}"
    /// Shown for a newline inside one-line text (titles, names, tags).
    public static let newlineMark: Character = "\u{2424}"
    /// Combining marks kept on one base character ("Zalgo" text is capped, the rest shown as one U+FFFD).
    public static let maxCombiningMarks = 6
    static let tabWidth = 4

    /// Multi-line text (post bodies): newlines kept, tabs expanded to spaces.
    public static func text(_ s: String) -> String { clean(s, multiline: true) }

    /// One line (titles, names, tags, reasons shown in lists): a newline becomes U+2424.
    public static func line(_ s: String) -> String { clean(s, multiline: false) }

    /// True for a code point that must never reach a terminal as it is.
    public static func isForbidden(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0xFDD0...0xFDEF: return true                 // noncharacters
        default: break
        }
        if u.value & 0xFFFE == 0xFFFE { return true }     // U+xxFFFE, U+xxFFFF noncharacters
        switch u.properties.generalCategory {
        case .control, .format, .privateUse, .unassigned, .surrogate, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return false
        }
    }

    static func isCombining(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return true
        default: return false
        }
    }

    /// Counted against `maxCombiningMarks`: combining marks, variation selectors, skin-tone modifiers.
    static func countsAsMark(_ u: Unicode.Scalar) -> Bool {
        isCombining(u) || u.properties.isVariationSelector || (0x1F3FB...0x1F3FF).contains(u.value)
    }

    static func isPictographic(_ u: Unicode.Scalar?) -> Bool {
        guard let u else { return false }
        return u.properties.isEmoji && (u.value >= 0x2300)
    }

    private static func clean(_ s: String, multiline: Bool) -> String {
        // Printable ASCII throughout (most titles and names, cleaned again at every frame) comes out as it went in.
        // (AgoraScreen's `DisplayWidth.isPrintableASCII` is the same test; AgoraCore does not depend on AgoraScreen.)
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        let scalars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count)
        var marks = 0          // combining marks on the current base
        var marksCut = false   // already emitted the stand-in for this run
        var lastKept: Unicode.Scalar? = nil
        var i = 0
        while i < scalars.count {
            let u = scalars[i]
            defer { i += 1 }
            // Printable ASCII, most of any text, needs no Unicode property lookups.
            if u.value >= 0x20 && u.value < 0x7F {
                out.append(u)
                lastKept = u
                marks = 0
                marksCut = false
                continue
            }
            if countsAsMark(u) {
                marks += 1
                if marks > maxCombiningMarks {
                    if !marksCut { out.append("\u{FFFD}"); marksCut = true; lastKept = nil }   // a joiner after it joins nothing
                    continue
                }
                out.append(u)
                continue
            }
            // Zero-width joiner inside an emoji sequence (👨‍👩‍👧) is how the emoji is spelt; elsewhere it hides things.
            // (Not before a skin tone the cap on marks will drop: the joiner would end up joining nothing.)
            let next = i + 1 < scalars.count ? scalars[i + 1] : nil
            if u.value == 0x200D && isPictographic(lastKept) && isPictographic(next)
                && !(marks >= maxCombiningMarks && next.map(countsAsMark) == true) {
                out.append(u)
                continue
            }
            marks = 0
            marksCut = false
            switch u.value {
            case 0x0A:
                if multiline { out.append(u) } else { out.append(contentsOf: String(newlineMark).unicodeScalars) }
                lastKept = nil
                continue
            case 0x09:
                out.append(contentsOf: String(repeating: " ", count: multiline ? tabWidth : 1).unicodeScalars)
                lastKept = nil
                continue
            case 0x0D where i + 1 < scalars.count && scalars[i + 1].value == 0x0A && multiline:
                continue   // CRLF line ends from pasted text: the LF stands for both
            case 0x00...0x1F:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(u.value + 0x40)))
                lastKept = nil
                continue
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
                lastKept = nil
                continue
            default:
                break
            }
            if isForbidden(u) {
                out.append("\u{FFFD}")
                lastKept = nil
                continue
            }
            out.append(u)
            lastKept = u
        }
        return String(out)
    }

    /// Makes JSON text safe to print while keeping it faithful: Foundation's encoder escapes C0 only,
    /// so every other forbidden code point (DEL, C1, bidi, zero-width...) is written as `\uXXXX`.
    /// Valid because these code points can only occur inside JSON string literals.
    public static func jsonSafe(_ json: String) -> String {
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for u in json.unicodeScalars {
            if u.value >= 0x20 && isForbidden(u) {
                if u.value > 0xFFFF {
                    let v = u.value - 0x10000
                    out += String(format16(0xD800 + (v >> 10))) + String(format16(0xDC00 + (v & 0x3FF)))
                } else {
                    out += format16(u.value)
                }
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    private static func format16(_ v: UInt32) -> String {
        let hex = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
