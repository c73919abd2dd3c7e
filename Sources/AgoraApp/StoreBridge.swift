import AgoraCore
import AgoraTUI
import Foundation

/// Carries out the TUI's effects against the store and turns results into events; follows the change log.
/// Every failure becomes `.failed(message)` in the status line; nothing here throws at the loop.
public final class StoreBridge {
    let store: any Store
    let login: String
    /// The name a program created from the welcome screen gives its leader (the account's full name).
    let displayName: String
    let clock: () -> Date
    /// The claim-lease owner for this session: the store's origin is unique per session.
    var session: String { store.origin }

    /// Where this session is in the change log: every change after it is news to us or our own.
    private(set) var position: Int64 = 0

    /// What the session has counted, for the benchmark's trace: reads and writes of the store.
    public private(set) var reads = 0
    public private(set) var writes = 0

    public init(store: any Store, login: String, displayName: String? = nil, clock: @escaping () -> Date) {
        self.store = store
        self.login = login
        self.displayName = displayName ?? login
        self.clock = clock
        position = (try? store.latestChange()) ?? 0
    }

    /// The peer directory from the last load and the store's peer version it came from: reloads reuse it unless
    /// a peer changed.
    private var peers: [Peer] = []
    private var peersVersion: Int64?
    static var topicLimit: Int { AppState.topicLimit }

    /// Topics the last queue load was about: news in one of them can change the queue.
    private var queueTopics: Set<Int64> = []
    /// Whether the Highlights view has been loaded (then new highlights are loaded as they come).
    private var highlightsShown = false

    /// Set by every read or write: the loop gives freed memory back to the system once the screen is painted.
    var loadedSinceTrim = false

    /// Whether snapshots carry the peer directory: off until the screen first needs it (`AppState.needsPeers`).
    var wantPeers = false

    /// Claims made in this session are leases; it renews them while it runs (`renewLeasesIfDue`).
    private(set) var holdsClaims = false
    public private(set) var leaseRenewal: Date?

    /// What this session last told the daemon about where it is.
    private var announced: PresenceAnnouncement?

    /// Tells the daemon where this session is, when that changed (nothing in-process: there is no presence).
    func announce(_ a: PresenceAnnouncement?) {
        guard let a, let channel = store as? PresenceChannel, a != announced else { return }
        announced = a
        // The daemon away: the store says it again when it reconnects.
        try? channel.announce(topic: a.topic, hidden: a.hidden)
    }

    /// Who else is here, when the daemon said something new.
    func takePresence() -> Event? {
        (store as? PresenceChannel)?.takePresence().map(Event.presence)
    }

    /// Everything on screen but the thread, in one read; the peer directory only once wanted.
    func loadSnapshot() -> Event {
        let withPeers = wantPeers
        loadedSinceTrim = true
        reads += 1
        do {
            let home = try store.home(for: login, now: clock(), topicLimit: Self.topicLimit,
                                      includePeers: withPeers, knownPeersVersion: peersVersion)
            if withPeers, let fresh = home.peers {
                peers = fresh
                peersVersion = home.peersVersion
            }
            guard let program = home.program else { return .snapshot(.empty) }
            let shown = withPeers ? peers : []
            guard let me = home.me else { return .snapshot(Snapshot(program: program, me: nil, peers: shown)) }
            let queue = home.queue.map(Self.row)
            queueTopics = Set(queue.compactMap(\.topicId))
            var snapshot = Snapshot(program: program, me: me, topics: home.topics.map(Self.row), peers: shown, queue: queue,
                                    unreadCount: home.unreadTopics, queueCount: queue.count)
            reads += 1
            snapshot.inboxUnread = try store.unreadNotificationCount(for: login)
            return .snapshot(snapshot)
        } catch {
            return .failed(Self.message(error))
        }
    }

    /// A new topic, from a template or not. The store clears the draft it was written in; `.posted` need not
    /// delete it again.
    func postTopic(kind: TopicKind, title: String, tags: [String], body: String, scope: String, template: String?,
                   followUp: Date?) throws -> [Event] {
        let ids = try store.post(kind: kind, title: title, body: body, tags: tags, by: login, now: clock(),
                                 template: template, followUp: followUp, draftScope: scope)
        return [.posted(topicId: ids.topic, scope: scope)] + refresh(ChangeScope(posted: ids.topic))
    }

