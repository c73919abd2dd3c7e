import AgoraCore
import AgoraScreen

/// The commands of the binding table's `.global` context that mean the same in every pane: help, quit,
/// redraw, pane switching and the next unread post. Moving (j/k, pages) is bound globally too, but each pane
/// moves its own way, so the panes take those before they get here.
enum GlobalCommands {
    static func run(_ command: Command, _ state: inout AppState) -> [Effect] {
        switch command {
        case .help:
            state.overlay = .help
            state.help.scroll = 0
        case .back:
            return TUI.flushDraft(&state) + [.quit]
        case .redraw:
            return [.redraw]
        case .nextPane, .prevPane:
            let all = Pane.allCases
            let i = all.firstIndex(of: state.pane)!
            state.pane = all[(i + (command == .nextPane ? 1 : all.count - 1)) % all.count]
        case .paneTopics: state.pane = .topics
        case .panePeers: state.pane = .peers
        case .paneQueue: state.pane = .queue
        case .paneReader: state.pane = .reader
        case .paneHighlights: state.pane = .highlights
        case .paneReport: state.pane = .report
        case .paneInbox: state.pane = .inbox
        case .nextUnread:
            return nextUnreadTopic(&state)
        case .showDrafts:
            return DraftsOverlay.show(&state)
        case .showBookmarks:
            return BookmarksOverlay.show(&state)
        case .jumpToTopic:
            state.prompt = Prompt(purpose: .topicNumber, field: TextField())
        case .rules:
            if state.program?.rulesVersion ?? 0 > 0 || RulesScreen.canEdit(state) { RulesScreen.show(&state, .asked) } else { TUI.setStatus(&state, "this program has no rules of engagement yet") }
        default:
            break
        }
        return []
    }

    /// Opens the first unread topic other than the one being read (the reader first looks further down its
    /// own thread: `ReaderPane`).
    static func nextUnreadTopic(_ state: inout AppState) -> [Effect] {
        let current = state.reader.current?.thread.topic.id
        let visible = state.visibleTopics
        let rows = visible.isEmpty ? state.snapshot.topics : visible
        guard let next = rows.first(where: { $0.unread && $0.id != current }) else {
            TUI.setStatus(&state, "no unread posts")
            return []
        }
        if let i = visible.firstIndex(where: { $0.id == next.id }) {
            state.topics.cursor.index = i
            state.topics.cursor.reveal(height: Layout.listHeight(state.size))
        }
        return ReaderPane.open(&state, topicId: next.id, from: state.pane == .reader ? state.reader.returnPane : state.pane)
    }
}
