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
                      ProfileCommand.self, ReportCommand.self, ServeCommand.self])

    @OptionGroup var global: GlobalOptions
    @Option(help: "Colour theme: default, light, mono, or a file name in ~/.config/agora/themes.") var theme: String?

    func run() throws {
        try TUILauncher.run(global: global, theme: theme)
    }
}

/// Runs a command; every failure becomes one line on standard error and a non-zero exit, never a trace.
enum Main {
    static func run(_ arguments: [String]) -> Int32 {
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
            Output.error(message.replacingOccurrences(of: "Error: ", with: "") + " (see 'agora --help')")
            return code.rawValue == 0 ? 1 : code.rawValue
        }
    }
}
