import AgoraClient
import AgoraCore
import AgoraScreen
import AgoraStore
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Host administration: the shared install, syncing members with a Unix group.",
        subcommands: [InstallShared.self, SyncUsers.self, Status.self])
}

// MARK: - status

extension AdminCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "What the running daemon is doing: sessions, requests per second, database size.",
            discussion: "For root and the program's leaders, through the daemon's socket (--socket, $AGORA_SOCKET or the config).")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "JSON instead of lines.") var json = false

        func run() throws {
            guard let socket = try Endpoint.socket(global) else {
                throw AgoraError("no agora daemon is configured here: the program is opened in-process",
                                 hint: "point at one with --socket PATH, $AGORA_SOCKET or socket = \"PATH\" in the config")
            }
            let store = try RemoteStore(socketPath: socket, actAs: global.asLogin)
            let s = try store.daemonStatus()
            if json {
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try enc.encode(s), as: UTF8.self))
                return
            }
            print("daemon: up \(Self.duration(s.uptimeSeconds)), \(s.requestsServed) requests served, \(String(format: "%.1f", s.requestsPerSecond))/s over the last minute")
            print("sessions: \(s.sessions) (\(s.people) \(s.people == 1 ? "person" : "people")), this one included")
            print("database: \(Output.clean(s.store)), \(Self.size(s.databaseBytes))")
        }

        static func duration(_ s: Double) -> String {
            let t = Int(s)
            if t < 60 { return "\(t) s" }
            if t < 3600 { return "\(t / 60) min" }
            if t < 86400 { return "\(t / 3600) h \(t % 3600 / 60) min" }
            return "\(t / 86400) d \(t % 86400 / 3600) h"
        }

        static func size(_ b: Int64) -> String {
            if b < 1 << 20 { return "\(b / 1024) KiB" }
            if b < 1 << 30 { return String(format: "%.1f MiB", Double(b) / Double(1 << 20)) }
            return String(format: "%.2f GiB", Double(b) / Double(1 << 30))
        }
    }
}

// MARK: - install-shared

extension AdminCommand {
    struct InstallShared: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install-shared",
            abstract: "Install Agora for every user of this host (root only).",
            discussion: """
            Creates the system user USER (and its group), the data directory (0700 USER:USER) with an empty \
            program database, the socket's directory, installs this binary as PREFIX/bin/agora (0755, not \
            setgid), the themes under PREFIX/share/agora/themes, the config file naming the database and the \
            socket, and, where systemd runs, agora.service (enabled and started). Members reach the program only \
            through the daemon, which knows them by the uid the kernel reports. An earlier setgid install is \
            upgraded in place: its data is handed to USER. Running it again changes nothing.
            """)

        @Option(help: ArgumentHelp("Where the binary goes (PREFIX/bin/agora).", valueName: "dir")) var prefix = "/usr/local"
        @Option(help: ArgumentHelp("The data directory; the database is DATA/agora.db.", valueName: "dir")) var data = "/var/lib/agora"
        @Option(help: ArgumentHelp("The system user (and group) that runs the daemon and owns the data.", valueName: "name")) var user = "agora"
        // Not --socket: that is every command's "talk to this daemon" option (the root command would take it).
        @Option(help: ArgumentHelp("The socket the daemon listens on.", valueName: "path")) var listen = Endpoint.defaultSocket
        @Option(name: .customLong("config-dir"),
                help: ArgumentHelp("Where config.toml goes (default /etc/agora, or PREFIX/etc/agora for another prefix).", valueName: "dir"))
        var configDir: String?
        @Option(name: .customLong("unit-dir"),
                help: ArgumentHelp("Where agora.service goes (default /etc/systemd/system, where systemd runs).", valueName: "dir"))
        var unitDir: String?
        @Flag(help: "Remove the binary, themes, config and service; keep the data.") var uninstall = false
        @Flag(help: "With --uninstall: also delete the data directory and the user.") var purge = false

        func run() throws {
            guard getuid() == 0 else {
                throw AgoraError.denied("install-shared needs root", hint: "run it with sudo")
            }
            if purge && !uninstall { throw AgoraError.invalid("--purge goes with --uninstall") }
            let layout = SharedLayout(prefix: absolute(prefix), data: absolute(data), user: user, socket: absolute(listen),
                                      configDir: configDir.map(absolute), unitDir: unitDir.map(absolute))
            try SharedInstaller.validate(layout)
            var log = InstallLog()
            if uninstall {
                try SharedInstaller.uninstall(layout, purge: purge, log: &log)
            } else {
                try SharedInstaller.install(layout, log: &log)
            }
            log.print()
            if !uninstall {
                let agora = layout.binary
                let daemon = layout.startsWithSystemd
                    ? "systemd runs the daemon (agora.service, as \(user)); 'systemctl status agora' shows it."
                    : """
                      no systemd here: start the daemon by hand or from a supervisor (as root, it becomes \(user)):
                        sudo \(agora) serve --foreground &
                      """
                print("""

                Members run '\(agora)': every session talks to the daemon at \(layout.socket).
                \(daemon)
                next: start the program and make its first leader (a Unix login):
                  sudo \(agora) init --name "PROGRAM NAME" --as LOGIN
                then that leader adds peers ('agora peer add LOGIN --name NAME'), or keep members in step
                with a Unix group: sudo \(agora) admin sync-users --group UNIXGROUP
                """)
            }
        }

        func absolute(_ p: String) -> String {
            URL(fileURLWithPath: p, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardized.path
        }
    }
}

