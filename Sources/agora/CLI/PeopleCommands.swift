import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Suggest peers who offer what LOGIN wants to learn, favouring other units, regions and generations.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The peer looking for help (default: you).") var login: String?
    @Option(help: "At most this many suggestions.") var limit = 5

    func validate() throws { try ListLimit.validate(limit) }
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let s = try Session.open(global)
        let who = login ?? s.login
        let list = try s.store.matches(for: who, by: s.login, now: s.now, limit: limit)
        if json { return try Output.json(list) }
        if list.isEmpty { print("nobody offers what \(Output.clean(who)) wants to learn yet"); return }
        for (i, m) in list.enumerated() {
            print("\(i + 1). \(Output.clean(m.name)) (\(Output.clean(m.login)))")
            print("   \(Output.clean(m.explanation))")
        }
    }
}

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Your profile: goals, offers, unit, region, generation, bio.", subcommands: [Edit.self])

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change your profile (the leader: anyone's, with --login). Only the options given change.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Whose profile (leader only; default: yours).") var login: String?
        @Option(help: "Display name.") var name: String?
        @Option(help: "What you want to learn, separated by commas.") var goals: String?
        @Option(help: "What you can help with, separated by commas.") var offers: String?
        @Option(help: "A few words about you.") var bio: String?
        @Option(help: "Business unit.") var unit: String?
        @Option(help: "Region.") var region: String?
        @Option(help: "Generation, e.g. '2024' or 'Gen Z'.") var generation: String?
        @Option(help: "peer, champion or leader (the leader changes roles; the last leader cannot step down).") var role: String?
        @Option(help: ArgumentHelp("shown or hidden: whether others see that you are here and what you read (yours only).", valueName: "shown|hidden"))
        var presence: String?

        func run() throws {
            let s = try Session.open(global)
            let target = login ?? s.login
            guard var p = try s.store.peer(target) else {
                throw AgoraError.notFound("peer", "'\(Sanitizer.line(target))'", hint: "see 'agora peer list'")
            }
            let changes: [(WritableKeyPath<Peer, String>, String?)] = [(\.name, name), (\.goals, goals), (\.offers, offers), (\.bio, bio),
                                                                     (\.unit, unit), (\.region, region), (\.generation, generation)]
            guard changes.contains(where: { $0.1 != nil }) || role != nil || presence != nil else {
                throw AgoraError.invalid("nothing to change", hint: "give --goals, --offers, --bio, --name, --unit, --region, --generation, --role or --presence")
            }
            for (path, value) in changes { if let value { p[keyPath: path] = value } }
            if let presence {
                guard target == s.login else { throw AgoraError.denied("only \(Sanitizer.line(target)) chooses whether others see them here") }
                switch presence {
                case "shown": p.hidesPresence = false
                case "hidden": p.hidesPresence = true
                default: throw AgoraError.invalid("--presence is shown or hidden, not '\(Sanitizer.line(presence))'")
                }
            }
            if let role { p.role = try parseRole(role) }
            try s.store.updatePeer(p, by: s.login, now: s.now)
            print("updated the profile of \(Output.clean(target))")
        }
    }
}
