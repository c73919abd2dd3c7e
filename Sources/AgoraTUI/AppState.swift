import Foundation
import AgoraCore
import AgoraScreen

/// The four panes of the main screen, in Tab order. Their raw value is the digit that selects them.
public enum Pane: Int, CaseIterable, Sendable {
    case topics = 1, peers, queue, reader, highlights, report, inbox

    public var title: String {
        switch self {
        case .topics: "Topics"
        case .peers: "Peers"
        case .queue: "Queue"
        case .reader: "Reader"
        case .highlights: "Highlights"
        case .report: "Report"
        case .inbox: "Inbox"
        }
    }
}

/// What covers the panes, if anything. At most one at a time; `q`/Esc closes it.
public enum Overlay: Equatable, Sendable {
    case help
    case composer
    case profile(login: String)
    /// My own profile's form (`e` on my profile).
    case profileEditor
    /// The drafts I kept (`D`).
    case drafts
    /// The posts I bookmarked (`B`).
    case bookmarks
    /// The program's templates (`T` in the topic list).
    case templates
    /// One of the leader's forms (a new peer, a new template, the queue thresholds).
    case form
    /// An edited post's earlier texts (`v` in the reader).
    case history
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

public struct PresenceAnnouncement: Equatable, Sendable {
    public var topic: Int64?
    public var hidden: Bool
    public init(topic: Int64?, hidden: Bool) {
        self.topic = topic
        self.hidden = hidden
    }
}

/// What the whole screen shares. Each pane, overlay and full screen keeps its own state in its own struct
/// (Panes/), held here so that `update` stays one pure function over one value.
public struct AppState: Equatable, Sendable {
    /// How many topics the list holds (newest activity first); older ones are found by search.
    public static let topicLimit = 1000

    /// The real uid's login: who is at the keyboard, member or not.
    public var login: String
    public var size: Size
    /// The clock, injected: relative ages are computed from this, never from `Date()`.
    public var now: Date

    public var snapshot: Snapshot = .empty
    public var stage: Stage = .loading
    public var pane: Pane = .topics
    public var overlay: Overlay?

    /// Who else is here, when the program is the daemon's (nil in-process: the header and reader say nothing).
    public var presence: Presence?

    /// One line under everything: what just happened, or what went wrong.
    public var status: String?
    public var statusIsError = false

    // Each controller's own state.
    public var topics = TopicsPane()
    public var peers = PeersPane()
    public var queue = QueuePane()
    public var reader = ReaderPane()
    public var highlights = HighlightsPane()
    public var report = ReportPane()
    /// The open composer; the loop reads it to save and keep drafts.
    public var composer: ComposerState?
    public var prompt: Prompt?
    public var help = HelpOverlay()
    public var profile = ProfileOverlay()
    public var profileForm: ProfileForm?
    public var form: FormState?
    public var templates = TemplatesOverlay()
    public var inbox = InboxPane()
    public var drafts = DraftsOverlay()
    public var bookmarks = BookmarksOverlay()
    public var history = HistoryOverlay()
    public var welcome = WelcomeScreen()
    public var rules = RulesScreen()

    public init(login: String, size: Size, now: Date) {
        self.login = login
        self.size = size
        self.now = now
    }

    public var me: Peer? { snapshot.me }

    /// Where this session is, for others' presence: the topic open in the reader (nil elsewhere), and whether
    /// the peer hides. Nil until the peer is known: a peer who hides must never be shown, even for a moment.
    public var presenceAnnouncement: PresenceAnnouncement? {
        guard let me else { return nil }
        let shown = pane == .reader || (isWide && pane == .topics)   // wide: the thread shows beside the list
        let reading = stage == .main && shown ? reader.current?.thread.topic.id : nil
        return PresenceAnnouncement(topic: reading, hidden: me.hidesPresence)
    }
    public var program: Program? { snapshot.program }
}

// MARK: - Derived lists (what the panes show, in order)

extension AppState {
    /// The topic list as shown: search results, or the snapshot filtered and sorted (from the cached view
    /// when it is current).
    public var visibleTopics: [TopicRow] { topics.rows(snapshot.topics) }

    /// Refreshed at the end of every `TUI.update`, so the next event finds the list made.
    mutating func refreshTopicView() { topics.refreshView(snapshot.topics) }

    mutating func refreshDirectory() { peers.refreshDirectory(snapshot.peers) }

    /// Whether what is on screen names peers from the directory. The directory (10,000 peers: ~5 MB and
    /// ~40 ms to load) is loaded the first time it is needed, not for the topic list.
    public var needsPeers: Bool {
        if stage == .nonMember { return true }
        if case .profile = overlay { return true }
        return [.peers, .queue, .highlights].contains(pane)
    }

    public var visiblePeers: PeerRows { peers.rows(snapshot.peers) }

    /// Oldest first: the item waiting longest is at the top.
    public var visibleQueue: [QueueRow] { queue.rows(snapshot.queue) }

    public func profileTopics(_ login: String) -> [TopicRow] { ProfileOverlay.topics(snapshot.topics, by: login) }

    public var selectedTopic: TopicRow? {
        let rows = visibleTopics
        return rows.indices.contains(topics.cursor.index) ? rows[topics.cursor.index] : nil
    }

    public var selectedPeer: Peer? {
        let rows = visiblePeers
        return rows.indices.contains(peers.cursor.index) ? rows[peers.cursor.index] : nil
    }

    public var selectedQueueRow: QueueRow? {
        let rows = visibleQueue
        return rows.indices.contains(queue.cursor.index) ? rows[queue.cursor.index] : nil
    }

    public var selectedHighlight: HighlightRow? { highlights.selected }

    /// The leader's work: peers, roles, templates, settings, the export.
    public var isLeader: Bool {
        guard let program, let me else { return false }
        return Policy.allows(me, .changeSettings, in: program)
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
        if let p = snapshot.peers.first(where: { $0.login == login }) ?? reader.current?.thread.peers[login], p.name != login, !p.name.isEmpty {
            return "\(p.name) (\(login))"
        }
        return login
    }
}

extension AppState {
    /// The list's sort and filters as they are kept between sessions.
    public var viewSettings: ViewSettings {
        get { ViewSettings(sort: topics.sort, filter: topics.filter) }
        set {
            topics.sort = newValue.sort
            topics.filter = newValue.filter
        }
    }
}
