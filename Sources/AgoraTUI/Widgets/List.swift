import AgoraScreen

extension Painter {
    /// Draws the visible rows of a list under its title row. Column 0 is the selection column: the selected row
    /// shows "▌" there, as the reader marks its selected post. A full-width bar would make every move rewrite two
    /// whole rows of colour codes; the marker costs two cells (under 120 bytes per move at 80x24, docs/PERFORMANCE.md).
    mutating func list(_ rect: Rect, cursor: ListCursor, count: Int, focused: Bool,
                       empty: String, row draw: (inout Painter, Rect, Int) -> Void) {
        let listRect = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        if count == 0 {
            text(empty, in: listRect, row: 0, x: 2, role: .uiTextDim)
            return
        }
        let offset = cursor.firstShown(count: count, height: listRect.height)
        for row in 0..<listRect.height {
            let i = offset + row
            guard i < count else { break }
            let line = listRect.row(row)
            draw(&self, line, i)
            if i == cursor.index {
                text("▌", in: line, row: 0, x: 0, role: focused ? .uiSelection : .uiSelectionUnfocused)
            }
        }
    }

    /// Lines centred as a block (left-aligned inside it): the welcome and non-member screens.
    mutating func centeredBlock(_ rect: Rect, _ lines: [(String, Role)]) {
        let top = max(0, (rect.height - lines.count) / 2)
        let blockW = min(rect.width - 2, max(40, lines.map { DisplayWidth.of($0.0) }.max() ?? 0))
        let x = max(1, (rect.width - blockW) / 2)
        for (i, (line, role)) in lines.enumerated() {
            text(line, in: rect, row: top + i, x: x, role: role)
        }
    }
}

/// Selection and scroll of a list. The selection follows an item's identity across reloads.
public struct ListCursor: Equatable, Sendable {
    public var index: Int = 0
    public var offset: Int = 0
    public init() {}

    /// The first row drawn in a window of `height` rows. The offset is kept by `update`; clamped here too so a stale
    /// state still draws sanely (and a click finds the row that is drawn).
    func firstShown(count: Int, height: Int) -> Int {
        var offset = min(self.offset, max(0, count - 1))
        if index >= offset + height { offset = index - height + 1 }
        if index < offset { offset = index }
        return offset
    }

    mutating func clamp(count: Int) {
        index = count == 0 ? 0 : min(max(0, index), count - 1)
        offset = min(max(0, offset), max(0, count - 1))
    }

    /// Keeps the selected row inside a window of `height` rows.
    mutating func reveal(height: Int) {
        guard height > 0 else { return }
        if index < offset { offset = index }
        if index >= offset + height { offset = index - height + 1 }
        offset = max(0, offset)
    }

    mutating func move(by delta: Int, count: Int) {
        index += delta
        clamp(count: count)
    }

    /// j/k, the page keys, g and G on a list of `count` rows of which `height` show.
    mutating func move(_ command: Command, count: Int, height h: Int) {
        move(by: command.scrollDelta(page: h, toTop: index, toBottom: count), count: count)
        reveal(height: h)
    }

    /// Clamped to the rows there are and scrolled to show the selection: after any change to the list. A window
    /// that reaches past the end comes back up (rows removed from below must not leave blank rows while rows
    /// above stay hidden).
    mutating func fit(count: Int, height: Int) {
        clamp(count: count)
        if height > 0 { offset = min(offset, max(0, count - height)) }
        reveal(height: height)
    }
}

extension Command {
    /// How far a movement key moves: a row, a page, or all the way (`toTop` back, `toBottom` on; anything past the
    /// end is clamped by the caller).
    func scrollDelta(page: Int, toTop: Int, toBottom: Int) -> Int {
        switch self {
        case .up: -1
        case .down: 1
        case .pageUp: -page
        case .pageDown: page
        case .top: -toTop
        default: toBottom
        }
    }
}
