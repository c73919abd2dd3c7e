import AgoraScreen

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

    public init(size: Size) {
        self.size = size
        self.buffer = Buffer(size: size)
    }

    public convenience init(width: Int, height: Int) {
        self.init(size: Size(width: width, height: height))
    }

    /// Simulates the terminal window changing size: queues `.resize`; `updateSize()` then returns it.
    public func resize(to newSize: Size) {
        pendingSize = newSize
        pendingKeys.append(.resize)
    }
    private var pendingSize: Size?

    /// Queues keys for the next `readKeys()`.
    public func feed(_ keys: [Key]) {
        pendingKeys.append(contentsOf: keys)
    }

    /// Queues each character of `text` as `.char`.
    public func type(_ text: String) {
        pendingKeys.append(contentsOf: text.map { Key.char($0) })
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
        defer { pendingKeys.removeAll() }
        return pendingKeys
    }

    /// There is no real descriptor; -1 makes `poll()` ignore the entry.
    public var inputDescriptor: Int32 { -1 }

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
