import AgoraCore
import AgoraStore
import AgoraTUI
import Foundation

/// Carries out the TUI's effects against the store and turns results into events.
/// Every failure becomes `.failed(message)` in the status line; nothing here throws at the loop.
final class StoreBridge {
    let db: AgoraDatabase
    let login: String
    let clock: () -> Date

    init(db: AgoraDatabase, login: String, clock: @escaping () -> Date) {
        self.db = db
        self.login = login
        self.clock = clock
    }

    /// The peer directory from the last load and the store's peer version it came from: reloads
    /// (after every write anywhere) reuse it unless a peer changed.
    private var peers: [Peer] = []
    private var peersVersion: Int64?
    static let topicLimit = 1000

    /// Set by every read or write: the loop gives freed memory back to the system once the screen is painted.
    var loadedSinceTrim = false

    /// Whether snapshots carry the peer directory: off until the screen first needs it (`AppState.needsPeers`).
    var wantPeers = false

    /// Everything on screen but the thread, in one read transaction; the peer directory only once wanted.
    func loadSnapshot() -> Event {
        let withPeers = wantPeers
        loadedSinceTrim = true
        do {
            let home = try db.home(for: login, now: clock(), topicLimit: Self.topicLimit,
                                   includePeers: withPeers, knownPeersVersion: peersVersion)
            if withPeers, let fresh = home.peers {
                peers = fresh
                peersVersion = home.peersVersion
            }
            guard let program = home.program else { return .snapshot(.empty) }
            let shown = withPeers ? peers : []
            guard let me = home.me else { return .snapshot(Snapshot(program: program, me: nil, peers: shown)) }
            let queue = home.queue.map(Self.row)
            return .snapshot(Snapshot(program: program, me: me, topics: home.topics.map(Self.row), peers: shown, queue: queue,
                                      unreadCount: home.unreadTopics, queueCount: queue.count))
        } catch {
            return .failed(Self.message(error))
        }
    }

    /// Claims made in this session are tied to its pid; when the session ends (the bridge goes with
    /// the runner) they are released. A session killed outright leaves a dead pid, which the queue ignores.
    deinit {
        try? db.releaseSessionClaims(pid: getpid(), by: login, now: clock())
    }

    static func row(_ h: HighlightSummary) -> HighlightRow {
        HighlightRow(id: h.highlight.id ?? 0, topicId: h.highlight.topicId, postId: h.highlight.postId, topicTitle: h.topicTitle,
                     by: h.highlight.by, why: h.highlight.why, created: h.highlight.created)
    }

    static func row(_ s: TopicSummary) -> TopicRow {
        TopicRow(topic: s.topic, tags: s.tags, authorName: s.authorName, unread: s.unread)
    }

    static func row(_ q: QueueItem) -> QueueRow {
        let kind: QueueKind
        switch q.kind {
        case .unanswered: kind = .unanswered
        case .newcomer: kind = .newcomer
        case .flagged: kind = .flagged
        case .stalled: kind = .stalled
        case .followUp: kind = .followUp
        }
        return QueueRow(kind: kind, key: q.key, title: q.title, since: q.since, claimedBy: q.claim?.login,
                        claimedAt: q.claim?.claimedAt, topicId: q.topicId, login: q.kind == .newcomer ? q.who : nil, age: q.age)
    }

    static func message(_ error: Error) -> String {
        (error as? AgoraError)?.description ?? "\(error)"
    }

    private func me() -> Peer {
        Peer(login: login, name: Identity.gecosName(login) ?? login, joined: clock())
    }

