import AgoraCore
import Foundation
import Testing

/// Text written to attack the reader's terminal (CVE-2024-28085 wall escapes, CVE-2021-42574 Trojan
/// Source, OSC 52 clipboard writes...), posted through the real CLI and read back through every
/// command that prints user text. What leaves the program must hold no control byte but newline,
/// no DEL, no C1, no bidi or zero-width code point, keep its row layout, and show a stand-in.
struct HostileCase: Sendable, CustomStringConvertible {
    var name: String
    var text: String
    /// What a reader sees instead, in one-line text (titles, names).
    var standIn: String
    var description: String { name }

    static let corpus: [HostileCase] = [
        .init(name: "clear screen ESC[2J", text: "\u{1B}[2J", standIn: "^[[2J"),
        .init(name: "cursor moves", text: "\u{1B}[10;10H\u{1B}[3A", standIn: "^[[10;10H^[[3A"),
        .init(name: "OSC 0 title", text: "\u{1B}]0;pwned\u{07}", standIn: "^[]0;pwned^G"),
        .init(name: "OSC 2 title", text: "\u{1B}]2;title\u{1B}\\", standIn: "^[]2;title^[\\"),
        .init(name: "OSC 8 hyperlink", text: "\u{1B}]8;;http://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\", standIn: "^[]8;;http://evil.example/^[\\click"),
        .init(name: "OSC 52 clipboard", text: "\u{1B}]52;c;cm0gLXJmIH4K\u{07}", standIn: "^[]52;c;cm0gLXJmIH4K^G"),
        .init(name: "DCS", text: "\u{1B}P1$qm\u{1B}\\", standIn: "^[P1$qm^[\\"),
        .init(name: "CSI 6n status request", text: "\u{1B}[6n", standIn: "^[[6n"),
        .init(name: "CSI 21t title report", text: "\u{1B}[21t", standIn: "^[[21t"),
        .init(name: "8-bit C1 CSI U+009B", text: "\u{9B}31mred", standIn: "\u{FFFD}31mred"),
        .init(name: "carriage return overwrite", text: "innocent\rEVIL", standIn: "innocent^MEVIL"),
        .init(name: "backspace overwrite", text: "abc\u{8}\u{8}\u{8}XYZ", standIn: "abc^H^H^HXYZ"),
        .init(name: "tab", text: "a\tb", standIn: "a b"),
        .init(name: "bidi override (Trojan Source)", text: "access\u{202E}nimda\u{202C}", standIn: "access\u{FFFD}nimda\u{FFFD}"),
        .init(name: "bidi isolates", text: "\u{2066}left\u{2069}\u{2067}right\u{2069}", standIn: "\u{FFFD}left\u{FFFD}\u{FFFD}right\u{FFFD}"),
        .init(name: "zero-width joiners and spaces", text: "pay\u{200D}pal\u{200B}x\u{FEFF}y\u{2060}z", standIn: "pay\u{FFFD}pal\u{FFFD}x\u{FFFD}y\u{FFFD}z"),
        .init(name: "DEL", text: "rm\u{7F}x", standIn: "rm^?x"),
        .init(name: "newline in a one-line field", text: "first\nsecond", standIn: "first\u{2424}second"),
        .init(name: "10,000 combining marks on one letter", text: "e" + String(repeating: "\u{301}", count: 10_000),
              standIn: "e" + String(repeating: "\u{301}", count: Sanitizer.maxCombiningMarks) + "\u{FFFD}"),
    ]
}

/// The corpus posted once: topic i has title "Ti <text>", body "Bi <text>\nsecond line", by peer pi named "Ni <text>".
final class HostileProgram: @unchecked Sendable {
    let agora: HostileAgora
    var topicIds: [Int64] = []

    static let shared: Result<HostileProgram, Error> = Result { try HostileProgram() }

