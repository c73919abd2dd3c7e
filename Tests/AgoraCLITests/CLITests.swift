import AgoraScreen
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The command line as a person or a script uses it: the built `agora` binary, its output and exit codes.
@Suite(.serialized) struct CLICommandTests {
    @Test func doneWhenFlow() throws {
        // init → peer add → post (as a peer) → topics --unanswered lists it → reply (as another)
        // → no longer unanswered → show --json contains the reply → search finds it.
        let cli = try CLI()
        let created = try cli.must(["init", "--name", "Data Guild"], as: "lea")
        #expect(created.out.contains("created 'Data Guild'"))
        try cli.must(["peer", "add", "ana", "--name", "Ana Lima"], as: "lea")
        try cli.must(["peer", "add", "bo", "--name", "Bo Berg"], as: "lea")
        let topic = try cli.must(["post", "--kind", "request", "--title", "Window functions in SQL?"], as: "ana",
                                 stdin: "How do I rank rows per group?\n").text
        #expect(Int(topic) != nil, "post prints the topic id")
        #expect(try cli.must(["topics", "--unanswered"], as: "lea").out.contains("Window functions in SQL?"))
        let reply = try cli.must(["reply", topic], as: "bo", stdin: "Use ROW_NUMBER() OVER (PARTITION BY grp).").text
        #expect(Int(reply) != nil, "reply prints the post id")
        #expect(try cli.must(["topics", "--unanswered"], as: "lea").text == "no topics")
        let thread = try #require(try cli.json(["show", topic], as: "lea") as? [String: Any])
        let posts = try #require(thread["posts"] as? [[String: Any]])
        #expect(posts.count == 2)
        #expect(posts.last?["id"] as? Int == Int(reply))
        #expect(posts.last?["body"] as? String == "Use ROW_NUMBER() OVER (PARTITION BY grp).")
        #expect(posts.last?["author"] as? String == "bo")
        #expect(posts.last?["depth"] as? Int == 1)
        let hits = try #require(try cli.json(["search", "partition"], as: "ana") as? [[String: Any]])
        #expect(hits.first?["topic_id"] as? Int == Int(topic))
        #expect(hits.first?["post_id"] as? Int == Int(reply))
    }

    @Test func initRefusesASecondProgramAndNamesTheLeader() throws {
        let cli = try CLI.withProgram()
        let leader = try #require(try cli.json(["peer", "show", "lea"], as: "lea") as? [String: Any])
        #expect(leader["role"] as? String == "leader")
        #expect(leader["name"] as? String == "Lea Leader")
    }

