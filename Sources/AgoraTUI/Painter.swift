import AgoraScreen

/// Drawing helpers on top of `Buffer`: every write is clipped to a rectangle.
struct Painter {
    var buffer: Buffer
    /// When set, every write that replaces something already drawn in the frame is noted here ("12,3: 'a' by
    /// 'm'"): a row that does not budget its columns draws one thing over another (`TUI.overwrites`).
    var overwrites: [String]?

    init(size: Size, checking: Bool = false) {
        buffer = Buffer(size: size)
        if checking { overwrites = [] }
    }

    /// Writes `text` at a column of `rect`'s row `row`, never past the rectangle's right edge.
    @discardableResult
    mutating func text(_ text: String, in rect: Rect, row: Int, x: Int = 0, role: Role, width: Int? = nil) -> Int {
        guard row >= 0, row < rect.height, x >= 0, x < rect.width else { return 0 }
        let room = rect.width - x
        guard overwrites != nil else {
            return buffer.write(text, x: rect.x + x, y: rect.y + row, role: role, maxWidth: min(room, width ?? room))
        }
        let (x0, y) = (rect.x + x, rect.y + row)
        let before = (x0..<rect.x + rect.width).map { buffer[$0, y].text }
        let used = buffer.write(text, x: x0, y: y, role: role, maxWidth: min(room, width ?? room))
        for i in 0..<used where before[i] != " " && before[i] != buffer[x0 + i, y].text {
            overwrites?.append("\(x0 + i),\(y): '\(before[i])' by '\(buffer[x0 + i, y].text)'")
        }
        return used
    }

    /// Writes text right-aligned so that it ends at the rectangle's right edge (minus `margin`).
    mutating func right(_ text: String, in rect: Rect, row: Int, role: Role, margin: Int = 0) {
        let t = DisplayWidth.truncate(text, to: max(0, rect.width - margin))
        self.text(t, in: rect, row: row, x: max(0, rect.width - margin - DisplayWidth.of(t)), role: role)
    }

    mutating func fill(_ rect: Rect, role: Role) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect, role: role)
    }

    mutating func fillRow(_ rect: Rect, row: Int, role: Role) {
        guard row >= 0, row < rect.height else { return }
        fill(rect.row(row), role: role)
    }

    /// Lays out columns left to right: each cell padded or truncated to its width, one space between.
    mutating func columns(_ cols: [(text: String, width: Int, role: Role)], in rect: Rect, row: Int, x: Int = 0, rightAligned: Set<Int> = []) {
        var cx = x
        for (i, c) in cols.enumerated() {
            guard c.width > 0 else { continue }
            let t = DisplayWidth.truncate(c.text, to: c.width)
            let pad = rightAligned.contains(i) ? c.width - DisplayWidth.of(t) : 0
            text(t, in: rect, row: row, x: cx + pad, role: c.role, width: c.width)
            cx += c.width + 1
        }
    }
}
