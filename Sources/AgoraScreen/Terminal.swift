/// The seam between drawing and the real terminal. The app draws a whole `Buffer` per frame and
/// hands it to `present`; implementations diff it against the previous frame and write only changes.
/// `CursesTerminal` (AgoraCurses) is the real one, `MemoryTerminal` (AgoraTestSupport) the test one.
public protocol Terminal: AnyObject {
    var size: Size { get }
    /// Make the screen show `buffer`, writing only cells that changed since the last present.
    func present(_ buffer: Buffer)
    /// The next `present` repaints everything (Ctrl-L, after the terminal was disturbed).
    func invalidate()
    /// Non-blocking: every key available on input right now, decoded.
    func readKeys() -> [Key]
    /// The file descriptor to `poll()` for input.
    var inputDescriptor: Int32 { get }
    /// After SIGWINCH: re-query the size and resize internal state.
    func updateSize() -> Size
    /// Leave full-screen mode (to run $EDITOR).
    func suspend()
    func resume()
    /// Restore the terminal. Idempotent.
    func shutdown()
    /// Bytes written to the terminal so far (for benchmarks).
    var bytesWritten: Int { get }
}