    private init() throws {
        agora = try HostileAgora.withProgram(label: "hostile-text")
        for (i, c) in HostileCase.corpus.enumerated() {
            try agora.must(["peer", "add", "p\(i)", "--name", "N\(i) " + c.text])
            let r = try agora.must(["post", "--kind", "discussion", "--title", "T\(i) " + c.text, "--body", "B\(i) " + c.text + "\nsecond line"],
                                   as: "p\(i)")
            guard let id = Int64(r.text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw HostileFailure("post printed \(r.text)") }
            topicIds.append(id)
        }
    }

    static func get() throws -> HostileProgram { try shared.get() }
}

@Suite("Hostile text through the CLI")
struct HostileTextTests {
    @Test("topics: every row one line, safe bytes, stand-ins visible")
    func topicsListing() throws {
        let p = try HostileProgram.get()
        let r = try p.agora.must(["topics", "--limit", "500"])
        #expect(TerminalSafety.problems(r.out) == [])
        let lines = r.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == HostileCase.corpus.count, "one row per topic: a hostile title must not add or swallow rows")
        for line in lines { #expect(line.first == "*" || line.first?.isNumber == true, "row starts with its id: \(line.prefix(40))") }
        for (i, c) in HostileCase.corpus.enumerated() {
            #expect(r.text.contains("T\(i) " + c.standIn), "\(c.name): stand-in shown in the listing")
        }
    }

    @Test("show: bodies stay inside the gutter, title on one line", arguments: HostileCase.corpus.indices)
    func showThread(index: Int) throws {
        let p = try HostileProgram.get()
        let c = HostileCase.corpus[index]
        let r = try p.agora.must(["show", "\(p.topicIds[index])"])
        #expect(TerminalSafety.problems(r.out) == [], "\(c.name)")
        let lines = r.text.split(separator: "\n", omittingEmptySubsequences: false)
        let head = lines.first.map(String.init) ?? ""
        #expect(head.hasPrefix("#\(p.topicIds[index]) [discussion, open] T\(index) " + c.standIn), "\(c.name): \(head.prefix(60))")
        // The body: "B<i> ..." then "second line"; each body line indented (user text never reaches column 0).
        let bodyLines = lines.filter { $0.contains("B\(index) ") || $0.hasSuffix("second line") }
        #expect(bodyLines.count == (c.text.contains("\n") ? 2 : 2))
        for l in bodyLines { #expect(l.hasPrefix("  "), "\(c.name): body line in the gutter: \(l.prefix(30))") }
        #expect(lines.contains { $0.contains("N\(index) " + c.standIn) && $0.contains("(p\(index))") }, "author name sanitised, login beside it")
    }

    @Test("peer list: one row per peer, names sanitised")
    func peerList() throws {
        let p = try HostileProgram.get()
        let r = try p.agora.must(["peer", "list"])
        #expect(TerminalSafety.problems(r.out) == [])
        let lines = r.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == HostileCase.corpus.count + 1)
        for (i, c) in HostileCase.corpus.enumerated() {
            #expect(lines.contains { $0.hasPrefix("p\(i) ") && $0.contains("N\(i) " + c.standIn) }, "\(c.name)")
        }
    }

    @Test("search: hits and snippets are safe; tabs appear only as the column separators")
    func search() throws {
        let p = try HostileProgram.get()
        let r = try p.agora.must(["search", "second", "--limit", "100"])
        let lines = r.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(!lines.isEmpty)
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            // "ID<TAB>KIND<TAB>TITLE" or "<TAB>SNIPPET": the program's own separators, for cut(1).
            #expect(fields.count == 3 || (fields.count == 2 && fields[0].isEmpty), "layout: \(line.prefix(60))")
            #expect(TerminalSafety.problems(Data(fields.joined(separator: " ").utf8)) == [])
        }
    }

    @Test("export markdown: safe bytes, every title shown by its stand-in")
    func exportMarkdown() throws {
        let p = try HostileProgram.get()
        let r = try p.agora.must(["export", "--format", "markdown"])
        #expect(TerminalSafety.problems(r.out) == [])
        // Markdown escapes its punctuation ("\\["): compare without the backslashes.
        let headings = r.text.split(separator: "\n").filter { $0.hasPrefix("### #") }.map { $0.replacingOccurrences(of: "\\", with: "") }
        #expect(headings.count == HostileCase.corpus.count, "one heading line per topic")
        for (i, c) in HostileCase.corpus.enumerated() {
            let want = "T\(i) " + c.standIn.replacingOccurrences(of: "\\", with: "")
            #expect(headings.contains { $0.contains(want) }, "\(c.name)")
        }
    }

