import AgoraCore
import AgoraServer
import AgoraStore
import ArgumentParser
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `agora serve`: the daemon that owns a shared program. Members' sessions connect to its socket.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon that owns the program; sessions connect over a Unix socket.",
        discussion: """
        Every session on a shared host is a client of the daemon: it reads who each client is from the socket \
        (the kernel's word, not the client's) and is the only process that opens the database. It runs in \
        the foreground and logs to standard error (the journal, under systemd). Stop it with SIGTERM.
        """)

    // --db: the program database (default: the shared install's, else the personal one); --socket: where to
    // listen (default: the shared install's socket, else /run/agora/agora.sock).
    @OptionGroup var global: GlobalOptions

    @Flag(help: "Stay in the foreground (always so; for hosts without systemd, where a supervisor or & runs it).")
    var foreground = false

    @Option(help: ArgumentHelp("Log level: debug, info, notice, warning, error.", valueName: "level"))
    var logLevel: String = "info"

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw AgoraError.invalid("unknown log level '\(Sanitizer.line(logLevel))'", hint: "one of debug, info, notice, warning, error")
        }
        if global.asLogin != nil {
            throw AgoraError.invalid("agora serve acts for whoever connects: --as makes no sense here")
        }
        if Identity.isSharedInstall {
            throw AgoraError.denied("agora serve runs as the agora user, not through the setgid binary",
                                    hint: "start it with 'systemctl start agora' or as that user")
        }
        let path = Identity.databasePath(flag: global.db)
        guard FileManager.default.fileExists(atPath: path) else {
            throw AgoraError("there is no Agora database at \(path)", hint: "start a program with 'agora init --name NAME --db \(path)' first")
        }
        // The daemon is the program's only writer: it must be able to write the file and its directory (-wal).
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if access(path, W_OK) != 0 || access(dir, W_OK) != 0 {
            throw AgoraError.denied("agora serve cannot write \(path) (or its directory): it must run as the user that owns the program",
                                    hint: "run it as that user, or give it the file with chown")
        }
        let socketPath = global.socket ?? Endpoint.configuredSocket() ?? Endpoint.defaultSocket
        let store = try SQLiteStore.open(path: path)
        var logger = Logger(label: "agora.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        let daemon = Daemon(store: store, options: Daemon.Options(socketPath: socketPath), logger: logger, clock: Clock.now)
        try daemon.run()
    }
}

/// Where sessions find the daemon: `--socket`, else $AGORA_SOCKET (not on a setgid install), else the shared
/// install's `socket = "…"`; nil means: open the database in-process, as a personal program does.
enum Endpoint {
    static let defaultSocket = "/run/agora/agora.sock"

    static func socket(flag: String?) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if !Identity.isSharedInstall, let env = ProcessInfo.processInfo.environment["AGORA_SOCKET"], !env.isEmpty { return env }
        return configuredSocket()
    }

    static func configuredSocket() -> String? {
        SharedConfig.file().flatMap { SharedConfig.value("socket", file: $0) }
    }
}
