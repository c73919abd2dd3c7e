import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Templates for dialogues that need structure (agendas, follow-ups).",
        subcommands: [List.self, Show.self, Add.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the program's templates.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false
        func run() throws {
            let s = try Session.open(global)
            let all = try s.store.templates()
            if json { return try Output.json(all) }
            Output.table(all.map { t in
                [Output.clean(t.name), t.followUpDays.map { "follow-up after \($0) d" } ?? "no follow-up",
                 Output.clean(t.sections.joined(separator: " / "))]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a template's skeleton, to fill in and post with 'agora post --template NAME'.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template's name.") var name: String
        func run() throws {
            let s = try Session.open(global)
            print(Sanitizer.text(try s.store.template(named: name).skeleton), terminator: "")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or replace a template (leader).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template's name.") var name: String
        @Option(name: .customLong("section"), help: "A section heading; repeat, in order.") var sections: [String] = []
        @Option(name: .customLong("follow-up-days"), help: "Days until a topic made from it returns to the queue.") var followUpDays: Int?
        func run() throws {
            let t = try TopicTemplate.validated(name: name, sections: sections, followUpDays: followUpDays)
            let s = try Session.open(global)
            try s.store.saveTemplate(t, by: s.login, now: s.now)
            print("saved template '\(Output.clean(t.name))'")
        }
    }
}
