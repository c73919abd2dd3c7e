import AgoraCore
import Foundation

/// Opens the full-screen program. Until the TUI lands, says so.
enum TUILauncher {
    static func run(global: GlobalOptions, theme: String?) throws {
        print(AgoraCommand.helpMessage())
    }
}
