import AgoraTUI
import ArgumentParser

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Print the full-screen program's key bindings as Markdown (the source of docs/KEYS.md).")

    func run() throws {
        print(KeyBindings.markdown(), terminator: "")
    }
}
