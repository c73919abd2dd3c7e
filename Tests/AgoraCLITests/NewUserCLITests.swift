import AgoraStore
import Foundation
import Testing

/// What a newcomer to the command line tripped over (issue 16.9, 16.13, 16.14): each command as typed.
@Suite(.serialized) struct NewUserCLITests {
    /// A program with `n` topics by the leader, one a minute.
    func program(topics n: Int) throws -> CLI {
        let cli = try CLI()
        try cli.must(["init", "--name", "Data Guild"], as: "lea")
        for i in 1...n {
            try cli.must(["post", "--kind", "idea", "--title", "Idea \(i) about pairing"], as: "lea", stdin: "body \(i)\n")
        }
        return cli
    }

    @Test func aListingCutShortSaysSoAndLimitZeroIsRefused() throws {
        let cli = try program(topics: 3)
        let cut = try cli.must(["topics", "--limit", "2"], as: "lea")
        #expect(cut.out.split(separator: "\n").count == 2)
        #expect(cut.err == "agora: showing the first 2 topics; there are more (raise --limit)\n")
        let whole = try cli.must(["topics", "--limit", "3"], as: "lea")
        #expect(whole.out.split(separator: "\n").count == 3)
        #expect(whole.err.isEmpty)
        let found = try cli.must(["search", "pairing", "--limit", "1"], as: "lea")
        #expect(found.err.contains("showing the first 1 matches"))
        for bad in ["0", "-1", "99999999999"] {
            let r = try cli.run(["topics", "--limit=\(bad)"], as: "lea")
            #expect(r.status == 64, "\(r)")
            #expect(r.errLines.count == 1)
            #expect(r.err.contains("--limit must be from 1 to 1000000"))
        }
        #expect(try cli.run(["highlights", "--limit", "0"], as: "lea").status == 64)
    }

    @Test func theReportTakesRelativePastDates() throws {
        let cli = try program(topics: 1)
        for since in ["-30d", "30d", "last-month", "last-week", "yesterday"] {
            let r = try cli.run(["report", "--since", since], as: "lea")
            #expect(r.ok, "\(since): \(r)")
        }
        let future = try cli.run(["report", "--since", "+3d"], as: "lea")
        #expect(future.status != 0)
        #expect(future.err.contains("--since -30d"))
        let nonsense = try cli.run(["report", "--since", "soonish"], as: "lea")
        #expect(nonsense.err.contains("-30d, 30d"))
    }

    @Test func helpForNoCommandIsAnErrorAndParserErrorsNameTheCommandsHelp() throws {
        let cli = try CLI()
        let nosuch = try cli.run(["help", "nosuch"])
        #expect(nosuch.status == 64)
        #expect(nosuch.out.isEmpty)
        #expect(nosuch.err == "agora: error: 'agora nosuch' is not a command (see 'agora help')\n")
        let sub = try cli.run(["help", "peer", "nosuch"])
        #expect(sub.status == 64)
        #expect(sub.err.contains("'agora peer nosuch' is not a command (see 'agora help peer')"))
        #expect(try cli.run(["help", "peer", "add"]).ok)
        let typo = try cli.run(["peer", "add", "bo", "--nme", "Bo"])
        #expect(typo.status == 64)
        #expect(typo.err.hasSuffix("(see 'agora help peer add')\n"))
    }

    /// The not-a-member screen prints `agora peer add LOGIN`: that command works as printed.
    @Test func peerAddWithoutANameTakesTheAccountsName() throws {
        let cli = try CLI()
        try cli.must(["init", "--name", "Data Guild"], as: "lea")
        try cli.must(["peer", "add", "daemon"], as: "lea")   // in every Debian passwd, named "daemon"
        try cli.must(["peer", "add", "ghost"], as: "lea")    // no such account: the login is the name
        let list = try cli.must(["peer", "list"], as: "lea").out
        #expect(list.contains("daemon"))
        #expect(list.contains("ghost"))
    }

    @Test func aFileWithNoProgramSaysNoProgramYet() throws {
        let cli = try CLI()
        _ = try SQLiteStore.open(path: cli.db)   // what quitting the first run's welcome screen leaves
        for command in [["topics"], ["queue"], ["peer", "list"], ["search", "x"]] {
            let r = try cli.run(command, as: "lea")
            #expect(r.status == 1, "\(command): \(r)")
            #expect(r.err == "agora: error: there is no program in \(cli.db) yet (run 'agora' to start a demo or your own, or 'agora init --name NAME')\n", "\(command)")
        }
        #expect(try cli.must(["status"], as: "lea").out.isEmpty)   // silent, as for non-members
        try cli.must(["init", "--name", "Data Guild"], as: "lea")
        #expect(try cli.must(["topics"], as: "lea").text == "no topics")
    }

    /// The README names demo members to try with --as: they are there, in the roles it says.
    @Test func theReadmesDemoMembersAreInTheDemo() throws {
        let cli = try CLI()
        try cli.must(["demo"], as: "lea")
        #expect(try cli.must(["peer", "show", "demo-crossi"], as: "lea").out.contains("role: champion"))
        #expect(try cli.must(["queue"], as: "demo-crossi").out.contains("overdue"))
        let own = try cli.must(["queue"], as: "demo-dmensah").out
        #expect(own.contains("unanswered") && !own.contains("newcomer"))
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md"), encoding: .utf8)
        #expect(readme.contains("--as demo-crossi") && readme.contains("--as demo-dmensah"))
    }
}