/// Where a shared install puts things.
struct SharedLayout {
    var prefix: String
    var data: String
    var user: String
    var socket: String
    var configDir: String?
    var unitDir: String?

    var binary: String { prefix + "/bin/agora" }
    var themes: String { prefix + "/share/agora/themes" }
    var database: String { data + "/agora.db" }
    var socketDirectory: String { URL(fileURLWithPath: socket).deletingLastPathComponent().path }
    /// /etc/agora for the usual prefixes; PREFIX/etc/agora otherwise (the binary looks there first).
    var config: String {
        if let configDir { return configDir + "/config.toml" }
        return (isStandardPrefix ? "/etc/agora" : prefix + "/etc/agora") + "/config.toml"
    }
    var isStandardPrefix: Bool { ["/usr/local", "/usr", "/"].contains(prefix) }
    /// The config files the installed binary will look at, in order.
    var configsSeenByBinary: [String] {
        [URL(fileURLWithPath: prefix + "/etc/agora/config.toml").standardized.path, Identity.sharedConfigFile]
    }
    static var systemdRuns: Bool { FileManager.default.fileExists(atPath: "/run/systemd/system") }
    /// agora.service: where asked, else the system's unit directory where systemd runs (not for a test prefix).
    var unitFile: String? {
        if let unitDir { return unitDir + "/agora.service" }
        return Self.systemdRuns && isStandardPrefix ? "/etc/systemd/system/agora.service" : nil
    }
    /// The unit is the system's own, so systemctl starts it now.
    var startsWithSystemd: Bool { Self.systemdRuns && unitFile == "/etc/systemd/system/agora.service" }
}

/// What an install did, line by line; "unchanged" lines make a second run visibly a no-op.
struct InstallLog {
    var lines: [String] = []
    var changed = 0
    mutating func did(_ s: String) { lines.append(s); changed += 1 }
    mutating func same(_ s: String) { lines.append("unchanged: " + s) }
    mutating func note(_ s: String) { lines.append(s) }
    func print() {
        for l in lines { Swift.print(l) }
        if changed == 0 { Swift.print("nothing to do: the shared install is already in place") }
    }
}

