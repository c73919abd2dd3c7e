import AgoraCore
import AgoraStore
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
}

/// Who is acting, on which database, at what time.
struct Session {
    let db: AgoraDatabase
    let login: String
    let now: Date

    /// Opens the database. Commands that only read refuse a missing file instead of creating one.
    static func open(_ g: GlobalOptions, create: Bool = false) throws -> Session {
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
        let db = try AgoraDatabase.open(path: path)
        return Session(db: db, login: login, now: Clock.now())
    }
}

enum Clock {
    /// `AGORA_NOW` (ISO-8601) pins the clock for tests and demos; ignored in a shared (setgid) install.
    static func now() -> Date {
        if !Identity.isSharedInstall, let s = ProcessInfo.processInfo.environment["AGORA_NOW"],
           let d = RelativeAge.parse(s, now: Date()) {
            return d
        }
        return Date()
    }
}

enum Identity {
    /// A setgid binary: the shared-host install, where the database belongs to the group, not the user.
    static var isSharedInstall: Bool { getegid() != getgid() }

    static let sharedConfigFile = "/etc/agora/config.toml"

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
        guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else {
            throw AgoraError("your user id \(getuid()) has no entry in the password database", hint: "ask the host's administrator")
        }
        return String(cString: name)
    }

    static func realHome() -> String {
        guard let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir else { return "/" }
        return String(cString: dir)
    }

    /// `--as` is allowed on a database file the caller owns (their own program), or for root.
    static func actingLogin(requested: String?, databasePath: String) throws -> String {
        let me = try realLogin()
        guard let requested, requested != me else { return me }
        if getuid() == 0 { return requested }
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
enum SharedConfig {
    static func databasePath(file: String = Identity.sharedConfigFile) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 && parts[0] == "database" {
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
