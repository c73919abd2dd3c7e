import Foundation
import Testing
@testable import AgoraCore

/// Text from other people never reaches the terminal as it was typed when it could move the cursor,
/// recolour the screen or reorder what the reader sees; everything is shown, nothing silently dropped.
@Suite struct SanitizerRulesTests {
    let fffd = "\u{FFFD}"

    @Test func plainTextInManyScriptsIsUntouched() {
        for s in ["Hello, world", "Zoë Nguyễn", "李娜 写作", "مرحبا", "café au lait", "Emoji 🚀 👍🏽 🇵🇹", "e\u{301}"] {
            #expect(Sanitizer.line(s) == s)
            #expect(Sanitizer.text(s) == s)
        }
    }

    @Test func c0ControlsUseCaretNotation() {
        #expect(Sanitizer.line("a\u{1B}[31mred") == "a^[[31mred")
        #expect(Sanitizer.line("bell\u{07}") == "bell^G")
        #expect(Sanitizer.line("back\u{08}space") == "back^Hspace")
        #expect(Sanitizer.line("nul\u{00}") == "nul^@")
        #expect(Sanitizer.text("over\rwrite") == "over^Mwrite")
        #expect(Sanitizer.text("\u{1F}") == "^_")
    }

    @Test func delIsCaretQuestionMark() {
        #expect(Sanitizer.line("x\u{7F}y") == "x^?y")
    }

    @Test func c1ControlsAreReplaced() {
        // U+009B is the 8-bit CSI: a terminal honouring it would take "31m" as a colour.
        #expect(Sanitizer.line("a\u{9B}31mb") == "a\(fffd)31mb")
        #expect(Sanitizer.line("\u{80}\u{85}\u{9F}") == fffd + fffd + fffd)
    }

    @Test func bidiControlsAreReplaced() {
        for u in ["\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
                  "\u{200E}", "\u{200F}", "\u{061C}"] {
            #expect(Sanitizer.line("if admin\(u) then") == "if admin\(fffd) then", "U+\(String(u.unicodeScalars.first!.value, radix: 16))")
        }
    }

