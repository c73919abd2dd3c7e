import Foundation
import AgoraCore
import AgoraScreen

/// `v` on an edited post: its text now and every earlier one, newest first. Anyone may read an edited post's history;
/// a deleted post's is the leader's (`Conversation.mayReadHistory`: the store refuses the others).
public struct HistoryOverlay: Equatable, Sendable {
    public var post: Post?
    /// Oldest first, as the store gives them; nil until it answers.
    public var revisions: [PostRevision]?
    public var scroll = 0

    /// The rows to show in `width` columns: (text, role).
    func lines(width: Int, now: Date, name: (String) -> String) -> [(String, Role)] {
        guard let post, let revisions else { return [] }
        let w = max(8, width - 4)
        var out: [(String, Role)] = []
        func body(_ text: String) {
            for paragraph in Sanitizer.text(text).split(separator: "\n", omittingEmptySubsequences: false) {
                for l in DisplayWidth.wrap(String(paragraph), width: w) { out.append((l, .postBody)) }
            }
            out.append(("", .uiText))
        }
        if post.deleted {
            out.append(("now: deleted by its author" + (post.edited.map { ", \(RelativeAge.long($0, now: now))" } ?? ""), .postAuthor))
            out.append(("", .uiText))
        } else {
            out.append(("now" + (post.edited.map { ", since \(RelativeAge.long($0, now: now))" } ?? ""), .postAuthor))
            body(post.body)
        }
        if revisions.isEmpty { out.append(("never edited: this is its only text", .uiTextDim)) }
        for (i, r) in revisions.enumerated().reversed() {
            let from = i == 0 ? "first text" : "text \(i + 1)"
            out.append(("\(from), replaced \(RelativeAge.long(r.replaced, now: now)) by \(name(r.by))", .postAuthor))
            body(r.body)
        }
        return out
    }
}

extension HistoryOverlay: Controller {
    static let context = KeyContext.history

    static func show(_ state: inout AppState, _ post: Post) -> [Effect] {
        guard let id = post.id else { return [] }
        state.history = HistoryOverlay(post: post)
        state.overlay = .history
        return [.loadHistory(postId: id)]
    }

    static func loaded(_ state: inout AppState, postId: Int64, _ revisions: [PostRevision]) {
        guard state.overlay == .history, state.history.post?.id == postId else { return }
        state.history.revisions = revisions
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        let body = Layout(state.size).body
        let limit = max(0, state.history.lines(width: body.width, now: state.now, name: state.displayName).count - body.height + 1)
        switch KeyBindings.command(for: key, in: .history) {
        case .back: state.overlay = nil
        case .down: state.history.scroll = min(state.history.scroll + 1, limit)
        case .up: state.history.scroll = max(0, state.history.scroll - 1)
        case .pageDown: state.history.scroll = min(state.history.scroll + max(1, body.height - 2), limit)
        case .pageUp: state.history.scroll = max(0, state.history.scroll - max(1, body.height - 2))
        default: break
        }
        return []
    }
}

// MARK: - Drawing

extension HistoryOverlay {
    func draw(_ p: inout Painter, _ rect: Rect, now: Date, name: (String) -> String) {
        guard let post else { return }
        let count = revisions.map { " · \($0.count) earlier text\($0.count == 1 ? "" : "s")" } ?? ""
        p.text(DisplayWidth.truncate("History of post #\(post.id ?? 0) by \(name(post.author))\(count)", to: max(0, rect.width - 2)),
               in: rect, row: 0, x: 1, role: .uiTitle)
        guard revisions != nil else {
            p.text("Loading…", in: rect, row: 1, x: 2, role: .uiTextDim)
            return
        }
        let rows = lines(width: rect.width, now: now, name: name)
        for row in 1..<max(1, rect.height) {
            let i = scroll + row - 1
            guard i < rows.count else { break }
            p.text(rows[i].0, in: rect, row: row, x: 2, role: rows[i].1)
        }
    }
}
