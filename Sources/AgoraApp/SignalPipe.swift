#if canImport(Glibc)
import Glibc
#endif

/// Signals become bytes on a pipe, so the event loop hears them in `poll()` like any input.
/// The handler only calls write(2), which is async-signal-safe.
private var signalPipeWriteEnd: Int32 = -1

enum SignalPipe {
    static let watched: [Int32] = [SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGCHLD]

    /// The read end; non-blocking, close-on-exec.
    static func install() throws -> Int32 {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw TUIError("cannot create the signal pipe: \(String(cString: strerror(errno)))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        signalPipeWriteEnd = fds[1]
        for sig in watched {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: sig)
                _ = write(signalPipeWriteEnd, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
        // A dead SSH session must not kill us with SIGPIPE before drafts are saved.
        signal(SIGPIPE, SIG_IGN)
        return fds[0]
    }

    /// Puts the default dispositions back (before exit, and in a child before exec).
    static func uninstall() {
        for sig in watched { signal(sig, SIG_DFL) }
    }

    /// Every signal number waiting on the pipe.
    static func drain(_ fd: Int32) -> [Int32] {
        var out: [Int32] = []
        var buf = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            out += buf[0..<n].map { Int32($0) }
        }
        return out
    }
}

public struct TUIError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