    /// Whether the inbox has been opened in this session (from then on its list is kept current, not only its count).
    var inboxShown = false

    /// My unread count, and my newest notifications when `items`.
    func inbox(items: Bool) -> Event {
        do {
            reads += 1
            let count = try store.unreadNotificationCount(for: login)
            return .inbox(unread: count, items: items ? try store.notifications(for: login, unreadOnly: false, limit: 200) : nil)
        } catch {
            return .failed(Self.message(error))
        }
    }

    /// Reads the change log from where we are and loads only what the foreign changes touched. Our own changes
    /// were shown when we made them. Nothing is read when nothing foreign happened (read marks, drafts, our writes).
    func catchUp() -> [Event] {
        do {
            let batch = try store.changes(after: position, limit: 1000)
            position = batch.position
            let scope = ChangeScope(batch, skippingOrigin: store.origin)
            return refresh(scope, news: Self.news(batch, skippingOrigin: store.origin))
        } catch {
            return [.failed(Self.message(error))]
        }
    }

    /// The posts a batch brought with it (the daemon's pushes), by topic: only for topics whose every foreign change
    /// in the batch is such a post, so the news says all there is to know about them.
    static func news(_ batch: ChangeBatch, skippingOrigin origin: String) -> [Int64: [PostNews]] {
        var byTopic: [Int64: [PostNews]] = [:]
        var incomplete: Set<Int64> = []
        for c in batch.changes where c.origin != origin {
            guard let t = c.topicId else { continue }
            if c.kind == .posted, let n = c.news { byTopic[t, default: []].append(n) } else { incomplete.insert(t) }
        }
        for t in incomplete { byTopic[t] = nil }
        return byTopic
    }

    /// `news`: what the push said of some topics; their rows (and an open thread's new posts) are made from it
    /// instead of being read again.
    func refresh(_ scope: ChangeScope, news: [Int64: [PostNews]] = [:]) -> [Event] {
        // Something new for me: the count (and the list, when the inbox has been opened). Nobody else's session reads.
        let forMe: [Event] = scope.notified.contains(login) ? [inbox(items: inboxShown)] : []
        if scope.isEmpty { return forMe }
        // A few rows leave little to give back: no trim after them (a trim makes the next allocations fault pages in).
        var events: [Event] = forMe
        if scope.highlights && highlightsShown { events += execute(.loadHighlights) }
        if scope.everything || scope.peers {
            // Rare (a peer joined, the rules changed): the whole home screen, peers only if they changed.
            return [loadSnapshot()] + events
        }
        do {
            if !scope.topics.isEmpty {
                var rows: [TopicRow] = []
                var tails: [ThreadSnapshot] = []
                var ask: [Int64] = []
                for t in scope.topics.sorted() {
                    guard let posts = news[t], let newest = posts.max(by: { ($0.post.id ?? 0) < ($1.post.id ?? 0) }),
                          newest.post.id == newest.summary.topic.lastPostId else {
                        ask.append(t)
                        continue
                    }
                    var row = Self.row(newest.summary)
                    // The store's rule (newest post past my read mark) for a post just made: mine are read when made.
                    row.unread = newest.post.author != login
                    rows.append(row)
                    let authors = Dictionary(posts.compactMap { n in n.author.map { ($0.login, $0) } }) { first, _ in first }
                    tails.append(ThreadSnapshot(topic: newest.summary.topic, tags: newest.summary.tags, posts: posts.map(\.post),
                                                peers: authors, lastReadPostId: .max))   // the reader keeps its own mark
                }
                if !ask.isEmpty {
                    reads += 1
                    rows += try store.topicSummaries(ask, for: login).map(Self.row)
                }
                events.append(.topicsChanged(rows, news: tails, revised: scope.revisedTopics))
            }
            if scope.queue || !queueTopics.isDisjoint(with: scope.topics) {
                reads += 1
                let queue = try store.queue(for: login, now: clock()).map(Self.row)
                queueTopics = Set(queue.compactMap(\.topicId))
                events.append(.queueChanged(queue))
            }
        } catch {
            events.append(.failed(Self.message(error)))
        }
        return events
    }

    /// Renews this session's claim leases when due; nil deadline when it holds none (no timer while idle).
    public func renewLeasesIfDue(now: Date) {
        guard holdsClaims, let at = leaseRenewal, at <= now else { return }
        writes += 1
        try? store.renewLeases(session: session, by: login, now: clock())
        leaseRenewal = now.addingTimeInterval(ChampionQueue.leaseRenewSeconds)
    }

