import AgoraCore
import AgoraScreen
import AgoraTestSupport
import AgoraTUI
import Foundation
import Testing

/// Hostile text on the full screen: topic titles, peer names, tags and post bodies carrying escapes,
/// overwrites, bidi and zero-width tricks, drawn into a MemoryTerminal. Every row must keep its width,
/// hold no forbidden code point, and show a stand-in where something was removed.
@Suite("Hostile text on screen")
struct HostileScreenTests {
    static let corpus: [(name: String, text: String, standIn: String)] = [
        ("ESC[2J", "\u{1B}[2J", "^[[2J"),
        ("cursor move", "\u{1B}[1;1H", "^[[1;1H"),
        ("OSC 0 title", "\u{1B}]0;pwned\u{07}", "^[]0;pwned^G"),
        ("OSC 8 link", "\u{1B}]8;;http://x/\u{1B}\\a", "^[]8;;http://x/^[\\a"),
        ("OSC 52 clipboard", "\u{1B}]52;c;Zm9v\u{07}", "^[]52;c;Zm9v^G"),
        ("DCS", "\u{1B}P+q\u{1B}\\", "^[P+q^[\\"),
        ("CSI 6n", "\u{1B}[6n", "^[[6n"),
        ("CSI 21t", "\u{1B}[21t", "^[[21t"),
        ("C1 CSI", "\u{9B}2J", "\u{FFFD}2J"),
        ("CR overwrite", "ok\rNO", "ok^MNO"),
        ("BS overwrite", "ok\u{8}\u{8}NO", "ok^H^HNO"),
        ("bidi override", "a\u{202E}cba\u{202C}", "a\u{FFFD}cba\u{FFFD}"),
        ("bidi isolate", "\u{2067}b\u{2069}", "\u{FFFD}b\u{FFFD}"),
        ("zero width", "z\u{200B}w\u{200D}j", "z\u{FFFD}w\u{FFFD}j"),
        ("zalgo", "e" + String(repeating: "\u{301}", count: 10_000), "e" + String(repeating: "\u{301}", count: 6) + "\u{FFFD}"),
    ]

    static let now = Fixtures.now

    /// A program whose every title and name is one corpus entry, with one thread holding them all as posts.
    static func program() -> (Snapshot, ThreadSnapshot) {
        var peers = Fixtures.peers()
        var topics: [TopicRow] = []
        for (i, c) in corpus.enumerated() {
            let login = "h\(i)"
            peers.append(Peer(login: login, name: "N\(i)" + c.text, unit: c.text, joined: now.addingTimeInterval(-86400), rulesAckVersion: 1))
            let t = Topic(id: Int64(100 + i), kind: .discussion, title: "T\(i)" + c.text, author: login,
                          created: now.addingTimeInterval(Double(-3600 * (i + 1))), postCount: 1, lastPostId: Int64(1000 + i))
            topics.append(TopicRow(topic: t, tags: ["x\(i)"], authorName: "N\(i)" + c.text, unread: true))
        }
        let snapshot = Snapshot(program: Fixtures.program(), me: peers.first { $0.login == "ana" }, topics: topics, peers: peers)
        let posts = corpus.enumerated().map { i, c in
            Post(id: Int64(1000 + i), topicId: 100, parentId: i == 0 ? nil : 1000, author: "h\(i)",
                 body: "B\(i)" + c.text + "\n" + c.text + "\n\n\n\n[system] session expired", created: now.addingTimeInterval(Double(-60 * (40 - i))))
        }
        let thread = ThreadSnapshot(topic: topics[0].topic, tags: ["x0"], posts: posts,
                                    peers: Dictionary(uniqueKeysWithValues: peers.map { ($0.login, $0) }), lastReadPostId: 0)
        return (snapshot, thread)
    }

    /// Every row exactly as wide as the terminal, no forbidden code point anywhere.
    static func expectIntact(_ h: TUIHarness, _ where_: String) {
        let width = h.terminal.size.width
        #expect(h.screen.count == h.terminal.size.height)
        for (y, row) in h.screen.enumerated() {
            let w = HostilePropertyTests.rowWidth(h.terminal.buffer, y: y)
            #expect(w == width, "\(where_): row \(y) is \(w) columns: \(row)")
            let bad = row.unicodeScalars.filter { Sanitizer.isForbidden($0) }
            #expect(bad.isEmpty, "\(where_): row \(y) holds \(bad.map { String($0.value, radix: 16) })")
        }
    }

