import AgoraScreen
import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct CursesError: Error, CustomStringConvertible {
    public var description: String
}

/// The real terminal, through ncursesw.
///
/// - Starts with `newterm`, never `initscr` (which exits the process on an unknown $TERM); on an
///   unknown $TERM it retries as xterm-256color, xterm, then vt100.
/// - `present` draws only the cells that changed since the previous frame, then refreshes once
///   (ncurses does its own diff against the physical screen on top).
/// - Signals: none installed here. ncurses installs its own SIGWINCH handler in `newterm` only if
///   none is set; the event loop should install its handler after `init` and chain to the previous
///   one. Either way `updateSize()` re-reads the size with TIOCGWINSZ and calls `resizeterm`, so
///   it does not matter which handler ran.
/// - Emoji: terminals and the C library disagree on the width of emoji sequences, so cells are
///   drawn defensively: the glyph is its first scalar plus its combining marks (ZWJ sequences and
///   skin tones are shown as their first emoji), and when `DisplayWidth` says 2 but `wcwidth` says 1
///   ("❤️") the glyph is drawn narrow plus a space. A row can therefore never overflow.
/// - `bytesWritten` is the kernel's count of bytes this thread wrote (`wchar` in /proc/thread-self/io)
///   during ncurses output calls; exact as long as no other thread writes at the same moment.
///   0 where /proc is missing (macOS).
public final class CursesTerminal: Terminal {
    public private(set) var size: Size
    public private(set) var bytesWritten = 0
    public let inputDescriptor: Int32 = STDIN_FILENO
    /// The $TERM value that ncurses accepted (after fallbacks).
    public let terminalName: String
    /// Colours available (0 in monochrome mode).
    public let colourCount: Int

    private var screen: OpaquePointer?
    private var last: Buffer?
    private var needsFullRepaint = true
    private var isShutDown = false
    private var isSuspended = false
    private var attributes: [Role: (attr: attr_t, pair: Int16)] = [:]

