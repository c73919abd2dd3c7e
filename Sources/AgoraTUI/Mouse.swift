import AgoraScreen

/// The mouse, when the terminal reports it (`mouse = false` in the config turns it off): a click on a tab opens that
/// pane, a click on a row selects it and a click on the selected row opens it (as Enter would), a click on a post in
/// the reader selects it, and the wheel moves three rows, as three j or k would. Every click goes through the same
/// commands as the keys, so the policy and the panes decide exactly as they do for keys.
enum Mouse {
    static let wheelRows = 3

    static func handle(_ state: inout AppState, x: Int, y: Int, _ button: MouseButton) -> [Effect] {
        switch button {
        case .wheelUp, .wheelDown:
            // Not in a prompt: there the arrows edit the answer.
            guard state.prompt == nil else { return [] }
            let key: Key = button == .wheelUp ? .up : .down
            return (0..<wheelRows).flatMap { _ in TUI.focus(state).handle(key, &state) }
        case .left:
            guard state.stage == .main, state.prompt == nil, state.overlay == nil, !Layout.isTooSmall(state.size) else { return [] }
            return click(&state, x: x, y: y)
        }
    }

    static func click(_ state: inout AppState, x: Int, y: Int) -> [Effect] {
        let layout = Layout(state.size)
        if y == layout.tabs.y {
            guard let tab = Chrome.tabLabels(width: layout.tabs.width, counts: TUI.tabCounts(state))
                .first(where: { x >= $0.x && x < $0.x + DisplayWidth.of($0.label) }) else { return [] }
            return TUI.paneController(state.pane).dispatch(command(for: tab.pane), &state)
        }
        let body = layout.body
        guard y >= body.y, y < body.y + body.height else { return [] }
        switch state.pane {
        case .topics, .reader:
            if state.pane == .reader && (!state.isWide || x >= Layout.readerRect(state.size).x) {
                clickPost(&state, y: y)
                return []
            }
            // The list: its own pane, or beside the reader in wide mode (the click moves there).
            state.pane = .topics
            return clickRow(&state, y - body.y, cursor: \.topics.cursor, count: state.visibleTopics.count,
                            height: Layout.listHeight(state.size))
        case .peers:
            return clickRow(&state, y - body.y, cursor: \.peers.cursor, count: state.visiblePeers.count, height: Layout.listHeight(state.size))
        case .queue:
            return clickRow(&state, y - body.y, cursor: \.queue.cursor, count: state.visibleQueue.count, height: QueuePane.height(state.size))
        case .highlights:
            return clickRow(&state, y - body.y, cursor: \.highlights.cursor, count: state.highlights.rows.count, height: Layout.listHeight(state.size))
        case .inbox:
            return clickRow(&state, y - body.y, cursor: \.inbox.cursor, count: state.inbox.items?.count ?? 0, height: Layout.listHeight(state.size))
        case .report:
            return []
        }
    }

    /// `row`: the body's row clicked (row 0 holds the list's title). The selected row opens; another one is selected.
    static func clickRow(_ state: inout AppState, _ row: Int, cursor: WritableKeyPath<AppState, ListCursor>, count: Int, height: Int) -> [Effect] {
        guard row >= 1, row <= height else { return [] }
        let i = state[keyPath: cursor].firstShown(count: count, height: height) + row - 1
        guard i < count else { return [] }
        if i == state[keyPath: cursor].index { return TUI.paneController(state.pane).dispatch(.open, &state) }
        state[keyPath: cursor].index = i
        state[keyPath: cursor].reveal(height: height)
        return []
    }

    /// A click in the thread selects the post under it (the one `R` answers, `!` flags).
    static func clickPost(_ state: inout AppState, y: Int) {
        guard var reader = state.reader.current else { return }
        let rect = Layout.readerRect(state.size)
        let row = y - rect.y - Layout.readerTitleRows
        guard row >= 0 else { return }
        let layout = reader.layout(width: rect.width, now: state.now, rows: reader.scroll + row + 1)
        guard reader.scroll + row < layout.rows.count else { return }
        reader.selected = layout.post(at: reader.scroll + row)
        state.reader.current = reader
    }

    static func command(for pane: Pane) -> Command {
        switch pane {
        case .topics: .paneTopics
        case .peers: .panePeers
        case .queue: .paneQueue
        case .reader: .paneReader
        case .highlights: .paneHighlights
        case .report: .paneReport
        case .inbox: .paneInbox
        }
    }
}
