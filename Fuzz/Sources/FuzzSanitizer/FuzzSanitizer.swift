import AgoraCore
import AgoraScreen
import FuzzSupport

// The sanitiser and the width code, on any text (docs/SECURITY.md, "Hostile text" and "Fuzzing").
//
// Input: one byte of choices (the width, whether the width code sees raw or sanitised text, the ellipsis), then the
// text (bytes that are not UTF-8 are repaired with U+FFFD, as `String(decoding:)` would: any `String` may reach these).
//
// Invariants:
// - `Sanitizer.line`/`.text`: no C0 control (but the newline `text` keeps), no DEL, no C1, no bidi override, embedding,
//   isolate or mark, no zero-width or other format character except a ZWJ between two pictographs, nothing private-use,
//   unassigned or a noncharacter, no more than `maxCombiningMarks` marks in a row; and sanitising twice changes nothing.
// - `DisplayWidth.truncate`: fits the width; what it keeps is whole clusters from the start of the input (then "…"
//   when something was cut); the input itself when it fits.
// - `DisplayWidth.pad`: exactly the width, the truncation followed by spaces only.
// - `DisplayWidth.wrap`: every line fits the width and holds no line break.

/// `main` (SwiftPM links it as `FuzzSanitizer_main` on Linux): libFuzzer's driver over `fuzzSanitizer`.
@_cdecl("FuzzSanitizer_main")
public func fuzzSanitizerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.run(argc, argv, fuzzSanitizer)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSanitizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeBufferPointer(start: data, count: size))
    let choice = input.byte()
    let text = String(decoding: input.rest, as: UTF8.self)

    let line = Sanitizer.line(text)
    checkSanitised(line, multiline: false, from: text)
    let body = Sanitizer.text(text)
    checkSanitised(body, multiline: true, from: text)

    // Widths 0...31 (and a negative one now and then); the width code sees either what users wrote or what the
    // sanitiser made of it (lists draw sanitised text, but `DisplayWidth` is public and takes any string).
    let width = choice & 0x20 != 0 && choice & 0x1F == 0x1F ? -1 : Int(choice & 0x1F)
    let subject = choice & 0x40 != 0 ? text : line
    let ellipsis = choice & 0x80 == 0
    checkWidth(subject, width: width, ellipsis: ellipsis)
    if choice & 0x40 == 0 { checkWrap(body, width: width) }
    return 0
}

private func isPictographic(_ u: Unicode.Scalar) -> Bool { u.properties.isEmoji && u.value >= 0x2300 }

/// Marks, variation selectors and skin-tone modifiers: what the sanitiser counts against `maxCombiningMarks`.
private func isMark(_ u: Unicode.Scalar) -> Bool {
    switch u.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .spacingMark: return true
    default: return u.properties.isVariationSelector || (0x1F3FB...0x1F3FF).contains(u.value)
    }
}

/// Named here, not taken from the sanitiser's own test (`isForbidden`), so a wrong category there is caught.
private let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                         0x2066, 0x2067, 0x2068, 0x2069]
private let zeroWidth: Set<UInt32> = [0x180E, 0x200B, 0x200C, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]