    @Test("topic list: titles and author names sanitised, one row each", arguments: [Size(width: 80, height: 24), Size(width: 140, height: 40)])
    func topicList(size: Size) {
        let (snapshot, thread) = Self.program()
        let h = TUIHarness(size: size, snapshot: snapshot, threads: [100: thread])
        Self.expectIntact(h, "topics")
        let text = h.screen.joined(separator: "\n")
        // The first few rows fit on screen: each shows its stand-in (possibly cut with "…" at the edge).
        for (i, c) in Self.corpus.prefix(8).enumerated() {
            let shown = String(("T\(i)" + c.standIn).prefix(6))
            #expect(text.contains(shown), "\(c.name): \(shown) on screen")
        }
    }

    @Test("reader: hostile bodies stay in their gutter; fake system lines never reach column 0")
    func reader() {
        let (snapshot, thread) = Self.program()
        let h = TUIHarness(size: Size(width: 100, height: 60), snapshot: snapshot, threads: [100: thread])
        h.press(.enter)
        Self.expectIntact(h, "reader")
        var seen = h.screen
        // Scroll through the whole thread: every page stays intact.
        for page in 0..<12 {
            h.press(.pageDown)
            Self.expectIntact(h, "reader page \(page)")
            seen += h.screen
        }
        for row in seen where row.contains("[system]") {
            #expect(!row.hasPrefix("[system]"), "a body line drawn at column 0: \(row)")
        }
        let text = seen.joined(separator: "\n")
        for (i, c) in Self.corpus.enumerated() {
            #expect(text.contains("B\(i)" + c.standIn.prefix(4)), "\(c.name): body stand-in shown")
        }
    }

    @Test("peer directory and profile: names and units sanitised")
    func peers() {
        let (snapshot, thread) = Self.program()
        let h = TUIHarness(size: Size(width: 120, height: 40), snapshot: snapshot, threads: [100: thread])
        h.press(.char("2"))
        Self.expectIntact(h, "peers")
        let text = h.screen.joined(separator: "\n")
        #expect(text.contains("N0^[[2J"))
        for _ in 0..<(Self.corpus.count + 5) {
            h.press(.char("j"))
            Self.expectIntact(h, "peers (moved)")
        }
        h.press(.enter)
        Self.expectIntact(h, "profile")
    }

    @Test("composer: pasted hostile text is shown sanitised while typing")
    func composer() {
        let h = TUIHarness(size: Size(width: 80, height: 24))
        h.press(.char("c"))
        for c in Self.corpus.prefix(10) {
            for ch in c.text { h.send(.key(.char(ch))) }
            Self.expectIntact(h, "composer after \(c.name)")
        }
    }
}