    /// `mouse`: report the left button and the wheel (`mouse = false` in the config leaves the mouse to the terminal,
    /// for selecting text).
    public init(theme: Theme, noColor: Bool, mouse: Bool = true) throws {
        setlocale(LC_ALL, "")
        // Wide output needs a UTF-8 codeset; a bare "C"/"POSIX" locale would print '?' for all of it.
        if String(cString: agora_codeset()) != "UTF-8" {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
        var candidates: [String?] = [nil]
        for name in ["xterm-256color", "xterm", "vt100"] where name != getenv("TERM").map({ String(cString: $0) }) {
            candidates.append(name)
        }
        var opened: OpaquePointer?
        var used = ""
        for candidate in candidates {
            if let candidate {
                opened = newterm(candidate, agora_stdout(), agora_stdin())
                used = candidate
            } else if getenv("TERM") != nil {
                opened = newterm(nil, agora_stdout(), agora_stdin())
                used = String(cString: getenv("TERM"))
            }
            if opened != nil { break }
        }
        guard let opened else { throw CursesError(description: "cannot start the terminal (TERM unknown and no fallback worked)") }
        screen = opened
        terminalName = used
        set_term(opened)

        raw()
        noecho()
        nonl()
        keypad(agora_stdscr(), true)
        nodelay(agora_stdscr(), true)
        leaveok(agora_stdscr(), true)
        // Let ncurses scroll a shifted list with the terminal's line insert/delete instead of repainting it.
        idlok(agora_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if mouse { agora_mouse_on() }

        var colours = 0
        if !noColor, has_colors(), start_color() == OK {
            colours = Int(agora_colors())
            if colours < 8 || agora_color_pairs() <= Int32(Role.allCases.count) { colours = 0 }
        }
        colourCount = colours
        size = Size(width: Int(agora_cols()), height: Int(agora_lines()))
        setUpStyles(theme: colours == 0 ? .builtinMono : theme)
        measure { _ = wrefresh(agora_stdscr()) }
    }

    deinit { shutdown() }

    private func setUpStyles(theme: Theme) {
        let defaults = colourCount > 0 && use_default_colors() == OK
        for (i, role) in Role.allCases.enumerated() {
            let style = theme.style(for: role)
            var attr = agora_a_normal()
            if style.bold { attr |= agora_a_bold() }
            if style.dim { attr |= agora_a_dim() }
            if style.underline { attr |= agora_a_underline() }
            if style.reverse { attr |= agora_a_reverse() }
            if style.italic { attr |= agora_a_italic() }
            var pair: Int16 = 0
            if colourCount > 0 {
                pair = Int16(i + 1)
                let fg = style.fg.map { Int16($0.index(forColourCount: colourCount)) } ?? (defaults ? -1 : 7)
                let bg = style.bg.map { Int16($0.index(forColourCount: colourCount)) } ?? (defaults ? -1 : 0)
                init_pair(pair, fg, bg)
            }
            attributes[role] = (attr, pair)
        }
    }

    // MARK: Output

    public func present(_ buffer: Buffer) {
        guard !isShutDown, !isSuspended else { return }
        let win = agora_stdscr()
        let rows = min(buffer.size.height, size.height)
        let cols = min(buffer.size.width, size.width)
        if needsFullRepaint || last?.size != buffer.size {
            if last?.size != buffer.size { werase(win) }
            for y in 0..<rows { for x in 0..<cols { draw(buffer, x: x, y: y, cols: cols, win: win) } }
        } else if let last {
            for p in buffer.changedPositions(since: last) where p.x < cols && p.y < rows {
                if buffer[p.x, p.y].isContinuation {
                    if p.x > 0 { draw(buffer, x: p.x - 1, y: p.y, cols: cols, win: win) }
                } else {
                    draw(buffer, x: p.x, y: p.y, cols: cols, win: win)
                }
            }
        }
        needsFullRepaint = false
        last = buffer
        measure { _ = wrefresh(win) }
    }

    private func draw(_ buffer: Buffer, x: Int, y: Int, cols: Int, win: UnsafeMutablePointer<WINDOW>?) {
        let cell = buffer[x, y]
        if cell.isContinuation { return }   // drawn with its head
        let style = attributes[cell.role] ?? (agora_a_normal(), 0)
        let cellWidth = x + 1 < cols && buffer[x + 1, y].isContinuation ? 2 : 1
        var (glyph, glyphWidth) = CursesTerminal.terminalGlyph(cell.text, width: cellWidth)
        if glyphWidth > cellWidth || x + glyphWidth > cols { (glyph, glyphWidth) = ([0x20], 1) }
        put(glyph, x: x, y: y, style: style, win: win)
        if cellWidth == 2 && glyphWidth == 1 { put([0x20], x: x + 1, y: y, style: style, win: win) }
    }

    private func put(_ glyph: [wchar_t], x: Int, y: Int, style: (attr: attr_t, pair: Int16), win: UnsafeMutablePointer<WINDOW>?) {
        var cc = cchar_t()
        var text = glyph + [0]
        setcchar(&cc, &text, style.attr, style.pair, nil)
        mvwadd_wch(win, Int32(y), Int32(x), &cc)
    }

    /// What to hand ncurses for one cell: the first scalar plus up to four combining marks, so that
    /// ncurses' idea of the width (wcwidth) is what the terminal will do. Returns the wide chars and
    /// their width per wcwidth (1 or 2). See the type's comment on emoji.
    static func terminalGlyph(_ text: String, width: Int) -> ([wchar_t], Int) {
        let scalars = Array(text.unicodeScalars)
        guard let base = scalars.first else { return ([0x20], 1) }
        var w = Int(wcwidth(wchar_t(base.value)))
        if DisplayWidth.isControl(base) || w <= 0 {
            let replacement = wcwidth(0xFFFD) == 1 ? wchar_t(0xFFFD) : wchar_t(0x3F)
            return ([replacement], 1)
        }
        if w > width { return ([0x3F], 1) }   // the C library thinks it is wider than we drew it
        var out: [wchar_t] = [wchar_t(base.value)]
        for s in scalars.dropFirst() {
            if s.value == 0x200D || wcwidth(wchar_t(s.value)) != 0 || out.count >= 5 { break }
            // VS16 would turn a narrow glyph into a 2-column emoji behind ncurses' back.
            if s.value == 0xFE0F && w == 1 { continue }
            out.append(wchar_t(s.value))
        }
        w = min(w, 2)
        return (out, w)
    }

    public func invalidate() {
        needsFullRepaint = true
        clearok(agora_curscr(), true)
    }

    // MARK: Input

    public func readKeys() -> [Key] {
        guard !isShutDown, !isSuspended else { return [] }
        var keys: [Key] = []
        var pendingEscape = false
        while true {
            var ch: wint_t = 0
            let status = wget_wch(agora_stdscr(), &ch)
            if status == ERR { break }
            var key: Key
            if status == KEY_CODE_YES && Int32(ch) == KEY_MOUSE {
                var x: Int32 = 0, y: Int32 = 0
                switch agora_mouse_event(&x, &y) {
                case 1: key = .mouse(x: Int(x), y: Int(y), .left)
                case 4: key = .mouse(x: Int(x), y: Int(y), .wheelUp)
                case 5: key = .mouse(x: Int(x), y: Int(y), .wheelDown)
                default: continue   // a release, a drag, another button: nothing to do
                }
            } else if status == KEY_CODE_YES {
                key = CursesTerminal.decodeFunctionKey(Int32(ch))
            } else {
                if ch == 27 {
                    if pendingEscape { keys.append(.escape) }
                    pendingEscape = true
                    continue
                }
                key = CursesTerminal.decodeCharacter(UInt32(ch))
            }
            if pendingEscape {
                pendingEscape = false
                if case let .char(c) = key { key = .alt(c) } else { keys.append(.escape) }
            }
            keys.append(key)
        }
        if pendingEscape { keys.append(.escape) }
        return keys
    }

    static func decodeCharacter(_ c: UInt32) -> Key {
        switch c {
        case 13, 10: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(c + 96)!))
        case 0..<32: return .unknown
        default:
            guard let scalar = Unicode.Scalar(c) else { return .unknown }
            if (0x80...0x9F).contains(c) { return .unknown }
            return .char(Character(scalar))
        }
    }

