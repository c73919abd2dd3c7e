import AgoraScreen
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs $VISUAL or $EDITOR on a temporary copy of the text, with the terminal suspended.
///
/// The child runs with the session's own ids (agora holds no privilege to drop: the shared program is the
/// daemon's). The file lives in a private 0700 directory, mode 0600, and is removed afterwards.
enum ExternalEditor {
    static func edit(_ text: String, terminal: Terminal) -> String? {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        let base = env["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/agora-edit-XXXXXX").utf8CString)
        guard let dirPtr = mkdtemp(&template) else { return nil }
        let dir = String(cString: dirPtr)
        let file = dir + "/draft.txt"
        defer {
            unlink(file)
            rmdir(dir)
        }
        let fd = open(file, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            written += n
        }
        close(fd)

        // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
        let argv: [String] = ["/bin/sh", "-c", editor + " \"$1\"", "sh", file]
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }

        terminal.suspend()
        defer { terminal.resume() }
        // As system(3) does: while the editor runs, Ctrl-C and Ctrl-\ are the editor's, not ours.
        let oldInt = signal(SIGINT, SIG_IGN)
        let oldQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, oldInt)
            signal(SIGQUIT, oldQuit)
        }
        let pid = fork()
        if pid == 0 {
            for sig in SignalPipe.watched { signal(sig, SIG_DFL) }
            signal(SIGINT, SIG_DFL)
            signal(SIGQUIT, SIG_DFL)
            signal(SIGPIPE, SIG_DFL)
            execv("/bin/sh", &cArgs)
            _exit(127)
        }
        guard pid > 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let result = String(decoding: data, as: UTF8.self)
        // WIFEXITED && WEXITSTATUS == 0: the editor finished normally.
        if status & 0x7f == 0 && (status >> 8) & 0xff == 0 { return result }
        // Killed by a signal (the SSH link dropped under vim after a :w): what it saved is kept.
        // A normal non-zero exit (:cq) means "throw this away".
        if status & 0x7f != 0 && result != text { return result }
        return nil
    }
}
