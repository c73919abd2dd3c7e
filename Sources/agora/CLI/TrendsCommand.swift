import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct TrendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends",
        abstract: "Tags rising and falling: new topics in the last 30 days against the 30 before.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "At most this many tags.") var limit = 20

    func validate() throws { try ListLimit.validate(limit) }
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let s = try Session.open(global)
        let trends = Array(try s.store.tagTrends(by: s.login, now: s.now).prefix(limit))
        if json { return try Output.json(trends) }
        if trends.isEmpty { print("no tagged topics in the last 60 days"); return }
        Output.table([["", "tag", "last 30 d", "30 d before", "change"]] + trends.map { t in
            [t.arrow, Output.clean(t.tag), "\(t.recent)", "\(t.previous)", t.change > 0 ? "+\(t.change)" : "\(t.change)"]
        })
    }
}
