import AgoraCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells a session when another process may have committed, without polling while idle.
///
/// inotify on the database's directory, filtered to the database and its -wal file. The event can arrive before
/// the commit is visible, so the session reads the change log 3 ms after the events (most commits are visible by
/// then) and again ~100 ms after the last event. Reading the log is the check: it says exactly what changed, and
/// our own writes, read marks and drafts (no log rows) cost one indexed read and change nothing on screen.
/// Where inotify is unavailable it falls back to reading the log once a second.
final class SQLiteChangeSignal: ChangeSignal {
    /// The inotify descriptor, or -1 when falling back to a timer.
    private var inotify: Int32 = -1
    /// What the loop polls: the inotify descriptor, except while a look is already due. A commit writes its pages
    /// one by one and each write is an event; not polling until the look lets them pile up in the kernel and be
    /// read at once (17 wakeups per foreign reply became 4).
    var descriptor: Int32 { lookPending ? -1 : inotify }
    private var lookPending = false
    private let names: Set<String>
    private(set) var deadline: Date?
    /// The last look after a burst of events: a commit that was not yet visible at the quick look is by then.
    private var settleAt: Date?
    static let quick: TimeInterval = 0.003
    static let settle: TimeInterval = 0.1
    static let fallbackInterval: TimeInterval = 1.0

    init(path: String, now: Date) {
        let url = URL(fileURLWithPath: path)
        names = [url.lastPathComponent, url.lastPathComponent + "-wal"]
        let ifd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if ifd >= 0 {
            let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_DELETE)
            if inotify_add_watch(ifd, url.deletingLastPathComponent().path, mask) >= 0 {
                inotify = ifd
            } else {
                close(ifd)
            }
        }
        if inotify < 0 { deadline = now.addingTimeInterval(Self.fallbackInterval) }
    }

    /// inotify said something: schedule a look if it was about our files.
    func readable(now: Date) {
        if drainEvents() {
            busyLooks = 0
            deadline = now.addingTimeInterval(Self.quick)
            settleAt = now.addingTimeInterval(Self.settle)
            lookPending = true
        }
    }

    /// Looks in a row that found the files still being written (a burst: many sessions' read marks at once). Each
    /// one doubles the wait before the next, up to `busyCap`: 3, 6, 12, 24 ms.
    private var busyLooks = 0
    static let busyCap: TimeInterval = 0.025

    /// Reads every event queued; true if one was about the database or its -wal.
    private func drainEvents() -> Bool {
        guard inotify >= 0 else { return false }
        var buf = [UInt8](repeating: 0, count: 4096)
        var relevant = false
        while true {
            let n = read(inotify, &buf, buf.count)
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
        return relevant
    }

    /// The deadline passed: time to read the log. Events that piled up meanwhile mean the writer is still at it:
    /// another quick look follows; otherwise the settling look, or (without inotify) the next fallback look.
    func due(now: Date) -> Bool {
        lookPending = false
        if inotify < 0 {
            deadline = now.addingTimeInterval(Self.fallbackInterval)
        } else if drainEvents() {
            busyLooks += 1
            deadline = now.addingTimeInterval(min(Self.busyCap, Self.quick * Double(1 << min(busyLooks, 4))))
            settleAt = now.addingTimeInterval(Self.settle)
            lookPending = true
        } else if let settle = settleAt, settle > now {
            deadline = settle
        } else {
            deadline = nil
            settleAt = nil
        }
        return true
    }

    deinit {
        if inotify >= 0 { close(inotify) }
    }
}

extension SQLiteStore {
    public func changeSignal(now: Date) -> any ChangeSignal {
        guard let path else { return NoChangeSignal() }
        return SQLiteChangeSignal(path: path, now: now)
    }
}