private func checkSanitised(_ out: String, multiline: Bool, from text: String) {
    let s = Array(out.unicodeScalars)
    var marks = 0
    for (i, u) in s.enumerated() {
        let v = u.value
        // (A closure: the message is made only when a check fails.)
        let what = { "\(multiline ? "text" : "line") of [\(Fuzz.scalars(text))] is [\(Fuzz.scalars(out))]: U+\(String(v, radix: 16)) at \(i)" }
        Fuzz.check(!(v < 0x20 && !(multiline && v == 0x0A)), "\(what()) is a C0 control")
        Fuzz.check(!(0x7F...0x9F).contains(v), "\(what()) is DEL or C1")
        Fuzz.check(!bidiControls.contains(v), "\(what()) is a bidi control")
        Fuzz.check(!zeroWidth.contains(v), "\(what()) is zero-width")
        Fuzz.check(!(v == 0x2028 || v == 0x2029), "\(what()) is a line or paragraph separator")
        Fuzz.check(!((0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE), "\(what()) is a noncharacter")
        switch u.properties.generalCategory {
        case .control where multiline && v == 0x0A:
            break
        case .privateUse, .unassigned, .surrogate, .control:
            Fuzz.fail("\(what()) is \(u.properties.generalCategory)")
        case .format:
            // The one format character allowed: a ZWJ joining two pictographs (👨‍👩‍👧), marks between them allowed.
            var before = i - 1
            while before >= 0, isMark(s[before]) { before -= 1 }
            let joins = v == 0x200D && before >= 0 && isPictographic(s[before]) && i + 1 < s.count && isPictographic(s[i + 1])
            Fuzz.check(joins, "\(what()) is a format character")
        default:
            break
        }
        if isMark(u) {
            marks += 1
            Fuzz.check(marks <= Sanitizer.maxCombiningMarks, "\(what()): more than \(Sanitizer.maxCombiningMarks) marks in a row")
        } else if v != 0x200D {
            marks = 0
        }
    }
    let again = multiline ? Sanitizer.text(out) : Sanitizer.line(out)
    Fuzz.check(again.unicodeScalars.elementsEqual(out.unicodeScalars),
               "sanitising [\(Fuzz.scalars(text))] twice changed it: [\(Fuzz.scalars(out))] then [\(Fuzz.scalars(again))]")
}

/// Offsets (in scalars) where `s`'s clusters end.
private func clusterEnds(_ s: String) -> Set<Int> {
    var ends: Set<Int> = [0]
    var at = 0
    for g in s {
        at += g.unicodeScalars.count
        ends.insert(at)
    }
    return ends
}

private func checkWidth(_ s: String, width: Int, ellipsis: Bool) {
    let full = DisplayWidth.of(s)
    Fuzz.check(full >= 0, "negative width \(full) of [\(Fuzz.scalars(s))]")
    let what = { "[\(Fuzz.scalars(s))] (width \(full)) to \(width)\(ellipsis ? "" : " without ellipsis")" }

    let cut = DisplayWidth.truncate(s, to: width, ellipsis: ellipsis)
    let cutWidth = DisplayWidth.of(cut)
    if width <= 0 {
        Fuzz.check(cut.isEmpty, "truncate \(what()) is [\(Fuzz.scalars(cut))], not empty")
    } else if full <= width {
        Fuzz.check(cut.unicodeScalars.elementsEqual(s.unicodeScalars), "truncate \(what()) changed text that fits: [\(Fuzz.scalars(cut))]")
    } else {
        Fuzz.check(cutWidth <= width, "truncate \(what()) is [\(Fuzz.scalars(cut))], width \(cutWidth)")
        var kept = Array(cut.unicodeScalars)
        if ellipsis {
            Fuzz.check(kept.last == "…", "truncate \(what()) is [\(Fuzz.scalars(cut))], which does not end in …")
            kept.removeLast()
        }
        Fuzz.check(kept.elementsEqual(s.unicodeScalars.prefix(kept.count)),
                   "truncate \(what()) is [\(Fuzz.scalars(cut))], not a start of the input")
        Fuzz.check(clusterEnds(s).contains(kept.count),
                   "truncate \(what()) is [\(Fuzz.scalars(cut))]: it splits a cluster after \(kept.count) scalars")
    }

    let padded = DisplayWidth.pad(s, to: width)
    let padWidth = DisplayWidth.of(padded)
    Fuzz.check(padWidth == max(0, width), "pad \(what()) is [\(Fuzz.scalars(padded))], width \(padWidth)")
    let start = DisplayWidth.truncate(s, to: width)
    let p = Array(padded.unicodeScalars), t = Array(start.unicodeScalars)
    Fuzz.check(p.count >= t.count && p.prefix(t.count).elementsEqual(t) && p.dropFirst(t.count).allSatisfy { $0 == " " },
               "pad \(what()) is [\(Fuzz.scalars(padded))], not its truncation then spaces")
}

private func checkWrap(_ s: String, width: Int) {
    let lines = DisplayWidth.wrap(s, width: width)
    if width <= 0 {
        Fuzz.check(lines.isEmpty, "wrap of [\(Fuzz.scalars(s))] to \(width) gave lines")
        return
    }
    for (n, l) in lines.enumerated() {
        let w = DisplayWidth.of(l)
        Fuzz.check(w <= width, "wrap of [\(Fuzz.scalars(s))] to \(width): line \(n) [\(Fuzz.scalars(l))] has width \(w)")
        Fuzz.check(!l.unicodeScalars.contains("\n"), "wrap of [\(Fuzz.scalars(s))] to \(width): line \(n) holds a newline")
    }
}
