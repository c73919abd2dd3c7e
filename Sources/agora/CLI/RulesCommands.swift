import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "The rules of engagement: show, accept, or (leader) set them.",
        subcommands: [Show.self, Ack.self, SetRules.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the rules and whether you have accepted them.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        struct RulesJSON: Encodable {
            var version: Int
            var text: String
            var expectedReturn: String
            var accepted: Bool
        }

        func run() throws {
            let s = try Session.open(global)
            guard let program = try s.store.program() else { throw AgoraError("there is no program in this database yet") }
            let me = try s.store.peer(s.login)
            let accepted = me.map { !Policy.mustAcknowledgeRules($0, program) } ?? false
            if json {
                return try Output.json(RulesJSON(version: program.rulesVersion, text: program.rulesText,
                                                 expectedReturn: program.expectedReturn, accepted: accepted))
            }
            if program.rulesVersion == 0 {
                print("\(Output.clean(program.name)) has no rules of engagement yet; nothing to accept.")
                return
            }
            print("\(Output.clean(program.name)): rules of engagement, version \(program.rulesVersion)")
            print("")
            for line in Sanitizer.text(program.rulesText).split(separator: "\n", omittingEmptySubsequences: false) { print("  \(line)") }
            if !program.expectedReturn.isEmpty {
                print("")
                print("What you can expect in return: \(Output.clean(program.expectedReturn))")
            }
            print("")
            if me == nil { print("you are not a member of this program") }
            else { print(accepted ? "you have accepted this version" : "you have not accepted this version yet: run 'agora rules ack'") }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept the current rules (needed before you post).")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            let s = try Session.open(global)
            let v = try s.store.acknowledgeRules(by: s.login, now: s.now)
            print(v == 0 ? "there are no rules to accept yet" : "accepted the rules, version \(v)")
        }
    }

    struct SetRules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the rules text from a file (leader only); every peer accepts the new version before posting.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The rules text, a UTF-8 file; '-' reads standard input.", valueName: "file")) var file: String
        @Option(name: .customLong("expected-return"), help: "The expected return on the time people give, e.g. 'an hour a week, answers within a day'.")
        var expectedReturn: String?

        func run() throws {
            let text: String
            if file == "-" {
                text = try Input.body(nil)
            } else {
                // Read as the caller, never with the agora group of a shared install (docs/SECURITY.md).
                guard let data = FileManager.default.contents(atPath: file) else { throw AgoraError("cannot read \(file)") }
                guard let t = String(validating: data, as: UTF8.self) else { throw AgoraError.invalid("\(file) is not valid UTF-8") }
                text = t
            }
            let s = try Session.open(global)
            let v = try s.store.setRules(text, expectedReturn: expectedReturn, by: s.login, now: s.now)
            print("rules set, version \(v); peers accept them with 'agora rules ack' before they post again")
        }
    }
}