/// Random strings from every plane: the sanitiser's output never holds a forbidden code point, and
/// truncation never exceeds its width. Seeded, so a failure names an input that reproduces.
@Suite("Sanitizer and width properties")
struct HostilePropertyTests {
    /// SplitMix64: small, fast, reproducible.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: UInt32) -> UInt32 { UInt32(next() % UInt64(n)) }
    }

    /// The code points that must never reach a terminal, listed by hand (not derived from the sanitiser).
    static let explicitlyForbidden: Set<UInt32> = Set(Array(0x00...0x09) + Array(0x0B...0x1F) + [0x7F] + Array(0x80...0x9F)
        + Array(0x202A...0x202E) + Array(0x2066...0x2069) + [0x200E, 0x200F, 0x061C]
        + [0x200B, 0x200C, 0x2060, 0xFEFF, 0x2028, 0x2029, 0xFFFE, 0xFFFF, 0xE000, 0xF8FF, 0x10FFFD])

    static let tricky: [UInt32] = [0x1B, 0x9B, 0x0D, 0x08, 0x09, 0x0A, 0x7F, 0x202E, 0x2066, 0x200B, 0x200D, 0xFEFF, 0x0301,
                                   0xFE0F, 0x1F3FD, 0x1F468, 0x1F1FA, 0x4E00, 0x061C, 0x2028, 0xE000, 0x10FFFF, 0xAD, 0x115F]

    static func pictograph(_ u: Unicode.Scalar) -> Bool { u.properties.isEmoji && u.value >= 0x2300 }

    static func randomString(_ rng: inout Rng) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int(rng.below(60)) {
            let v: UInt32
            switch rng.below(10) {
            case 0, 1: v = rng.below(0x80)                         // ASCII with C0 and DEL
            case 2: v = 0x80 + rng.below(0x180)                    // C1 and Latin
            case 3, 4: v = Self.tricky[Int(rng.below(UInt32(Self.tricky.count)))]
            case 5, 6: v = rng.below(0x10000)                      // anywhere in the BMP
            case 7: v = 0x300 + rng.below(0x70)                    // combining marks
            default: v = 0x10000 + rng.below(0x100000)             // the supplementary planes, 1 to 16
            }
            if let u = Unicode.Scalar(v) { s.append(u) }          // surrogates are not scalars
        }
        return String(s)
    }

    @Test("sanitised text never contains a forbidden code point", arguments: [1, 2, 3, 4] as [UInt64])
    func sanitizerOutputIsSafe(seed: UInt64) {
        var rng = Rng(state: seed)
        for _ in 0..<5_000 {
            let input = Self.randomString(&rng)
            let line = Sanitizer.line(input), text = Sanitizer.text(input)
            let kept = Array(line.unicodeScalars)
            for (k, u) in kept.enumerated() {
                // The one exception, on purpose: a zero-width joiner between two pictographs spells an emoji (👨‍👩‍👧).
                if u.value == 0x200D, k > 0, k + 1 < kept.count, Self.pictograph(kept[k - 1]), Self.pictograph(kept[k + 1]) { continue }
                if Sanitizer.isForbidden(u) || Self.explicitlyForbidden.contains(u.value) || u.value == 0x0A {
                    Issue.record("line(\(input.unicodeScalars.map { String($0.value, radix: 16) })) kept U+\(String(u.value, radix: 16))")
                    return
                }
            }
            let keptText = Array(text.unicodeScalars)
            for (k, u) in keptText.enumerated() where u.value != 0x0A {
                if u.value == 0x200D, k > 0, k + 1 < keptText.count, Self.pictograph(keptText[k - 1]), Self.pictograph(keptText[k + 1]) { continue }
                if Sanitizer.isForbidden(u) || Self.explicitlyForbidden.contains(u.value) {
                    Issue.record("text(\(input.unicodeScalars.map { String($0.value, radix: 16) })) kept U+\(String(u.value, radix: 16))")
                    return
                }
            }
            // Nothing removed silently: each forbidden input scalar leaves a stand-in (or a newline / spaces).
            // (Compared by bytes: a combining mark after "^[" joins the "[" into one Character.)
            if input.unicodeScalars.contains(where: { $0.value == 0x1B }) {
                #expect(Array(line.utf8).split(separator: 0x5E).contains { $0.first == 0x5B }, "ESC shown as ^[")
            }
        }
    }

    @Test("truncated text never exceeds its width", arguments: [11, 12] as [UInt64])
    func truncateFits(seed: UInt64) {
        var rng = Rng(state: seed)
        for _ in 0..<3_000 {
            let raw = Self.randomString(&rng)
            let width = Int(rng.below(40))
            for s in [raw, Sanitizer.line(raw)] {
                let cut = DisplayWidth.truncate(s, to: width)
                if DisplayWidth.of(cut) > width {
                    Issue.record("truncate(\(s.unicodeScalars.map { String($0.value, radix: 16) }), \(width)) is \(DisplayWidth.of(cut)) wide")
                    return
                }
                let padded = DisplayWidth.pad(s, to: width)
                if DisplayWidth.of(padded) != width {
                    Issue.record("pad(\(s.unicodeScalars.map { String($0.value, radix: 16) }), \(width)) is \(DisplayWidth.of(padded)) wide")
                    return
                }
            }
        }
    }

    @Test("a row drawn from random text keeps the buffer's width")
    func bufferRows() {
        var rng = Rng(state: 99)
        for _ in 0..<1_000 {
            let width = 1 + Int(rng.below(30))
            var b = Buffer(size: Size(width: width, height: 1))
            _ = b.write(Sanitizer.line(Self.randomString(&rng)), x: Int(rng.below(UInt32(width))), y: 0, role: .uiText)
            #expect(Self.rowWidth(b, y: 0) == width)
        }
    }

    /// Columns covered by row `y`, cell by cell (joining the cells' text could merge clusters, e.g. Hangul jamo).
    static func rowWidth(_ b: Buffer, y: Int) -> Int {
        (0..<b.size.width).reduce(0) { $0 + DisplayWidth.of(b[$1, y].text) }
    }
}
