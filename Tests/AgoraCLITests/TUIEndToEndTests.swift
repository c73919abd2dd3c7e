import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The full-screen program as people use it over SSH: the real binary in tmux, keys in, screens out.
@Suite(.serialized, .enabled(if: TmuxSession.available, "tmux is not installed: the end-to-end TUI tests need it"))
struct TUIEndToEndTests {
    /// A row of the topics list: its title (as far as the list shows it) and its reply count.
    struct ListedTopic { var title: String; var replies: Int }

    static func listedTopics(_ screen: String) -> [ListedTopic] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { showsList(String($0)) }) else { return [] }
        var rows: [ListedTopic] = []
        for line in lines[(header + 1)...] {
            let words = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 4, ["idea", "concern", "resource", "request", "discussion"].contains(String(words[0])),
                  let replies = Int(words[words.count - 2]) else { continue }
            // After the unread marker: the kind, spaces, then the title up to the next run of spaces.
            let chars = Array(line.dropFirst(2))
            var i = 0
            while i < chars.count && chars[i] == " " { i += 1 }
            while i < chars.count && chars[i] != " " { i += 1 }
            while i < chars.count && chars[i] == " " { i += 1 }
            var rest = Substring(String(chars[i...]))
            if let cut = rest.range(of: "  ") { rest = rest[..<cut.lowerBound] }
            var title = String(rest)
            for marker in ["…", " ["] { if let r = title.range(of: marker) { title = String(title[..<r.lowerBound]) } }
            rows.append(ListedTopic(title: title.trimmingCharacters(in: .whitespaces), replies: replies))
        }
        return rows
    }

    /// Whether the topic list is on screen: its title row ("Topics (300) · unread first"); the tabs say "Topics (6)"
    /// on every screen.
    static func showsList(_ screen: String) -> Bool {
        screen.contains(" · unread first") || screen.contains(" · by activity")
    }

    /// Opens the topic titled `title` from the list: to the top with g, then down with j to its row (after a
    /// j and a k, as fingers do). The row is looked up on the settled screen, since live updates reorder the list.
    static func open(_ tmux: TmuxSession, title: String, sourceLocation: SourceLocation = #_sourceLocation) {
        tmux.press("g")
        let rows = listedTopics(tmux.settled().joined(separator: "\n"))
        guard let index = rows.firstIndex(where: { $0.title == title }) else {
            Issue.record("'\(title)' is not on the list: \(rows.map(\.title))", sourceLocation: sourceLocation)
            return
        }
        tmux.press("j")
        tmux.press("k")
        for _ in 0..<index { tmux.press("j") }
        tmux.press("Enter")
        tmux.waitFor("the reader on '\(title)'", sourceLocation: sourceLocation) { s in
            s.split(separator: "\n").prefix(5).contains { $0.contains("] ") && $0.contains(title) } && !Self.showsList(s)
        }
    }

    @Test func welcomeDemoNavigateReplyLiveResizeQuit() throws {
        let cli = try CLI()
        let a = try TmuxSession(cli: cli)

        // A fresh database opens on the welcome screen; `d` fills the demo and shows the topics.
        a.startAgora(as: "lea")
        a.waitFor("the welcome screen") { $0.contains("Welcome to Agora") && $0.contains("explore a demo program") }
        a.press("d")
        // The demo has rules of engagement, and its newcomer meets them first.
        let rules = a.waitFor("the demo's rules") { $0.contains("rules of engagement (version 1)") }
        #expect(rules.contains("Please read them and accept them to post."))
        a.press("a")
        let list = a.waitFor("the demo's topics") { Self.showsList($0) && Self.listedTopics($0).count >= 10 }
        #expect(list.contains("Peer Mentoring Circle (demo)"))
        #expect(list.contains("lea · leader"))

        // Pick a short thread (so its replies fit on one screen) below the first row, and open it with j/k/Enter.
        let rows = Self.listedTopics(list)
        let index = try #require(rows.indices.first { $0 >= 1 && rows[$0].replies <= 2 && rows[$0].title.count >= 12 },
                                 "a short thread in \(rows)")
        let title = rows[index].title
        Self.open(a, title: title)

        // A second session on the same database, in the same thread.
        let b = try TmuxSession(cli: cli)
        b.startAgora(as: "lea")
        b.waitFor("the second session's topics") { Self.listedTopics($0).count >= 10 }
        Self.open(b, title: title)
        let bBefore = b.settled().joined(separator: "\n")
        #expect(!bBefore.contains("Zebracorn"))

        // r opens the composer; typed text and Ctrl-X send the reply, which shows in the thread.
        a.press("r")
        a.waitFor("the reply composer") { $0.contains("Ctrl-X send") }
        a.type("Zebracorn reply typed in tmux")
        a.press("C-x")
        a.waitFor("the sent reply in the thread") { $0.contains("Zebracorn reply typed in tmux") && !$0.contains("Ctrl-X send") }
        let hits = try #require(try cli.json(["search", "zebracorn"], as: "lea") as? [[String: Any]])
        #expect(hits.count == 1)

        // The other session sees the reply arrive without a key press.
        b.waitFor("the reply to appear in the second session") { $0.contains("Zebracorn reply typed in tmux") }

        // Back on its list, the second session sees a post made with `agora post` appear, still without a key.
        // Someone else posts it, so it is unread for lea and sorts to the top of her list.
        b.press("q")
        b.waitFor("the second session's list") { Self.showsList($0) }
        try cli.must(["peer", "add", "zed", "--name", "Zed Newcomer"], as: "lea")
        try cli.must(["rules", "ack"], as: "zed")   // the demo has rules: a newcomer accepts them before posting
        let posted = try cli.must(["post", "--kind", "idea", "--title", "Xylophone night for the whole circle", "--body", "Who plays?"],
                                  as: "zed")
        #expect(Int(posted.text) != nil)
        b.waitFor("the CLI post to appear in the second session") { $0.contains("Xylophone night") }

        // Resize to 200x50 and back: the screen reflows, and at 80x24 again it is what it was, with nothing left over.
        a.press("q")
        let before = a.waitFor("the first session's list with the new post") { Self.showsList($0) && $0.contains("Xylophone night") }
        let settledBefore = a.settled()
        a.resize(width: 200, height: 50)
        let wide = a.waitFor("the layout at 200x50") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 50 && lines.contains { $0.count > 120 } && Self.showsList(s)
        }
        #expect(wide.contains("Xylophone night for the whole circle"))   // wide enough for the whole title
        a.resize(width: 80, height: 24)
        a.waitFor("the layout back at 80x24") { $0 == settledBefore.joined(separator: "\n") }
        #expect(a.settled() == settledBefore, "before:\n\(before)")

        // Too small: one line asking for more room; enlarged again, the screen comes back.
        a.resize(width: 30, height: 8)
        a.waitFor("the enlarge message") { $0.contains("enlarge the window") }
        a.resize(width: 80, height: 24)
        a.waitFor("the list again after enlarging") { Self.showsList($0) && !$0.contains("enlarge the window") }
        // The list may keep the scroll it needed while small; what must hold is that the flushed screen is exactly
        // what a full repaint (Ctrl-L) draws: nothing left over from the small layout.
        let enlarged = a.settled()
        #expect(enlarged.first == settledBefore.first)
        a.press("C-l")
        #expect(a.settled() == enlarged)

        // q from the top quits; the shell is back, the terminal sane (echo and canonical mode on).
        a.press("q")
        a.waitFor("the shell after quitting") { !Self.showsList($0) && $0.contains("$") }
        #expect(a.currentCommand() == "sh")
        a.type("stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon | tr '\\n' ' '; echo END")
        a.press("Enter")
        let stty = a.waitFor("stty's answer") { $0.split(separator: "\n").contains { $0.hasSuffix("END") && !$0.contains("stty") } }
        let modes = stty.split(separator: "\n").first { $0.hasSuffix("END") && !$0.contains("stty") }?.split(separator: " ") ?? []
        #expect(modes.contains("echo") && modes.contains("icanon"), "terminal modes after quitting:\n\(stty)")
        b.press("q")
        b.waitFor("the second session's shell") { !Self.showsList($0) }
    }

    /// The real binary under tmux, sent the bytes a terminal sends for the mouse (SGR reports, as xterm-256color's
    /// terminfo names them): a click on a tab opens the pane, the wheel moves three rows, a click selects a row; with
    /// `mouse = false` the terminal is never asked for mouse reports.
    @Test func theMouseClicksTabsAndRowsAndTheWheelScrolls() throws {
        let cli = try CLI()
        try cli.must(["demo", "--peers", "10", "--topics", "20", "--posts", "40"], as: "lea")
        let t = try TmuxSession(cli: cli)
        // The terminal type whose terminfo names SGR mouse reports, which the bytes below are (inside tmux a real
        // mouse comes as whatever mode the program asked for).
        t.type("TERM=xterm-256color '\(CLI.binary)' --as lea")
        t.press("Enter")
        t.waitFor("the topics") { Self.showsList($0) }
        #expect(try t.tmux(["display-message", "-p", "-t", "main", "#{mouse_sgr_flag}"]).hasPrefix("1"))
        func mouse(_ button: Int, x: Int, y: Int) { t.type("\u{1B}[<\(button);\(x + 1);\(y + 1)M\u{1B}[<\(button);\(x + 1);\(y + 1)m") }
        mouse(0, x: 20, y: 5)   // the list's third row
        t.waitFor("the third row selected") { $0.split(separator: "\n", omittingEmptySubsequences: false)[5].hasPrefix("▌") }
        mouse(65, x: 20, y: 5)  // the wheel, down: three rows on
        t.waitFor("the sixth row selected") { $0.split(separator: "\n", omittingEmptySubsequences: false)[8].hasPrefix("▌") }
        mouse(0, x: 18, y: 1)   // "2 Peers" on the tabs row
        t.waitFor("the peer directory") { $0.contains("Peers (") }
        t.press("q")
        t.waitFor("the shell after quitting") { !$0.contains("Peers (") }

        // `mouse = false`: the terminal is not asked for mouse reports at all (its own selection works as ever).
        #expect(try t.tmux(["display-message", "-p", "-t", "main", "#{mouse_sgr_flag}"]).hasPrefix("0"))
        let config = cli.dir.appendingPathComponent(".config/agora")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "mouse = false\n".write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        // The terminal type whose terminfo names SGR mouse reports, which the bytes below are (inside tmux a real
        // mouse comes as whatever mode the program asked for).
        t.type("XDG_CONFIG_HOME='\(cli.dir.path)/.config' TERM=xterm-256color '\(CLI.binary)' --as lea")
        t.press("Enter")
        t.waitFor("the topics again") { Self.showsList($0) }
        #expect(try t.tmux(["display-message", "-p", "-t", "main", "#{mouse_sgr_flag}"]).hasPrefix("0"))
    }

    /// Issue 14's end to end: bo mentions ana from the command line; ana's open session shows it without a key, her
    /// inbox lists it, Enter lands on the post.
    @Test func aMentionReachesTheOpenSessionAndEnterLandsOnThePost() throws {
        let cli = try CLI.withProgram()
        let t = try TmuxSession(cli: cli)
        t.startAgora(as: "ana")
        t.waitFor("ana's topics") { Self.showsList($0) || $0.contains("No topics yet") }
        #expect(!t.screen().joined(separator: "\n").contains("for you"))
        try cli.must(["post", "--kind", "idea", "--title", "Ask Ana about talks", "--body", "@ana what makes a good talk?"], as: "bo")
        t.waitFor("the count in ana's header, no key pressed") { $0.split(separator: "\n").first?.contains("1 for you") == true }
        t.press("7")
        t.waitFor("the inbox item") { $0.contains("Bo Berg") && $0.contains("mentioned you") && $0.contains("Ask Ana about talks") }
        t.press("Enter")
        let reader = t.waitFor("the post, opened") { $0.contains("] #") && $0.contains("Ask Ana about talks") && $0.contains("what makes a good talk?") }
        #expect(!(reader.split(separator: "\n").first ?? "").contains("for you"), "opened, so read")
        t.press("q", "q")
    }

    @Test func tooSmallFromTheStartRecoversWhenEnlarged() throws {
        let cli = try CLI()
        try cli.must(["demo", "--peers", "10", "--topics", "20", "--posts", "40"], as: "lea")
        let t = try TmuxSession(cli: cli, width: 36, height: 9)
        t.startAgora(as: "lea")
        t.waitFor("the enlarge message") { $0.contains("enlarge the window") }
        t.resize(width: 80, height: 24)
        t.waitFor("the topics after enlarging") { Self.showsList($0) && !$0.contains("enlarge the window") }
        t.press("q")
        t.waitFor("the shell after quitting") { !Self.showsList($0) }
    }

    @Test func aNonMemberSeesWhoLeadsTheProgram() throws {
        let cli = try CLI.withProgram()
        let t = try TmuxSession(cli: cli)
        t.startAgora(as: "stranger")
        let s = t.waitFor("the non-member screen") { $0.contains("not a member") }
        #expect(s.contains("agora peer add stranger"))
        #expect(s.contains("lea"))
        t.press("q")
        t.waitFor("the shell after quitting") { !$0.contains("not a member") }
    }
}