enum SharedInstaller {
    static func validate(_ l: SharedLayout) throws {
        guard (try? Limits.login(l.user)) != nil else {
            throw AgoraError.invalid("'\(Sanitizer.line(l.user))' is not a valid user name")
        }
        if l.user == "root" { throw AgoraError.invalid("the daemon must not run as root: choose another --user") }
        for (what, p) in [("--prefix", l.prefix), ("--data", l.data), ("--listen", l.socket)]
        where p == "/" || p.contains(where: { $0 == "\"" || $0 == "\\" || $0.isWhitespace || $0.isNewline }) {
            throw AgoraError.invalid("\(what) \(Sanitizer.line(p)) cannot be used")
        }
        if l.socketDirectory == "/" || l.socketDirectory == l.data {
            throw AgoraError.invalid("--listen must be in a directory of its own, not \(l.socketDirectory)")
        }
    }

    static func install(_ l: SharedLayout, log: inout InstallLog) throws {
        let owner = try ensureUser(l, log: &log)
        try ensureDirectory(l.data, owner.uid, owner.gid, mode: 0o700, log: &log, what: "data directory")
        try handOverData(l, to: owner, log: &log)
        try ensureDirectory(l.socketDirectory, owner.uid, owner.gid, mode: 0o755, log: &log, what: "socket directory")
        let newBinary = try installBinary(l, log: &log)
        try installThemes(l, log: &log)
        try writeConfig(l, log: &log)
        try installUnit(l, newBinary: newBinary, log: &log)
    }

    static func uninstall(_ l: SharedLayout, purge: Bool, log: inout InstallLog) throws {
        if let unit = l.unitFile, FileManager.default.fileExists(atPath: unit) {
            if l.startsWithSystemd { try? run("/usr/bin/systemctl", ["disable", "--now", "agora.service"]) }
            try remove(unit)
            if l.startsWithSystemd { try? run("/usr/bin/systemctl", ["daemon-reload"]) }
            log.did("removed \(unit)")
        }
        for f in [l.binary, l.config] {
            if FileManager.default.fileExists(atPath: f) {
                try remove(f)
                log.did("removed \(f)")
            } else {
                log.same("\(f) is not there")
            }
        }
        if FileManager.default.fileExists(atPath: l.themes) {
            try remove(l.themes)
            log.did("removed \(l.themes)")
        }
        for dir in [l.prefix + "/share/agora", URL(fileURLWithPath: l.config).deletingLastPathComponent().path] {
            rmdir(dir)   // only when empty
        }
        if purge {
            for (dir, what) in [(l.data, "data directory"), (l.socketDirectory, "socket directory")]
            where FileManager.default.fileExists(atPath: dir) {
                try remove(dir)
                log.did("deleted the \(what) \(dir)")
            }
            if getpwnam(l.user) != nil {
                try run("/usr/sbin/userdel", [l.user])
                log.did("deleted the user \(l.user)")
            }
            if getgrnam(l.user) != nil {
                try run("/usr/sbin/groupdel", [l.user])
                log.did("deleted the group \(l.user)")
            }
        } else if FileManager.default.fileExists(atPath: l.data) {
            log.note("kept the data in \(l.data) and the user \(l.user) that owns it (--purge deletes both)")
        }
    }

    /// The daemon's system user. An earlier setgid install left a group of that name: the user joins it.
    static func ensureUser(_ l: SharedLayout, log: inout InstallLog) throws -> ServiceUser {
        if let u = ServiceUser.named(l.user) {
            // An account of a person, or root, must not become the daemon's (it would own everyone's program).
            guard u.uid != 0 && u.uid < 1000 else {
                throw AgoraError("the user \(l.user) exists and is not a system account (uid \(u.uid))",
                                 hint: "choose another name with --user")
            }
            log.same("user \(l.user) (uid \(u.uid))")
            return u
        }
        let shell = FileManager.default.fileExists(atPath: "/usr/sbin/nologin") ? "/usr/sbin/nologin" : "/bin/false"
        var args = ["--system", "--no-create-home", "--home-dir", l.data, "--shell", shell, "--comment", "Agora daemon"]
        args += getgrnam(l.user) != nil ? ["--gid", l.user] : ["--user-group"]
        try run("/usr/sbin/useradd", args + [l.user])
        guard let u = ServiceUser.named(l.user) else { throw AgoraError("useradd did not create the user \(l.user)") }
        log.did("created the system user \(l.user) (uid \(u.uid), group \(groupName(u.gid)))")
        return u
    }

