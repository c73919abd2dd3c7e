import Foundation
import AgoraCore
import AgoraScreen

/// Pane 5: what people found valuable, newest first. Loaded when the pane opens and after a highlight is made.
public struct HighlightsPane: Equatable, Sendable {
    public var rows: [HighlightRow] = []
    public var cursor = ListCursor()

    var selected: HighlightRow? { rows.indices.contains(cursor.index) ? rows[cursor.index] : nil }

    /// A fresh list; the selection goes back to the top only when something new came first.
    static func load(_ state: inout AppState, _ rows: [HighlightRow]) {
        if rows.first?.id != state.highlights.rows.first?.id { state.highlights.cursor = ListCursor() }
        state.highlights.rows = rows
        TUI.reclamp(&state)
    }
}

extension HighlightsPane: PaneController {
    static let context = KeyContext.highlights

    static func run(_ command: Command, _ state: inout AppState) -> [Effect]? {
        switch command {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            state.highlights.cursor.move(command, count: state.highlights.rows.count, height: Layout.listHeight(state.size))
        case .open:
            guard let row = state.highlights.selected else { return [] }
            return ReaderPane.open(&state, topicId: row.topicId, from: .highlights)
        default:
            return nil
        }
        return []
    }
}

// MARK: - Drawing

extension HighlightsPane {
    /// `peers` gives the names of who highlighted.
    func draw(_ p: inout Painter, _ rect: Rect, peers: [Peer], now: Date) {
        p.text("Highlights (\(rows.count)) · newest first", in: rect, row: 0, x: 1, role: .uiTitle)
        let byW = rect.width >= 120 ? 24 : 14
        let titleW = max(8, (rect.width - 1 - 4 - byW - 3) * 2 / 5)
        let whyW = max(8, rect.width - 1 - 4 - byW - titleW - 4)
        p.list(rect, cursor: cursor, count: rows.count, focused: true,
               empty: "Nothing highlighted yet. Press h on a topic (H on a post) to say what made it valuable.") { p, line, i in
            let h = rows[i]
            p.columns([
                (RelativeAge.short(h.created, now: now), 4, .topicMeta),
                (Sanitizer.line(h.topicTitle), titleW, .uiTextBold),
                ("“" + Sanitizer.line(h.why) + "”", whyW, .uiText),
                (Sanitizer.line(peers.first { $0.login == h.by }?.name ?? h.by), byW, .postAuthor),
            ], in: line, row: 0, x: 1, rightAligned: [0])
        }
    }
}
