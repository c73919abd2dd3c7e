import Foundation
import AgoraCore
import AgoraScreen

/// Pane 7: what is for me alone, newest first: mentions, replies to my posts and topics, posts in topics I watch,
/// a welcome. Enter opens the post and marks the item read; `a` marks them all read.
public struct InboxPane: Equatable, Sendable {
    public var cursor = ListCursor()
    /// Nil until the store answers (the pane loads them when it opens, and again when something new comes).
    public var items: [NotificationItem]?

    static func loaded(_ state: inout AppState, unread: Int, items: [NotificationItem]?) {
        state.snapshot.inboxUnread = unread
        guard let items else { return }
        // The selection stays on its item when new ones come in above it.
        let selected = state.inbox.items.flatMap { $0.indices.contains(state.inbox.cursor.index) ? $0[state.inbox.cursor.index].id : nil }
        state.inbox.items = items
        if let selected, let i = items.firstIndex(where: { $0.id == selected }) { state.inbox.cursor.index = i }
        state.inbox.cursor.fit(count: items.count, height: Layout.listHeight(state.size))
    }
}

extension InboxPane: PaneController {
    static let context = KeyContext.inbox

    static func run(_ command: Command, _ state: inout AppState) -> [Effect]? {
        let items = state.inbox.items ?? []
        switch command {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            state.inbox.cursor.move(command, count: items.count, height: Layout.listHeight(state.size))
        case .open:
            guard items.indices.contains(state.inbox.cursor.index) else { return [] }
            let item = items[state.inbox.cursor.index]
            var effects: [Effect] = []
            if !item.read {
                state.inbox.items?[state.inbox.cursor.index].read = true
                state.snapshot.inboxUnread = max(0, state.snapshot.inboxUnread - 1)
                effects.append(.markNotificationsRead(ids: [item.id]))
            }
            if let topic = item.topicId {
                return effects + ReaderPane.open(&state, topicId: topic, from: .inbox, at: item.postId, mark: false)
            }
            ProfileOverlay.show(&state, login: item.actor)
            return effects
        case .accept:
            guard state.snapshot.inboxUnread > 0 || items.contains(where: { !$0.read }) else {
                TUI.setStatus(&state, "nothing unread in your inbox")
                return []
            }
            for i in items.indices { state.inbox.items?[i].read = true }
            state.snapshot.inboxUnread = 0
            TUI.setStatus(&state, "all read")
            return [.markNotificationsRead(ids: nil)]
        default:
            return nil
        }
        return []
    }
}

// MARK: - Drawing

extension InboxPane {
    func draw(_ p: inout Painter, _ rect: Rect, now: Date) {
        guard let items else {
            p.text("Loading…", in: rect, row: 1, x: 2, role: .uiTextDim)
            return
        }
        let unread = items.filter { !$0.read }.count
        p.text("Inbox (\(items.count)\(unread > 0 ? ", \(unread) unread" : "")) · newest first", in: rect, row: 0, x: 1, role: .uiTitle)
        let whoW = rect.width >= 120 ? 24 : 16
        let whatW = rect.width >= 120 ? 28 : 22
        p.list(rect, cursor: cursor, count: items.count, focused: true,
               empty: "Nothing for you yet. Mentions (@login), replies to you and welcomes come here.") { p, line, i in
            let n = items[i]
            if !n.read { p.text("●", in: line, row: 0, x: 1, role: .topicUnread) }
            let about = n.topicTitle.isEmpty ? "" : Sanitizer.line(n.topicTitle)
            p.columns([
                (Sanitizer.line(n.actorName), whoW, n.read ? .uiText : .uiTextBold),
                (n.kind.label, whatW, .topicMeta),
                (about, max(8, line.width - 3 - whoW - whatW - 4 - 3), n.read ? .uiText : .topicUnread),
                (RelativeAge.short(n.created, now: now), 4, .topicMeta),
            ], in: line, row: 0, x: 3, rightAligned: [3])
        }
    }
}
