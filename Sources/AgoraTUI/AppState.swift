import Foundation
import AgoraCore
import AgoraScreen

/// The four panes of the main screen, in Tab order. Their raw value is the digit that selects them.
public enum Pane: Int, CaseIterable, Sendable {
    case topics = 1, peers, queue, reader, highlights, report

    public var title: String {
        switch self {
        case .topics: "Topics"
        case .peers: "Peers"
        case .queue: "Queue"
        case .reader: "Reader"
        case .highlights: "Highlights"
        case .report: "Report"
        }
    }
}

/// What covers the panes, if anything. At most one at a time; `q`/Esc closes it.
public enum Overlay: Equatable, Sendable {
    case help
    case composer
    case profile(login: String)
}

/// Which full screen is shown; decided by the snapshot, not by keys.
public enum Stage: Equatable, Sendable {
    /// Waiting for the first snapshot.
    case loading
    /// No program in the database: explore a demo or start one.
    case welcome
    /// A program exists and I am not in it.
    case nonMember
    /// The rules changed since I last accepted them.
    case rules
    case main
}

/// Selection and scroll of a list. The selection follows an item's identity across reloads.
public struct ListCursor: Equatable, Sendable {
    public var index: Int = 0
    public var offset: Int = 0
    public init() {}

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
}

public enum TopicSort: String, Sendable {
    /// Topics with unread posts first, then by last activity.
    case unreadFirst
    case activity
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

/// A one-line question in the footer row.
public struct Prompt: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case search, tag, peerFilter
        /// What made a topic (or one post in it) valuable.
        case highlightWhy(topicId: Int64, postId: Int64?)
        /// Why a post needs a champion's eye.
        case flagWhy(postId: Int64)
        /// A champion settles a flag: keep the post or hide it, with the reason on record.
        case flagDecision(flagId: Int64, hide: Bool)
    }
    public var purpose: Purpose
    public var field: TextField

    public var label: String {
        switch purpose {
        case .search: "search: "
        case .tag: "tag: "
        case .peerFilter: "filter: "
        case .highlightWhy: "what made it valuable: "
        case .flagWhy: "why flag this post: "
        case .flagDecision(_, let hide): hide ? "hide the post, because: " : "keep the post, because: "
        }
    }
}

public struct ReaderState: Equatable, Sendable {
    public var thread: ThreadSnapshot
    /// Index into `thread.lines` of the post that `R` answers.
    public var selected: Int = 0
    /// First visible row of the laid-out thread.
    public var scroll: Int = 0
    /// The last layout and what it was made from. Laying out a 400-post thread costs milliseconds, and
    /// every key, tick and reload asked for it again; now only a new thread, width or minute does
    /// (ages in the reader are in minutes at their finest).
    private var cache: (width: Int, minute: Int, thread: ThreadSnapshot, layout: ReaderLayout)?
    public init(thread: ThreadSnapshot) { self.thread = thread }

    /// The thread laid out for `width` at least to row `rows` and post `post` (everything by default),
    /// from the cache when nothing it depends on changed, extending it when it does not reach far enough.
    public mutating func layout(width: Int, now: Date, rows: Int = .max, post: Int = .max) -> ReaderLayout {
        var l = cachedLayout(width: width, now: now) ?? ReaderLayout(thread: thread, width: width, now: now, rows: 0, post: -1)
        l.extend(thread: thread, width: width, now: now, rows: rows, post: post)
        cache = (width, Self.minute(now), thread, l)
        return l
    }

    /// The cached layout, if it is still right (for `render`, which cannot store one).
    public func cachedLayout(width: Int, now: Date) -> ReaderLayout? {
        guard let c = cache, c.width == width, c.minute == Self.minute(now), c.thread == thread else { return nil }
        return c.layout
    }

    static func minute(_ d: Date) -> Int { Int((d.timeIntervalSince1970 / 60).rounded(.down)) }

    public static func == (a: ReaderState, b: ReaderState) -> Bool {
        a.thread == b.thread && a.selected == b.selected && a.scroll == b.scroll
    }
}