    @Test func zeroWidthCharactersAreReplaced() {
        for u in ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}"] {
            #expect(Sanitizer.line("ad\(u)min") == "ad\(fffd)min", "U+\(String(u.unicodeScalars.first!.value, radix: 16))")
        }
    }

    @Test func zeroWidthJoinerInsideEmojiSequencesIsKept() {
        for emoji in ["👨\u{200D}👩\u{200D}👧", "👩\u{200D}💻", "❤\u{FE0F}\u{200D}🔥", "👨🏽\u{200D}💻", "🏳\u{FE0F}\u{200D}🌈"] {
            #expect(Sanitizer.line("hi \(emoji)!") == "hi \(emoji)!")
        }
        // A joiner at the edge of an emoji but not between two is not part of a sequence.
        #expect(Sanitizer.line("🚀\u{200D}a") == "🚀\(fffd)a")
        #expect(Sanitizer.line("a\u{200D}🚀") == "a\(fffd)🚀")
        #expect(Sanitizer.line("🚀\u{200D}") == "🚀\(fffd)")
    }

    /// Found with Fuzz/FuzzSanitizer's invariant (a joiner is kept only between two pictographs) on inputs made for
    /// it: at the cap on marks, the skin tone after a joiner was dropped, or the cap's stand-in came before the joiner,
    /// and the joiner was kept joining nothing.
    @Test func aJoinerAtTheCapOnMarksIsReplacedLikeAnyStrayJoiner() {
        let six = String(repeating: "\u{FE0F}", count: Sanitizer.maxCombiningMarks)
        #expect(Sanitizer.line("😀" + six + "\u{200D}🏻").unicodeScalars.elementsEqual(("😀" + six + fffd + "🏻").unicodeScalars))
        #expect(Sanitizer.line("😀" + six + "\u{FE0F}\u{200D}😀").unicodeScalars.elementsEqual(("😀" + six + fffd + fffd + "😀").unicodeScalars))
        #expect(Sanitizer.line("👨🏽\u{200D}💻") == "👨🏽\u{200D}💻", "below the cap nothing changes")
    }

    @Test func privateUseAndNoncharactersAreReplaced() {
        #expect(Sanitizer.line("x\u{E000}y") == "x\(fffd)y")
        #expect(Sanitizer.line("x\u{F0000}y") == "x\(fffd)y")
        for v: UInt32 in [0xFDD0, 0xFFFE, 0xFFFF, 0x1FFFF] {   // noncharacters (Swift refuses them in literals)
            var s = "x"
            s.unicodeScalars.append(Unicode.Scalar(v)!)
            #expect(Sanitizer.line(s + "y") == "x\(fffd)y")
        }
    }

    @Test func lineAndParagraphSeparatorsAreReplaced() {
        #expect(Sanitizer.text("a\u{2028}b\u{2029}c") == "a\(fffd)b\(fffd)c")
    }

    @Test func combiningMarksAreCappedWithAVisibleStandIn() {
        let zalgo = "e" + String(repeating: "\u{0301}", count: 40) + "x"
        let clean = Sanitizer.line(zalgo)
        #expect(clean == "e" + String(repeating: "\u{0301}", count: Sanitizer.maxCombiningMarks) + fffd + "x")
        let fine = "e" + String(repeating: "\u{0301}", count: Sanitizer.maxCombiningMarks)
        #expect(Sanitizer.line(fine) == fine)
    }

    @Test func tabsBecomeSpaces() {
        #expect(Sanitizer.text("a\tb") == "a    b")
        #expect(Sanitizer.line("a\tb") == "a b")
    }

    @Test func newlinesAreKeptInTextAndMarkedInALine() {
        #expect(Sanitizer.text("one\ntwo") == "one\ntwo")
        #expect(Sanitizer.line("one\ntwo") == "one\u{2424}two")
        #expect(Sanitizer.text("one\r\ntwo") == "one\ntwo")
        #expect(Sanitizer.line("one\r\ntwo") == "one^M\u{2424}two")
    }

    @Test func nothingForbiddenSurvivesEitherMode() {
        var all = ""
        for v in Array(0...0xA0) + [0x061C, 0x200B, 0x200D, 0x200E, 0x202E, 0x2066, 0x2069, 0xFEFF, 0xE000, 0x10FFFD] {
            all.unicodeScalars.append(Unicode.Scalar(UInt32(v))!)
        }
        for out in [Sanitizer.line(all), Sanitizer.text(all)] {
            let bad = out.unicodeScalars.filter { $0 != "\n" && Sanitizer.isForbidden($0) }
            #expect(bad.isEmpty, "left: \(bad.map { String($0.value, radix: 16) })")
        }
    }

    struct Message: Codable, Equatable { var text: String }

    @Test func jsonKeepsTextFaithfulAndSafeToPrint() throws {
        let nasty = "del\u{7F} c1\u{9B}31m bidi\u{202E}evil\u{2066} zw\u{200B}\u{200D}\u{2060}\u{FEFF} pua\u{E000}\u{F0000} esc\u{1B}[2J ok é 李 👩\u{200D}💻"
        let encoded = String(decoding: try JSONEncoder().encode(Message(text: nasty)), as: UTF8.self)
        let safe = Sanitizer.jsonSafe(encoded)
        let raw = safe.unicodeScalars.filter { Sanitizer.isForbidden($0) }
        #expect(raw.isEmpty, "unescaped: \(raw.map { String($0.value, radix: 16) })")
        for escape in ["\\u007f", "\\u009b", "\\u202e", "\\u2066", "\\u200b", "\\u200d", "\\u2060", "\\ufeff", "\\ue000", "\\udb80\\udc00"] {
            #expect(safe.contains(escape), "\(escape) in \(safe)")
        }
        #expect(safe.contains("é 李"))   // ordinary text stays readable
        let decoded = try JSONDecoder().decode(Message.self, from: Data(safe.utf8))
        #expect(decoded.text == nasty)
    }
}
