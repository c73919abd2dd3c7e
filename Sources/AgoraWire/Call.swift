import AgoraCore
import Foundation

/// Every store operation as a value: what a client asks the daemon. One case per protocol requirement, with the
/// same arguments; the daemon decides which of them it believes (`Dispatcher`: the acting login, the time and
/// the session come from the connection, not from here, unless the caller is root).
public enum Call: Codable, Sendable {
    // ProgramStore
    case program
    case createProgram(name: String, purpose: String, leader: Peer, now: Date)
    case setRules(text: String, expectedReturn: String?, by: String, now: Date)
    case acknowledgeRules(by: String, now: Date)
    case templates
    case template(name: String)
    case saveTemplate(TopicTemplate, by: String, now: Date)
    case fillDemo(DemoProgram, me: Peer, now: Date)
    // MembershipStore
    case peer(String)
    case peers(PeerFilter)
    case leaders
    case addPeers([Peer], by: String, now: Date)
    case syncMembership(add: [Peer], rejoin: [String], leave: [String], by: String, now: Date)
    case updatePeer(Peer, by: String, now: Date)
    case peerLeave(String, by: String, now: Date)
    case peerRejoin(String, by: String, now: Date)
    case auditLog(limit: Int)
    case matches(subject: String, by: String, now: Date, limit: Int)
    // ConversationStore
    case post(kind: TopicKind, title: String, body: String, tags: [String], by: String, now: Date,
              template: String?, followUp: Date?, draftScope: String)
    case reply(topic: Int64, parent: Int64?, body: String, by: String, now: Date)
    case topics(TopicQuery, reader: String?)
    case topicSummaries([Int64], reader: String?)
    case thread(Int64, reader: String?)
    case threadTail(Int64, after: Int64, reader: String?)
    case threadOpening(Int64, reader: String?, window: ThreadWindow)
    case threadPosts(Int64, ids: [Int64], reader: String?)
    case setStatus(Int64, TopicStatus, by: String, now: Date)
    case home(login: String, now: Date, topicLimit: Int, includePeers: Bool, knownPeersVersion: Int64?)
    // ReadingStore
    /// Read up to `upTo`, and the posts `posts` beyond it (what a screen showed).
    case markRead(login: String, topic: Int64, upTo: Int64, posts: [Int64])
    case markUnread(login: String, post: Int64)
    case unreadCounts(login: String)
    case unreadTopicCount(login: String)
    case draft(login: String, scope: String)
    case drafts(login: String)
    case saveDraft(Draft)
    case deleteDraft(login: String, scope: String)
    // QueueStore
    case queue(login: String, now: Date)
    case queueCount(login: String, now: Date)
    case claim(String, by: String, session: String?, now: Date)
    case release(String, by: String, now: Date)
    case renewLeases(session: String, by: String, now: Date)
    case releaseSessionClaims(session: String, by: String, now: Date)
    case liveClaims(now: Date)
    case welcome(String, message: String?, by: String, now: Date)
    case flag(post: Int64, reason: String, by: String, now: Date)
    case resolveFlag(Int64, hide: Bool, reason: String, by: String, now: Date)
    case snooze(String, until: Date, by: String, now: Date)
    case escalate(String, note: String, by: String, now: Date)
    case openEscalations(now: Date)
    case setNoAnswerNeeded(Int64, Bool, by: String, now: Date)
    // HighlightStore
    case highlight(topic: Int64, post: Int64?, why: String, by: String, now: Date)
    case highlights(limit: Int)
    case addTestimonial(String, shareable: Bool, by: String, now: Date)
    case testimonials(login: String)
    // ReportStore
    case report(since: Date, by: String, now: Date)
    case tagTrends(by: String, now: Date)
    case export(by: String)
    // SearchStore
    case search(String, limit: Int, snippets: Bool)
    // ChangeLog
    case latestChange
    case changes(after: Int64, limit: Int)
    // The daemon itself (not store calls): `agora admin status`; a full-screen session saying where it is.
    case daemonStatus
    case present(topic: Int64?, hidden: Bool)
    // Added after the rest (wire version 6): ProgramStore.
    case updateSettings(ProgramSettings, by: String, now: Date)
    // NotificationStore (wire version 6).
    case notifications(for: String, unreadOnly: Bool, limit: Int)
    case unreadNotificationCount(for: String)
    case markNotificationsRead(for: String, ids: [Int64]?, now: Date)
    case setWatch(Int64, level: WatchLevel, by: String, now: Date)
    case watchLevel(Int64, for: String)
    case acceptAnswer(Int64, by: String, now: Date)
    case editPost(Int64, body: String, by: String, now: Date)
    case deletePost(Int64, by: String, now: Date)
    case postHistory(Int64, by: String)
    // Bookmarks (wire version 8): ReadingStore.
    case setBookmark(login: String, post: Int64, on: Bool, now: Date)
    case bookmarks(login: String)
    // Watching per tag (wire version 8): NotificationStore.
    case setTagWatch(String, level: WatchLevel, by: String, now: Date)
    case tagWatchLevel(String, for: String)

    /// The call changes the shared program (the daemon pushes the log after it). Private writes (read marks,
    /// drafts, lease renewals) are not: they record no change.
    public var changesProgram: Bool {
        switch self {
        case .createProgram, .setRules, .acknowledgeRules, .saveTemplate, .updateSettings, .acceptAnswer, .editPost, .deletePost, .fillDemo, .addPeers, .syncMembership,
             .updatePeer, .peerLeave, .peerRejoin, .post, .reply, .setStatus, .claim, .release,
             .releaseSessionClaims, .welcome, .flag, .resolveFlag, .snooze, .escalate, .setNoAnswerNeeded,
             .highlight, .addTestimonial:
            return true
        default:
            return false
        }
    }

    /// Writes are done one at a time by the daemon; reads run beside each other.
    public var writes: Bool {
        switch self {
        case .markRead, .markUnread, .saveDraft, .deleteDraft, .renewLeases, .markNotificationsRead, .setWatch, .setBookmark, .setTagWatch: return true
        default: return changesProgram
        }
    }

    /// A short name for logs (never the arguments: they are people's words).
    public var name: String {
        let mirror = Mirror(reflecting: self)
        return mirror.children.first?.label ?? "\(self)"
    }
}

/// What `agora admin status` shows of a running daemon.
public struct DaemonStatus: Codable, Equatable, Sendable {
    public var sessions: Int
    /// Distinct people among the sessions.
    public var people: Int
    public var uptimeSeconds: Double
    public var requestsServed: Int
    /// Over the last minute (or since the start, if sooner).
    public var requestsPerSecond: Double
    /// The database and its -wal file, in bytes.
    public var databaseBytes: Int64
    public var store: String
    public init(sessions: Int, people: Int, uptimeSeconds: Double, requestsServed: Int, requestsPerSecond: Double,
                databaseBytes: Int64, store: String) {
        self.sessions = sessions
        self.people = people
        self.uptimeSeconds = uptimeSeconds
        self.requestsServed = requestsServed
        self.requestsPerSecond = requestsPerSecond
        self.databaseBytes = databaseBytes
        self.store = store
    }
}

/// What `post` answers.
public struct PostedIDs: Codable, Equatable, Sendable {
    public var topic: Int64
    public var post: Int64
    public init(topic: Int64, post: Int64) {
        self.topic = topic
        self.post = post
    }
}

/// What `unreadCounts` answers.
public struct UnreadCounts: Codable, Equatable, Sendable {
    public var topics: Int
    public var posts: Int
    public init(topics: Int, posts: Int) {
        self.topics = topics
        self.posts = posts
    }
}
