/// One screen cell: a single grapheme cluster and the role it is drawn in.
/// A wide (2-column) grapheme occupies its cell plus a continuation cell (`text == ""`) to its right.
public struct Cell: Equatable, Hashable, Sendable {
    public var text: String
    public var role: Role

    public init(text: String, role: Role) {
        self.text = text
        self.role = role
    }

    public static let blank = Cell(text: " ", role: .uiText)
    /// The one-character strings of the ASCII bytes, made once (a cell's text is built per grapheme otherwise).
    static let ascii: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
    public var isContinuation: Bool { text.isEmpty }
}

/// A frame as data: what every cell of the screen should show. Widgets draw into it; the terminal
/// diffs it against the previous frame. Nothing outside the buffer is ever touched: all writes clip.
public struct Buffer: Equatable, Sendable {
    private var storedSize: Size
    private var cells: [Cell]

    /// Setting the size resizes the buffer, keeping the top-left content that still fits.
    public var size: Size {
        get { storedSize }
        set { if newValue != storedSize { self = resized(to: newValue) } }
    }

    /// A buffer filled with spaces in `.uiText`.
    public init(size: Size) {
        let s = Size(width: max(0, size.width), height: max(0, size.height))
        self.storedSize = s
        self.cells = Array(repeating: .blank, count: s.width * s.height)
    }

    /// A buffer showing `lines` (each padded to the widest line), all in `role`. Handy in tests.
    public init(lines: [String], role: Role = .uiText) {
        let width = lines.map { DisplayWidth.of($0) }.max() ?? 0
        self.init(size: Size(width: width, height: lines.count))
        for (y, line) in lines.enumerated() { write(line, x: 0, y: y, role: role) }
    }

    public var area: Rect { Rect(size: size) }

    /// Raw cell access; out-of-range reads give a blank cell and out-of-range writes are ignored.
    /// Unlike `write`, setting a cell does not repair wide characters around it.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return .blank }
            return cells[y * size.width + x]
        }
        set {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
            cells[y * size.width + x] = newValue
        }
    }

    /// Draws `text` from column `x` of row `y`, grapheme by grapheme, clipped to the row and to
    /// `maxWidth` columns. Returns the number of columns used.
    ///
    /// - A wide grapheme that does not fit whole is replaced by a space: never half a glyph.
    /// - Zero-width graphemes (a lone combining mark, U+200B…) never occupy a cell: they are skipped.
    /// - A control character that got this far is drawn as U+FFFD in `.replacement`.
    /// - Overwriting half of a wide character blanks its other half.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, role: Role, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        var limit = size.width
        if let maxWidth { limit = min(limit, x + max(0, maxWidth)) }
        var col = x
        if DisplayWidth.isPrintableASCII(text) {
            // Every byte a cell of its own (the titles, names and most post text of every frame).
            for byte in text.utf8 {
                if col >= limit { break }
                if col >= 0 { put(Cell.ascii[Int(byte)], role: role, x: col, y: y, width: 1) }
                col += 1
            }
            return max(0, col - max(x, 0))
        }
        for g in text {
            if col >= limit { break }
            var glyph = String(g)
            var cellRole = role
            var w: Int
            if DisplayWidth.isControl(g) {
                glyph = "\u{FFFD}"; cellRole = .replacement; w = 1
            } else {
                w = DisplayWidth.of(g)
            }
            if w == 0 { continue }
            if col + w > limit {
                // A wide glyph that does not fit: a space in its place, then stop.
                if col >= 0 { put(" ", role: role, x: col, y: y, width: 1) }
                col += 1
                break
            }
            if col < 0 {
                // Left of the buffer: only a wide glyph straddling column 0 leaves a trace.
                if col + w > 0 { put(" ", role: role, x: 0, y: y, width: 1) }
                col += w
                continue
            }
            put(glyph, role: cellRole, x: col, y: y, width: w)
            col += w
        }
        return max(0, col - max(x, 0))
    }

    /// Fills `rect` (clipped to the buffer) with spaces in `role`.
    public mutating func fill(_ rect: Rect, role: Role) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            repairWide(from: r.x, to: r.maxX, y: y)
            for x in r.x..<r.maxX { cells[y * size.width + x] = Cell(text: " ", role: role) }
        }
    }

    /// Row `y` as plain text: each wide character once, continuation cells skipped.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < size.height else { return "" }
        var s = ""
        for x in 0..<size.width { s += cells[y * size.width + x].text }
        return s
    }

    public var lines: [String] { (0..<size.height).map(line) }

    /// Positions whose cell differs from `previous` (everything when sizes differ), row by row.
    public func changedPositions(since previous: Buffer) -> [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        if previous.size != size {
            for y in 0..<size.height { for x in 0..<size.width { out.append((x, y)) } }
            return out
        }
        for i in cells.indices where cells[i] != previous.cells[i] {
            out.append((i % size.width, i / size.width))
        }
        return out
    }

    /// A copy resized to `newSize`, keeping the top-left content that still fits.
    public func resized(to newSize: Size) -> Buffer {
        var b = Buffer(size: newSize)
        for y in 0..<min(size.height, b.size.height) {
            for x in 0..<min(size.width, b.size.width) { b[x, y] = self[x, y] }
            // A wide char cut at the new right edge would leave half a glyph.
            let last = b.size.width - 1
            if last >= 0, last + 1 < size.width, self[last + 1, y].isContinuation { b[last, y] = Cell(text: " ", role: b[last, y].role) }
        }
        return b
    }

    // MARK: - Private

    private mutating func put(_ glyph: String, role: Role, x: Int, y: Int, width: Int) {
        repairWide(from: x, to: x + width, y: y)
        cells[y * size.width + x] = Cell(text: glyph, role: role)
        if width == 2 { cells[y * size.width + x + 1] = Cell(text: "", role: role) }
    }

    /// Columns `[x0, x1)` are about to be overwritten: blank the outside half of any wide
    /// character that straddles either edge.
    private mutating func repairWide(from x0: Int, to x1: Int, y: Int) {
        let row = y * size.width
        if x0 > 0, x0 < size.width, cells[row + x0].isContinuation {
            cells[row + x0 - 1].text = " "
        }
        if x1 > 0, x1 < size.width, cells[row + x1].isContinuation {
            cells[row + x1].text = " "
        }
    }
}

extension Buffer: CustomDebugStringConvertible {
    /// Rows as quoted strings, one per line, so a failing comparison reads like a screen.
    public var debugDescription: String {
        "Buffer(\(size)) [\n" + lines.map { "    \"\($0)\"," }.joined(separator: "\n") + "\n]"
    }
}
