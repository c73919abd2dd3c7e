import Foundation

// The store seam: what the program needs from wherever it is kept, one protocol per concern, in the program's
// own words. `SQLiteStore` (AgoraStore) implements them today; the daemon and PostgreSQL implement the same
// protocols, and one contract suite (Tests/AgoraStoreTests/Contract) holds every backend to them.
//
// The rules (who may do what, what a reply does to a topic, when an item enters the queue) are AgoraCore's:
// `Policy`, `Conversation`, `ChampionQueue`. A store persists what they decided, so two backends cannot differ.
// Every write takes the acting login and the time; every failure is an `AgoraError` a person can act on.

/// The program itself: its settings, rules of engagement and templates.
public protocol ProgramStore: AnyObject {
    func program() throws -> Program?
    @discardableResult
    func createProgram(name: String, purpose: String, leader: Peer, now: Date) throws -> Program
    /// Publishes a new version of the rules; returns its number.
    @discardableResult
    func setRules(_ text: String, expectedReturn: String?, by login: String, now: Date) throws -> Int
    /// Accepts the current rules; returns the version accepted.
    @discardableResult
    func acknowledgeRules(by login: String, now: Date) throws -> Int
    func templates() throws -> [TopicTemplate]
    func template(named name: String) throws -> TopicTemplate
    func saveTemplate(_ t: TopicTemplate, by login: String, now: Date) throws
    /// The leader's queue thresholds.
    func updateSettings(_ settings: ProgramSettings, by login: String, now: Date) throws
    /// Fills an empty program with the demo; `me` leads it.
    func fillDemo(_ d: DemoProgram, me: Peer, now: Date) throws -> DemoProgram.Summary
}

/// Who takes part: peers, alumni, roles, and the audit log of what leaders and champions did.
public protocol MembershipStore: AnyObject {
    func peer(_ login: String) throws -> Peer?
    func peers(_ filter: PeerFilter) throws -> [Peer]
    func leaders() throws -> [Peer]
    /// Adds peers all at once: if one is refused, none is added.
    func addPeers(_ peers: [Peer], by actor: String, now: Date) throws
    /// Adds, brings back and retires in one step (`admin sync-users`): all of it or none.
    func syncMembership(add peers: [Peer], rejoin: [String], leave: [String], by actor: String, now: Date) throws
    func updatePeer(_ updated: Peer, by actor: String, now: Date) throws
    func peerLeave(_ login: String, by actor: String, now: Date) throws
    func peerRejoin(_ login: String, by actor: String, now: Date) throws
    func auditLog(limit: Int) throws -> [AuditEvent]
    /// Peers whose offers meet `login`'s goals.
    func matches(for login: String, by actor: String, now: Date, limit: Int) throws -> [MatchSuggestion]
}

/// Topics and threads: starting, replying, listing, reading, settling.
public protocol ConversationStore: AnyObject {
    /// Starts a topic with its opening post; clears the author's draft in `draftScope`.
    @discardableResult
    func post(kind: TopicKind, title: String, body: String, tags: [String], by login: String, now: Date,
              template: String?, followUp: Date?, draftScope: String) throws -> (topic: Int64, post: Int64)
    /// Replies to a topic (`parent` nil) or to one of its posts; clears the author's drafts for that place.
    @discardableResult
    func reply(topic topicId: Int64, parent: Int64?, body: String, by login: String, now: Date) throws -> Int64
    /// Topics, newest activity first.
    func topics(_ q: TopicQuery, for reader: String?) throws -> [TopicSummary]
    /// Summaries of the given topics in the given order (unknown ids left out).
    func topicSummaries(_ ids: [Int64], for reader: String?) throws -> [TopicSummary]
    func thread(_ topicId: Int64, for reader: String?) throws -> ThreadView
    /// Marks `postId` as its topic's answer (or takes the mark back); returns whether it is the answer now.
    @discardableResult
    func acceptAnswer(_ postId: Int64, by login: String, now: Date) throws -> Bool
    /// The thread as a reader opens it: every post's place in the tree, but bodies and authors only for the lines
    /// `window` names; the others' ids are in `withheld`. Opening a 400-post thread then reads a screen's posts.
    func threadOpening(_ topicId: Int64, for reader: String?, window: ThreadWindow) throws -> ThreadView
    /// These posts of the thread, whole, with their authors (ids not in it are left out): what `withheld` named.
    func threadPosts(_ topicId: Int64, ids: [Int64], for reader: String?) throws -> ThreadView
    /// The thread's posts after `postId` only (with the topic as it is now): for an open thread that grew.
    func threadTail(_ topicId: Int64, after postId: Int64, for reader: String?) throws -> ThreadView
    func setStatus(_ topicId: Int64, _ status: TopicStatus, by login: String, now: Date) throws
    /// One's own post, its text changed (`Conversation.revise`); the old text kept as history.
    func editPost(_ postId: Int64, body: String, by login: String, now: Date) throws
    /// One's own post, deleted: "deleted by its author" in its place, replies kept.
    func deletePost(_ postId: Int64, by login: String, now: Date) throws
    /// A post's earlier texts, oldest first (`Conversation.mayReadHistory`).
    func postHistory(_ postId: Int64, by login: String) throws -> [PostRevision]
    /// What the full-screen program shows besides an open thread, read at one moment; the peer directory
    /// only when asked for and changed since `knownPeersVersion`.
    func home(for login: String, now: Date, topicLimit: Int, includePeers: Bool, knownPeersVersion: Int64?) throws -> Home
}

