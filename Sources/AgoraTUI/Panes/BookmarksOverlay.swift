import Foundation
import AgoraCore
import AgoraScreen

/// `B`: the posts I bookmarked (`*` in the reader), newest first: Enter opens the post in its thread, `x` removes it.
/// Private to me, like my drafts.
public struct BookmarksOverlay: Equatable, Sendable {
    public var cursor = ListCursor()
    /// Nil until the store answers.
    public var marks: [Bookmark]?
}

extension BookmarksOverlay: Controller {
    static let context = KeyContext.bookmarks

    static func show(_ state: inout AppState) -> [Effect] {
        state.bookmarks = BookmarksOverlay()
        state.overlay = .bookmarks
        return [.loadBookmarks]
    }

    static func loaded(_ state: inout AppState, _ marks: [Bookmark]) {
        guard state.overlay == .bookmarks else { return }
        state.bookmarks.marks = marks
        state.bookmarks.cursor.fit(count: marks.count, height: Layout.listHeight(state.size))
    }

    /// The store took the bookmark, or let it go: the open thread and the list follow, and the status line says so.
    static func bookmarked(_ state: inout AppState, postId: Int64, on: Bool) {
        if state.reader.current?.thread.lines.contains(where: { $0.post.id == postId }) == true {
            if on { state.reader.current?.thread.bookmarked.insert(postId) } else { state.reader.current?.thread.bookmarked.remove(postId) }
        }
        if !on, let i = state.bookmarks.marks?.firstIndex(where: { $0.postId == postId }) {
            state.bookmarks.marks?.remove(at: i)
            state.bookmarks.cursor.fit(count: state.bookmarks.marks?.count ?? 0, height: Layout.listHeight(state.size))
        }
        TUI.setStatus(&state, on ? "bookmarked post \(postId) (B lists your bookmarks)" : "bookmark on post \(postId) removed")
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        let rows = state.bookmarks.marks ?? []
        let command = KeyBindings.command(for: key, in: .bookmarks)
        switch command {
        case .back:
            state.overlay = nil
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            state.bookmarks.cursor.move(command!, count: rows.count, height: Layout.listHeight(state.size))
        case .open:
            guard rows.indices.contains(state.bookmarks.cursor.index) else { return [] }
            let mark = rows[state.bookmarks.cursor.index]
            let from = state.pane == .reader ? state.reader.returnPane : state.pane
            return ReaderPane.open(&state, topicId: mark.topicId, from: from, at: mark.postId, mark: false)
        case .discard:
            guard rows.indices.contains(state.bookmarks.cursor.index) else { return [] }
            // The list lets it go when the store has (`bookmarked`): a refusal leaves it where it was.
            return [.setBookmark(postId: rows[state.bookmarks.cursor.index].postId, on: false)]
        default:
            break
        }
        return []
    }
}

// MARK: - Drawing

extension BookmarksOverlay {
    func draw(_ p: inout Painter, _ rect: Rect, now: Date) {
        guard let marks else {
            p.text("Your bookmarks", in: rect, row: 0, x: 1, role: .uiTitle)
            p.text("Loading…", in: rect, row: 1, x: 2, role: .uiTextDim)
            return
        }
        p.text("Your bookmarks (\(marks.count)) · newest first", in: rect, row: 0, x: 1, role: .uiTitle)
        let whoW = rect.width >= 120 ? 24 : 14
        let topicW = max(12, min(40, rect.width / 3))
        p.list(rect, cursor: cursor, count: marks.count, focused: true,
               empty: "No bookmarks yet. * on a post in the reader keeps it here.") { p, line, i in
            let b = marks[i]
            p.columns([
                (RelativeAge.short(b.created, now: now), 4, .topicMeta),
                (Sanitizer.line(b.authorName), whoW, .postAuthor),
                (Sanitizer.line(b.topicTitle), topicW, .topicKind),
                (b.excerpt, max(4, line.width - 2 - 4 - 1 - whoW - 1 - topicW - 1), b.hidden || b.deleted ? .uiTextDim : .uiText),
            ], in: line, row: 0, x: 1, rightAligned: [0])
        }
    }
}
