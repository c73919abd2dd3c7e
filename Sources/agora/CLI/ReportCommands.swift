import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The leader's report: members, activity, time to first reply, replies across units, regions and generations.",
        discussion: "Groups smaller than 5 people are merged into \"other\" so nobody is singled out. Default period: the last 12 weeks.")
    @OptionGroup var global: GlobalOptions
    @Option(parsing: .unconditional, help: "Start of the period: 2026-09-01, -30d or 30d (30 days ago), yesterday, last-week, last-month (default: 12 weeks ago).") var since: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print Markdown (tables), for an email.") var markdown = false

    func run() throws {
        if json && markdown { throw AgoraError.invalid("choose --json or --markdown, not both") }
        let s = try Session.open(global)
        let from = try since.map { try parseDate($0, now: s.now, option: "--since", bare: .back) } ?? s.now.addingTimeInterval(-84 * 86400)
        guard from < s.now else {
            throw AgoraError.invalid("--since is in the future", hint: "the report covers a past period: --since -30d, last-month or 2026-09-01")
        }
        let r = try s.store.report(since: from, by: s.login, now: s.now)
        let name = Output.clean(try s.store.program()?.name ?? "Agora")
        if json { return try Output.json(r) }
        if markdown {
            print(Sanitizer.text(r.markdown(programName: name)), terminator: "")
            return
        }
        print("\(name): report \(RelativeAge.day(r.since)) to \(RelativeAge.day(r.until))")
        print("")
        Output.table(r.headline.map { [$0.0, $0.1] })
        print("")
        print("weekly   " + ["members", "active", "topics", "posts"].map { $0.padding(toLength: 8, withPad: " ", startingAt: 0) }.joined())
        let cols: [(String, (LeaderReport.Week) -> Int)] = [("members", \.members), ("active", \.activePeers), ("topics", \.topics), ("posts", \.posts)]
        for (label, key) in cols {
            let values = r.weeks.map(key)
            print("\(label.padding(toLength: 8, withPad: " ", startingAt: 0)) \(LeaderReport.sparkline(values))  last week \(values.last ?? 0)")
        }
    }
}
