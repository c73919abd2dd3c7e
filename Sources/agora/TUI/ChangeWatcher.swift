import AgoraStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Notices commits by other processes (another session, the CLI) without polling while idle.
///
/// inotify on the database's directory, filtered to the database and its -wal file. The event can
/// arrive before the commit is visible, so the loop re-checks `PRAGMA data_version` 2 ms after the
/// events (quick: most commits are visible by then) and again ~100 ms after the last event. Where inotify is unavailable it falls back to checking once a second.
final class ChangeWatcher {
    let db: AgoraDatabase
    /// The inotify descriptor to poll, or -1 when falling back to a timer.
    private(set) var fd: Int32 = -1
    private let names: Set<String>
    private var token: Int64
    /// When to look at data_version next; nil: nothing pending.
    private(set) var recheckAt: Date?
    /// The last look after a burst of events: a commit that was not yet visible at the quick look is by then.
    private var settleAt: Date?
    /// A quick look soon after the events (a CLI's commit is visible by its closing the files), then a last one.
    static let quick: TimeInterval = 0.002
    static let settle: TimeInterval = 0.1
    static let fallbackInterval: TimeInterval = 1.0

    init(db: AgoraDatabase, now: Date) {
        self.db = db
        token = (try? db.changeToken()) ?? 0
        guard let path = db.path else {
            names = []
            return
        }
        let url = URL(fileURLWithPath: path)
        names = [url.lastPathComponent, url.lastPathComponent + "-wal"]
        let ifd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if ifd >= 0 {
            let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_DELETE)
            if inotify_add_watch(ifd, url.deletingLastPathComponent().path, mask) >= 0 {
                fd = ifd
            } else {
                close(ifd)
            }
        }
        if fd < 0 { recheckAt = now.addingTimeInterval(Self.fallbackInterval) }
    }

    /// inotify said something: schedule a re-check if it was about our files.
    func handleReadable(now: Date) {
        var buf = [UInt8](repeating: 0, count: 4096)
        var relevant = false
        while true {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let len = buf.withUnsafeBytes { raw -> Int in
                    Int(raw.load(fromByteOffset: offset + 12, as: UInt32.self))   // inotify_event.len
                }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                if len > 0, nameStart + len <= n {
                    let bytes = buf[nameStart..<(nameStart + len)].prefix { $0 != 0 }
                    if let name = String(bytes: bytes, encoding: .utf8), names.contains(name) { relevant = true }
                }
                offset = nameStart + len
            }
        }
        if relevant {
            recheckAt = now.addingTimeInterval(Self.quick)
            settleAt = now.addingTimeInterval(Self.settle)
        }
    }

    /// Called when `recheckAt` has passed: true if another connection committed since last time.
    func recheck(now: Date) -> Bool {
        if fd < 0 {
            recheckAt = now.addingTimeInterval(Self.fallbackInterval)
        } else if let settle = settleAt, settle > now {
            recheckAt = settle
        } else {
            recheckAt = nil
            settleAt = nil
        }
        guard let t = try? db.changeToken() else { return false }
        defer { token = t }
        return t != token
    }

    /// Runs our own database work so that its writes do not count as news, without swallowing another
    /// session's commit: if something foreign arrived since the last look, the version is left alone and a
    /// look is due at once (the reload then includes both).
    func own<T>(_ work: () -> T) -> T {
        let before = try? db.changeToken()
        let result = work()
        if let before, before == token {
            if let t = try? db.changeToken() { token = t }
        } else {
            recheckAt = Date()
        }
        return result
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}
