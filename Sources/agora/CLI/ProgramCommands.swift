import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the program; you become its leader.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The program's name.") var name: String
    @Option(help: "What the program is for.") var purpose = ""
    @Option(name: .customLong("leader-name"), help: "Your display name (default: from the password database).") var leaderName: String?

    func run() throws {
        let s = try Session.open(global, create: true)
        let display = leaderName ?? Identity.gecosName(s.login) ?? s.login
        let p = try s.store.createProgram(name: name, purpose: purpose, leader: Peer(login: s.login, name: display, joined: s.now), now: s.now)
        print("created '\(Output.clean(p.name))' in \(s.store.location); \(s.login) is its leader")
        print("next: add peers with 'agora peer add LOGIN --name NAME', then run 'agora'")
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "One line for a login banner: unread posts, topics, items waiting for a champion.",
        discussion: "Prints nothing and exits 0 for a non-member or when there is no database.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        // Silent where there is nothing to say: no program here, a bad setting, or not a member.
        guard let endpoint = try? Endpoint.resolve(global) else { return }
        if case .file(let path, _) = endpoint, !FileManager.default.fileExists(atPath: path) { return }
        guard let s = try? Session.open(global), let program = try? s.store.program(),
              let me = try? s.store.peer(s.login), !me.isAlumni else { return }
        let unread = try s.store.unreadCounts(for: s.login)
        // What is for me first: "2 replies to you, 1 mention".
        var forMe: [String] = []
        if try s.store.unreadNotificationCount(for: s.login) > 0 {
            let kinds = try s.store.notifications(for: s.login, unreadOnly: true, limit: 1000).map(\.kind)
            // Every kind has its words and place (the switch is exhaustive: a new kind cannot go unsaid).
            func words(_ kind: NotificationKind) -> (place: Int, one: String, many: String) {
                switch kind {
                case .replyToPost, .reply: (0, "reply to you", "replies to you")
                case .mention: (1, "mention", "mentions")
                case .watched: (2, "new post you watch", "new posts you watch")
                case .welcome: (3, "welcome", "welcomes")
                case .flagKept, .flagHidden: (4, "flag settled", "flags settled")
                case .claimed: (5, "request taken on", "requests taken on")
                case .accepted: (6, "answer accepted", "answers accepted")
                }
            }
            for (_, group) in Dictionary(grouping: kinds, by: { words($0).place }).sorted(by: { $0.key < $1.key }) {
                let w = words(group[0])
                forMe.append("\(group.count) \(group.count == 1 ? w.one : w.many)")
            }
        }
        var parts = ["\(Output.clean(program.name)): " + (forMe.isEmpty ? "" : forMe.joined(separator: ", ") + ", ")
                     + "\(unread.posts) unread post\(unread.posts == 1 ? "" : "s") in \(unread.topics) topic\(unread.topics == 1 ? "" : "s")"]
        if Policy.allows(me, .viewQueue, in: program) {
            let waiting = try s.store.queueCount(for: s.login, now: s.now)
            parts.append("\(waiting) waiting for a champion")
        }
        if Policy.mustAcknowledgeRules(me, program) { parts.append("new rules to accept") }
        print(parts.joined(separator: ", ") + " — run 'agora'")
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the whole program as JSON or Markdown.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, markdown }

    @OptionGroup var global: GlobalOptions
    @Option(help: "json or markdown.") var format: Format
    @Option(help: "Write to this file instead of standard output.") var out: String?

    func run() throws {
        let s = try Session.open(global)
        let export = try s.store.export(by: s.login)
        let text = try Exporter.text(export, markdown: format == .markdown, now: s.now)
        if let out {
            // As the caller, not the group: `--out` must never reach the shared data directory.
            try Exporter.write(text, toFile: out)
            FileHandle.standardError.write(Data("agora: wrote \(Output.clean(out))\n".utf8))
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}

extension Identity {
    /// The full name from the password database's GECOS field, if any.
    static func gecosName(_ login: String) -> String? {
        guard let pw = getpwnam(login), let g = pw.pointee.pw_gecos else { return nil }
        let name = String(cString: g).split(separator: ",").first.map(String.init) ?? ""
        return name.isEmpty ? nil : name
    }
}

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "The program's queue thresholds: show them, or (leader) change them.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "A question or request enters the champion queue after this many hours without an answer (1-720).") var unansweredHours: Int?
    @Option(help: "A newcomer enters the queue when not welcomed within this many hours (1-720).") var welcomeHours: Int?
    @Option(help: "A request or pairing is stalled after this many days without activity (1-365).") var stalledDays: Int?
    @Option(help: "A claim holds this many minutes without action (5-1440).") var claimMinutes: Int?

    func run() throws {
        let s = try Session.open(global)
        guard let program = try s.store.program() else { throw AgoraError("there is no program in this database yet", hint: "run agora init") }
        var settings = ProgramSettings(program)
        let asked = [unansweredHours, welcomeHours, stalledDays, claimMinutes]
        if asked.contains(where: { $0 != nil }) {
            settings.unansweredHours = unansweredHours ?? settings.unansweredHours
            settings.welcomeHours = welcomeHours ?? settings.welcomeHours
            settings.stalledDays = stalledDays ?? settings.stalledDays
            settings.claimMinutes = claimMinutes ?? settings.claimMinutes
            try s.store.updateSettings(settings, by: s.login, now: s.now)
        }
        for (value, r) in zip(settings.values, ProgramSettings.ranges) { print("\(r.field): \(value) \(r.unit)") }
    }
}