/// A person's own, private state: read marks and drafts. Writing it never wakes another session.
public protocol ReadingStore: AnyObject {
    /// Remembers that `login` has read `topic` up to `postId` (never moves backwards).
    func markRead(login: String, topic: Int64, upTo postId: Int64) throws
    /// Several read marks (of several people) in one write: the daemon gathers the marks that arrive while its
    /// write queue is busy (200 readers of one thread mark the same reply at once) into one commit.
    func markRead(_ marks: [ReadState]) throws
    /// The post is unread again for `login` (`M` in the reader); posts after it that were read stay read.
    func markUnread(login: String, post: Int64) throws
    func unreadCounts(for login: String) throws -> (topics: Int, posts: Int)
    /// How many topics have posts `login` has not read (the header's figure).
    func unreadTopicCount(for login: String) throws -> Int
    func draft(login: String, scope: String) throws -> Draft?
    func drafts(login: String) throws -> [Draft]
    func saveDraft(_ d: Draft) throws
    func deleteDraft(login: String, scope: String) throws
    /// Keeps `post` for `login` (`on`), or lets it go; `Conversation.mayBookmark` decides what may be kept.
    /// Private, like a read mark: no change is logged.
    func setBookmark(login: String, post: Int64, _ on: Bool, now: Date) throws
    /// `login`'s bookmarks, newest first.
    func bookmarks(login: String) throws -> [Bookmark]
}

/// The champion queue and what champions do with its items.
public protocol QueueStore: AnyObject {
    func queue(for login: String, now: Date) throws -> [QueueItem]
    /// How many items `queue` would return (`agora status`, a header): the count without the rows.
    func queueCount(for login: String, now: Date) throws -> Int
    /// Claims an item; `session` makes it a lease (`ChampionQueue.leaseSeconds`) that the session renews.
    @discardableResult
    func claim(_ key: String, by login: String, session: String?, now: Date) throws -> Claim
    func release(_ key: String, by login: String, now: Date) throws
    /// Extends the leases of `session`'s claims (a live session calls this every `leaseRenewSeconds`).
    func renewLeases(session: String, by login: String, now: Date) throws
    /// Drops every claim `session` held: the session is ending.
    func releaseSessionClaims(session: String, by login: String, now: Date) throws
    func liveClaims(now: Date) throws -> [Claim]
    /// Marks a newcomer welcomed; with `message`, also starts the welcome topic. Returns its id.
    @discardableResult
    func welcome(_ login: String, message: String?, by actor: String, now: Date) throws -> Int64?
    @discardableResult
    func flag(post postId: Int64, reason: String, by login: String, now: Date) throws -> Int64
    func resolveFlag(_ flagId: Int64, hide: Bool, reason: String, by login: String, now: Date) throws
    func snooze(_ key: String, until: Date, by login: String, now: Date) throws
    @discardableResult
    func escalate(_ key: String, note: String, by login: String, now: Date) throws -> Int64
    func openEscalations(now: Date) throws -> [Escalation]
    func setNoAnswerNeeded(_ topicId: Int64, _ value: Bool, by login: String, now: Date) throws
}

/// What made the program worth it: highlights and testimonials.
public protocol HighlightStore: AnyObject {
    @discardableResult
    func highlight(topic topicId: Int64, post postId: Int64?, why: String, by login: String, now: Date) throws -> Int64
    func highlights(limit: Int) throws -> [HighlightSummary]
    @discardableResult
    func addTestimonial(_ text: String, shareable: Bool, by login: String, now: Date) throws -> Int64
    func testimonials(for login: String) throws -> [Testimonial]
}

/// How the program goes: the leader's report, trends, the export.
public protocol ReportStore: AnyObject {
    func report(since: Date, by login: String, now: Date) throws -> LeaderReport
    func tagTrends(by login: String, now: Date) throws -> [TagTrend]
    func export(by login: String) throws -> ProgramExport
}

