import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

func parseRole(_ s: String) throws -> PeerRole { try PeerCSV.role(s) }

struct PeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer", abstract: "Manage the people in the program.",
        subcommands: [Add.self, List.self, Show.self, Import.self, Leave.self, Rejoin.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a peer (leader only).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their Unix login.") var login: String
        @Option(help: "Display name (default: the account's full name from the password database, else the login).") var name: String?
        @Option(help: "Business unit.") var unit = ""
        @Option(help: "Region.") var region = ""
        @Option(help: "Generation, e.g. 'Gen Z', 'Millennial'.") var generation = ""
        @Option(help: "peer, champion or leader.") var role = "peer"
        @Option(help: "What they want to learn.") var goals = ""
        @Option(help: "What they can help with.") var offers = ""

        func run() throws {
            let s = try Session.open(global)
            let p = Peer(login: login, name: name ?? Identity.gecosName(login) ?? login, unit: unit, region: region, generation: generation,
                         role: try parseRole(role), goals: goals, offers: offers, joined: s.now)
            let renames = try nameChanges(adding: [p], to: s.store)
            try s.store.addPeer(p, by: s.login, now: s.now)
            print("added \(login) as \(p.role.rawValue)")
            renames.forEach { print($0) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List peers.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this unit.") var unit: String?
        @Option(help: "Only this region.") var region: String?
        @Option(help: "Only this role.") var role: String?
        @Option(help: "Only this generation.") var generation: String?
        @Option(help: "Only peers whose name, goals, offers or bio contain these words.") var text: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let s = try Session.open(global)
            let peers = try s.store.peers(.init(unit: unit, region: region, generation: generation,
                                             role: try role.map(parseRole), text: text))
            if json { return try Output.json(peers.map(PeerJSON.init)) }
            if peers.isEmpty { print("no peers"); return }
            Output.table(peers.map { p in
                [p.login, Output.clean(p.name), p.role.rawValue, Output.clean(p.unit), Output.clean(p.region),
                 Output.clean(p.generation), p.isAlumni ? "alumni" : ""]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a peer's profile.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their login.") var login: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let s = try Session.open(global)
            guard let p = try s.store.peer(login) else { throw AgoraError.notFound("peer", "'\(Sanitizer.line(login))'", hint: "see 'agora peer list'") }
            if json { return try Output.json(PeerJSON(p)) }
            print("\(Output.clean(p.name)) (\(p.login))\(p.isAlumni ? " — alumni" : "")")
            for (k, v) in [("role", p.role.rawValue), ("unit", p.unit), ("region", p.region), ("generation", p.generation),
                           ("goals", p.goals), ("offers", p.offers), ("bio", p.bio)] where !v.isEmpty {
                print("  \(k): \(Output.clean(v))")
            }
            print("  joined: \(RelativeAge.day(p.joined))")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import peers from a CSV file with a header row.",
            discussion: "Columns: login,name,unit,region,generation,role,goals,offers (login and name required). Every bad row is reported by line number and nothing is imported if any row is bad.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            // Read as the caller, never with the agora group of a shared install (docs/SECURITY.md).
            let text = try PeerCSV.text(ofFile: file)
            let s = try Session.open(global)
            let peers = try PeerCSV.parse(text, now: s.now, existing: Set(try s.store.peers().map(\.login)))
            let renames = try nameChanges(adding: peers, to: s.store)
            try s.store.addPeers(peers, by: s.login, now: s.now)
            print("imported \(peers.count) peer\(peers.count == 1 ? "" : "s")")
            renames.forEach { print($0) }
        }
    }

    struct Leave: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a peer as alumni; their history stays.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their login.") var login: String
        func run() throws {
            let s = try Session.open(global)
            try s.store.peerLeave(login, by: s.login, now: s.now)
            print("\(login) is now alumni")
        }
    }

    struct Rejoin: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bring an alumni peer back.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their login.") var login: String
        func run() throws {
            let s = try Session.open(global)
            try s.store.peerRejoin(login, by: s.login, now: s.now)
            print("\(login) is an active member again")
        }
    }
}

/// The lines saying whose display names change when `peers` join (the store applies the same rule in its
/// transaction): whoever shares a newcomer's name, or wore their login, is shown with their own login from then on.
func nameChanges(adding peers: [Peer], to store: any Store) throws -> [String] {
    var names = DisplayNames.Index(try store.peers().map { ($0.login, $0.name) })
    var lines: [String] = []
    for p in peers {
        guard let admission = try? names.admit(login: p.login, name: p.name) else { continue }   // the store says why
        if admission.name != p.name { lines.append("\(p.login) is shown as '\(Output.clean(admission.name))': another member had that name") }
        for r in admission.renamed { lines.append("\(r.login) is now shown as '\(Output.clean(r.name))': \(Output.clean(r.why))") }
    }
    return lines
}