    /// The program database, owned by the daemon's user and readable by nobody else: an empty one on a fresh
    /// install; an earlier setgid install's files (0660 root:GROUP) are handed over as they are.
    static func handOverData(_ l: SharedLayout, to owner: ServiceUser, log: inout InstallLog) throws {
        var st = stat()
        if lstat(l.database, &st) != 0 {
            // Nothing there, not even a dangling link (fileExists would follow one, and SQLite create its target).
            do { _ = try SQLiteStore.open(path: l.database) } catch {
                throw AgoraError("cannot create the database \(l.database): \(error)")
            }
            log.did("created an empty program database \(l.database)")
        }
        for f in [l.database, l.database + "-wal", l.database + "-shm", l.database + "-lock"] where lstat(f, &st) == 0 {
            try ensureOwner(f, owner.uid, owner.gid, mode: 0o600, log: &log, what: "database file")
        }
    }

    static func ensureDirectory(_ path: String, _ uid: uid_t, _ gid: gid_t, mode: mode_t, log: inout InstallLog, what: String) throws {
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o755])
            } catch {
                throw AgoraError("cannot create \(path): \(error.localizedDescription)")
            }
            try setOwner(path, uid, gid, mode: mode)
            log.did("created the \(what) \(path) (\(modeString(mode)) \(ownerString(uid, gid)))")
            return
        }
        guard isDir.boolValue else { throw AgoraError("\(path) exists and is not a directory") }
        // An existing directory is taken over only if it is already the service's (a second run), or an earlier
        // setgid install's data directory (root, the group of the same name): never /run, /tmp or someone's own.
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            throw AgoraError("\(path) is a symbolic link or cannot be inspected: refusing to use it")
        }
        let earlierInstall = st.st_uid == 0 && st.st_gid == gid
        guard (st.st_uid == uid || earlierInstall) && !SharedInstaller.systemDirectories.contains(path) else {
            throw AgoraError("\(path) already exists and belongs to \(ownerString(st.st_uid, st.st_gid)): the \(what) must be a directory of its own",
                             hint: "name a path that does not exist yet: install-shared creates it")
        }
        try ensureOwner(path, uid, gid, mode: mode, log: &log, what: what)
    }

    /// Directories that are never a data or socket directory of ours, whoever owns them.
    static let systemDirectories: Set<String> = ["/", "/run", "/var/run", "/tmp", "/var", "/var/lib", "/var/tmp", "/usr", "/usr/local",
                                                 "/etc", "/home", "/root", "/opt", "/srv", "/dev", "/proc", "/sys", "/bin", "/sbin", "/lib"]

    static func ensureOwner(_ path: String, _ uid: uid_t, _ gid: gid_t, mode: mode_t, log: inout InstallLog, what: String) throws {
        // The file itself, never what a link points at: the daemon's user owns the data directory and could plant
        // `agora.db-lock -> /etc/shadow` for root's next install to hand over.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw AgoraError(errno == ELOOP ? "\(path) is a symbolic link: refusing to change its owner" : "cannot open \(path): \(String(cString: strerror(errno)))",
                             hint: errno == ELOOP ? "remove it and run install-shared again" : nil)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw AgoraError("cannot inspect \(path): \(String(cString: strerror(errno)))") }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFDIR else { throw AgoraError("\(path) is neither a file nor a directory: refusing to touch it") }
        if st.st_uid == uid && st.st_gid == gid && st.st_mode & 0o7777 == mode {
            log.same("\(what) \(path) (\(modeString(mode)) \(ownerString(uid, gid)))")
            return
        }
        let was = "\(modeString(st.st_mode & 0o7777)) \(ownerString(st.st_uid, st.st_gid))"
        // fchown before fchmod: chown clears the set-id bits.
        guard fchown(fd, uid, gid) == 0, fchmod(fd, mode) == 0 else {
            throw AgoraError("cannot set the owner or mode of \(path): \(String(cString: strerror(errno)))")
        }
        log.did("set the \(what) \(path) to \(modeString(mode)) \(ownerString(uid, gid)) (was \(was))")
    }

    /// For files and directories install-shared itself just made (so no link can stand in their place).
    static func setOwner(_ path: String, _ uid: uid_t, _ gid: gid_t, mode: mode_t) throws {
        guard lchown(path, uid, gid) == 0, chmod(path, mode) == 0 else {
            throw AgoraError("cannot set the owner or mode of \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// A plain 0755 root binary: it needs no privilege, the daemon holds the data.
    /// Returns whether the binary changed (the daemon must then restart to be the new one).
    @discardableResult
    static func installBinary(_ l: SharedLayout, log: inout InstallLog) throws -> Bool {
        guard let source = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw AgoraError("cannot find the running binary (/proc/self/exe)")
        }
        try ensurePlainDirectory(l.prefix + "/bin", log: &log)
        if FileManager.default.contentsEqual(atPath: source, andPath: l.binary) {
            try ensureOwner(l.binary, 0, 0, mode: 0o755, log: &log, what: "binary")
            return false
        }
        // Copy next to the target, then rename: running sessions keep the old file.
        let tmp = l.binary + ".new"
        try? FileManager.default.removeItem(atPath: tmp)
        do { try FileManager.default.copyItem(atPath: source, toPath: tmp) } catch {
            throw AgoraError("cannot copy the binary to \(tmp): \(error.localizedDescription)")
        }
        try setOwner(tmp, 0, 0, mode: 0o755)
        guard rename(tmp, l.binary) == 0 else {
            throw AgoraError("cannot install \(l.binary): \(String(cString: strerror(errno)))")
        }
        log.did("installed \(l.binary) (mode 755, not setgid)")
        return true
    }

    /// The bundled themes: next to an installed binary, or in the source tree this binary was built from.
    static func themeSource() -> String? {
        var candidates: [String] = []
        if let dir = Identity.executableDirectory {
            candidates.append(URL(fileURLWithPath: dir + "/../share/agora/themes").standardized.path)
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Themes").standardized.path)
        return candidates.first { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).contains { $0.hasSuffix(".toml") }
        }
    }

    static func installThemes(_ l: SharedLayout, log: inout InstallLog) throws {
        guard let source = themeSource() else {
            log.note("themes: no theme files found next to this binary; the built-in ones (default, light, mono) remain")
            return
        }
        if URL(fileURLWithPath: source).standardized.path == URL(fileURLWithPath: l.themes).standardized.path {
            log.same("themes in \(l.themes)")
            return
        }
        try ensurePlainDirectory(l.prefix + "/share/agora", log: &log)
        try ensurePlainDirectory(l.themes, log: &log)
        let files = try FileManager.default.contentsOfDirectory(atPath: source).filter { $0.hasSuffix(".toml") }.sorted()
        var copied: [String] = []
        for f in files {
            let from = source + "/" + f, to = l.themes + "/" + f
            if FileManager.default.contentsEqual(atPath: from, andPath: to) { continue }
            try? FileManager.default.removeItem(atPath: to)
            do { try FileManager.default.copyItem(atPath: from, toPath: to) } catch {
                throw AgoraError("cannot copy \(from): \(error.localizedDescription)")
            }
            try setOwner(to, 0, 0, mode: 0o644)
            copied.append(f)
        }
        if copied.isEmpty {
            log.same("themes in \(l.themes)")
        } else {
            log.did("installed themes \(copied.joined(separator: ", ")) in \(l.themes)")
        }
    }

    static func configText(_ l: SharedLayout) -> String {
        ConfigFile.render([("database", l.database), ("socket", l.socket)],
                          comment: ["Written by 'agora admin install-shared'.",
                                    "agora serve (as \(l.user)) owns the database; every member's agora talks to it over the socket."]) + "\n"
    }

    static func writeConfig(_ l: SharedLayout, log: inout InstallLog) throws {
        try writeRootFile(l.config, configText(l), log: &log, what: "config", summary: "database = \(l.database), socket = \(l.socket)")
        if !l.configsSeenByBinary.contains(URL(fileURLWithPath: l.config).standardized.path) {
            log.note("warning: \(l.binary) looks for its config in \(l.configsSeenByBinary.joined(separator: " and ")), not \(l.config)")
        }
    }

    static func unitText(_ l: SharedLayout) -> String {
        // systemd makes a socket directory under /run at each start (it is a tmpfs); elsewhere it is install's.
        let runtime = l.socketDirectory.hasPrefix("/run/")
            ? """
              RuntimeDirectory=\(l.socketDirectory.dropFirst(5))
              RuntimeDirectoryMode=0755
              RuntimeDirectoryPreserve=yes

              """ : ""
        return """
        # Written by 'agora admin install-shared'.
        [Unit]
        Description=Agora peer-mentoring daemon
        After=local-fs.target

        [Service]
        Type=simple
        User=\(l.user)
        Group=\(l.user)
        ExecStart=\(l.binary) serve --db \(l.database) --socket \(l.socket)
        Restart=on-failure
        RestartSec=1
        \(runtime)UMask=0077
        NoNewPrivileges=yes
        ProtectSystem=strict
        ProtectHome=yes
        PrivateTmp=yes
        ReadWritePaths=\(l.data) \(l.socketDirectory)

        [Install]
        WantedBy=multi-user.target

        """
    }

    static func installUnit(_ l: SharedLayout, newBinary: Bool, log: inout InstallLog) throws {
        guard let unit = l.unitFile else { return }
        let changed = try writeRootFile(unit, unitText(l), log: &log, what: "service", summary: "agora.service runs \(l.binary) serve as \(l.user)")
        guard l.startsWithSystemd else { return }
        try run("/usr/bin/systemctl", ["daemon-reload"])
        try run("/usr/bin/systemctl", ["enable", "agora.service"])
        // A new binary or unit: restart, so the daemon that answers is the one just installed.
        try run("/usr/bin/systemctl", [changed || newBinary ? "restart" : "start", "agora.service"])
        log.note("systemd: agora.service is enabled and running")
    }

    /// A root-owned 0644 file with exactly `text`; returns whether it was written.
    @discardableResult
    static func writeRootFile(_ path: String, _ text: String, log: inout InstallLog, what: String, summary: String) throws -> Bool {
        try ensurePlainDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path, log: &log)
        if (try? String(contentsOfFile: path, encoding: .utf8)) == text {
            try ensureOwner(path, 0, 0, mode: 0o644, log: &log, what: what)
            return false
        }
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw AgoraError("cannot write \(path): \(error.localizedDescription)")
        }
        try setOwner(path, 0, 0, mode: 0o644)
        log.did("wrote \(path): \(summary)")
        return true
    }

    /// A root-owned 0755 directory (created if missing; an existing one is left as it is).
    static func ensurePlainDirectory(_ path: String, log: inout InstallLog) throws {
        if FileManager.default.fileExists(atPath: path) { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        } catch {
            throw AgoraError("cannot create \(path): \(error.localizedDescription)")
        }
        log.did("created \(path)")
    }

    static func remove(_ path: String) throws {
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw AgoraError("cannot remove \(path): \(error.localizedDescription)")
        }
    }

    static func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        do { try p.run() } catch { throw AgoraError("cannot run \(tool): \(error.localizedDescription)") }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw AgoraError("\(tool) \(args.joined(separator: " ")) failed (exit \(p.terminationStatus))")
        }
    }

    static func modeString(_ m: mode_t) -> String { String(m, radix: 8) }

    static func ownerString(_ uid: uid_t, _ gid: gid_t) -> String {
        let user = getpwuid(uid).flatMap { $0.pointee.pw_name }.map { String(cString: $0) } ?? "\(uid)"
        return user + ":" + groupName(gid)
    }

    static func groupName(_ gid: gid_t) -> String {
        guard let g = getgrgid(gid), let n = g.pointee.gr_name else { return "\(gid)" }
        return String(cString: n)
    }
}