/// Each person's inbox and what they watch. Every call is for the caller alone: the daemon answers only for the
/// login it knows from the socket.
public protocol NotificationStore: AnyObject {
    /// Newest first.
    func notifications(for login: String, unreadOnly: Bool, limit: Int) throws -> [NotificationItem]
    func unreadNotificationCount(for login: String) throws -> Int
    /// These (`ids`) or all (nil) read.
    func markNotificationsRead(for login: String, ids: [Int64]?, now: Date) throws
    func setWatch(_ topicId: Int64, level: WatchLevel, by login: String, now: Date) throws
    /// The level that counts for `login` (`Notify.level`: the topic's own, else its tags').
    func watchLevel(_ topicId: Int64, for login: String) throws -> WatchLevel
    /// How much every topic with `tag` tells `login`, unless they set a level on the topic itself. Muting a tag marks
    /// its topics read, as muting a topic does.
    func setTagWatch(_ tag: String, level: WatchLevel, by login: String, now: Date) throws
    /// The level `login` set on `tag` (normal if none).
    func tagWatchLevel(_ tag: String, for login: String) throws -> WatchLevel
}

/// Full-text search over titles and bodies.
public protocol SearchStore: AnyObject {
    /// Best first (`SearchHit.relevance`, higher is better), one hit per topic; every word must match as a prefix.
    func search(_ query: String, limit: Int, snippets: Bool) throws -> [SearchHit]
}

/// The whole program, as the app, the CLI and the TUI see it.
public protocol Store: ProgramStore, MembershipStore, ConversationStore, ReadingStore, QueueStore, HighlightStore,
    ReportStore, SearchStore, NotificationStore, ChangeLog {
    /// Where the program is kept, for messages ("created … in ~/.local/share/agora/agora.db").
    var location: String { get }
    /// How this session hears of other sessions' writes.
    func changeSignal(now: Date) -> any ChangeSignal
    /// Runs `body`'s writes in one commit (group commit: the daemon gathers the posts that arrive while a commit is
    /// on the disk). Each write in it still succeeds or fails alone; if the commit itself fails, none is kept.
    func writeBatch<T>(_ body: () throws -> T) throws -> T
}

// Defaults for the arguments most callers leave out (a protocol requirement cannot have them).
extension ConversationStore {
    @discardableResult
    public func post(kind: TopicKind, title: String, body: String, tags: [String] = [], by login: String, now: Date,
                     template: String? = nil, followUp: Date? = nil) throws -> (topic: Int64, post: Int64) {
        try post(kind: kind, title: title, body: body, tags: tags, by: login, now: now, template: template,
                 followUp: followUp, draftScope: Draft.scope(topic: nil, parent: nil))
    }

    @discardableResult
    public func reply(topic topicId: Int64, body: String, by login: String, now: Date) throws -> Int64 {
        try reply(topic: topicId, parent: nil, body: body, by: login, now: now)
    }

    public func topics(_ q: TopicQuery = TopicQuery()) throws -> [TopicSummary] { try topics(q, for: nil) }
    public func thread(_ topicId: Int64) throws -> ThreadView { try thread(topicId, for: nil) }
    public func topicSummary(_ id: Int64, for reader: String?) throws -> TopicSummary? {
        try topicSummaries([id], for: reader).first
    }
}

extension MembershipStore {
    public func peers() throws -> [Peer] { try peers(PeerFilter()) }
    public func addPeer(_ peer: Peer, by actor: String, now: Date) throws { try addPeers([peer], by: actor, now: now) }
    public func auditLog() throws -> [AuditEvent] { try auditLog(limit: 100) }
    public func matches(for login: String, by actor: String, now: Date) throws -> [MatchSuggestion] {
        try matches(for: login, by: actor, now: now, limit: 5)
    }
}

extension QueueStore {
    @discardableResult
    public func claim(_ key: String, by login: String, now: Date) throws -> Claim {
        try claim(key, by: login, session: nil, now: now)
    }

    @discardableResult
    public func welcome(_ login: String, by actor: String, now: Date) throws -> Int64? {
        try welcome(login, message: nil, by: actor, now: now)
    }

    public func setNoAnswerNeeded(_ topicId: Int64, by login: String, now: Date) throws {
        try setNoAnswerNeeded(topicId, true, by: login, now: now)
    }
}

extension HighlightStore {
    @discardableResult
    public func highlight(topic topicId: Int64, why: String, by login: String, now: Date) throws -> Int64 {
        try highlight(topic: topicId, post: nil, why: why, by: login, now: now)
    }

    public func highlights() throws -> [HighlightSummary] { try highlights(limit: 200) }
}

extension ProgramStore {
    @discardableResult
    public func setRules(_ text: String, by login: String, now: Date) throws -> Int {
        try setRules(text, expectedReturn: nil, by: login, now: now)
    }
}

extension SearchStore {
    public func search(_ query: String) throws -> [SearchHit] { try search(query, limit: 50, snippets: true) }
    public func search(_ query: String, limit: Int) throws -> [SearchHit] { try search(query, limit: limit, snippets: true) }
    public func search(_ query: String, snippets: Bool) throws -> [SearchHit] { try search(query, limit: 50, snippets: snippets) }
}
