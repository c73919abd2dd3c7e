import AgoraClient
import AgoraCore
import AgoraScreen
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

    /// Opens the program: through the daemon when one is named (the shared install's way), else the database
    /// file in-process. Commands that only read refuse a missing file instead of creating one.
    static func open(_ g: GlobalOptions, create: Bool = false, pageCacheKiB: Int? = nil) throws -> Session {
        switch try Endpoint.resolve(g) {
        case .daemon(let socket):
            // The daemon says who we are (the kernel's uid), refuses non-members and checks --as.
            let store = try RemoteStore(socketPath: socket, actAs: g.asLogin)
            return Session(store: store, login: store.login, now: Clock.now())
        case .file(let path, let isDefault):
            // stat, not fileExists: a file behind a directory we may not search is not "missing" but out of reach.
            var info = stat()
            let exists = stat(path, &info) == 0
            if !exists && errno == EACCES || exists && access(path, R_OK) != 0 {
                throw AgoraError.denied("permission denied: cannot \(exists ? "read" : "reach") \(path)",
                                        hint: "check its permissions, or point --db at a file of your own")
            }
            if !exists && !create {
                throw AgoraError("there is no Agora database at \(path)",
                                 hint: "start a program with 'agora init --name NAME' or 'agora demo', or point --db at one")
            }
            if !exists && isDefault { try DatabaseLocation.prepareDirectory(for: path) }
            let login = try Identity.actingLogin(requested: g.asLogin, databasePath: path)
            let store = try SQLiteStore.open(path: path, pageCacheKiB: pageCacheKiB)
            // A file with no program in it (the first run's welcome screen was left with q) is no program yet,
            // not a program with "no topics".
            if !create, try store.program() == nil {
                throw AgoraError("there is no program in \(path) yet",
                                 hint: "run 'agora' to start a demo or your own, or 'agora init --name NAME'")
            }
            return Session(store: store, login: login, now: Clock.now())
        }
    }

    /// Only members read a program through the command line (the daemon also refuses others at the door).
    func requireMember() throws {
        guard let program = try store.program() else {
            throw AgoraError.noProgramYet
        }
        if try store.peer(login) != nil { return }
        throw AgoraError.notMember(login, of: program, leaders: try store.leaders())
    }
}

enum Clock {
    /// `AGORA_NOW` (ISO-8601) pins the clock for tests and demos. Through the daemon it changes nothing that
    /// is stored: the daemon stamps every member's write with its own time.
    /// Read once: the TUI asks for the time at every wakeup, and `ProcessInfo.environment` builds a dictionary
    /// of the whole environment on each call (it was a tenth of what a foreign post cost a session).
    static func now() -> Date { pinned ?? Date() }

    private static let pinned: Date? = {
        guard let s = ProcessInfo.processInfo.environment["AGORA_NOW"] else { return nil }
        return RelativeAge.parse(s, now: Date())
    }()
}

enum Identity {
    static let sharedConfigFile = "/etc/agora/config.toml"

    /// The directory of the running binary, from /proc/self/exe (argv[0] is whatever the caller chose).
    static var executableDirectory: String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// `--db`, else $AGORA_DB, else ${XDG_DATA_HOME:-~/.local/share}/agora/agora.db.
    static func databasePath(flag: String?) -> String {
        DatabaseLocation.resolve(flag: flag, environment: ProcessInfo.processInfo.environment)
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
/// e.g. a test's temporary one), then /etc/agora/config.toml. A config file counts only if root (or the
/// caller) owns it and nobody else can write it: it names the socket a member's posts are sent to.
enum SharedConfig {
    static func candidates() -> [String] {
        var files: [String] = []
        if let dir = Identity.executableDirectory {
            files.append(URL(fileURLWithPath: dir + "/../etc/agora/config.toml").standardized.path)
        }
        files.append(Identity.sharedConfigFile)
        return files
    }

    private static var cache: (path: String, text: String)??

    /// The first config file that exists and can be trusted: its text, read from the descriptor that was checked.
    static func trusted() -> (path: String, text: String)? {
        if let cache { return cache }
        let found = candidates().lazy.compactMap(read).first
        cache = .some(found)
        return found
    }

    /// Not a link; a regular file root (or the caller) owns and nobody else may write; in a directory of the same
    /// kind (so nobody could swap the file for another).
    private static func read(_ path: String) -> (path: String, text: String)? {
        func safe(_ st: stat) -> Bool { (st.st_uid == 0 || st.st_uid == getuid()) && st.st_mode & 0o022 == 0 }
        var dir = stat()
        guard lstat(URL(fileURLWithPath: path).deletingLastPathComponent().path, &dir) == 0, safe(dir) else { return nil }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, safe(st), st.st_size < 64 << 10 else { return nil }
        guard let data = try? FileHandle(fileDescriptor: fd, closeOnDealloc: false).readToEnd() else { return nil }
        return (path, String(decoding: data ?? Data(), as: UTF8.self))
    }

    /// What the shared config may set.
    static let known = ["database", "socket"]

    /// A setting of the trusted config file, if there is one; a config file that is not valid is an error naming it,
    /// never read as if it said nothing (its socket is where a member's posts go).
    static func value(_ key: String) throws -> String? {
        try settings()?[key]
    }

    private static var parsed: [String: String]??

    /// The trusted config file's settings, parsed once (as its text is read once).
    private static func settings() throws -> [String: String]? {
        if let parsed { return parsed }
        guard let (path, text) = trusted() else { parsed = .some(nil); return nil }
        do {
            let settings = try ConfigFile.parse(text, file: path, known: known)
            parsed = .some(settings)
            return settings
        } catch let e as ConfigError {
            throw AgoraError.invalid(e.description, hint: "the host's administrator can rewrite it with 'agora admin install-shared'")
        }
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