    @Test func peerCommands() throws {
        let cli = try CLI.withProgram()
        let list = try cli.must(["peer", "list"], as: "ana").out
        for login in ["lea", "cham", "ana", "bo", "olga"] { #expect(list.contains(login)) }
        #expect(list.split(separator: "\n").first { $0.hasPrefix("olga") }?.contains("alumni") == true)

        let emea = try #require(try cli.json(["peer", "list", "--region", "emea"], as: "ana") as? [[String: Any]])
        #expect(emea.compactMap { $0["login"] as? String } == ["ana"])
        let champions = try #require(try cli.json(["peer", "list", "--role", "champion"], as: "ana") as? [[String: Any]])
        #expect(champions.compactMap { $0["login"] as? String } == ["cham"])
        let sales = try #require(try cli.json(["peer", "list", "--unit", "Sales"], as: "ana") as? [[String: Any]])
        #expect(sales.compactMap { $0["login"] as? String } == ["bo"])

        let ana = try #require(try cli.json(["peer", "show", "ana"], as: "bo") as? [String: Any])
        #expect(ana["name"] as? String == "Ana Lima")
        #expect(ana["unit"] as? String == "Platform")
        #expect(ana["generation"] as? String == "Gen Z")
        #expect(ana["goals"] as? String == "public speaking")
        #expect(ana["offers"] as? String == "Swift")
        #expect(ana["alumni"] as? Bool == false)
        #expect(ana["joined"] as? String == "2026-11-26T10:00:00Z")
        let shown = try cli.must(["peer", "show", "ana"], as: "bo").out
        #expect(shown.hasPrefix("Ana Lima (ana)"))
        #expect(shown.contains("offers: Swift"))

        let olga = try #require(try cli.json(["peer", "show", "olga"], as: "bo") as? [String: Any])
        #expect(olga["alumni"] as? Bool == true)
        #expect(olga["left"] as? String == "2026-11-26T10:00:00Z")
    }

    @Test func peerImportAddsEveryRow() throws {
        let cli = try CLI.withProgram()
        let csv = cli.dir.appendingPathComponent("peers.csv")
        try "\u{FEFF}login,name,unit,region,generation,role,goals,offers\r\ncy,\"Cy, the Second\",Ops,EMEA,Gen X,champion,\"learn\nSQL\",Excel\r\ndee,Dee,,,,,,\r\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        let r = try cli.must(["peer", "import", csv.path], as: "lea")
        #expect(r.text == "imported 2 peers")
        let cy = try #require(try cli.json(["peer", "show", "cy"], as: "lea") as? [String: Any])
        #expect(cy["name"] as? String == "Cy, the Second")
        #expect(cy["role"] as? String == "champion")
        #expect(cy["goals"] as? String == "learn\nSQL")
        #expect((try cli.json(["peer", "show", "dee"], as: "lea") as? [String: Any])?["role"] as? String == "peer")
    }

    @Test func peerImportReportsEveryBadRowByLineAndImportsNothing() throws {
        let cli = try CLI.withProgram()
        let before = try cli.snapshot()
        let csv = cli.dir.appendingPathComponent("peers.csv")
        try """
        login,name,role,goals
        good1,Good One,peer,x
        9bad,Bad Login,peer,x
        good2,Good Two,boss,x
        ana,Already Here,peer,x
        good3,"Multi
        line",peer,"spans
        lines"
        good4,,peer,x
        good1,Twice,peer,x
        short,row

        """.write(to: csv, atomically: true, encoding: .utf8)
        let r = try cli.run(["peer", "import", csv.path], as: "lea")
        #expect(!r.ok)
        #expect(r.errLines.count == 1, "\(r)")
        #expect(r.err.hasPrefix("agora: error: nothing imported"))
        for line in [3, 4, 5, 9, 10, 11] { #expect(r.err.contains("line \(line):"), "line \(line) reported: \(r.err)") }
        for line in [2, 6] { #expect(!r.err.contains("line \(line):"), "line \(line) is fine: \(r.err)") }
        #expect(r.err.contains("9bad"))
        #expect(r.err.contains("boss"))
        #expect(try cli.snapshot() == before)
    }

    /// Tables are measured and padded by display width: emoji, a ZWJ family, combining marks and CJK keep every
    /// character whole and the next column starts at the same screen column in every row.
    @Test func peerListKeepsWideAndCombinedNamesWholeAndColumnsAligned() throws {
        let cli = try CLI.withProgram()
        let already = try cli.must(["peer", "list"], as: "lea").text.split(separator: "\n").count
        let names = ["em": "😀😀😀", "fam": "👨‍👩‍👧‍👦 Family", "zed": "Ze̷̢̛d Join", "li": "李小龙", "long": String(repeating: "长", count: 30)]
        for (login, name) in names.sorted(by: { $0.key < $1.key }) {
            try cli.must(["peer", "add", login, "--name", name, "--unit", "U"], as: "lea")
        }
        let out = try cli.must(["peer", "list"], as: "lea").text
        #expect(!out.unicodeScalars.contains("\u{FFFD}"), "a character was split: \(out)")
        for login in ["em", "fam", "zed", "li"] { #expect(out.contains(names[login]!), "\(login)'s name whole: \(out)") }
        // 30 wide characters are 60 columns: cut at 40, with "…", at a character.
        #expect(out.contains(String(repeating: "长", count: 19) + "…"))
        // The role column starts at one screen column on every row.
        let starts = out.split(separator: "\n").compactMap { line -> Int? in
            guard let r = line.range(of: "  peer") ?? line.range(of: "  leader") ?? line.range(of: "  champion") else { return nil }
            return DisplayWidth.of(String(line[..<r.lowerBound]))
        }
        #expect(starts.count == names.count + already, "\(out)")
        #expect(Set(starts).count == 1, "columns misaligned: \(out)")
    }

    @Test func peerLeaveKeepsHistory() throws {
        let cli = try CLI.withProgram()
        let topic = try cli.must(["post", "--kind", "idea", "--title", "Before I go", "--body", "thanks all"], as: "bo").text
        #expect(try cli.must(["peer", "leave", "bo"], as: "lea").text == "bo is now alumni")
        let shown = try cli.must(["show", topic], as: "lea").out
        #expect(shown.contains("Bo Berg (bo, alumni)"))
        #expect(shown.contains("thanks all"))
    }

    @Test func postAndReplyReadBodiesFromStandardInputOrBody() throws {
        let cli = try CLI.withProgram()
        let t = try cli.must(["post", "--kind", "resource", "--title", "  Reading list  ", "--tag", "Learning", "--tag", "books,career"],
                             as: "ana", stdin: "Line one\nLine two\n").text
        let r1 = try cli.must(["reply", t, "--body", "Thanks!"], as: "bo").text
        let r2 = try cli.must(["reply", t, "--to", r1], as: "ana", stdin: "You're welcome").text
        let thread = try #require(try cli.json(["show", t], as: "lea") as? [String: Any])
        let topic = try #require(thread["topic"] as? [String: Any])
        #expect(topic["title"] as? String == "Reading list")
        #expect(topic["tags"] as? [String] == ["books", "career", "learning"])
        #expect(topic["kind"] as? String == "resource")
        #expect(topic["status"] as? String == "answered")
        #expect(topic["posts"] as? Int == 3)
        #expect(topic["replies"] as? Int == 2)
        #expect(topic["created"] as? String == "2026-11-26T10:00:00Z")
        let posts = try #require(thread["posts"] as? [[String: Any]])
        #expect(posts.map { $0["body"] as? String } == ["Line one\nLine two", "Thanks!", "You're welcome"])
        #expect(posts.map { $0["depth"] as? Int } == [0, 1, 2])
        #expect(posts[2]["parent_id"] as? Int == Int(r1))
        #expect(posts[2]["id"] as? Int == Int(r2))
    }

    @Test func showDrawsTheThreadAsATree() throws {
        let cli = try CLI.withProgram()
        let t = try cli.must(["post", "--kind", "discussion", "--title", "Remote stand-ups", "--body", "How do you run them?"], as: "ana").text
        let a = try cli.must(["reply", t, "--body", "Async, in a channel."], as: "bo").text
        try cli.must(["reply", t, "--to", a, "--body", "Same here."], as: "cham")
        try cli.must(["reply", t, "--body", "Short video calls."], as: "lea")
        let out = try cli.must(["show", t], as: "ana").out
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "#\(t) [discussion, answered] Remote stand-ups")
        let headers = lines.filter { $0.contains("] ") && $0.contains("just now") }
        #expect(headers.count == 4)
        #expect(headers[1].hasPrefix("├─ [") && headers[1].contains("Bo Berg (bo)"))
        #expect(headers[2].hasPrefix("│  └─ [") && headers[2].contains("Cham Pion (cham)"))
        #expect(headers[3].hasPrefix("└─ [") && headers[3].contains("Lea Leader (lea)"))
        #expect(lines.contains("│       Same here."))
    }

    @Test func topicsListsFiltersAndJSON() throws {
        let cli = try CLI.withProgram()
        let idea = try cli.must(["post", "--kind", "idea", "--title", "Lightning talks", "--tag", "talks", "--body", "x"], as: "ana").text
        cli.now = "2026-11-26T11:00:00Z"
        let req = try cli.must(["post", "--kind", "request", "--title", "Need a mentor", "--tag", "career", "--body", "y"], as: "bo").text
        cli.now = "2026-11-26T12:00:00Z"
        let list = try #require(try cli.json(["topics"], as: "ana") as? [[String: Any]])
        #expect(list.compactMap { $0["id"] as? Int } == [Int(req)!, Int(idea)!])   // newest activity first
        #expect(list.first?["unread"] as? Bool == true)
        #expect(list.last?["unread"] as? Bool == false)   // her own post
        #expect(list.first?["author_name"] as? String == "Bo Berg")
        #expect(list.first?["last_activity"] as? String == "2026-11-26T11:00:00Z")
        #expect(Set(list.first!.keys) == ["id", "kind", "title", "author", "author_name", "status", "tags", "created", "last_activity",
                                            "posts", "replies", "unread"])
        let ideas = try #require(try cli.json(["topics", "--kind", "idea"], as: "ana") as? [[String: Any]])
        #expect(ideas.compactMap { $0["id"] as? Int } == [Int(idea)!])
        let career = try #require(try cli.json(["topics", "--tag", "career"], as: "ana") as? [[String: Any]])
        #expect(career.compactMap { $0["id"] as? Int } == [Int(req)!])
        let text = try cli.must(["topics"], as: "ana").out
        #expect(text.contains("Need a mentor  [career]"))
        #expect(text.contains("1h"))
    }

    @Test func searchRanksTitleMatchesFirst() throws {
        let cli = try CLI.withProgram()
        let body = try cli.must(["post", "--kind", "idea", "--title", "Monthly talks", "--body", "maybe one on budgeting"], as: "ana").text
        let title = try cli.must(["post", "--kind", "request", "--title", "Budgeting for a team", "--body", "where to start"], as: "bo").text
        let hits = try #require(try cli.json(["search", "budget"], as: "ana") as? [[String: Any]])
        #expect(hits.compactMap { $0["topic_id"] as? Int } == [Int(title)!, Int(body)!])
        let text = try cli.must(["search", "budgeting", "team"], as: "ana").out
        #expect(text.hasPrefix("\(title)\trequest\tBudgeting for a team"))
        #expect(try cli.must(["search", "nothingmatchesthis"], as: "ana").text == "no matches")
    }

    @Test func exportJSONAndMarkdown() throws {
        let cli = try CLI.withProgram()
        let t = try cli.must(["post", "--kind", "idea", "--title", "A *bold* [link](x)", "--body", "# not a heading"], as: "ana").text
        try cli.must(["reply", t, "--body", "reply text"], as: "bo")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(cli.must(["export", "--format", "json"], as: "ana").out.utf8)) as? [String: Any])
        #expect((json["program"] as? [String: Any])?["name"] as? String == "Circle")
        #expect((json["peers"] as? [Any])?.count == 5)
        let topics = try #require(json["topics"] as? [[String: Any]])
        #expect(((topics.first?["posts"]) as? [Any])?.count == 2)
        #expect(json["testimonials"] is [Any])

