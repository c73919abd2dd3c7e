import AgoraCore
import AgoraScreen
import AgoraTestSupport
import AgoraTUI
import Foundation
import Testing

/// Whatever a person presses, in whatever order and at whatever size, the program keeps running and
/// every screen stays inside the terminal: random key storms over the fixture program.
@Suite struct KeyFuzzTests {
    static let keys: [Key] = [
        .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .enter, .escape, .backspace, .delete, .tab, .backTab,
        .ctrl("u"), .ctrl("w"), .ctrl("a"), .ctrl("e"), .ctrl("l"), .ctrl("d"), .ctrl("h"), .ctrl("x"), .ctrl("b"), .ctrl("f"),
        .alt("x"), .function(1), .unknown,
    ] + "jkqnNpPrRcfFts/?1234gGhaed xyz日👍\u{301}".map { .char($0) }

    struct Random {
        var state: UInt64
        mutating func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func randomKeysNeverCrashOrOverflow(seed: UInt64) {
        var rng = Random(state: seed)
        let sizes = [Size(width: 80, height: 24), Size(width: 140, height: 40), Size(width: 40, height: 10),
                     Size(width: 30, height: 8), Size(width: 200, height: 50)]
        let h = TUIHarness(size: sizes[Int(seed) % sizes.count])
        h.drafts["new"] = Draft(login: "ana", scope: "new", kind: .idea, title: "Draft 日本語 👍", tags: "x y", body: "line one\nline two", saved: Fixtures.now)
        for step in 0..<1500 {
            if step % 250 == 249 { h.resize(sizes[rng.next() % sizes.count]) }
            h.press(Self.keys[rng.next() % Self.keys.count])
            if h.quit { break }
        }
        for line in h.screen {
            #expect(DisplayWidth.of(line) <= h.terminal.size.width)
        }
        #expect(h.screen.count == h.terminal.size.height)
    }
}

@Suite struct TextFieldEditingTests {
    @Test func ctrlUDeletesBackToTheStartOfTheLine() {
        var f = TextField("first line\nsecond 日本 👍", multiline: true)
        let handled = f.handle(.ctrl("u"))
        #expect(handled)
        #expect(f.text == "first line\n")
        #expect(f.cursor == f.chars.count)
    }
}

@Suite struct ProfileKeysTests {
    /// PgUp in a profile's topic list goes up a page (it used to jump to the bottom).
    @Test func pageUpInAProfileGoesUp() {
        let h = TUIHarness()
        h.press(.char("2"))
        // The peer with the most topics in the fixture.
        let counts = Dictionary(grouping: h.state.snapshot.topics, by: { $0.topic.author }).mapValues(\.count)
        let login = counts.max { $0.value < $1.value }!.key
        let index = h.state.visiblePeers.firstIndex { $0.login == login }!
        for _ in 0..<index { h.press(.char("j")) }
        h.press(.enter)
        #expect(h.state.overlay == .profile(login: login))
        h.press(.char("j"))
        h.press(.pageUp)
        #expect(h.state.profile.cursor.index == 0)
    }
}
