import AgoraClient
import AgoraCore
import AgoraStore
import AgoraWire
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The program database.", discussion: "Default: $AGORA_DB, else ${XDG_DATA_HOME:-~/.local/share}/agora/agora.db.", valueName: "path"))
    var db: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as another peer (only on your own database, or as root).", valueName: "login"))
    var asLogin: String?

    @Option(help: ArgumentHelp("Talk to the agora daemon at this socket instead of opening a database.", discussion: "Default: $AGORA_SOCKET, else the shared install's socket, if any.", valueName: "path"))
    var socket: String?
}

/// Who is acting, on which database, at what time.
struct Session {
    /// The program, through the store protocols only: nothing here knows it is SQLite but `open`.
    let store: any Store
    let login: String
    let now: Date

    /// Opens the database. Commands that only read refuse a missing file instead of creating one.
    static func open(_ g: GlobalOptions, create: Bool = false, pageCacheKiB: Int? = nil) throws -> Session {
        if let socket = Endpoint.socket(flag: g.socket) {
            if g.db != nil {
                throw AgoraError.invalid("--db and --socket name two programs: choose one")
            }
            // The daemon says who we are (the kernel's uid), refuses non-members and checks --as.
            let store = try RemoteStore(socketPath: socket, actAs: g.asLogin)
            return Session(store: store, login: store.login, now: Clock.now())
        }
        let path = Identity.databasePath(flag: g.db)
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create {
            throw AgoraError("there is no Agora database at \(path)",
                             hint: "start a program with 'agora init --name NAME' or 'agora demo', or point --db at one")
        }
        if !exists && g.db == nil && ProcessInfo.processInfo.environment["AGORA_DB"] == nil {
            try DatabaseLocation.prepareDirectory(for: path)
        }
        let login = try Identity.actingLogin(requested: g.asLogin, databasePath: path)
        if Identity.isSharedInstall && getuid() != 0 && !exists {
            throw AgoraError.noProgramYet
        }
        if Identity.isSharedInstall && !exists {
            // SQLite creates files 0644 (minus umask): the group could not write. Create it 0660 first;
            // SQLite gives the -wal and -shm files the database file's mode.
            let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o660)
            if fd >= 0 { fchmod(fd, 0o660); close(fd) }
        }
        let store = try SQLiteStore.open(path: path, pageCacheKiB: pageCacheKiB)
        let session = Session(store: store, login: login, now: Clock.now())
        if Identity.isSharedInstall && getuid() != 0 {
            if !create {
                try session.requireMember()
            } else if try store.program() == nil {
                // An empty shared database (root opened it, or an init failed): only root starts the program,
                // or the first user to press "n" on the welcome screen would lead everyone's program.
                throw AgoraError.noProgramYet
            }
        }
        return session
    }

    /// On a shared host the database is everyone's: only members read it through the command line.
    /// (The full-screen program opens with `create: true` and shows its own "not a member" screen.)
    func requireMember() throws {
        guard let program = try store.program() else {
            throw AgoraError.noProgramYet
        }
        if try store.peer(login) != nil { return }
        throw AgoraError.notMember(login, of: program, leaders: try store.leaders())
    }
}

enum Clock {
    /// `AGORA_NOW` (ISO-8601) pins the clock for tests and demos; ignored in a shared (setgid) install.
    /// Read once: the TUI asks for the time at every wakeup, and `ProcessInfo.environment` builds a dictionary
    /// of the whole environment on each call (it was a tenth of what a foreign post cost a session).
    static func now() -> Date { pinned ?? Date() }

    private static let pinned: Date? = {
        guard !Identity.isSharedInstall, let s = ProcessInfo.processInfo.environment["AGORA_NOW"] else { return nil }
        return RelativeAge.parse(s, now: Date())
    }()
}

enum Identity {
    /// A setgid binary: the shared-host install, where the database belongs to the group, not the user.
    static var isSharedInstall: Bool { getegid() != getgid() }

    static let sharedConfigFile = "/etc/agora/config.toml"

    /// The directory of the running binary, from /proc/self/exe (argv[0] is whatever the caller chose).
    static var executableDirectory: String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// Runs `body` with the effective group set back to the caller's own, for files the caller names
    /// (themes, --out, imports): a setgid process must not read or write them with the `agora` group.
    /// The saved set-group-ID keeps the group, so it is restored afterwards.
    static func asCaller<T>(_ body: () throws -> T) rethrows -> T {
        guard isSharedInstall else { return try body() }
        let saved = getegid()
        guard setegid(getgid()) == 0 else { fatalError("cannot drop the agora group") }
        defer { _ = setegid(saved) }
        return try body()
    }

    static func databasePath(flag: String?) -> String {
        let env = isSharedInstall ? [:] : ProcessInfo.processInfo.environment
        var home = ProcessInfo.processInfo.environment
        if isSharedInstall { home = ["HOME": realHome()] }
        return DatabaseLocation.resolve(flag: isSharedInstall ? nil : flag,
                                        environment: env.merging(home) { a, _ in a },
                                        sharedConfigPath: SharedConfig.databasePath())
    }

    /// The real uid's login, from the password database (never $USER, which anyone can set).
    static func realLogin() throws -> String {
        guard let name = UnixSocket.loginName(uid: getuid()) else { throw AgoraError.unknownUser(getuid()) }
        return name
    }

