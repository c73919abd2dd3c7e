import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the system said when a file operation failed (`strerror(errno)`: "Permission denied").
public struct SystemError: Error, CustomStringConvertible {
    public let description: String
    public static func current() -> SystemError { SystemError(description: String(cString: strerror(errno))) }
}

/// Replaces the file at `path` with `bytes`, whole or not at all: written to `temp` (created with `flags` added to
/// `O_WRONLY | O_CREAT | O_CLOEXEC`, then given `mode`), flushed to disk, and renamed over `path`. On failure the
/// temporary file is removed and the system's reason thrown.
public func replaceFile(_ path: String, with bytes: [UInt8], temp: String, mode: mode_t, flags: Int32) throws {
    let fd = open(temp, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0o600)
    guard fd >= 0 else { throw SystemError.current() }
    var failure: SystemError?
    if fchmod(fd, mode) != 0 { failure = .current() }
    var done = 0
    while failure == nil && done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
        if n < 0 { if errno != EINTR { failure = .current() } } else { done += n }
    }
    if failure == nil && fsync(fd) != 0 { failure = .current() }
    close(fd)
    if failure == nil && rename(temp, path) != 0 { failure = .current() }
    if let failure {
        unlink(temp)
        throw failure
    }
}
