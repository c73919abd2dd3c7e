import AgoraCore
import AgoraScreen
import AgoraTestSupport
@testable import AgoraTUI
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

    /// After every key, what a person would notice if it broke: the screen is the terminal's size; on the main
    /// screen the header, the tabs and the footer are there and nothing a pane draws lands outside its rectangle;
    /// every list's selection is one of its rows and on screen; the header shows the unread count the state holds.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func randomKeysKeepEveryScreenWhole(seed: UInt64) {
        var rng = Random(state: seed)
        let sizes = [Size(width: 80, height: 24), Size(width: 140, height: 40), Size(width: 40, height: 10),
                     Size(width: 30, height: 8), Size(width: 200, height: 50)]
        func start(_ size: Size) -> TUIHarness {
            let h = TUIHarness(size: size)
            h.drafts["new"] = Draft(login: "ana", scope: "new", kind: .idea, title: "Draft 日本語 👍", tags: "x y", body: "line one\nline two", saved: Fixtures.now)
            return h
        }
        var h = start(sizes[Int(seed) % sizes.count])
        var pressed: [Key] = []
        var seen: Set<String> = []   // the screens the invariants were checked on
        for step in 0..<1500 {
            if step % 250 == 249 { h.resize(sizes[rng.next() % sizes.count]) }
            let key = Self.keys[rng.next() % Self.keys.count]
            pressed.append(key)
            h.press(key)
            if h.quit {   // `q` on the list quits: the person starts the program again
                h = start(h.terminal.size)
                continue
            }
            if h.state.stage == .main && !Layout.isTooSmall(h.terminal.size) {
                seen.insert(h.state.overlay.map { "\($0)".prefix(while: { $0 != "(" }).description } ?? h.state.pane.title)
            }
            let broken = Self.problems(h)
            if !broken.isEmpty {
                Issue.record("after key \(step + 1) (\(pressed.suffix(8).map { "\($0)" }.joined(separator: " "))): \(broken.joined(separator: "; "))\n\(h.screenText)")
                return
            }
        }
        // Not a storm that never left the first screen: the checks ran on every pane and the overlays.
        #expect(seen.count >= 6, "only checked on \(seen.sorted())")
    }

    /// What is wrong with the harness's screen and state now (nothing: empty).
    static func problems(_ h: TUIHarness) -> [String] {
        var out: [String] = []
        let state = h.state, size = h.terminal.size
        if h.screen.count != size.height { out.append("\(h.screen.count) rows on a \(size.height)-row terminal") }
        for (y, line) in h.screen.enumerated() where DisplayWidth.of(line) > size.width {
            out.append("row \(y) is \(DisplayWidth.of(line)) columns wide")
        }
        guard !Layout.isTooSmall(size), state.stage == .main else { return out }
        let layout = Layout(size)
        if h.screen.first?.contains(where: { $0 != " " }) != true { out.append("no header") }
        if h.screen.count > 1, !h.screen[1].contains(" 1 ") { out.append("no tabs") }
        if h.screen.last?.contains(where: { $0 != " " }) != true { out.append("no footer") }
        if size.width >= 80, !h.screen[0].contains("\(state.snapshot.unreadCount) unread") {
            out.append("the header does not say the snapshot's \(state.snapshot.unreadCount) unread")
        }
        // Each pane drawn alone, on an empty screen: nothing outside its rectangle.
        func outside(_ rect: Rect, _ draw: (inout Painter) -> Void) -> Bool {
            var p = Painter(size: size)
            draw(&p)
            for y in 0..<size.height { for x in 0..<size.width where !rect.contains(x: x, y: y) && p.buffer[x, y] != .blank { return true } }
            return false
        }
        if outside(layout.body, { TUI.drawMain(&$0, state, layout.body) }) { out.append("the body drew outside its rows") }
        if state.overlay == nil, state.isWide, state.pane == .topics || state.pane == .reader {
            let list = Layout.split(layout.body).list, reader = Layout.readerRect(size)
            if list.x + list.width >= reader.x { out.append("the list and the reader overlap (no border between them)") }
            if outside(list, { state.topics.draw(&$0, list, rows: state.visibleTopics, focused: true, now: state.now) }) {
                out.append("the topic list drew outside its column")
            }
            if outside(reader, { state.reader.draw(&$0, reader, focused: true, now: state.now) }) {
                out.append("the reader drew outside its column")
            }
        }
        // Selections: a row of the list, inside the window that shows.
        func check(_ name: String, _ c: ListCursor, count: Int) {
            if count == 0 { if c.index != 0 { out.append("\(name): selection \(c.index) in an empty list") }; return }
            if !(0..<count).contains(c.index) { out.append("\(name): selection \(c.index) of \(count) rows") }
        }
        check("topics", state.topics.cursor, count: state.visibleTopics.count)
        check("peers", state.peers.cursor, count: state.visiblePeers.count)
        check("queue", state.queue.cursor, count: state.visibleQueue.count)
        if state.overlay == nil, state.pane == .topics || state.isWide && state.pane == .reader, !state.visibleTopics.isEmpty {
            let c = state.topics.cursor, height = Layout.listHeight(size)
            if !(c.offset...(c.offset + height - 1)).contains(c.index) {
                out.append("topics: selection \(c.index) is off screen (rows \(c.offset) to \(c.offset + height - 1))")
            }
        }
        if let open = state.reader.current?.thread.topic.id, !state.snapshot.topics.contains(where: { $0.topic.id == open }) {
            out.append("the reader shows topic \(open), which is not in the program")
        }
        return out
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