/// The inline editor for a new topic or a reply.
public struct ComposerState: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable {
        case kind, title, tags, body
    }
    /// nil: a new topic; otherwise the topic answered.
    public var topicId: Int64?
    /// The post answered with `R`; nil answers the topic as a whole.
    public var parentId: Int64?
    /// Shown above the body for a reply: "Re: <title>" and who is answered.
    public var context: String
    public var kind: TopicKind = .discussion
    public var title = TextField()
    public var tags = TextField()
    public var body = TextField(multiline: true)
    public var field: Field
    /// Changed since the last draft save: the loop saves it within 2 s of the last keystroke.
    public var dirty = false
    /// Sent and waiting for the store: a second Ctrl-X does nothing.
    public var sending = false
    /// A draft slot of its own ("welcome:bob"): a welcome topic must not overwrite the unsent new topic in "new".
    public var scopeOverride: String?

    public init(topicId: Int64? = nil, parentId: Int64? = nil, context: String = "") {
        self.topicId = topicId
        self.parentId = parentId
        self.context = context
        self.field = topicId == nil ? .title : .body
    }

    public var isReply: Bool { topicId != nil }
    public var scope: String { scopeOverride ?? Draft.scope(topic: topicId, parent: parentId) }
    public var fields: [Field] { isReply ? [.body] : Field.allCases }
    public var isEmpty: Bool { title.isEmpty && tags.isEmpty && body.isEmpty }

    public func draft(login: String, now: Date) -> Draft {
        Draft(login: login, scope: scope, kind: isReply ? nil : kind, title: title.text, tags: tags.text,
              body: body.text, saved: now)
    }

    mutating func restore(_ d: Draft) {
        if let k = d.kind { kind = k }
        title.setText(d.title)
        tags.setText(d.tags)
        body.setText(d.body)
    }
}

/// The welcome screen's "start a new program" form.
public struct NewProgramForm: Equatable, Sendable {
    public var name = TextField()
    public var purpose = TextField()
    public var onPurpose = false
    public init() {}
}

struct PeerDirectory: Equatable, Sendable {
    var source: [Peer] = []
    /// Display order as positions in `source`: a sorted copy of 10,000 peers was 3.3 MB more.
    var order: [Int32] = []
}

/// The topic list as shown, with what it was made from: `visibleTopics` runs several times per event
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
}

/// Peers in display order, as positions into the directory they come from (no copies of the peers).
public struct PeerRows: RandomAccessCollection, Sendable {
    let source: [Peer]
    let order: [Int32]
    public var startIndex: Int { 0 }
    public var endIndex: Int { order.count }
    public subscript(i: Int) -> Peer { source[Int(order[i])] }
}

public struct AppState: Equatable, Sendable {
    /// How many topics the list holds (newest activity first); older ones are found by search.
    public static let topicLimit = 1000

    /// The directory in display order, kept with the peers it was sorted from: with 10,000 peers, sorting on
    /// every access (several per event) was half of a reload's CPU. `update` refreshes it when peers change.
    var directory = PeerDirectory()
    var topicView = TopicView()
    /// First row of the leader's report on screen.
    public var reportScroll = 0
    /// The real uid's login: who is at the keyboard, member or not.
    public var login: String
    public var size: Size
    /// The clock, injected: relative ages are computed from this, never from `Date()`.
    public var now: Date

    public var snapshot: Snapshot = .empty
    public var stage: Stage = .loading
    public var pane: Pane = .topics
    public var overlay: Overlay?
    public var prompt: Prompt?

    public var topicCursor = ListCursor()
    public var topicSort: TopicSort = .unreadFirst
    public var filter = TopicFilter()
    /// Full-text search results replace the topic list until Esc.
    public var searchQuery: String?
    public var searchRows: [TopicRow] = []

    public var peerCursor = ListCursor()
    public var peerFilter = ""
    public var queueCursor = ListCursor()
    public var profileCursor = ListCursor()
    /// The Highlights view, newest first: loaded when the pane opens and after a highlight is made.
    public var highlights: [HighlightRow] = []
    public var highlightCursor = ListCursor()
    /// The leader's report, loaded when the Report pane opens.
    public var report: LeaderReport?
    /// Suggested peers for the profile shown (`m` on a profile).
    public var matches: MatchList?

    public var reader: ReaderState?
    /// A topic asked for and not loaded yet.
    public var openingTopic: Int64?
    /// After sending, the thread opens on the sender's newest post rather than the first unread.
    public var focusOwnNewestPost = false
    public var composer: ComposerState?
    public var newProgram: NewProgramForm?
    /// Scroll of the help overlay and the rules screen.
    public var helpScroll = 0
    /// Where `q` in the reader goes back to.
    public var readerReturn: Pane = .topics
    /// "Later" on the rules screen: read on without accepting (posting is refused until then).
    public var rulesDeferred = false

    /// One line under everything: what just happened, or what went wrong.
    public var status: String?
    public var statusIsError = false
    public init(login: String, size: Size, now: Date) {
        self.login = login
        self.size = size
        self.now = now
    }

    public var me: Peer? { snapshot.me }
    public var program: Program? { snapshot.program }
}

public struct MatchList: Equatable, Sendable {
    public var login: String
    public var suggestions: [MatchSuggestion]
    public init(login: String, suggestions: [MatchSuggestion]) {
        self.login = login
        self.suggestions = suggestions
    }
}

// MARK: - Derived lists (what the panes show, in order)

extension AppState {
    /// The topic list as shown: search results, or the snapshot filtered and sorted.
    public var visibleTopics: [TopicRow] {
        if searchQuery != nil { return searchRows }
        if topicView.isCurrent(snapshot.topics, filter, topicSort) { return topicView.rows }
        return Self.topicOrder(snapshot.topics, filter: filter, sort: topicSort)
    }

