import AgoraScreen
import AgoraTestSupport
import Testing

@Suite struct BufferTests {
    @Test func newBufferIsBlank() {
        let b = Buffer(size: Size(width: 3, height: 2))
        #expect(b.lines == ["   ", "   "])
        #expect(b[0, 0] == Cell(text: " ", role: .uiText))
    }

    @Test func writeClipsToRowAndReturnsColumns() {
        var b = Buffer(size: Size(width: 6, height: 2))
        #expect(b.write("hello world", x: 2, y: 0, role: .uiText) == 4)
        #expect(b.write("ab", x: 0, y: 5, role: .uiText) == 0)   // row outside
        expectScreen(b, ["  hell", ""])
    }

    @Test func writeRespectsMaxWidth() {
        var b = Buffer(size: Size(width: 8, height: 1))
        #expect(b.write("abcdef", x: 1, y: 0, role: .uiTitle, maxWidth: 3) == 3)
        expectScreen(b, [" abc"])
        #expect(b[1, 0].role == .uiTitle)
        #expect(b[4, 0].role == .uiText)
    }

    @Test func wideCharactersTakeTwoCells() {
        var b = Buffer(size: Size(width: 7, height: 1))
        #expect(b.write("日本x", x: 0, y: 0, role: .uiText) == 5)
        expectScreen(b, ["日本x"])
        #expect(b[0, 0].text == "日")
        #expect(b[1, 0].text == "")
        #expect(b[1, 0].isContinuation)
        #expect(b.line(0) == "日本x  ")
    }

    @Test func wideCharacterThatDoesNotFitBecomesSpace() {
        var b = Buffer(size: Size(width: 5, height: 2))
        b.fill(Rect(x: 0, y: 0, width: 5, height: 2), role: .uiText)
        #expect(b.write("ab日本", x: 0, y: 0, role: .uiText) == 5)   // 日 fits, 本 at col 4 does not
        #expect(b.write("x👍", x: 1, y: 1, role: .uiText, maxWidth: 2) == 2)
        expectScreen(b, ["ab日 ", " x   "])
        #expect(b[4, 0].text == " ")
    }

    @Test func overwritingHalfOfWideCharBlanksOtherHalf() {
        var b = Buffer(size: Size(width: 6, height: 2))
        b.write("日本語", x: 0, y: 0, role: .uiText)
        b.write("x", x: 1, y: 0, role: .uiText)      // right half of 日
        b.write("y", x: 4, y: 0, role: .uiText)      // left half of 語
        expectScreen(b, [" x本y ", ""])
        b.write("日本語", x: 0, y: 1, role: .uiText)
        b.write("漢", x: 1, y: 1, role: .uiText)     // straddles 日 and 本
        expectScreen(b, [" x本y ", " 漢 語"])
        expectWellFormed(b)
    }

    @Test func fillBlanksHalvesOfWideCharsAtItsEdges() {
        var b = Buffer(size: Size(width: 6, height: 1))
        b.write("日本語", x: 0, y: 0, role: .uiText)
        b.fill(Rect(x: 1, y: 0, width: 2, height: 1), role: .uiSelection)
        expectScreen(b, ["    語"])
        #expect(b[1, 0].role == .uiSelection)
        #expect(b[3, 0].text == " ")
    }

    @Test func controlCharactersAreDrawnAsReplacement() {
        var b = Buffer(size: Size(width: 8, height: 1))
        #expect(b.write("a\u{1B}[2Jb\u{7F}\u{85}", x: 0, y: 0, role: .postBody) == 8)
        expectScreen(b, ["a\u{FFFD}[2Jb\u{FFFD}\u{FFFD}"])
        #expect(b[1, 0].role == .replacement)
        #expect(b[0, 0].role == .postBody)
        // "\r\n" is one grapheme in Swift: still one replacement.
        var c = Buffer(size: Size(width: 4, height: 1))
        #expect(c.write("x\r\ny", x: 0, y: 0, role: .uiText) == 3)
        expectScreen(c, ["x\u{FFFD}y"])
    }

    @Test func zeroWidthGraphemesNeverTakeACell() {
        var b = Buffer(size: Size(width: 6, height: 1))
        #expect(b.write("\u{301}a\u{200B}b", x: 0, y: 0, role: .uiText) == 2)
        expectScreen(b, ["ab"])
        var c = Buffer(size: Size(width: 4, height: 1))
        #expect(c.write("e\u{301}x", x: 0, y: 0, role: .uiText) == 2)
        #expect(c[0, 0].text == "e\u{301}")
    }

