import AgoraScreen
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `Terminal` that keeps the screen in memory, for tests: feed it keys, let the app present
/// frames, then compare `screen` with the expected rows.
public final class MemoryTerminal: Terminal {
    public private(set) var size: Size
    /// The last presented frame.
    public private(set) var buffer: Buffer
    public private(set) var presentCount = 0
    /// Cells that differed from the previous frame in the last `present` (all of them after `invalidate`).
    public private(set) var lastChangedCells = 0
    /// A rough figure of what a real terminal would have been sent: the UTF-8 bytes of changed
    /// cells plus a cursor move per run of changes. Not comparable with CursesTerminal's real count.
    public private(set) var bytesWritten = 0
    public private(set) var isSuspended = false
    public private(set) var isShutDown = false
    public private(set) var invalidateCount = 0
    private var pendingKeys: [Key] = []
    private var needsFullRepaint = true

    /// A pipe that holds one byte per batch of queued keys, so a loop sleeping in `poll()` on `inputDescriptor`
    /// wakes up for them exactly as it does for a real terminal.
    private var wake: [Int32] = [-1, -1]

    public init(size: Size) {
        self.size = size
        self.buffer = Buffer(size: size)
        if pipe(&wake) == 0 {
            for fd in wake { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
    }

    deinit {
        for fd in wake where fd >= 0 { close(fd) }
    }

    private func signalInput() {
        guard wake[1] >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
    }

    public convenience init(width: Int, height: Int) {
        self.init(size: Size(width: width, height: height))
    }

    /// Simulates the terminal window changing size: queues `.resize`; `updateSize()` then returns it.
    public func resize(to newSize: Size) {
        pendingSize = newSize
        pendingKeys.append(.resize)
        signalInput()
    }
    private var pendingSize: Size?

    /// Queues keys for the next `readKeys()`.
    public func feed(_ keys: [Key]) {
        pendingKeys.append(contentsOf: keys)
        signalInput()
    }

    /// Queues each character of `text` as `.char`.
    public func type(_ text: String) {
        pendingKeys.append(contentsOf: text.map { Key.char($0) })
        signalInput()
    }

    public var hasPendingKeys: Bool { !pendingKeys.isEmpty }

    public func present(_ newBuffer: Buffer) {
        presentCount += 1
        let changed: [(x: Int, y: Int)]
        if needsFullRepaint || newBuffer.size != buffer.size {
            changed = (0..<newBuffer.size.height).flatMap { y in (0..<newBuffer.size.width).map { (x: $0, y: y) } }
        } else {
            changed = newBuffer.changedPositions(since: buffer)
        }
        lastChangedCells = changed.count
        var lastPosition: (x: Int, y: Int)? = nil
        for p in changed {
            if let l = lastPosition, l.y == p.y, l.x + 1 == p.x {} else { bytesWritten += 6 } // ESC [ y ; x H
            bytesWritten += newBuffer[p.x, p.y].text.utf8.count
            lastPosition = p
        }
        needsFullRepaint = false
        buffer = newBuffer
    }

    public func invalidate() {
        invalidateCount += 1
        needsFullRepaint = true
    }

    public func readKeys() -> [Key] {
        var drain = [UInt8](repeating: 0, count: 64)
        if wake[0] >= 0 { while read(wake[0], &drain, drain.count) > 0 {} }
        defer { pendingKeys.removeAll() }
        return pendingKeys
    }

    /// Readable while keys are queued (a pipe), like a terminal with input waiting.
    public var inputDescriptor: Int32 { wake[0] }

    public func updateSize() -> Size {
        if let pendingSize {
            size = pendingSize
            self.pendingSize = nil
            needsFullRepaint = true
        }
        return size
    }

    public func suspend() { isSuspended = true }
    public func resume() { isSuspended = false; needsFullRepaint = true }
    public func shutdown() { isShutDown = true }

    /// The rows of the last presented frame.
    public var screen: [String] { buffer.lines }

    public func screenText() -> String { screen.joined(separator: "\n") }

    /// The role of the cell at (x, y) in the last presented frame.
    public func role(x: Int, y: Int) -> Role { buffer[x, y].role }
}
