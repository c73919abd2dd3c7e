import AgoraCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The few socket calls the client and the daemon's checks need, with errors a person can act on.
public enum UnixSocket {
    /// Connects to the stream socket at `path`; the descriptor is close-on-exec (an editor started from the TUI
    /// must not inherit the session's connection).
    public static func connect(_ path: String) throws -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else {
            throw AgoraError("the socket path \(path) is too long (\(bytes.count) bytes; the limit is \(capacity - 1))")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw AgoraError("cannot make a socket: \(String(cString: strerror(errno)))") }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if rc != 0 {
            let e = errno
            close(fd)
            switch e {
            case ENOENT, ECONNREFUSED:
                throw AgoraError("the agora daemon is not running (no one answers on \(path))",
                                 hint: "ask the administrator to start it: 'systemctl start agora', or 'sudo agora serve --foreground' without systemd")
            case EACCES, EPERM:
                throw AgoraError.denied("not allowed to connect to \(path)", hint: "check the socket's permissions")
            default:
                throw AgoraError("cannot connect to \(path): \(String(cString: strerror(e)))")
            }
        }
        return fd
    }

    /// Whether a daemon answers on `path` (a stale socket file refuses).
    public static func answers(_ path: String) -> Bool {
        guard let fd = try? connect(path) else { return false }
        close(fd)
        return true
    }

    /// The login of `uid`, from the password database.
    public static func loginName(uid: uid_t) -> String? {
        var pw = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &pw, &buffer, buffer.count, &result) == 0, result != nil, let name = pw.pw_name else { return nil }
        return String(cString: name)
    }

    /// Writes all of `bytes`, waiting for room until `deadline`; false if the peer is gone or too slow.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: Date) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if n > 0 { offset += n; continue }
            if n < 0 && (errno == EINTR) { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard wait(fd, for: Int16(POLLOUT), until: deadline) else { return false }
                continue
            }
            return false
        }
        return true
    }

    /// Waits until `fd` is ready for `events` or `deadline` passes.
    public static func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        while true {
            let ms = max(0, Int32(min(deadline.timeIntervalSinceNow * 1000, 1_000_000)))
            var p = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&p, 1, ms)
            if rc > 0 { return true }
            if rc == 0 { return false }
            if errno != EINTR { return false }
        }
    }
}