        let md = try cli.must(["export", "--format", "markdown"], as: "ana").out
        #expect(md.hasPrefix("# Circle\n"))
        #expect(md.contains("A \\*bold\\* \\[link\\]\\(x\\)"))
        #expect(md.contains("> \\# not a heading"))
        #expect(md.contains("> reply text"))

        let file = cli.dir.appendingPathComponent("out.md").path
        let r = try cli.must(["export", "--format", "markdown", "--out", file], as: "ana")
        #expect(r.out.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == md)
    }

    @Test func demoIsDeterministicAndHasWork() throws {
        let a = try CLI(), b = try CLI()
        let r = try a.must(["demo", "--peers", "30", "--topics", "60", "--posts", "300", "--seed", "5"], as: "lea")
        #expect(r.out.hasPrefix("demo program: 30 peers, 60 topics, 300 posts"))
        try b.must(["demo", "--peers", "30", "--topics", "60", "--posts", "300", "--seed", "5"], as: "lea")
        #expect(try a.snapshot() == b.snapshot())
        let unanswered = try #require(try a.json(["topics", "--unanswered"], as: "lea") as? [[String: Any]])
        #expect(unanswered.contains { $0["kind"] as? String == "request" })
        let status = try a.must(["status"], as: "lea").text
        #expect(status.contains("waiting for a champion"))
        #expect(!status.contains(" 0 waiting"))
        // A demo never lands on top of a program.
        let again = try a.run(["demo"], as: "lea")
        #expect(!again.ok)
        #expect(again.errLines.count == 1 && again.err.hasPrefix("agora: error: "))
    }

    @Test func statusIsOneLineForMembersAndSilentOtherwise() throws {
        let cli = try CLI.withProgram()
        try cli.must(["post", "--kind", "request", "--title", "Help", "--body", "please"], as: "ana")
        let lea = try cli.must(["status"], as: "lea")
        // cham, ana and bo joined and nobody has welcomed them yet: three items for a champion.
        #expect(lea.text == "Circle: 1 unread post in 1 topic, 3 waiting for a champion — run 'agora'")
        let bo = try cli.must(["status"], as: "bo")
        #expect(bo.text == "Circle: 1 unread post in 1 topic — run 'agora'")
        for who in ["stranger", "olga"] {
            let r = try cli.run(["status"], as: who)
            #expect(r.status == 0 && r.out.isEmpty && r.err.isEmpty, "\(who): \(r)")
        }
        let missing = cli.dir.appendingPathComponent("missing.db").path
        let r = try cli.run(["status", "--db", missing], as: "lea")
        #expect(r.status == 0 && r.out.isEmpty && r.err.isEmpty, "\(r)")
        #expect(!FileManager.default.fileExists(atPath: missing))
        let notDB = cli.dir.appendingPathComponent("notes.txt")
        try "just text".write(to: notDB, atomically: true, encoding: .utf8)
        let junk = try cli.run(["status", "--db", notDB.path], as: "lea")
        #expect(junk.status == 0 && junk.out.isEmpty && junk.err.isEmpty, "\(junk)")
    }

    @Test func helpVersionAndNoTerminal() throws {
        let cli = try CLI()
        let help = try cli.run(["--help"])
        #expect(help.ok)
        for command in ["init", "demo", "peer", "post", "reply", "topics", "show", "search", "export", "status"] {
            #expect(help.out.contains("  \(command)"), "help lists \(command)")
        }
        #expect(try cli.run(["--version"]).ok)
        // Without a terminal, `agora` alone cannot open the full-screen program: it says so in one line.
        let bare = try cli.run([])
        #expect(!bare.ok)
        #expect(bare.errLines.count == 1 && bare.err.hasPrefix("agora: error: "), "\(bare)")
    }
}

