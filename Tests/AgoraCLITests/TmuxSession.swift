import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `agora` in a real terminal: a tmux server of its own (unique socket), a shell in its pane,
/// keys sent with send-keys and the screen read back with capture-pane. The server dies with this object.
final class TmuxSession: @unchecked Sendable {
    static let executable: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var available: Bool { executable != nil }

    let socket: String
    let cli: CLI
    private(set) var width: Int
    private(set) var height: Int

    init(cli: CLI, width: Int = 80, height: Int = 24) throws {
        self.cli = cli
        self.width = width
        self.height = height
        socket = "agora-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "main", "/bin/sh"])
        try tmux(["set-option", "-g", "status", "off"])
        try tmux(["set-option", "-g", "escape-time", "0"])
        type("PS1='$ '; export PS1; clear")
        press("Enter")
        _ = waitFor("the shell prompt") { $0.hasPrefix("$") }
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// Runs tmux on this server with the test's environment (its database, clock and HOME).
    ///
    /// Spawned by hand rather than with Foundation's `Process`: the first command forks the tmux server, which
    /// inherits every open descriptor, and `Process` learns that its child ended only when the descriptors it
    /// passed down close, so it would wait for the server to exit. Here the child gets only 0, 1 and 2.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        var env = cli.environment()
        env["TERM"] = "xterm-256color"
        env["TMUX"] = nil
        let outPath = cli.dir.appendingPathComponent("tmux-\(UUID().uuidString.prefix(8))").path
        defer { unlink(outPath) }
        let path = Self.executable ?? "/usr/bin/tmux"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        Self.closeOthers(&actions)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path, "-L", socket] + args).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        // The test runner's threads block and ignore signals; the tmux server (and the agora under it) must start clean,
        // or it would not hear SIGTERM, SIGCHLD and friends.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        guard rc == 0 else { throw TmuxFailure(message: "cannot start tmux: error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np (Swift's Glibc module does not show it),
    /// else closes each descriptor listed in /proc/self/fd.
    private static func closeOthers(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(sym, to: CloseFrom.self)(&actions, 3)
            return
        }
        let fds = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for fd in fds where fd > 2 && fcntl(fd, F_GETFD) != -1 { posix_spawn_file_actions_addclose(&actions, fd) }
    }

    /// Keys by tmux name: "Enter", "C-x", "j", "Escape".
    func press(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", "main"] + keys)
    }

    /// Literal text, typed as it is.
    func type(_ text: String) {
        _ = try? tmux(["send-keys", "-t", "main", "-l", text])
    }

    /// Starts agora in the pane's shell.
    func startAgora(as login: String) {
        type("'\(CLI.binary)' --as \(login)")
        press("Enter")
    }

    /// The visible screen, one string per row, trailing spaces removed.
    func screen() -> [String] {
        let text = (try? tmux(["capture-pane", "-p", "-t", "main"])) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        _ = try? tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
    }

    /// What the pane runs now ("sh" once agora has quit).
    func currentCommand() -> String {
        ((try? tmux(["display-message", "-p", "-t", "main", "#{pane_current_command}"])) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds; on timeout records an issue showing the last screen.
    /// The waiting is never the assertion: the condition is.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 30, sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        repeat {
            last = screen().joined(separator: "\n")
            if condition(last) { return last }
            usleep(50_000)
        } while Date() < deadline
        Issue.record("timed out after \(Int(timeout)) s waiting for \(what); the screen was:\n\(last)", sourceLocation: sourceLocation)
        return last
    }

    /// Waits until the screen stops changing (two equal captures 200 ms apart) and returns it.
    func settled(timeout: TimeInterval = 10) -> [String] {
        var previous = screen()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            usleep(200_000)
            let now = screen()
            if now == previous { return now }
            previous = now
        }
        return previous
    }
}

struct TmuxFailure: Error { var message: String }