// MARK: - sync-users

extension AdminCommand {
    struct SyncUsers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync-users",
            abstract: "Make the members of a Unix group the program's peers (leader, or root).",
            discussion: """
            Adds members of UNIXGROUP who are not peers yet (named from the password database), brings \
            back alumni who are in the group again, and marks as alumni the peers who left the group or \
            whose account was removed. The group is taken as the whole membership: a peer added by hand who \
            is not in it becomes alumni too (--dry-run shows who; --only-add never marks anyone). Leaders \
            are never changed, only reported. Run by root without --as, it acts as the program's first leader.
            """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("group"), help: ArgumentHelp("The Unix group whose members take part.", valueName: "unixgroup"))
        var unixGroup: String
        @Flag(name: .customLong("dry-run"), help: "Print what would change; change nothing.") var dryRun = false
        @Flag(name: .customLong("only-add"), help: "Add and bring back group members; mark nobody as alumni.") var onlyAdd = false
        @Option(name: .customLong("passwd-file"), help: .hidden) var passwdFile: String?
        @Option(name: .customLong("group-file"), help: .hidden) var groupFile: String?

        func run() throws {
            let directory = try accounts()
            guard let members = directory.members(of: unixGroup) else {
                throw AgoraError.notFound("Unix group", "'\(Sanitizer.line(unixGroup))'", hint: "see 'getent group'")
            }
            var g = global
            let s0 = try Session.open(g)
            if getuid() == 0 && g.asLogin == nil {
                guard let leader = try s0.store.leaders().first else { throw AgoraError("the program has no active leader") }
                g.asLogin = leader.login
            }
            let s = g.asLogin == nil ? s0 : try Session.open(g)
            guard let program = try s.store.program() else { throw AgoraError("there is no program in this database yet") }
            try Policy.authorize(try s.store.peer(s.login), .managePeers, in: program)   // dry runs too
            let peers = try s.store.peers()
            let plan = UserSyncPlan.make(group: unixGroup, members: members, peers: peers, directory: directory)
            var adds: [Peer] = []
            var skipped: [(login: String, why: String)] = []
            var renamed: [(login: String, name: String, why: String)] = []
            var shownAs: [String: String] = [:]
            var names = DisplayNames.Index(peers.map { ($0.login, $0.name) })
            for c in plan.add {
                guard let login = try? Limits.login(c.login) else { skipped.append((c.login, "not a login agora accepts")); continue }
                let name = (try? Limits.name(String(c.name.prefix(Limits.name)))) ?? login
                // The store admits each the same way in its transaction, from the name the account gives (handing it
                // the admitted name would hide the clash from it): this is what it will do, for the lines below.
                do {
                    let admission = try names.admit(login: login, name: name)
                    renamed += admission.renamed.map { ($0.login, $0.name, $0.why) }
                    shownAs[login] = admission.name
                    adds.append(Peer(login: login, name: name, joined: s.now))
                } catch {
                    // One account that cannot join must not stop the others.
                    skipped.append((login, "\(error)"))
                }
            }
            let leave = onlyAdd ? [] : plan.leave
            let verb = dryRun ? "would " : ""
            if !dryRun {
                // One transaction: a refused change (another session made someone alumni meanwhile) leaves
                // everything as it was, and the message says which.
                try s.store.syncMembership(add: adds, rejoin: plan.rejoin.map(\.login), leave: leave.map(\.login),
                                        by: s.login, now: s.now)
            }
            for p in adds { print("\(verb)add \(p.login) (\(Output.clean(shownAs[p.login] ?? p.name))): member of group \(Output.clean(unixGroup))") }
            for c in plan.rejoin { print("\(verb)rejoin \(c.login): \(Output.clean(c.why))") }
            for c in leave { print("\(verb)mark alumni \(c.login) (\(Output.clean(c.name))): \(Output.clean(c.why))") }
            if leave.contains(where: { $0.why.hasPrefix("not in group") }) {
                print("(the group is the whole membership: peers added by hand who are not in it \(dryRun ? "would become" : "became") alumni; --only-add keeps them)")
            }
            if onlyAdd && !plan.leave.isEmpty { print("kept \(plan.leave.count) peer(s) not in group \(Output.clean(unixGroup)) (--only-add)") }
            for c in plan.keptLeaders { print("kept leader \(c.login): \(Output.clean(c.why)); change leaders by hand") }
            for l in skipped { print("skipped '\(Output.clean(l.login))': \(Output.clean(l.why))") }
            for r in renamed {
                print("\(verb)rename \(Output.clean(r.login)) to '\(Output.clean(r.name))': \(Output.clean(r.why))")
            }
            if plan.isEmpty { print("nothing to change: the peers match group \(Output.clean(unixGroup))") }
        }

        func accounts() throws -> AccountDirectory {
            guard passwdFile != nil || groupFile != nil else { return SystemAccounts() }
            guard let passwdFile, let groupFile else {
                throw AgoraError.invalid("--passwd-file and --group-file go together")
            }
            // (A leader could describe accounts that do not exist this way; a leader can add any peer anyway.)
            guard let p = FileManager.default.contents(atPath: passwdFile), let g = FileManager.default.contents(atPath: groupFile) else {
                throw AgoraError("cannot read \(passwdFile) or \(groupFile)")
            }
            return AccountFiles(passwd: String(decoding: p, as: UTF8.self), group: String(decoding: g, as: UTF8.self))
        }
    }
}

