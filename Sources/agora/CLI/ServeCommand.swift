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
        the foreground and logs to standard error (the journal, under systemd). Stop it with SIGTERM. \
        Started by root, it first becomes the user that owns the database's directory (agora, on a shared \
        install), after creating the socket's directory for that user if it is missing.
        """)

    // --db: the program database (default: the shared install's, else the personal one); --socket: where to
    // listen (default: the shared install's socket, else /run/agora/agora.sock).
    @OptionGroup var global: GlobalOptions

    @Flag(help: "Run here, in the foreground, even where systemd's agora.service would run it (hosts without systemd: a supervisor or & runs this).")
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
        // As sessions resolve theirs: flags, then the environment, then the shared install's config.
        let env = ProcessInfo.processInfo.environment
        let named = nonEmpty(global.db) ?? nonEmpty(env["AGORA_DB"])
        let configured = named == nil ? try SharedConfig.value("database") : nil
        let path = named ?? configured ?? Identity.databasePath(flag: nil)
        let socketPath = try nonEmpty(global.socket) ?? nonEmpty(env["AGORA_SOCKET"]) ?? Endpoint.configuredSocket() ?? Endpoint.defaultSocket
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let owner = ServiceUser.owner(of: dir)
        if getuid() == 0, configured != nil, owner.map({ $0.uid == 0 }) ?? true {
            // The shared program is never served by root: its files would become root's.
            throw AgoraError.denied("the shared program's directory \(dir) belongs to no service user: not serving it as root",
                                    hint: "run 'agora admin install-shared' (it hands the data to the agora user), then start the daemon again")
        }
        if getuid() == 0, let owner, owner.uid != 0 {
            // Root starting the daemon by hand (no systemd): it runs as the user that owns the data, never as root.
            if !foreground, ServiceUser.systemdManagesAgora {
                throw AgoraError("systemd runs the agora daemon on this host (agora.service)",
                                 hint: "use 'systemctl start agora', or 'agora serve --foreground' to run one by hand")
            }
            try ServiceUser.prepareSocketDirectory(for: socketPath, owner: owner)
            try ServiceUser.become(owner)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw AgoraError("there is no Agora database at \(path)", hint: "start a program with 'agora init --name NAME --db \(path)' first")
        }
        // The daemon is the program's only writer: it must be able to write the file and its directory (-wal).
        if access(path, W_OK) != 0 || access(dir, W_OK) != 0 {
            throw AgoraError.denied("agora serve cannot write \(path) (or its directory): it must run as the user that owns the program",
                                    hint: "run it as that user, or give it the file with chown")
        }
        let store = try SQLiteStore.open(path: path)
        var logger = Logger(label: "agora.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        let daemon = Daemon(store: store, options: Daemon.Options(socketPath: socketPath), logger: logger, clock: Clock.now)
        try daemon.run()
    }
}

/// Where a session finds its program. Flags first (`--socket` or `--db`, not both), then the environment
/// ($AGORA_SOCKET or $AGORA_DB, not both), then the shared install's `socket = "…"`, then the personal
/// database. A shared install's clients never open its database: only `agora serve` reads `database = "…"`.
enum Endpoint: Equatable {
    case daemon(socket: String)
    /// `isDefault`: the personal default path, whose directory is created on first use.
    case file(path: String, isDefault: Bool)

    static let defaultSocket = "/run/agora/agora.sock"

    static func resolve(_ g: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
                        configuredSocket: () throws -> String? = Endpoint.configuredSocket) throws -> Endpoint {
        let socket = nonEmpty(g.socket), db = nonEmpty(g.db)
        if socket != nil && db != nil { throw AgoraError.invalid("--db and --socket name two programs: choose one") }
        if let socket { return .daemon(socket: socket) }
        if let db { return .file(path: db, isDefault: false) }
        let envSocket = nonEmpty(environment["AGORA_SOCKET"]), envDB = nonEmpty(environment["AGORA_DB"])
        if envSocket != nil && envDB != nil {
            throw AgoraError.invalid("$AGORA_DB and $AGORA_SOCKET name two programs: unset one")
        }
        if let envSocket { return .daemon(socket: envSocket) }
        if let envDB { return .file(path: envDB, isDefault: false) }
        if let shared = try configuredSocket() { return .daemon(socket: shared) }
        return .file(path: DatabaseLocation.resolve(flag: nil, environment: environment), isDefault: true)
    }

    /// The daemon's socket, if one is named anywhere (for commands that only make sense with a daemon).
    static func socket(_ g: GlobalOptions) throws -> String? {
        if case .daemon(let s) = try resolve(g) { return s }
        return nil
    }

    static func configuredSocket() throws -> String? {
        try SharedConfig.value("socket")
    }
}

/// An empty flag or variable names nothing (`--db ''`, `AGORA_SOCKET=`).
func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }

/// The user a shared install's daemon runs as: the owner of the data directory.
struct ServiceUser {
    var name: String
    var uid: uid_t
    var gid: gid_t

    static func owner(of path: String) -> ServiceUser? {
        var st = stat()
        guard stat(path, &st) == 0, let pw = getpwuid(st.st_uid), let name = pw.pointee.pw_name else { return nil }
        return ServiceUser(name: String(cString: name), uid: st.st_uid, gid: pw.pointee.pw_gid)
    }

    static func named(_ login: String) -> ServiceUser? {
        guard let pw = getpwnam(login) else { return nil }
        return ServiceUser(name: login, uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid)
    }

    /// systemd is the init and an agora.service unit is installed.
    static var systemdManagesAgora: Bool {
        SharedLayout.systemdRuns
            && ["/etc/systemd/system/agora.service", "/lib/systemd/system/agora.service"].contains {
                FileManager.default.fileExists(atPath: $0)
            }
    }

    /// /run/agora is on a tmpfs: after a reboot without systemd (which makes it from RuntimeDirectory=) it is gone.
    static func prepareSocketDirectory(for socket: String, owner: ServiceUser) throws {
        let dir = URL(fileURLWithPath: socket).deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: dir) { return }
        guard mkdir(dir, 0o755) == 0, chown(dir, owner.uid, owner.gid) == 0, chmod(dir, 0o755) == 0 else {
            throw AgoraError("cannot create the socket directory \(dir): \(String(cString: strerror(errno)))")
        }
    }

    /// Drops root for good: supplementary groups, group, then user; then checks that root cannot come back.
    static func become(_ u: ServiceUser) throws {
        guard initgroups(u.name, u.gid) == 0, setgid(u.gid) == 0, setuid(u.uid) == 0 else {
            throw AgoraError("cannot become \(u.name) (uid \(u.uid)): \(String(cString: strerror(errno)))")
        }
        guard setuid(0) != 0, getuid() == u.uid, geteuid() == u.uid else {
            throw AgoraError("dropping root to \(u.name) did not hold; not serving")
        }
        setenv("HOME", (getpwuid(u.uid)?.pointee.pw_dir).map { String(cString: $0) } ?? "/", 1)
        setenv("USER", u.name, 1)
        setenv("LOGNAME", u.name, 1)
    }
}
