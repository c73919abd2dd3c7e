import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct AgoraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agora",
        abstract: "A peer-mentoring program in your terminal.",
        discussion: "Run without a command to open the full-screen program. Your identity is your Unix login.",
        version: "0.1.0",
        subcommands: [InitCommand.self, DemoCommand.self, PeerCommand.self, PostCommand.self, ReplyCommand.self,
                      TopicsCommand.self, ShowCommand.self, SearchCommand.self, ExportCommand.self, StatusCommand.self,
                      KeysCommand.self, TrendsCommand.self, TemplateCommand.self, AdminCommand.self,
                      // mentoring (issue 5)
                      RulesCommand.self, QueueCommand.self, ClaimCommand.self, ReleaseCommand.self, WelcomeCommand.self,
                      FlagCommand.self, ResolveCommand.self, SnoozeCommand.self, EscalateCommand.self, TopicCommand.self,
                      HighlightCommand.self, HighlightsCommand.self, TestimonialCommand.self, MatchCommand.self,
                      ProfileCommand.self, ReportCommand.self, ServeCommand.self, SettingsCommand.self,
                      InboxCommand.self, WatchCommand.self, DigestCommand.self, AcceptCommand.self,
                      EditCommand.self, DeleteCommand.self, HistoryCommand.self, BookmarkCommand.self, BookmarksCommand.self])

    @OptionGroup var global: GlobalOptions
    @Option(help: "Colour theme: default, light, mono, or a file name in ~/.config/agora/themes.") var theme: String?

    func run() throws {
        try TUILauncher.run(global: global, theme: theme)
    }
}

/// Runs a command; every failure becomes one line on standard error and a non-zero exit, never a trace.
enum Main {
    static func run(_ arguments: [String]) -> Int32 {
        // `agora help X` for an X that is no command would print the general help and succeed: say so instead.
        if arguments.first == "help", arguments.count > 1 {
            let asked = arguments.dropFirst().prefix { !$0.hasPrefix("-") }
            let found = commandPath(Array(asked))
            if found.count < asked.count {
                let prefix = (["agora"] + found).joined(separator: " ")
                Output.error("'\(prefix) \(Sanitizer.line(asked[asked.startIndex + found.count]))' is not a command (see 'agora help\(found.isEmpty ? "" : " " + found.joined(separator: " "))')")
                return 64
            }
        }
        do {
            var command = try AgoraCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let e as AgoraError {
            Output.error(e.description)
            return e.exitCode
        } catch {
            let code = AgoraCommand.exitCode(for: error)
            if code == .success || error is CleanExit {
                AgoraCommand.exit(withError: error)   // --help, --version: ArgumentParser prints them
            }
            let message = AgoraCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            // The help of the command that was typed, not the whole program's.
            let path = commandPath(arguments)
            Output.error(message.replacingOccurrences(of: "Error: ", with: "") + " (see 'agora help\(path.isEmpty ? "" : " " + path.joined(separator: " "))')")
            return code.rawValue == 0 ? 1 : code.rawValue
        }
    }

    /// The names of the (sub)commands that `arguments` starts with: ["peer", "add"] for `peer add bo --nme X`.
    static func commandPath(_ arguments: [String]) -> [String] {
        var path: [String] = []
        var command: ParsableCommand.Type = AgoraCommand.self
        for word in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            path.append(word)
            command = next
        }
        return path
    }
}

/// `--limit N` on the listing commands: at least one, and a listing cut short says so on standard error (the
/// table on standard output stays what a script reads).
enum ListLimit {
    static let most = 1_000_000

    static func validate(_ n: Int) throws {
        guard (1...most).contains(n) else { throw ValidationError("--limit must be from 1 to \(most) (got \(n))") }
    }

    /// `shown` rows of `what` were printed and more exist.
    static func noteMore(_ shown: Int, _ what: String) {
        Output.note("showing the first \(shown) \(what); there are more (raise --limit)")
    }
}