    static func decodeFunctionKey(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        default:
            for n in 1...24 where code == agora_key_f(Int32(n)) { return .function(n) }
            return .unknown
        }
    }

    // MARK: Size, suspend, shutdown

    public func updateSize() -> Size {
        guard !isShutDown else { return size }
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 {
            let newSize = Size(width: Int(ws.ws_col), height: Int(ws.ws_row))
            if Int(agora_lines()) != newSize.height || Int(agora_cols()) != newSize.width {
                resizeterm(Int32(newSize.height), Int32(newSize.width))
            }
        }
        let current = Size(width: Int(agora_cols()), height: Int(agora_lines()))
        if current != size {
            size = current
            needsFullRepaint = true
            last = nil
        }
        return size
    }

    public func suspend() {
        guard !isShutDown, !isSuspended else { return }
        isSuspended = true
        def_prog_mode()
        measure { _ = endwin() }
    }

    public func resume() {
        guard !isShutDown, isSuspended else { return }
        isSuspended = false
        reset_prog_mode()
        invalidate()
        _ = updateSize()
        measure { _ = wrefresh(agora_stdscr()) }
    }

    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        if !isSuspended { measure { _ = endwin() } }
        if let screen { delscreen(screen) }
        screen = nil
    }

    // MARK: Byte counting

    private func measure(_ body: () -> Void) {
        let before = CursesTerminal.threadBytesWritten()
        body()
        if let before, let after = CursesTerminal.threadBytesWritten() { bytesWritten += max(0, after - before) }
    }

    /// `wchar` from /proc/thread-self/io: bytes this thread passed to write() so far.
    static func threadBytesWritten() -> Int? {
        #if os(Linux)
        let fd = open("/proc/thread-self/io", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 512)
        let n = read(fd, &buf, buf.count)
        guard n > 0 else { return nil }
        let text = String(decoding: buf[0..<n], as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: " "))
        }
        return nil
        #else
        return nil
        #endif
    }
}

private extension Substring {
    func trimmingCharacters(in c: Character) -> Substring {
        var s = self
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return s
    }
}
