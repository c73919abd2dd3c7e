import AgoraScreen
import AgoraTestSupport
import Testing

@Suite struct DisplayWidthTests {
    @Test func asciiAndLatin() {
        #expect(DisplayWidth.of("hello") == 5)
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of("naïve café") == 10)
    }

    @Test func cjkIsWide() {
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("ｆｕｌｌ") == 8)     // fullwidth forms
        #expect(DisplayWidth.of("ｶﾀｶﾅ") == 4)        // halfwidth katakana stays narrow
        #expect(DisplayWidth.of(Character("\u{3000}")) == 2)
    }

    @Test func emoji() {
        #expect(DisplayWidth.of(Character("👍")) == 2)
        #expect(DisplayWidth.of(Character("👍🏽")) == 2)
        #expect(DisplayWidth.of(Character("👨‍👩‍👧")) == 2)
        #expect(DisplayWidth.of(Character("❤️")) == 2)   // U+2764 U+FE0F
        #expect(DisplayWidth.of(Character("❤")) == 1)    // text presentation
        #expect(DisplayWidth.of(Character("🇫🇷")) == 2)
        #expect(DisplayWidth.of(Character("1️⃣")) == 2)
        #expect(DisplayWidth.of("a👍b") == 4)
    }

    @Test func combiningMarksAreZeroWidth() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        let zalgo = "a" + String(repeating: "\u{301}", count: 10_000)
        #expect(zalgo.count == 1)
        #expect(DisplayWidth.of(zalgo) == 1)
        #expect(DisplayWidth.of(Character("\u{301}")) == 0)
        #expect(DisplayWidth.of(Character("\u{200B}")) == 0)
        #expect(DisplayWidth.of("\u{FEFF}") == 0)
    }

    @Test func controlsCountOneBecauseTheyAreDrawnAsReplacement() {
        #expect(DisplayWidth.of(Character("\u{1B}")) == 1)
        #expect(DisplayWidth.of(Character("\u{85}")) == 1)
    }

    @Test func truncate() {
        #expect(DisplayWidth.truncate("hello", to: 10) == "hello")
        #expect(DisplayWidth.truncate("hello world", to: 8) == "hello w…")
        #expect(DisplayWidth.truncate("hello world", to: 8, ellipsis: false) == "hello wo")
        #expect(DisplayWidth.truncate("日本語", to: 4) == "日…")
        #expect(DisplayWidth.truncate("日本語", to: 5, ellipsis: false) == "日本")
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.truncate("abc", to: 1) == "…")
    }

    @Test func pad() {
        #expect(DisplayWidth.pad("ab", to: 4) == "ab  ")
        #expect(DisplayWidth.pad("日本語", to: 5) == "日本…")
        #expect(DisplayWidth.pad("日本語", to: 4) == "日… ")
        #expect(DisplayWidth.pad("abc", to: 3) == "abc")
        for s in ["", "x", "日本語です", "👍🏽x", "e\u{301}e\u{301}"] {
            for w in 0..<8 { #expect(DisplayWidth.of(DisplayWidth.pad(s, to: w)) == w) }
        }
    }

    @Test func wrapWords() {
        #expect(DisplayWidth.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(DisplayWidth.wrap("a\n\nb", width: 5) == ["a", "", "b"])
        #expect(DisplayWidth.wrap("", width: 5) == [""])
        #expect(DisplayWidth.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(DisplayWidth.wrap("hi abcdefghij", width: 4) == ["hi a", "bcde", "fghi", "j"])   // like textwrap's break_long_words
        #expect(DisplayWidth.wrap("日本語の文章", width: 5) == ["日本", "語の", "文章"])
        #expect(DisplayWidth.wrap("  indented text", width: 20) == ["  indented text"])
        #expect(DisplayWidth.wrap("x", width: 0) == [])
        #expect(DisplayWidth.wrap("日", width: 1) == ["…"])
    }

    @Test func wrapPropertyEveryLineFits() {
        var rng = SplitMix(seed: 42)
        let alphabet: [String] = ["a", "b", "c", " ", " ", " ", "\n", "日", "語", "👍", "👍🏽", "❤️", "e\u{301}", "\u{301}", "\u{200B}", "-", "ｆ", "\u{1B}"]
        for _ in 0..<500 {
            let length = Int(rng.next() % 60)
            var s = ""
            for _ in 0..<length { s += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let width = 1 + Int(rng.next() % 12)
            let lines = DisplayWidth.wrap(s, width: width)
            for line in lines {
                #expect(DisplayWidth.of(line) <= width, "line \(line.debugDescription) too wide for \(width) from \(s.debugDescription)")
            }
            // Nothing but spaces (and cut wide chars) is lost.
            // (Counted without re-forming strings: dropping a space can fuse its neighbours into one grapheme.)
            let kept = lines.reduce(0) { n, line in n + line.reduce(0) { $0 + ($1 == " " || $1 == "…" ? 0 : 1) } }
            let original = s.reduce(0) { $0 + ($1 == " " || $1 == "\n" ? 0 : 1) }
            if width >= 2 { #expect(kept == original, "\(s.debugDescription) at \(width) -> \(lines)") }
            #expect(DisplayWidth.of(DisplayWidth.truncate(s, to: width)) <= width)
            #expect(DisplayWidth.of(DisplayWidth.pad(s, to: width)) == width)
        }
    }
}

@Suite struct WrapFastPathTests {
    /// Plain ASCII takes a faster path; it must wrap exactly as the general path does. Appending a
    /// zero-width combining mark to the last word forces the general path without changing any width.
    @Test func asciiWrapsLikeTheGeneralPath() {
        var seed: UInt64 = 7
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        let alphabet = Array("ab cdefg  hijklmnop qrs tuvw-xyz.,!   ")
        for _ in 0..<500 {
            let text = String((0..<(next() % 120)).map { _ in alphabet[next() % alphabet.count] }) + "z"
            let width = 1 + next() % 30
            let fast = DisplayWidth.wrap(text, width: width)
            let general = DisplayWidth.wrap(text + "\u{301}", width: width)
            #expect(fast.count == general.count)
            #expect(fast.dropLast() == general.dropLast())
            #expect((fast.last ?? "") + "\u{301}" == general.last ?? "")
        }
    }

    /// Found by Fuzz/FuzzSanitizer: a prepended mark at the end (U+0604, or U+0D4E, which the sanitiser keeps) joins
    /// the first space of the padding into its cluster, and the row came out a column short.
    @Test func padAfterAPrependedMarkIsStillExactlyTheWidth() {
        for s in ["\u{1}\u{C110}\u{604}", "\u{D4E}", "ab\u{D4E}", "\u{600}"] {
            for width in 1...6 {
                #expect(DisplayWidth.of(DisplayWidth.pad(s, to: width)) == width, "\(s.unicodeScalars.map(\.value)) to \(width)")
            }
        }
    }
}