/// The host's password and group databases (through NSS, so LDAP users count too).
struct SystemAccounts: AccountDirectory {
    func account(_ login: String) -> UnixAccount? {
        guard let pw = getpwnam(login) else { return nil }
        let gecos = pw.pointee.pw_gecos.map { String(cString: $0) } ?? ""
        return UnixAccount(login: login, gid: pw.pointee.pw_gid, fullName: gecos.split(separator: ",").first.map(String.init) ?? "")
    }

    func group(_ name: String) -> UnixGroup? {
        guard let g = getgrnam(name) else { return nil }
        var members: [String] = []
        if var p = g.pointee.gr_mem {
            while let m = p.pointee {
                members.append(String(cString: m))
                p += 1
            }
        }
        return UnixGroup(name: name, gid: g.pointee.gr_gid, members: members)
    }

    func accounts(withPrimaryGroup gid: UInt32) -> [UnixAccount] {
        var out: [UnixAccount] = []
        setpwent()
        defer { endpwent() }
        while let pw = getpwent() {
            guard pw.pointee.pw_gid == gid, let n = pw.pointee.pw_name else { continue }
            let gecos = pw.pointee.pw_gecos.map { String(cString: $0) } ?? ""
            out.append(UnixAccount(login: String(cString: n), gid: gid, fullName: gecos.split(separator: ",").first.map(String.init) ?? ""))
        }
        return out.sorted { $0.login < $1.login }
    }
}
