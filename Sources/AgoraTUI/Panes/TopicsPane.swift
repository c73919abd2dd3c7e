import Foundation
import AgoraCore
import AgoraScreen

public enum TopicSort: String, Sendable {
    /// Topics with unread posts first, then by last activity.
    case unreadFirst
    case activity
}

/// The topic list's sort and filters, kept between sessions (the loop writes them on `Effect.saveView`; a search is
/// not kept: it answers one question).
public struct ViewSettings: Equatable, Sendable {
    public var sort: TopicSort
    public var filter: TopicFilter
    public init(sort: TopicSort = .unreadFirst, filter: TopicFilter = TopicFilter()) {
        self.sort = sort
        self.filter = filter
    }
}

public struct TopicFilter: Equatable, Sendable {
    public var kind: TopicKind?
    public var tag: String?
    public init(kind: TopicKind? = nil, tag: String? = nil) {
        self.kind = kind
        self.tag = tag
    }
    public var isEmpty: Bool { kind == nil && tag == nil }
}

/// The topic list as shown, with what it was made from: the list's rows are asked for several times per event
/// (selection, paging, drawing), and filtering and ordering a thousand rows each time was most of a key's cost.
struct TopicView: Equatable, Sendable {
    var source: [TopicRow] = []
    var filter = TopicFilter()
    var sort = TopicSort.unreadFirst
    var rows: [TopicRow] = []

    /// Whether `rows` is the list for these inputs (arrays compare by identity first: an unchanged snapshot is free).
    func isCurrent(_ topics: [TopicRow], _ filter: TopicFilter, _ sort: TopicSort) -> Bool {
        source == topics && self.filter == filter && self.sort == sort
    }

    /// The view after `changed` rows were merged into the list (which is now `source`), without filtering and
    /// ordering the whole list again: the changed rows, and those that fell off its end, move; the rest stays.
    mutating func merge(_ changed: [TopicRow], dropped: [Int64], source: [TopicRow]) {
        defer { self.source = source }
        if filter.isEmpty && sort == .activity {
            rows = source   // the store's order is the shown order
            return
        }
        rows.remove(ids: Set(changed.map(\.id)).union(dropped))
        let before = sort == .unreadFirst ? TopicRow.unreadFirst : TopicRow.byActivity
        let kept = Set(dropped)
        for row in changed where !kept.contains(row.id) && TopicsPane.matches(row, filter) && source.index(ofTopic: row.id) != nil {
            rows.insert(row, at: rows.insertionIndex(of: row, by: before))
        }
    }

    /// Drops the reference to the source list (and to the rows, when they are that same list) so the list can
    /// be changed in place; `merge` then brings both up to date.
    mutating func release() {
        if filter.isEmpty && sort == .activity { rows = [] }
        source = []
    }
}

/// Pane 1: the topic list, filtered, sorted, or replaced by search results.
public struct TopicsPane: Equatable, Sendable {
    public var cursor = ListCursor()
    public var sort: TopicSort = .unreadFirst
    public var filter = TopicFilter()
    /// Full-text search results replace the topic list until Esc.
    public var searchQuery: String?
    public var searchRows: [TopicRow] = []
    var view = TopicView()
    /// Topics that arrived live above the window while it was scrolled: "N new above" until scrolled back to them.
    public var newAbove = 0

    /// Where the selection was on screen before topics arrived live, so that the list does not jump under the
    /// reader's eyes: the selected topic keeps its row, and what came in above the window is counted in `newAbove`.
    /// At the top of the list, with the selection clear of the bottom, new topics simply show at the top.
    struct Anchor {
        let index: Int
        let offset: Int
        /// The topics above the window before the change.
        let above: Set<Int64>

        /// Nil while searching (results do not move with the feed) or with nothing selected.
        init?(_ state: AppState) {
            guard state.topics.searchQuery == nil, state.selectedTopic != nil else { return nil }
            index = state.topics.cursor.index
            offset = state.topics.cursor.offset
            let rows = state.visibleTopics
            above = Set(rows[..<min(offset, rows.count)].lazy.map(\.id))
        }

        /// After the change, with the cursor already on the selected topic's new index.
        func hold(_ state: inout AppState) {
            let height = Layout.listHeight(state.size)
            var cursor = state.topics.cursor
            if offset > 0 || cursor.index - offset >= height {
                cursor.offset = max(0, offset + cursor.index - index)
            }
            cursor.fit(count: state.visibleTopics.count, height: height)
            state.topics.cursor = cursor
            let rows = state.visibleTopics
            let arrived = rows[..<min(cursor.offset, rows.count)].lazy.filter { !above.contains($0.id) }.count
            state.topics.newAbove = min(state.topics.newAbove + arrived, cursor.offset)
        }
    }

    /// The list as shown for the snapshot's topics: search results, or the topics filtered and sorted.
    func rows(_ topics: [TopicRow]) -> [TopicRow] {
        if searchQuery != nil { return searchRows }
        if view.isCurrent(topics, filter, sort) { return view.rows }
        return Self.order(topics, filter: filter, sort: sort)
    }