    static func realHome() -> String {
        guard let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir else { return "/" }
        return String(cString: dir)
    }

    /// `--as` is allowed on a database file the caller owns (their own program), or for root.
    static func actingLogin(requested: String?, databasePath: String) throws -> String {
        let me = try realLogin()
        guard let requested, requested != me else { return me }
        if getuid() == 0 { return try Limits.login(requested) }
        if isSharedInstall {
            throw AgoraError.denied("--as is refused on a shared installation: you post as yourself (\(me))")
        }
        var st = stat()
        let target = FileManager.default.fileExists(atPath: databasePath)
            ? databasePath : URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
        guard stat(target, &st) == 0, st.st_uid == getuid() else {
            throw AgoraError.denied("--as is only allowed on a database you own; \(databasePath) is not yours")
        }
        return requested
    }
}

/// /etc/agora/config.toml, written by `agora admin install-shared`: `database = "/var/lib/agora/agora.db"`.
///
/// The binary looks first for `../etc/agora/config.toml` next to itself (an install under a prefix,
/// e.g. a test's temporary one), then /etc/agora/config.toml. On a setgid install a config file
/// counts only if root owns it and nobody else can write it.
enum SharedConfig {
    static func candidates() -> [String] {
        var files: [String] = []
        if let dir = Identity.executableDirectory {
            files.append(URL(fileURLWithPath: dir + "/../etc/agora/config.toml").standardized.path)
        }
        files.append(Identity.sharedConfigFile)
        return files
    }

    /// The first config file that exists (and, on a shared install, is root's).
    static func file() -> String? {
        for f in candidates() {
            var st = stat()
            guard stat(f, &st) == 0 else { continue }
            if Identity.isSharedInstall && (st.st_uid != 0 || st.st_mode & 0o022 != 0) { continue }
            return f
        }
        return nil
    }

    static func databasePath() -> String? {
        file().flatMap { databasePath(file: $0) }
    }

    static func databasePath(file: String) -> String? { value("database", file: file) }

    /// `key = "value"` from the config file.
    static func value(_ key: String, file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 && parts[0] == key {
                return parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}

/// Reading a body: `--body`, else standard input (strict UTF-8).
enum Input {
    static func body(_ flag: String?) throws -> String {
        if let flag { return flag }
        if isatty(0) == 1 {
            FileHandle.standardError.write(Data("agora: type the text, then Ctrl-D on an empty line\n".utf8))
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(validating: data, as: UTF8.self) else {
            throw AgoraError.invalid("the text on standard input is not valid UTF-8", hint: "convert it, e.g. with iconv -t UTF-8")
        }
        return text
    }
}

/// The environment of a setgid (shared) install comes from the person we are guarding against.
///
/// `harden()` runs first thing: it keeps a short allow-list, validated, and drops everything else
/// (AGORA_DB, AGORA_NOW, AGORA_TRACE_FD, XDG_*, TERMINFO, TMPDIR, SQLITE_TMPDIR, ...), so no later
/// code or library (ncurses, Foundation, SQLite) can be steered by it. HOME, USER and LOGNAME come
/// from the password database; PATH is fixed. The list is documented in docs/SECURITY.md.
enum SharedEnvironment {
    static let safePath = "/usr/local/bin:/usr/bin:/bin"
    /// Passed on, unchanged, to the editor or pager child (which runs without the group).
    static let childOnly = ["EDITOR", "VISUAL", "PAGER"]

    /// The variables kept from `original` in a shared install, after validation.
    static func allowed(_ original: [String: String], home: String, login: String) -> [String: String] {
        var env: [String: String] = ["PATH": safePath, "HOME": home, "USER": login, "LOGNAME": login]
        if let term = original["TERM"], isValidTerm(term) { env["TERM"] = term }
        for (k, v) in original where k == "LANG" || k == "LANGUAGE" || k.hasPrefix("LC_") {
            if isValidLocale(v) { env[k] = v }
        }
        for k in childOnly { if let v = original[k], v.utf8.count <= 1024, !v.contains("\0") { env[k] = v } }
        if let v = original["NO_COLOR"] { env["NO_COLOR"] = v.isEmpty ? "" : "1" }
        return env
    }

    /// A terminal type name: printable ASCII, short, no '/' (ncurses would treat it as a path).
    static func isValidTerm(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }
            && !s.hasPrefix(".")
    }

    /// A locale name like en_US.UTF-8 or C.UTF-8, never a path.
    static func isValidLocale(_ s: String) -> Bool {
        s.utf8.count <= 64 && s.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@")
                || $0 == UInt8(ascii: ":")
        } && !s.contains("..")
    }

    /// In a shared install: replace the environment by the allowed one and set umask 007, so the
    /// database, -wal and -shm files SQLite creates stay readable and writable by the group.
    static func harden() {
        guard Identity.isSharedInstall else { return }
        umask(0o007)
        let original = ProcessInfo.processInfo.environment
        let login = (try? Identity.realLogin()) ?? "nobody"
        let env = allowed(original, home: Identity.realHome(), login: login)
        clearenv()
        for (k, v) in env { setenv(k, v, 1) }
    }
}
