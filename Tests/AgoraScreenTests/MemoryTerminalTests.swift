import AgoraScreen
import AgoraTestSupport
import Testing

@Suite struct MemoryTerminalTests {
    @Test func presentStoresScreenAndCountsChanges() {
        let term = MemoryTerminal(size: Size(width: 5, height: 2))
        var b = Buffer(size: term.size)
        b.write("hi", x: 0, y: 0, role: .uiText)
        term.present(b)
        #expect(term.presentCount == 1)
        #expect(term.lastChangedCells == 10)   // first present paints everything
        #expect(term.screen == ["hi   ", "     "])
        #expect(term.screenText() == "hi   \n     ")
        term.present(b)
        #expect(term.lastChangedCells == 0)
        let before = term.bytesWritten
        b.write("yo", x: 3, y: 1, role: .uiText)
        term.present(b)
        #expect(term.lastChangedCells == 2)
        #expect(term.bytesWritten > before)
        term.invalidate()
        term.present(b)
        #expect(term.lastChangedCells == 10)
    }

    @Test func keysAndResize() {
        let term = MemoryTerminal(size: Size(width: 10, height: 3))
        #expect(term.readKeys().isEmpty)
        term.feed([.down, .enter])
        term.type("q")
        #expect(term.readKeys() == [.down, .enter, .char("q")])
        #expect(term.readKeys().isEmpty)
        term.resize(to: Size(width: 4, height: 2))
        #expect(term.readKeys() == [.resize])
        #expect(term.updateSize() == Size(width: 4, height: 2))
        #expect(term.size == Size(width: 4, height: 2))
    }

    @Test func suspendResumeShutdown() {
        let term = MemoryTerminal(size: Size(width: 1, height: 1))
        term.suspend()
        #expect(term.isSuspended)
        term.resume()
        #expect(!term.isSuspended)
        term.shutdown()
        term.shutdown()
        #expect(term.isShutDown)
    }
}

@Suite struct ScreenDiffTests {
    @Test func equalScreensGiveNilAndTrailingSpacesMayBeOmitted() {
        #expect(screenDiff(expected: ["ab", ""], actual: ["ab  ", "    "]) == nil)
    }

    @Test func mismatchIsReadable() throws {
        let diff = try #require(screenDiff(expected: ["abc", "xyz"], actual: ["abc", "xYz"]))
        #expect(diff.contains("\"xyz\""))
        #expect(diff.contains("\"xYz\""))
        #expect(diff.contains(">1"))
        #expect(diff.contains("row 1, column 1"))
        #expect(screenDiff(expected: ["a"], actual: ["a", "b"]) != nil)
        #expect(screenDiff(expected: ["abcd"], actual: ["abc"]) != nil)
    }
}