/// "Bad input gets a clear error and changes nothing": each case prints exactly one line
/// `agora: error: ...`, exits non-zero, and the program exported before and after is the same.
@Suite(.serialized) struct CLIBadInputTests {
    static func expectRefused(_ cli: CLI, _ args: [String], as login: String? = "ana", stdin: Data? = nil,
                              mentions: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try cli.snapshot()
        let r = try cli.run(args, as: login, stdin: stdin)
        #expect(r.status != 0, "agora \(args.joined(separator: " ")) should fail: \(r)", sourceLocation: sourceLocation)
        #expect(r.errLines.count == 1, "one line on stderr: \(r)", sourceLocation: sourceLocation)
        #expect(r.err.hasPrefix("agora: error: "), "\(r)", sourceLocation: sourceLocation)
        #expect(!r.err.contains("Fatal error") && !r.err.contains("Stack dump"), sourceLocation: sourceLocation)
        if let mentions { #expect(r.err.localizedCaseInsensitiveContains(mentions), "\(r.err)", sourceLocation: sourceLocation) }
        #expect(try cli.snapshot() == before, "the program changed after agora \(args.joined(separator: " "))", sourceLocation: sourceLocation)
    }

    /// Error messages quote what was typed; what they print is sanitised like everything else (an OSC 0 in an argument
    /// would set the terminal's title, from the argument parser's "The value '…' is invalid" as from Agora's own).
    @Test func errorsQuoteWhatWasTypedOnlyAsStandIns() throws {
        let cli = try CLI.withProgram()
        let osc = "\u{1B}]0;pwn\u{07}"
        for args in [["show", osc], ["topics", osc], ["reply", "1", "--to", osc], ["--db", "/tmp/\(osc)/d.db", "topics"],
                     ["peer", "show", osc]] {
            let r = try cli.run(args, as: "ana")
            #expect(!r.ok, "\(args): \(r)")
            #expect(r.errLines.count == 1, "\(r)")
            #expect(!r.err.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }, "raw control bytes: \(r)")
            #expect(r.err.contains("^[]0;pwn^G"), "the argument shown by its stand-in: \(r)")
        }
    }

    @Test func exportOverAnExistingFileKeepsItsModeAndANewOneIsPrivate() throws {
        let cli = try CLI.withProgram()
        let kept = cli.dir.appendingPathComponent("kept.json").path, fresh = cli.dir.appendingPathComponent("new.json").path
        FileManager.default.createFile(atPath: kept, contents: Data("old".utf8), attributes: [.posixPermissions: 0o600])
        try cli.must(["export", "--format", "json", "--out", kept], as: "lea")
        try cli.must(["export", "--format", "json", "--out", fresh], as: "lea")
        for path in [kept, fresh] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path): \(String(mode ?? 0, radix: 8))")
        }
        #expect(try String(contentsOfFile: kept, encoding: .utf8).contains("\"topics\""))
    }

    @Test func noMemberMayPassForAnother() throws {
        let cli = try CLI.withProgram()
        let ana = try cli.must(["peer", "show", "ana", "--json"], as: "lea").text
        #expect(ana.contains("Ana Lima"))
        try Self.expectRefused(cli, ["profile", "edit", "--name", "Ana Lima"], as: "bo", mentions: "too like ana's")
        try Self.expectRefused(cli, ["profile", "edit", "--name", "Аna Lima"], as: "bo", mentions: "too like ana's")   // Cyrillic А
        try Self.expectRefused(cli, ["profile", "edit", "--name", "Bo (ana)"], as: "bo", mentions: "would pass for ana")
        try cli.must(["profile", "edit", "--name", "Bo Berg (bo)"], as: "bo")   // one's own login is fine
        // Two people the leader names alike (two real Ana Limas) are both shown with their logins.
        let added = try cli.must(["peer", "add", "eve", "--name", "ana lima"], as: "lea").text
        #expect(added.contains("ana is now shown as 'Ana Lima (ana)': shares the name 'ana lima' with eve, who joined"), "\(added)")
        #expect(try cli.must(["peer", "show", "eve", "--json"], as: "lea").text.contains("\"name\" : \"ana lima (eve)\""))
        #expect(try cli.must(["peer", "show", "ana", "--json"], as: "lea").text.contains("\"name\" : \"Ana Lima (ana)\""))
    }

    /// A name that is (or shows in parentheses) a login not yet in the program cannot keep that person out: when they
    /// join, the name goes back to its holder's login, and the leader can see why in the audit trail.
    @Test func wearingSomeonesLoginFirstDoesNotKeepThemOut() throws {
        let cli = try CLI.withProgram()
        try cli.must(["profile", "edit", "--name", "dana"], as: "bo")
        try cli.must(["profile", "edit", "--name", "Ana (dana)"], as: "ana")
        let added = try cli.run(["peer", "add", "dana", "--name", "Dana Dias"], as: "lea")
        #expect(added.ok, "\(added)")
        let peers = try cli.must(["peer", "list"], as: "lea").text
        #expect(peers.contains("Dana Dias"))
        #expect(try cli.must(["peer", "show", "bo", "--json"], as: "lea").text.contains("\"name\" : \"dana (bo)\""), "bo is shown by his login")
        #expect(try cli.must(["peer", "show", "ana", "--json"], as: "lea").text.contains("\"name\" : \"ana\""), "'Ana (dana) (ana)' would still pass for dana")
        // A real name worn first: both are shown with their logins.
        try cli.must(["profile", "edit", "--name", "Eli Evans"], as: "bo")
        try cli.must(["peer", "add", "eli", "--name", "Eli Evans"], as: "lea")
        #expect(try cli.must(["peer", "show", "eli", "--json"], as: "lea").text.contains("\"name\" : \"Eli Evans (eli)\""))
        #expect(try cli.must(["peer", "show", "bo", "--json"], as: "lea").text.contains("\"name\" : \"Eli Evans (bo)\""))
        // And they cannot take it back while dana is a member.
        try Self.expectRefused(cli, ["profile", "edit", "--name", "dana"], as: "bo", mentions: "would pass for dana")
    }

    @Test func blankLettersAreNotANameOrATag() throws {
        let cli = try CLI.withProgram()
        try Self.expectRefused(cli, ["peer", "add", "ghost", "--name", "\u{3164}"], as: "lea", mentions: "no visible character")
        try Self.expectRefused(cli, ["profile", "edit", "--name", "\u{3164}\u{3164}"], mentions: "no visible character")
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "Blank tag", "--tag", "\u{3164}", "--body", "x"],
                               mentions: "no visible character")
    }

    /// A NUL would end the text in every read (SQLite's C strings): the text is refused with where the NUL is, in every
    /// way text comes in from a file or standard input (an argument cannot hold one), and nothing is stored.
    @Test func textWithANulIsRefusedNotCut() throws {
        let cli = try CLI.withProgram()
        let nul = Data("admin\u{0} (not really)".utf8)
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "Who am I"], stdin: nul, mentions: "NUL byte at byte 5")
        let topic = try cli.must(["post", "--kind", "idea", "--title", "Plain", "--body", "fine"], as: "ana").text
        try Self.expectRefused(cli, ["reply", topic], stdin: nul, mentions: "text has a NUL byte at byte 5")
        let csv = cli.dir.appendingPathComponent("nul.csv")
        try Data("login,name\nnewbie,adm\u{0}in\n".utf8).write(to: csv)
        try Self.expectRefused(cli, ["peer", "import", csv.path], as: "lea", mentions: "name has a NUL byte at byte 3")
        let rules = cli.dir.appendingPathComponent("rules.txt")
        try Data("Be kind.\u{0}Or not.".utf8).write(to: rules)
        try Self.expectRefused(cli, ["rules", "set", "--file", rules.path], as: "lea", mentions: "NUL byte at byte 8")
    }

    @Test func titles() throws {
        let cli = try CLI.withProgram()
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "", "--body", "x"], mentions: "title is empty")
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "   ", "--body", "x"], mentions: "title is empty")
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", String(repeating: "t", count: 201), "--body", "x"],
                               mentions: "the limit is 200")
        try cli.must(["post", "--kind", "idea", "--title", String(repeating: "t", count: 200), "--body", "x"], as: "ana")
    }

    @Test func bodies() throws {
        let cli = try CLI.withProgram()
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "Big"], stdin: Data(String(repeating: "b", count: 64 * 1024 + 1).utf8),
                               mentions: "64 KiB")
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "Empty"], stdin: Data(" \n".utf8), mentions: "empty")
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "Bytes"], stdin: Data([0x68, 0x69, 0xFF, 0xFE, 0x0A]),
                               mentions: "UTF-8")
        let t = try cli.must(["post", "--kind", "idea", "--title", "Fine", "--body", "ok"], as: "ana").text
        try Self.expectRefused(cli, ["reply", t], as: "bo", stdin: Data([0xC3, 0x28]), mentions: "UTF-8")
        try Self.expectRefused(cli, ["reply", t], as: "bo", stdin: Data(String(repeating: "é", count: 40_000).utf8), mentions: "limit")
    }

    @Test func unknownKindRoleTopicPostPeer() throws {
        let cli = try CLI.withProgram()
        let t = try cli.must(["post", "--kind", "idea", "--title", "Fine", "--body", "ok"], as: "ana").text
        let other = try cli.must(["post", "--kind", "idea", "--title", "Other", "--body", "ok"], as: "ana").text
        let otherPost = try #require(((try cli.json(["show", other], as: "ana") as? [String: Any])?["posts"] as? [[String: Any]])?.first?["id"] as? Int)
        try Self.expectRefused(cli, ["post", "--kind", "rant", "--title", "x", "--body", "y"], mentions: "unknown kind 'rant'")
        try Self.expectRefused(cli, ["topics", "--kind", "rant"], mentions: "unknown kind")
        try Self.expectRefused(cli, ["peer", "add", "zed", "--name", "Zed", "--role", "boss"], as: "lea", mentions: "unknown role 'boss'")
        try Self.expectRefused(cli, ["peer", "list", "--role", "boss"], mentions: "unknown role")
        try Self.expectRefused(cli, ["reply", "999", "--body", "x"], mentions: "no topic 999")
        try Self.expectRefused(cli, ["show", "999"], mentions: "no topic 999")
        try Self.expectRefused(cli, ["show", "abc"])
        try Self.expectRefused(cli, ["reply", t, "--to", "999", "--body", "x"], mentions: "no post 999")
        try Self.expectRefused(cli, ["reply", t, "--to", "\(otherPost)", "--body", "x"], mentions: "no post \(otherPost)")
        try Self.expectRefused(cli, ["peer", "show", "nobody"], mentions: "no peer 'nobody'")
        try Self.expectRefused(cli, ["peer", "leave", "nobody"], as: "lea", mentions: "no peer 'nobody'")
        try Self.expectRefused(cli, ["peer", "add", "9lives", "--name", "Cat"], as: "lea", mentions: "not a valid login")
        try Self.expectRefused(cli, ["peer", "add", "ana", "--name", "Again"], as: "lea", mentions: "already a peer")
        try Self.expectRefused(cli, ["export", "--format", "pdf"])
        try Self.expectRefused(cli, ["frobnicate"])
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "x", "--body", "y", "--tag", "no/slash"], mentions: "tag")
    }

    @Test func nonMembersAndAlumniCannotPost() throws {
        let cli = try CLI.withProgram()
        let t = try cli.must(["post", "--kind", "idea", "--title", "Fine", "--body", "ok"], as: "ana").text
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "x", "--body", "y"], as: "stranger", mentions: "not a member")
        try Self.expectRefused(cli, ["reply", t, "--body", "y"], as: "stranger", mentions: "not a member")
        try Self.expectRefused(cli, ["post", "--kind", "idea", "--title", "x", "--body", "y"], as: "olga", mentions: "left the program")
        try Self.expectRefused(cli, ["reply", t, "--body", "y"], as: "olga", mentions: "left the program")
        try Self.expectRefused(cli, ["export", "--format", "json"], as: "stranger", mentions: "not a member")
    }

    @Test func peersCannotUseTheLeadersCommands() throws {
        let cli = try CLI.withProgram()
        let csv = cli.dir.appendingPathComponent("p.csv")
        try "login,name\nzed,Zed\n".write(to: csv, atomically: true, encoding: .utf8)
        for who in ["ana", "cham"] {
            try Self.expectRefused(cli, ["peer", "add", "zed", "--name", "Zed"], as: who, mentions: "only a leader")
            try Self.expectRefused(cli, ["peer", "leave", "bo"], as: who, mentions: "only a leader")
            try Self.expectRefused(cli, ["peer", "import", csv.path], as: who, mentions: "only a leader")
        }
    }

    @Test func programAlreadyInitialised() throws {
        let cli = try CLI.withProgram()
        try Self.expectRefused(cli, ["init", "--name", "Again"], as: "lea", mentions: "already holds the program 'Circle'")
        try Self.expectRefused(cli, ["init", "--name", "Again"], as: "stranger", mentions: "already holds")
    }

    @Test func aFileThatIsNotSQLite() throws {
        let cli = try CLI()
        let file = cli.dir.appendingPathComponent("notes.txt")
        let content = Data(String(repeating: "my shopping list, not a database\n", count: 100).utf8)
        try content.write(to: file)
        for args in [["topics"], ["post", "--kind", "idea", "--title", "x", "--body", "y"], ["init", "--name", "X"], ["demo"]] {
            let r = try cli.run(args + ["--db", file.path], as: "lea")
            #expect(r.status != 0)
            #expect(r.errLines.count == 1 && r.err.hasPrefix("agora: error: "), "\(r)")
            #expect(r.err.contains("not an Agora database"), "\(r)")
            #expect(try Data(contentsOf: file) == content)
        }
        #expect(!FileManager.default.fileExists(atPath: file.path + "-wal"))
    }

    @Test func aMissingDatabaseIsNotCreatedByReading() throws {
        let cli = try CLI()
        for args in [["topics"], ["show", "1"], ["search", "x"], ["peer", "list"], ["post", "--kind", "idea", "--title", "x", "--body", "y"]] {
            let r = try cli.run(args, as: "lea")
            #expect(r.status != 0)
            #expect(r.errLines.count == 1 && r.err.hasPrefix("agora: error: there is no Agora database"), "\(r)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    /// Root ignores file modes, so as root the writer is `nobody` (via setpriv), leading a program in a file it cannot write.
    @Test(.enabled(if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs a non-root user or setpriv to see a read-only file"))
    func aReadOnlyDatabase() throws {
        let cli = try CLI()
        let asRoot = getuid() == 0
        let leader = asRoot ? "nobody" : (String(validatingCString: getpwuid(getuid())!.pointee.pw_name) ?? "me")
        try cli.must(["init", "--name", "Locked"], as: leader)
        try cli.must(["post", "--kind", "idea", "--title", "Existing", "--body", "x"], as: leader)
        let before = try cli.snapshot(as: leader)
        chmod(cli.db, 0o444)
        chmod(cli.dir.path, 0o755)
        defer { chmod(cli.dir.path, 0o700); chmod(cli.db, 0o644) }
        let prefix = asRoot ? ["--reuid=nobody", "--regid=nogroup", "--clear-groups", CLI.binary] : []
        let r = try cli.run(["post", "--kind", "idea", "--title", "New", "--body", "y"], stdin: nil,
                            executable: asRoot ? "/usr/bin/setpriv" : nil, prefix: prefix)
        #expect(r.status != 0, "\(r)")
        #expect(r.errLines.count == 1 && r.err.hasPrefix("agora: error: "), "\(r)")
        #expect(r.err.contains("read-only") || r.err.contains("permission") || r.err.contains("cannot open"), "\(r)")
        chmod(cli.db, 0o644)
        #expect(try cli.snapshot(as: leader) == before)
    }
}

/// Eight people posting at the same moment, each through the command line: nothing is lost.
@Suite struct CLIConcurrencyTests {
    @Test func eightProcessesPosting200EachLoseNothing() throws {
        let cli = try CLI.withProgram()
        let writers = (1...8).map { "w\($0)" }
        for w in writers { try cli.must(["peer", "add", w, "--name", "Writer \(w)"], as: "lea") }
        // Each writer is a shell loop running `agora post` 200 times, all eight started at once.
        let script = """
        i=1
        while [ $i -le 200 ]; do
          "$AGORA_BIN" post --kind discussion --title "$WHO post $i" --body "body $i from $WHO" --as "$WHO" || exit 1
          i=$((i + 1))
        done
        """
        var processes: [(Process, URL)] = []
        for w in writers {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
            p.environment = cli.environment(["AGORA_BIN": CLI.binary, "WHO": w])
            let out = cli.dir.appendingPathComponent("ids-\(w)")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: out)
            p.standardError = try FileHandle(forWritingTo: cli.dir.appendingPathComponent("err-\(w)").appendingPathExtension("txt").creating())
            p.standardInput = FileHandle.nullDevice
            processes.append((p, out))
        }
        for (p, _) in processes { try p.run() }
        var printed: [Int] = []
        for (p, out) in processes {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "writer failed: \((try? String(contentsOf: out, encoding: .utf8)) ?? "")")
            printed += try String(contentsOf: out, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        }
        let errors = try writers.map { try String(contentsOf: cli.dir.appendingPathComponent("err-\($0).txt"), encoding: .utf8) }.joined()
        #expect(errors.isEmpty, "\(errors)")
        #expect(printed.count == 1600)
        #expect(Set(printed).count == 1600, "every printed id is distinct")

        let list = try #require(try cli.json(["topics", "--limit", "5000"], as: "lea") as? [[String: Any]])
        let stored = Set(list.compactMap { $0["id"] as? Int })
        #expect(stored.count == 1600)
        #expect(Set(printed).isSubset(of: stored))
        let titles = Set(list.compactMap { $0["title"] as? String })
        for w in writers { for i in [1, 100, 200] { #expect(titles.contains("\(w) post \(i)")) } }
        #expect(titles.count == 1600)
    }
}

private extension URL {
    /// Creates an empty file here and returns the URL (for FileHandle(forWritingTo:)).
    func creating() -> URL {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return self
    }
}
