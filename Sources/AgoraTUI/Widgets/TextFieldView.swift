import AgoraCore
import AgoraScreen

extension Painter {
    /// One line of editable text with the cursor shown as a reversed cell when it has focus; scrolls horizontally.
    mutating func field(_ field: TextField, in rect: Rect, row: Int, x: Int, role: Role, focused: Bool = true) {
        let room = max(1, rect.width - x - 1)
        let chars = field.chars.map(Self.shownCharacter)
        // Start far enough right that the cursor is visible.
        var start = 0
        while DisplayWidth.of(String(chars[start..<field.cursor])) >= room { start += 1 }
        var cx = x
        for i in start...chars.count {
            let isCursor = focused && i == field.cursor
            let ch: Character = i < chars.count ? chars[i] : " "
            let w = max(1, DisplayWidth.of(ch))
            if cx + w > x + room { break }
            text(String(ch), in: rect, row: row, x: cx, role: isCursor ? .uiCursor : role)
            cx += w
        }
    }

    /// A multi-line field (the composer body): logical lines cut at the width (no word wrap, so the cursor maps
    /// one-to-one), scrolled to keep the cursor in view, behind the same gutter as posts.
    mutating func textBody(_ field: TextField, in rect: Rect, focused: Bool) {
        let width = max(4, rect.width - 4)
        var rows: [[(Character, Int)]] = [[]]   // (character, index in the text)
        var w = 0
        var cursorRow = 0
        for (i, ch) in field.chars.enumerated() {
            if i == field.cursor { cursorRow = rows.count - 1 }
            if ch == "\n" {
                rows[rows.count - 1].append((" ", i))
                rows.append([])
                w = 0
                continue
            }
            let shown = Self.shownCharacter(ch)
            let cw = DisplayWidth.of(shown)
            if w + cw > width { rows.append([]); w = 0 }
            rows[rows.count - 1].append((shown, i))
            w += cw
        }
        if field.cursor == field.chars.count {
            if w + 1 > width { rows.append([]) }
            rows[rows.count - 1].append((" ", field.chars.count))
            cursorRow = rows.count - 1
        }
        let scroll = max(0, cursorRow - rect.height + 1)
        for row in 0..<rect.height {
            let r = scroll + row
            text("│", in: rect, row: row, x: 1, role: .postGutter)
            guard r < rows.count else { continue }
            var x = 3
            for (ch, i) in rows[r] {
                x += text(String(ch), in: rect, row: row, x: x, role: focused && i == field.cursor ? .uiCursor : .postBody)
            }
        }
        if field.isEmpty && !focused {
            text("(write here: Tab to this field)", in: rect, row: 0, x: 4, role: .uiTextDim)
        }
    }

    /// What a typed character shows as: itself, or one stand-in (the cursor maps one-to-one).
    static func shownCharacter(_ ch: Character) -> Character {
        let clean = Sanitizer.line(String(ch))
        return clean.count == 1 && clean.first == ch ? ch : Sanitizer.replacement
    }
}