    /// Runs one effect. Returns the events it produced (answers, a fresh snapshot after a write).
    /// `.quit`, `.redraw` and `.runEditor` belong to the loop and never reach here.
    func execute(_ effect: Effect) -> [Event] {
        loadedSinceTrim = true
        do {
            switch effect {
            case .quit, .redraw, .runEditor:
                return []
            case .reload:
                return [loadSnapshot()]
            case .openThread(let id):
                let t = try db.thread(id, for: login)
                return [.thread(ThreadSnapshot(topic: t.topic, tags: t.tags, posts: t.posts, peers: t.peers, lastReadPostId: t.lastReadPostId))]
            case .markRead(let topicId, let upTo):
                try db.markRead(login: login, topic: topicId, upTo: upTo)
                return []
            case .search(let query):
                let hits = try db.search(query, snippets: false)
                let rows = try db.topicSummaries(hits.map(\.topicId), for: login).map(Self.row)
                return [.searchResults(query: query, rows: rows)]
            case .post(let kind, let title, let tags, let body, let scope):
                let ids = try db.post(kind: kind, title: title, body: body, tags: tags, by: login, now: clock(), draftScope: scope)
                return [loadSnapshot(), .posted(topicId: ids.topic, scope: scope)]
            case .reply(let topicId, let parentId, let body, let scope):
                _ = try db.reply(topic: topicId, parent: parentId, body: body, by: login, now: clock())
                try? db.deleteDraft(login: login, scope: scope)
                return [loadSnapshot(), .posted(topicId: topicId, scope: scope)]
            case .loadDraft(let scope):
                return [.draftLoaded(scope: scope, draft: try db.draft(login: login, scope: scope))]
            case .saveDraft(let draft):
                try db.saveDraft(draft)
                return []
            case .deleteDraft(let scope):
                try db.deleteDraft(login: login, scope: scope)
                return []
            case .createProgram(let name, let purpose):
                _ = try db.createProgram(name: name, purpose: purpose, leader: me(), now: clock())
                return [loadSnapshot(), .info("\(Sanitizer.line(name)) is ready; you lead it. Add peers with 'agora peer add LOGIN'.")]
            case .fillDemo:
                let summary = try db.fillDemo(DemoProgram(), me: me(), now: clock())
                return [loadSnapshot(), .info("demo program: \(summary.peers) peers, \(summary.topics) topics, \(summary.posts) posts; you lead it")]
            case .acknowledgeRules:
                try db.acknowledgeRules(by: login, now: clock())
                return [loadSnapshot()]
            case .claim(let key):
                try db.claim(key, by: login, sessionPid: getpid(), now: clock())
                return [loadSnapshot()]
            case .release(let key):
                try db.release(key, by: login, now: clock())
                return [loadSnapshot()]
            case .welcome(let who):
                try db.welcome(who, by: login, now: clock())
                return [loadSnapshot()]
            case .resolveTopic(let id):
                try db.setStatus(id, .resolved, by: login, now: clock())
                return [loadSnapshot(), .info("topic \(id) resolved")]
            case .snooze(let key, let until):
                try db.snooze(key, until: until, by: login, now: clock())
                return [loadSnapshot(), .info("\(key) snoozed until \(RelativeAge.iso(until))")]
            case .highlight(let topicId, let postId, let why):
                try db.highlight(topic: topicId, post: postId, why: why, by: login, now: clock())
                return [.highlights(try db.highlights(limit: 200).map(Self.row)), .info("highlighted; see Highlights (5)")]
            case .flag(let postId, let reason):
                try db.flag(post: postId, reason: reason, by: login, now: clock())
                return [loadSnapshot(), .info("flagged; a champion will look at it")]
            case .resolveFlag(let id, let hide, let reason):
                try db.resolveFlag(id, hide: hide, reason: reason, by: login, now: clock())
                return [loadSnapshot(), .info(hide ? "the post is hidden; the flag is settled" : "the post stays; the flag is settled")]
            case .loadHighlights:
                return [.highlights(try db.highlights(limit: 200).map(Self.row))]
            case .loadReport:
                return [.report(try db.report(since: clock().addingTimeInterval(-84 * 86400), by: login, now: clock()))]
            case .loadMatches(let who):
                return [.matches(login: who, try db.matches(for: who, by: login, now: clock()))]
            }
        } catch {
            return [.failed(Self.message(error))]
        }
    }
}