    mutating func refreshTopicView() {
        guard !topicView.isCurrent(snapshot.topics, filter, topicSort) else { return }
        topicView = TopicView(source: snapshot.topics, filter: filter, sort: topicSort,
                              rows: Self.topicOrder(snapshot.topics, filter: filter, sort: topicSort))
    }

    static func topicOrder(_ topics: [TopicRow], filter: TopicFilter, sort topicSort: TopicSort) -> [TopicRow] {
        var rows = filter.isEmpty ? topics : topics.filter { row in
            (filter.kind == nil || row.topic.kind == filter.kind) && (filter.tag == nil || row.tags.contains(filter.tag!))
        }
        // This getter runs several times per event, over up to a thousand rows: the store already returns
        // topics by activity, so check that in one pass and sort only if not; "unread first" is then a stable
        // partition. (Sorting every time was half the CPU of a reload at 1M posts.)
        let byActivity: (TopicRow, TopicRow) -> Bool = { a, b in
            if a.topic.lastActivity != b.topic.lastActivity { return a.topic.lastActivity > b.topic.lastActivity }
            return a.id > b.id
        }
        if zip(rows, rows.dropFirst()).contains(where: { byActivity($1, $0) }) {
            rows.sort(by: byActivity)
        }
        if topicSort == .unreadFirst {
            rows = rows.filter(\.unread) + rows.filter { !$0.unread }
        }
        return rows
    }

    /// Current members by name, then alumni; as positions in `peers`.
    static func directoryOrder(_ peers: [Peer]) -> [Int32] {
        let keys = peers.map { ($0.isAlumni ? 1 : 0, $0.name.lowercased()) }
        return (0..<Int32(peers.count)).sorted { a, b in
            let (ka, kb) = (keys[Int(a)], keys[Int(b)])
            if ka != kb { return ka < kb }
            return peers[Int(a)].login < peers[Int(b)].login
        }
    }

    mutating func refreshDirectory() {
        if directory.source != snapshot.peers { directory = PeerDirectory(source: snapshot.peers, order: Self.directoryOrder(snapshot.peers)) }
    }

    /// Whether what is on screen names peers from the directory. The directory (10,000 peers: ~5 MB and
    /// ~40 ms to load) is loaded the first time it is needed, not for the topic list.
    public var needsPeers: Bool {
        if stage == .nonMember { return true }
        if case .profile = overlay { return true }
        return [.peers, .queue, .highlights].contains(pane)
    }

    public var visiblePeers: PeerRows {
        let needle = peerFilter.lowercased()
        let peers = snapshot.peers
        let order = directory.source == peers ? directory.order : Self.directoryOrder(peers)
        guard !needle.isEmpty else { return PeerRows(source: peers, order: order) }
        return PeerRows(source: peers, order: order.filter { i in
            let p = peers[Int(i)]
            return [p.login, p.name, p.unit, p.region, p.generation, p.role.rawValue, p.goals, p.offers]
                .contains { $0.lowercased().contains(needle) }
        })
    }

    /// Oldest first: the item waiting longest is at the top.
    public var visibleQueue: [QueueRow] {
        snapshot.queue.sorted { ($0.since, $0.key) < ($1.since, $1.key) }
    }

    public func profileTopics(_ login: String) -> [TopicRow] {
        snapshot.topics.filter { $0.topic.author == login }.sorted { $0.topic.lastActivity > $1.topic.lastActivity }
    }

    public var selectedTopic: TopicRow? {
        let rows = visibleTopics
        return rows.indices.contains(topicCursor.index) ? rows[topicCursor.index] : nil
    }

    public var selectedPeer: Peer? {
        let rows = visiblePeers
        return rows.indices.contains(peerCursor.index) ? rows[peerCursor.index] : nil
    }

    public var selectedQueueRow: QueueRow? {
        let rows = visibleQueue
        return rows.indices.contains(queueCursor.index) ? rows[queueCursor.index] : nil
    }

    public var selectedHighlight: HighlightRow? {
        highlights.indices.contains(highlightCursor.index) ? highlights[highlightCursor.index] : nil
    }

    public var canSeeReport: Bool {
        guard let program, let me else { return false }
        return Policy.allows(me, .viewReport, in: program)
    }

    /// The list and the reader side by side.
    public var isWide: Bool { size.width >= Layout.wideWidth }

    public var canSeeQueue: Bool {
        guard let program, let me else { return false }
        return Policy.allows(me, .viewQueue, in: program)
    }

    /// A peer name as shown everywhere: the display name with the login beside it (homoglyph names
    /// cannot pass for someone else).
    public func displayName(_ login: String) -> String {
        if let p = snapshot.peers.first(where: { $0.login == login }) ?? reader?.thread.peers[login], p.name != login, !p.name.isEmpty {
            return "\(p.name) (\(login))"
        }
        return login
    }
}