    mutating func refreshView(_ topics: [TopicRow]) {
        guard !view.isCurrent(topics, filter, sort) else { return }
        view = TopicView(source: topics, filter: filter, sort: sort, rows: Self.order(topics, filter: filter, sort: sort))
    }

    static func order(_ topics: [TopicRow], filter: TopicFilter, sort topicSort: TopicSort) -> [TopicRow] {
        var rows = filter.isEmpty ? topics : topics.filter { matches($0, filter) }
        // The store already returns topics by activity, so check that in one pass and sort only if not; "unread
        // first" is then a stable partition. (Sorting every time was half the CPU of a reload at 1M posts.)
        if zip(rows, rows.dropFirst()).contains(where: { TopicRow.byActivity($1, $0) }) {
            rows.sort(by: TopicRow.byActivity)
        }
        if topicSort == .unreadFirst {
            rows = rows.filter(\.sortsUnread) + rows.filter { !$0.sortsUnread }
        }
        return rows
    }

    /// A tag filter matches tags that start with it ("sw" finds "swift" and "swiftui").
    static func matches(_ row: TopicRow, _ filter: TopicFilter) -> Bool {
        (filter.kind == nil || row.topic.kind == filter.kind) && (filter.tag.map { t in row.tags.contains { $0.hasPrefix(t) } } ?? true)
    }

    /// Tab in the tag prompt: the typed prefix grown to what every tag in use starting with it shares (the whole
    /// tag when only one does); unchanged when none does.
    static func completeTag(_ typed: String, from topics: [TopicRow]) -> String {
        let prefix = typed.lowercased()
        let known = Set(topics.lazy.flatMap(\.tags).filter { $0.hasPrefix(prefix) })
        guard var shared = known.first else { return typed }
        for tag in known {
            while !tag.hasPrefix(shared) { shared.removeLast() }
        }
        return shared.count >= prefix.count ? shared : typed
    }

    /// What the list knows of a topic changed (read here, or a row from the change feed): the search results
    /// show the same, so a result read or answered does not stay marked unread.
    mutating func refreshSearchRows(_ rows: [TopicRow]) {
        guard searchQuery != nil, !searchRows.isEmpty else { return }
        let fresh = Dictionary(rows.map { ($0.id, $0) }) { a, _ in a }
        for i in searchRows.indices { if let row = fresh[searchRows[i].id] { searchRows[i] = row } }
    }

    /// Search results for the query still asked; an answer to an older query is dropped.
    static func searchResults(_ state: inout AppState, query: String, rows: [TopicRow]) {
        guard state.topics.searchQuery == query else { return }
        state.topics.searchRows = rows
        state.topics.cursor = ListCursor()
        TUI.setStatus(&state, rows.isEmpty ? "no topic matches '\(Sanitizer.line(query))'" : "\(rows.count) found; Esc clears the search")
    }

    /// Enter on the search prompt: an empty query shows every topic again.
    static func search(_ state: inout AppState, _ text: String) -> [Effect] {
        state.topics.cursor = ListCursor()
        state.topics.searchRows = []
        guard !text.isEmpty else {
            state.topics.searchQuery = nil
            return []
        }
        state.topics.searchQuery = text
        state.pane = .topics
        TUI.setStatus(&state, "searching…")
        return [.search(text)]
    }

    /// Enter on the tag prompt: an empty tag drops the tag filter.
    static func filterTag(_ state: inout AppState, _ text: String) {
        state.topics.filter.tag = text.isEmpty ? nil : text.lowercased()
        state.topics.cursor = ListCursor()
        TUI.reclamp(&state)
    }

    /// After the list is re-ordered or unfiltered, the cursor stays on the topic it was on.
    static func keepSelected(_ state: inout AppState, _ id: Int64?) {
        guard let id, let i = state.visibleTopics.firstIndex(where: { $0.id == id }) else { return }
        state.topics.cursor.index = i
        state.topics.cursor.reveal(height: Layout.listHeight(state.size))
    }
}

extension TopicsPane: PaneController {
    static let context = KeyContext.topics