    @Test("JSON (export, topics, show): safe to print, and decodes back to exactly what was written")
    func json() throws {
        let p = try HostileProgram.get()
        var outputs = [try p.agora.must(["export", "--format", "json"]), try p.agora.must(["topics", "--json", "--limit", "500"])]
        outputs += try p.topicIds.map { try p.agora.must(["show", "\($0)", "--json"]) }
        for r in outputs {
            #expect(TerminalSafety.problems(r.out) == [])
        }
        var strings = Set<String>()
        for r in outputs { collectStrings(try JSONSerialization.jsonObject(with: r.out), into: &strings) }
        for (i, c) in HostileCase.corpus.enumerated() {
            let title = ("T\(i) " + c.text).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(strings.contains(title), "\(c.name): title kept faithfully in JSON")
            #expect(strings.contains("B\(i) " + c.text + "\nsecond line"), "\(c.name): body kept faithfully in JSON")
        }
    }

    @Test("invalid UTF-8 on standard input is refused with a clear error, nothing stored")
    func invalidUTF8() throws {
        let a = try HostileAgora.withProgram(label: "hostile-utf8")
        let before = try a.must(["topics"]).text
        for bytes: [UInt8] in [[0x66, 0x6F, 0xFF, 0x6F], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82]] {
            let r = try a.run(["post", "--kind", "idea", "--title", "bytes"], stdin: Data(bytes))
            #expect(r.status != 0)
            #expect(r.errText == "agora: error: the text on standard input is not valid UTF-8 (convert it, e.g. with iconv -t UTF-8)\n")
        }
        #expect(try a.must(["topics"]).text == before)
    }

    @Test("a 60 KB line is shown as one indented line; 100 KB is over the limit")
    func longLines() throws {
        let a = try HostileAgora.withProgram(label: "hostile-long")
        let line = String(repeating: "word\u{1B}[2J ", count: 60_000 / 10)
        let id = try a.must(["post", "--kind", "idea", "--title", "long"], stdin: Data(line.utf8)).text.trimmingCharacters(in: .whitespacesAndNewlines)
        let r = try a.must(["show", id])
        #expect(TerminalSafety.problems(r.out) == [])
        let bodyLines = r.text.split(separator: "\n").filter { $0.contains("word") }
        #expect(bodyLines.count == 1)
        #expect(bodyLines.first?.hasPrefix("  word^[[2J word") == true)

        let huge = String(repeating: "x", count: 100 * 1024)
        let over = try a.run(["post", "--kind", "idea", "--title", "huge"], stdin: Data(huge.utf8))
        #expect(over.status != 0)
        #expect(over.errText.hasPrefix("agora: error: the text is 102400 bytes; the limit is 65536 (64 KiB)"))
    }

    @Test("errors and refusals echo hostile input only sanitised")
    func errorsAreSanitised() throws {
        let a = try HostileAgora.withProgram(label: "hostile-errors")
        for c in HostileCase.corpus where !c.text.contains("\n") {
            for args in [["peer", "show", "x" + c.text], ["topics", "--kind", c.text], ["post", "--kind", "idea", "--title", "t", "--tag", "x" + c.text, "--body", "b"]] {
                let r = try a.run(args)
                #expect(TerminalSafety.problems(r.err) == [], "\(c.name) in \(args[0]): \(r.errText.prefix(80))")
                #expect(TerminalSafety.problems(r.out) == [], "\(c.name) in \(args[0])")
            }
        }
    }

    private func collectStrings(_ v: Any, into set: inout Set<String>) {
        if let s = v as? String { set.insert(s) }
        else if let a = v as? [Any] { for x in a { collectStrings(x, into: &set) } }
        else if let d = v as? [String: Any] { for x in d.values { collectStrings(x, into: &set) } }
    }
}