    /// Claims made in this session end with it (a session killed outright stops renewing; its leases lapse).
    public func close() {
        if holdsClaims { try? store.releaseSessionClaims(session: session, by: login, now: clock()) }
        holdsClaims = false
        leaseRenewal = nil
    }

    deinit { close() }

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
                        claimedAt: q.claim?.claimedAt, topicId: q.topicId, login: q.kind == .newcomer ? q.who : nil, age: q.age,
                        who: q.who, postId: q.postId, reason: q.reason, escalated: q.escalated)
    }

    static func message(_ error: Error) -> String {
        (error as? AgoraError)?.description ?? "\(error)"
    }

    private func me() -> Peer {
        Peer(login: login, name: displayName, joined: clock())
    }

    /// The thread as the reader opens it (its first screen's posts whole).
    func openedThread(_ id: Int64) throws -> Event {
        .thread(Self.thread(try store.threadOpening(id, for: login, window: Self.openingWindow)))
    }

    static func thread(_ t: ThreadView) -> ThreadSnapshot {
        var out: ThreadSnapshot
        if t.withheld.isEmpty {
            out = ThreadSnapshot(topic: t.topic, tags: t.tags, posts: t.posts, peers: t.peers, lastReadPostId: t.lastReadPostId,
                                 readBeyond: Set(t.readBeyond))
        } else {
            // The withheld posts hold their place in the tree with an empty body until they come.
            let topicId = t.topic.id ?? 0
            let standIns = t.withheld.map {
                Post(id: $0.id, topicId: topicId, parentId: $0.parentId, author: $0.author, body: "", created: t.topic.created,
                     edited: $0.edited, hidden: $0.hidden)
            }
            out = ThreadSnapshot(topic: t.topic, tags: t.tags, posts: t.posts + standIns, peers: t.peers, lastReadPostId: t.lastReadPostId,
                                 readBeyond: Set(t.readBeyond), withheld: Set(t.withheld.map(\.id)))
        }
        out.bookmarked = Set(t.bookmarked)
        return out
    }

    /// A thread opens with its lines through the first unread and this many after it whole (more than two screens of
    /// the usual post at 200x50, so opening asks for nothing more); the reader asks for the rest as it scrolls
    /// (`ReaderPane.fetchAhead`).
    static let openingWindow = ThreadWindow(more: 30)

    /// Runs one effect. Returns the events it produced (answers, what a write changed on screen).
    /// `.quit`, `.redraw` and `.runEditor` belong to the loop and never reach here.
    func execute(_ effect: Effect) -> [Event] {
        switch effect {
        case .openThread, .search, .loadReport, .loadHighlights, .loadMatches, .fillDemo:
            loadedSinceTrim = true   // whole loads (and `loadSnapshot`) leave megabytes to give back; a read mark does not
        default:
            break
        }
        if effect.writes { writes += 1 } else { reads += 1 }
        do {
            switch effect {
            case .quit, .redraw, .runEditor, .saveView, .hold, .cancelHeld:
                return []
            case .reload:
                return [loadSnapshot()]
            case .openThread(let id):
                return [try openedThread(id)]
            case .loadThreadPosts(let id, let ids, _):
                return [.threadPosts(Self.thread(try store.threadPosts(id, ids: ids, for: login)), asked: ids)]
            case .countUnread:
                return [.unreadCount(try store.unreadTopicCount(for: login))]
            case .loadThreadTail(let id, let after):
                return [.threadTail(Self.thread(try store.threadTail(id, after: after, for: login)))]
            case .markRead(let topicId, let upTo, let posts):
                try store.markRead([ReadState(login: login, topicId: topicId, lastReadPostId: upTo, posts: posts)])
                return []
            case .markUnread(let postId):
                try store.markUnread(login: login, post: postId)
                return []
            case .search(let query):
                let hits = try store.search(query, snippets: false)
                let rows = try store.topicSummaries(hits.map(\.topicId), for: login).map(Self.row)
                return [.searchResults(query: query, rows: rows)]
            case .post(let kind, let title, let tags, let body, let scope):
                return try postTopic(kind: kind, title: title, tags: tags, body: body, scope: scope, template: nil, followUp: nil)
            case .postFromTemplate(let kind, let title, let tags, let body, let scope, let template, let followUp):
                return try postTopic(kind: kind, title: title, tags: tags, body: body, scope: scope, template: template, followUp: followUp)
            case .reply(let topicId, let parentId, let body, let scope):
                _ = try store.reply(topic: topicId, parent: parentId, body: body, by: login, now: clock())
                if scope != Draft.scope(topic: topicId, parent: parentId) && scope != Draft.scope(topic: topicId, parent: nil) {
                    try store.deleteDraft(login: login, scope: scope)   // a composer opened elsewhere (a welcome)
                }
                // `.posted` opens the thread (one read); the list and the queue learn of it like any change.
                return [.posted(topicId: topicId, scope: scope)] + refresh(ChangeScope(posted: topicId))
            case .loadDraft(let scope):
                return [.draftLoaded(scope: scope, draft: try store.draft(login: login, scope: scope))]
            case .saveDraft(let draft):
                try store.saveDraft(draft)
                return []
            case .deleteDraft(let scope):
                try store.deleteDraft(login: login, scope: scope)
                return []
            case .createProgram(let name, let purpose):
                _ = try store.createProgram(name: name, purpose: purpose, leader: me(), now: clock())
                return [loadSnapshot(), .info("\(Sanitizer.line(name)) is ready; you lead it. Add peers with 'agora peer add LOGIN'.")]
            case .fillDemo:
                let summary = try store.fillDemo(DemoProgram(rulesPending: true), me: me(), now: clock())
                return [loadSnapshot(), .info("demo program: \(summary.peers) peers, \(summary.topics) topics, \(summary.posts) posts; you lead it")]
            case .acknowledgeRules:
                _ = try store.acknowledgeRules(by: login, now: clock())
                return [loadSnapshot()]
            case .claim(let key):
                try store.claim(key, by: login, session: session, now: clock())
                holdsClaims = true
                if leaseRenewal == nil { leaseRenewal = Date().addingTimeInterval(ChampionQueue.leaseRenewSeconds) }
                return [loadSnapshot()]
            case .release(let key):
                try store.release(key, by: login, now: clock())
                return [loadSnapshot()]
            case .welcome(let who):
                try store.welcome(who, by: login, now: clock())
                return [loadSnapshot()]
            case .resolveTopic(let id):
                try store.setStatus(id, .resolved, by: login, now: clock())
                return [loadSnapshot(), .info("topic \(id) resolved")]
            case .snooze(let key, let until):
                try store.snooze(key, until: until, by: login, now: clock())
                return [loadSnapshot(), .info("\(key) snoozed until \(RelativeAge.iso(until))")]
            case .updateProfile(let goals, let offers, let bio):
                guard var peer = try store.peer(login) else { throw AgoraError.notFound("peer", login) }
                peer.goals = goals
                peer.offers = offers
                peer.bio = bio
                try store.updatePeer(peer, by: login, now: clock())
                return [loadSnapshot(), .profileSaved]
            case .loadDrafts:
                return [.drafts(try store.drafts(login: login))]
            case .loadBookmarks:
                return [.bookmarks(try store.bookmarks(login: login))]
            case .setBookmark(let postId, let on):
                try store.setBookmark(login: login, post: postId, on, now: clock())
                return [.bookmarked(postId: postId, on: on)]
            case .setRules(let text):
                let version = try store.setRules(text, expectedReturn: nil, by: login, now: clock())
                return [loadSnapshot(), .info("rules version \(version) is in force; everyone accepts it before they next post")]
            case .escalate(let key, let note):
                _ = try store.escalate(key, note: note, by: login, now: clock())
                return [loadSnapshot(), .info("\(key) is escalated; the leader sees your note")]
            case .highlight(let topicId, let postId, let why):
                try store.highlight(topic: topicId, post: postId, why: why, by: login, now: clock())
                return execute(.loadHighlights) + [.info("highlighted; see Highlights (5)")]
            case .flag(let postId, let reason):
                _ = try store.flag(post: postId, reason: reason, by: login, now: clock())
                return [loadSnapshot(), .info("flagged; a champion will look at it")]
            case .resolveFlag(let id, let hide, let reason):
                try store.resolveFlag(id, hide: hide, reason: reason, by: login, now: clock())
                return [loadSnapshot(), .info(hide ? "the post is hidden; the flag is settled" : "the post stays; the flag is settled")]
            case .loadHighlights:
                highlightsShown = true
                return [.highlights(try store.highlights(limit: 200).map(Self.row))]
            case .loadReport:
                return [.report(try store.report(since: clock().addingTimeInterval(-84 * 86400), by: login, now: clock()))]
            case .addPeer(let peer):
                try store.addPeers([peer], by: login, now: clock())
                return [loadSnapshot(), .formSaved, .info("added \(peer.login) as \(peer.role.rawValue); they are in the queue to be welcomed")]
            case .importPeers(let path):
                // Read as the person running the session (docs/SECURITY.md): never through the daemon.
                let text = try PeerCSV.text(ofFile: path)
                let peers = try PeerCSV.parse(text, now: clock(), existing: Set(try store.peers(PeerFilter()).map(\.login)))
                try store.addPeers(peers, by: login, now: clock())
                return [loadSnapshot(), .info("imported \(peers.count) peer\(peers.count == 1 ? "" : "s") from \(path)")]
            case .changeRole(let who, let role):
                guard var peer = try store.peer(who) else { throw AgoraError.notFound("peer", who) }
                peer.role = role
                try store.updatePeer(peer, by: login, now: clock())
                return [loadSnapshot(), .info("\(who) is now \(role.rawValue)")]
            case .saveTemplate(let t):
                try store.saveTemplate(t, by: login, now: clock())
                return [.templates(try store.templates()), .formSaved, .info("template '\(t.name)' saved")]
            case .loadTemplates:
                return [.templates(try store.templates())]
            case .updateSettings(let settings):
                try store.updateSettings(settings, by: login, now: clock())
                return [loadSnapshot(), .formSaved, .info("queue thresholds saved; the queue follows them now")]
            case .export(let path):
                let export = try store.export(by: login)
                let markdown = path.hasSuffix(".md") || path.hasSuffix(".markdown")
                try Exporter.write(try Exporter.text(export, markdown: markdown, now: clock()), toFile: path)
                return [.info("exported the program to \(path) (\(markdown ? "Markdown" : "JSON"))")]
            case .acceptAnswer(let topic, let post):
                let accepted = try store.acceptAnswer(post, by: login, now: clock())
                // The open thread again (its topic now names the answer), and the list's row.
                return [try openedThread(topic),
                        .topicsChanged(try store.topicSummaries([topic], for: login).map(Self.row), news: [], revised: []),
                        .info(accepted ? "marked as the answer; its author is told" : "no longer the answer")]
            case .editPost(let postId, let topicId, let body, let scope):
                try store.editPost(postId, body: body, by: login, now: clock())
                try store.deleteDraft(login: login, scope: scope)
                return [try openedThread(topicId),
                        .revised(scope: scope)]
            case .deletePost(let postId, let topicId):
                try store.deletePost(postId, by: login, now: clock())
                return [try openedThread(topicId),
                        .revised(scope: nil)]
            case .loadHistory(let postId):
                return [.history(postId: postId, try store.postHistory(postId, by: login))]
            case .setWatch(let topic, let level):
                try store.setWatch(topic, level: level, by: login, now: clock())
                let said: String
                switch level {
                case .watching: said = "every new post here comes to your inbox"
                case .normal: said = "replies to you and mentions come to your inbox"
                case .muted: said = "muted: nothing from here comes to you, and it stays read"
                }
                return (level == .muted ? [loadSnapshot()] : []) + [.info("topic \(topic): \(said)")]
            case .setTagWatch(let tag, let level):
                try store.setTagWatch(tag, level: level, by: login, now: clock())
                let said: String
                switch level {
                case .watching: said = "every new post in its topics comes to your inbox"
                case .normal: said = "replies to you and mentions come to your inbox"
                case .muted: said = "muted: nothing from its topics comes to you, and they stay read"
                }
                return (level == .muted ? [loadSnapshot()] : []) + [.info("tag \(tag): \(said)")]
            case .loadInbox:
                inboxShown = true
                return [inbox(items: true)]
            case .markNotificationsRead(let ids):
                try store.markNotificationsRead(for: login, ids: ids, now: clock())
                return [inbox(items: inboxShown)]
            case .loadMatches(let who):
                return [.matches(login: who, try store.matches(for: who, by: login, now: clock(), limit: 5))]
            }
        } catch {
            return [.failed(Self.message(error))]
        }
    }
}