    static func run(_ command: Command, _ state: inout AppState) -> [Effect]? {
        switch command {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            state.topics.cursor.move(command, count: state.visibleTopics.count, height: Layout.listHeight(state.size))
            state.topics.newAbove = min(state.topics.newAbove, state.topics.cursor.offset)   // scrolled back to them
        case .open:
            guard let row = state.selectedTopic else { return [] }
            return ReaderPane.open(&state, topicId: row.id, from: .topics)
        case .search:
            state.prompt = Prompt(purpose: .search, field: TextField(state.topics.searchQuery ?? ""))
        case .filterKind:
            let kinds: [TopicKind?] = [nil] + TopicKind.allCases
            let i = kinds.firstIndex(of: state.topics.filter.kind) ?? 0
            state.topics.filter.kind = kinds[(i + 1) % kinds.count]
            state.topics.cursor = ListCursor()
            TUI.setStatus(&state, state.topics.filter.kind.map { "showing \($0.rawValue) topics; f for the next kind" } ?? "showing every kind")
        case .filterTag:
            // Empty, so that typing names a tag rather than appending to the one in force (which the label shows).
            let now = state.topics.filter.tag.map { "now: \(Sanitizer.line($0)) · empty clears · " } ?? ""
            state.prompt = Prompt(purpose: .tag, field: TextField(), note: now + "Tab completes")
        case .watch:
            guard let tag = state.topics.filter.tag else {
                TUI.setStatus(&state, "filter the list by a tag first (t): then w sets how much every topic with it tells you", error: true)
                return []
            }
            state.prompt = Prompt(purpose: .tagWatchLevel(tag: tag), field: TextField(), note: "watching, normal or muted")
        case .clearFilter:
            let selected = state.selectedTopic?.id
            state.topics.filter = TopicFilter()
            state.topics.searchQuery = nil
            state.topics.searchRows = []
            keepSelected(&state, selected)
            TUI.reclamp(&state)
        case .toggleSort:
            let selected = state.selectedTopic?.id
            state.topics.sort = state.topics.sort == .unreadFirst ? .activity : .unreadFirst
            for i in state.snapshot.topics.indices where state.snapshot.topics[i].keepsPlace { state.snapshot.topics[i].keepsPlace = false }
            TUI.setStatus(&state, state.topics.sort == .unreadFirst ? "unread topics first" : "most recent activity first")
            keepSelected(&state, selected)
            TUI.reclamp(&state)
        case .compose:
            return ComposerPane.start(&state, ComposerState())
        case .templates:
            return TemplatesOverlay.show(&state)
        case .highlight:
            guard TUI.allowed(&state, .highlight) else { return [] }
            if let row = state.selectedTopic {
                state.prompt = Prompt(purpose: .highlightWhy(topicId: row.id, postId: nil), field: TextField())
            }
        default:
            return nil
        }
        return []
    }
}

// MARK: - Drawing

extension TopicsPane {
    /// From this list width on, the list has a column of topic numbers.
    static let idColumnWidth = 86

    /// The list with its title row; `rows` is what `rows(_:)` gives for the snapshot.
    func draw(_ p: inout Painter, _ rect: Rect, rows: [TopicRow], focused: Bool, now: Date) {
        var title = "Topics (\(rows.count))"
        if let q = searchQuery { title = "Search '\(Sanitizer.line(q))' (\(rows.count))" }
        title += sort == .unreadFirst ? " · unread first" : " · by activity"
        if let k = filter.kind { title += " · kind: \(k.rawValue)" }
        if let t = filter.tag { title += " · tag: \(Sanitizer.line(t))" }
        p.text(title, in: rect, row: 0, x: 1, role: .uiTitle)
        if searchQuery == nil && newAbove > 0 {
            // The longest form that fits beside the title.
            let room = rect.width - 1 - DisplayWidth.of(title) - 2 - 1
            if let mark = ["↑ \(newAbove) new above (g goes there)", "↑ \(newAbove) new above", "↑ \(newAbove) new"]
                .first(where: { DisplayWidth.of($0) <= room }) {
                p.right(mark, in: rect, row: 0, role: .uiStatus, margin: 1)
            }
        }
        let w = rect.width
        let authorW = w >= 100 ? 20 : 12
        let kindW = 10
        // A wide list shows each topic's number (what `#` and the CLI take).
        let idW = w >= Self.idColumnWidth ? 6 : 0
        let titleW = max(8, w - 3 - kindW - authorW - 4 - 4 - 4 - 1 - (idW > 0 ? idW + 1 : 0))
        let empty = searchQuery != nil ? "Nothing found. Esc shows every topic again." :
            filter.isEmpty ? "No topics yet. Press c to start one." : "No topic matches the filter. Esc clears it."
        p.list(rect, cursor: cursor, count: rows.count, focused: focused, empty: empty) { p, line, i in
            let r = rows[i]
            let t = r.topic
            // The status is budgeted before the title is cut: "A long title… [resolved]", never "A long title [res…".
            // "Answered" (the reply count says as much) is shown only where it costs the title nothing.
            var titleText = Sanitizer.line(t.title)
            let statusFits = DisplayWidth.of(titleText) + DisplayWidth.of(" [\(t.status.rawValue)]") <= titleW
            if t.status == .resolved || (t.status != .open && statusFits) {
                let status = " [\(t.status.rawValue)]"
                titleText = DisplayWidth.truncate(titleText, to: max(1, titleW - DisplayWidth.of(status))) + status
            }
            p.text(r.unread ? "●" : " ", in: line, row: 0, x: 1, role: .topicUnread)
            p.columns([
                ("#\(t.id ?? 0)", idW, .topicMeta),
                (t.kind.rawValue, kindW, .topicKind),
                (titleText, titleW, r.unread ? .uiTextBold : .uiText),
                (Sanitizer.line(r.authorName.isEmpty ? t.author : r.authorName), authorW, .topicMeta),
                ("\(max(0, t.postCount - 1))", 4, .topicMeta),
                (RelativeAge.short(t.lastActivity, now: now), 4, .topicMeta),
            ], in: line, row: 0, x: 3, rightAligned: [0, 4, 5])
        }
    }
}
