import AgoraApp
import AgoraCore
import AgoraCurses
import AgoraScreen
import AgoraStore
import Foundation

/// Opens the full-screen program on the resolved database, as the real uid's login.
enum TUILauncher {
    static func run(global: GlobalOptions, theme: String?) throws {
        guard isatty(0) == 1 && isatty(1) == 1 else {
            throw AgoraError("the full-screen program needs a terminal",
                             hint: "run 'agora' in a terminal, or use a command such as 'agora topics' (see 'agora --help')")
        }
        let session = try Session.open(global, create: true, pageCacheKiB: 512)
        let env = ProcessInfo.processInfo.environment
        let config = try UserConfig.load()
        let chosen = config.mergingTheme(flag: theme)
        let loaded: Theme
        do {
            loaded = try Theme.load(named: chosen, searchPaths: UserConfig.themeSearchPaths())
        } catch {
            throw AgoraError("\(error)", hint: "themes: \(Theme.available(searchPaths: UserConfig.themeSearchPaths()).joined(separator: ", "))")
        }
        let terminal = try CursesTerminal(theme: loaded, noColor: env["NO_COLOR"].map { !$0.isEmpty } ?? false, mouse: config.mouse)
        defer { terminal.shutdown() }
        let bridge = StoreBridge(store: session.store, login: session.login,
                                 displayName: Identity.gecosName(session.login), clock: Clock.now)
        try TUIRunner(terminal: terminal, bridge: bridge, clock: Clock.now, viewFile: .standard()).run()
    }
}

/// `~/.config/agora/config.toml`: `theme = "light"`, `mouse = false`. Unknown keys are reported, not ignored.
struct UserConfig {
    var theme: String?
    /// Clicks and the wheel go to Agora; false leaves the mouse to the terminal (selecting text without Shift).
    var mouse = true

    static var directory: String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/agora" }
        return Identity.realHome() + "/.config/agora"
    }

    static func themeSearchPaths() -> [String] {
        var paths = [directory + "/themes", "/etc/agora/themes"]
        if let exe = Identity.executableDirectory {   // not argv[0]: found through $PATH it is just "agora"
            paths.append(URL(fileURLWithPath: exe + "/../share/agora/themes").standardized.path)
        }
        // A build from the source tree finds the repository's Themes/.
        paths.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Themes").standardized.path)
        return paths
    }

    static func load() throws -> UserConfig {
        let file = directory + "/config.toml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return UserConfig() }
        do {
            let settings = try ConfigFile.parse(text, file: file, known: ["theme", "mouse"])
            var config = UserConfig(theme: settings["theme"])
            switch settings["mouse"] {
            case nil, "true": break
            case "false": config.mouse = false
            case let other?:
                throw AgoraError.invalid("\(file): mouse is true or false, not '\(other)'", hint: "mouse = false leaves the mouse to the terminal")
            }
            return config
        } catch let e as ConfigError {
            throw AgoraError.invalid(e.description, hint: "the file is TOML, one setting per line: theme = \"NAME\", mouse = false")
        }
    }

    func mergingTheme(flag: String?) -> String { flag ?? theme ?? "default" }
}