    @Test func emojiClustersAreOneWideCell() {
        var b = Buffer(size: Size(width: 10, height: 1))
        #expect(b.write("👍🏽👨‍👩‍👧❤️!", x: 0, y: 0, role: .uiText) == 7)
        #expect(b[0, 0].text == "👍🏽")
        #expect(b[2, 0].text == "👨‍👩‍👧")
        #expect(b[4, 0].text == "❤️")
        #expect(b[6, 0].text == "!")
    }

    @Test func negativeXClipsOnTheLeft() {
        var b = Buffer(size: Size(width: 4, height: 1))
        #expect(b.write("ab日c", x: -3, y: 0, role: .uiText) == 2)
        expectScreen(b, [" c"])
    }

    /// Printable ASCII takes a path of its own (byte by byte, no grapheme breaking): it must clip, overwrite wide
    /// characters and count columns exactly as the general path does for text of the same shape.
    @Test func asciiTextIsPlacedLikeAnyOtherText() {
        for x in -3...7 {
            for maxWidth in [nil, 0, 1, 3, 20] as [Int?] {
                var ascii = Buffer(size: Size(width: 8, height: 1))
                var other = ascii
                ascii.write("界", x: 2, y: 0, role: .uiText)
                other.write("界", x: 2, y: 0, role: .uiText)
                let a = ascii.write("hello", x: x, y: 0, role: .uiTitle, maxWidth: maxWidth)
                let o = other.write("hellé", x: x, y: 0, role: .uiTitle, maxWidth: maxWidth)
                #expect(a == o, "x \(x) maxWidth \(String(describing: maxWidth))")
                #expect(ascii.line(0).replacingOccurrences(of: "o", with: "é") == other.line(0),
                        "x \(x) maxWidth \(String(describing: maxWidth))")
                #expect((0..<8).map { ascii[$0, 0].role } == (0..<8).map { other[$0, 0].role })
            }
        }
        #expect(DisplayWidth.truncate("hello world", to: 6) == "hello…")
        #expect(DisplayWidth.truncate("hello world", to: 6, ellipsis: false) == "hello ")
        #expect(DisplayWidth.truncate("hello", to: 5) == "hello")
        #expect(DisplayWidth.of("hello\tworld") == DisplayWidth.of("hello") + 1 + DisplayWidth.of("world"))
    }

    @Test func outOfRangeSubscriptIsHarmless() {
        var b = Buffer(size: Size(width: 2, height: 1))
        b[5, 5] = Cell(text: "x", role: .uiError)
        #expect(b[-1, 0] == Cell.blank)
        #expect(b.lines == ["  "])
    }

    @Test func changedPositionsAndDebugDescription() {
        let a = Buffer(lines: ["abc", "def"])
        var b = a
        b.write("X", x: 1, y: 1, role: .uiText)
        #expect(b.changedPositions(since: a).map { [$0.x, $0.y] } == [[1, 1]])
        #expect(b.debugDescription.contains("\"dXf\""))
    }

    @Test func resizedKeepsContentAndNeverHalvesAGlyph() {
        let a = Buffer(lines: ["ab日"])
        let b = a.resized(to: Size(width: 3, height: 2))
        expectScreen(b, ["ab ", "   "])
        var c = a
        c.size = Size(width: 2, height: 1)
        expectScreen(c, ["ab"])
    }
}

@Suite struct RectTests {
    @Test func splitsAndInsets() {
        let r = Rect(x: 1, y: 2, width: 10, height: 5)
        #expect(r.maxX == 11 && r.maxY == 7)
        let (l, rr) = r.splitColumns(leftWidth: 4)
        #expect(l == Rect(x: 1, y: 2, width: 4, height: 5))
        #expect(rr == Rect(x: 5, y: 2, width: 6, height: 5))
        let (t, bottom) = r.splitRows(topHeight: 1)
        #expect(t == Rect(x: 1, y: 2, width: 10, height: 1))
        #expect(bottom == Rect(x: 1, y: 3, width: 10, height: 4))
        #expect(r.inset(by: 1) == Rect(x: 2, y: 3, width: 8, height: 3))
        #expect(r.inset(by: 4).isEmpty)
        #expect(r.row(2) == Rect(x: 1, y: 4, width: 10, height: 1))
        #expect(r.row(9).isEmpty)
        // Splits larger than the rect clamp instead of going negative.
        #expect(r.splitColumns(leftWidth: 50).1.width == 0)
        #expect(r.splitRows(topHeight: -3).0.height == 0)
    }
}
