import Foundation

/// What one write changed, as other sessions need to hear it. Written in the same transaction as the change, so
/// a change is in the log exactly when it is in the program. Private writes (drafts, read marks) write none.
public struct Change: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// A new post in `topicId` (`postId`); the first post of a new topic too.
        case posted
        /// `topicId`'s own row changed: status, claim, flags, follow-up, a hidden post.
        case topic
        /// `login`'s profile, role or membership changed (joined, left, welcomed).
        case peer
        /// The champion queue changed in a way no topic or peer change says (claims, snoozes, escalations).
        case queue
        /// Program settings, rules, templates, or a bulk change (the demo): reload everything.
        case program
        /// Highlights or testimonials.
        case highlight
        /// `login` has something new in their inbox (nothing else is said: the inbox is theirs alone).
        case notified
    }

    /// Position in the log: increasing in commit order.
    public var id: Int64
    public var kind: Kind
    public var topicId: Int64?
    public var postId: Int64?
    public var login: String?
    /// The store connection (session) that made it: a session skips its own, it has already shown them.
    public var origin: String
    /// What a `posted` change brought, when the daemon pushes it: sessions show the post without asking for it.
    /// The log itself never holds it (nil from `changes(after:)`).
    public var news: PostNews?

    public init(id: Int64 = 0, kind: Kind, topicId: Int64? = nil, postId: Int64? = nil, login: String? = nil, origin: String = "",
                news: PostNews? = nil) {
        self.id = id
        self.kind = kind
        self.topicId = topicId
        self.postId = postId
        self.login = login
        self.origin = origin
        self.news = news
    }
}

/// A new post as every session shows it: the post, its author's card and its topic's row just after it. The
/// daemon reads it once per write and pushes it to all sessions, instead of each session asking for the row and
/// the thread's tail (two requests per session per reply: most of what a foreign post cost, issue 11).
/// Only what every member may read goes in (posts are program-wide; private spaces must not ride here).
public struct PostNews: Codable, Equatable, Sendable {
    /// The topic's row for nobody in particular (`unread` false: each session decides for its person).
    public var summary: TopicSummary
    public var post: Post
    /// The author as `ThreadView.peers` holds them (nil for a login no longer in the directory).
    public var author: Peer?
    public init(summary: TopicSummary, post: Post, author: Peer?) {
        self.summary = summary
        self.post = post
        self.author = author
    }
}

/// The changes after a position. `complete == false`: the log no longer reaches back that far (it is pruned)
/// or more changes are waiting than were returned in one go: the reader reloads everything from `position`.
public struct ChangeBatch: Codable, Equatable, Sendable {
    public var changes: [Change]
    /// Where the reader is after this batch.
    public var position: Int64
    public var complete: Bool
    public init(changes: [Change], position: Int64, complete: Bool) {
        self.changes = changes
        self.position = position
        self.complete = complete
    }
}

/// The program's change log, read by position. Sessions remember the last position they saw and ask what came
/// after, so a change can never be missed because of another write (there is no "before/after" token to race).
public protocol ChangeLog: AnyObject {
    /// This connection's name in `Change.origin`.
    var origin: String { get }
    /// The newest position: where a session that has just loaded everything starts.
    func latestChange() throws -> Int64
    /// The changes after `position`, oldest first, at most `limit`.
    func changes(after position: Int64, limit: Int) throws -> ChangeBatch
    /// Runs `body` with the changes it writes stamped `origin` instead of this connection's: the daemon writes
    /// for many sessions through one store, and each must know its own changes when they come back.
    func stamping<T>(origin: String, _ body: () throws -> T) rethrows -> T
}

/// What a batch of foreign changes means for a screen: what to read again. Pure, so every client (the TUI, the
/// daemon's push) scopes the same way.
public struct ChangeScope: Equatable, Sendable {
    /// Topics whose summary to read again (new posts, status, claims).
    public var topics: Set<Int64> = []
    /// Topics with new posts (an open thread among them is read again).
    public var postedTopics: Set<Int64> = []
    /// Topics one of whose posts changed in place (hidden): an open thread among them is read again whole.
    public var revisedTopics: Set<Int64> = []
    public var peers = false
    public var queue = false
    public var highlights = false
    /// People with something new in their inbox (not in `isEmpty`: only the person's own session acts on it).
    public var notified: Set<String> = []
    /// Reload everything (the program changed, or the log could not say what changed).
    public var everything = false

    public init() {}

    /// A new post in `topicId`, as one change would say.
    public init(posted topicId: Int64) {
        topics = [topicId]
        postedTopics = [topicId]
    }

    public var isEmpty: Bool {
        topics.isEmpty && postedTopics.isEmpty && !peers && !queue && !highlights && !everything
    }

    /// The scope of `batch`, leaving out what `origin` (this session) did itself.
    public init(_ batch: ChangeBatch, skippingOrigin origin: String) {
        if !batch.complete { everything = true }
        for c in batch.changes where c.origin != origin {
            switch c.kind {
            case .posted:
                if let t = c.topicId { topics.insert(t); postedTopics.insert(t) }
            case .topic:
                if let t = c.topicId {
                    topics.insert(t)
                    if c.postId != nil { revisedTopics.insert(t) }
                }
                queue = true
            case .peer:
                peers = true
                queue = true
            case .queue:
                queue = true
            case .program:
                everything = true
            case .highlight:
                highlights = true
            case .notified:
                if let login = c.login { notified.insert(login) }
            }
        }
    }
}

/// How a session hears that the log may have news, without asking while nothing happens (zero wakeups idle).
/// SQLite: inotify on the database's directory; the daemon: its socket. The loop polls `descriptor`, calls
/// `readable` when it is, and `due` once `deadline` has passed; `due` true means: read the log now.
public protocol ChangeSignal: AnyObject {
    /// A descriptor to poll for reading, or -1.
    var descriptor: Int32 { get }
    /// When to call `due` next; nil: not until the descriptor is readable.
    var deadline: Date? { get }
    func readable(now: Date)
    func due(now: Date) -> Bool
    /// Something the person should know about the connection ("reconnecting…"), nil when all is well.
    var status: String? { get }
}

extension ChangeSignal {
    public var status: String? { nil }
}

/// For a store nobody else writes (a program in memory): never any news.
public final class NoChangeSignal: ChangeSignal {
    public init() {}
    public var descriptor: Int32 { -1 }
    public var deadline: Date? { nil }
    public func readable(now: Date) {}
    public func due(now: Date) -> Bool { false }
}

/// Who else is here, as the daemon sees it: the members with a full-screen session open (those who hide their
/// presence not counted, but always the one asking), and who else has the asker's topic open.
public struct Presence: Codable, Equatable, Sendable {
    public var here: Int
    /// The topic the asker said it has open, and who else has it open: logins, sorted, never the asker.
    public var topic: Int64?
    public var alsoReading: [String]
    public init(here: Int, topic: Int64? = nil, alsoReading: [String] = []) {
        self.here = here
        self.topic = topic
        self.alsoReading = alsoReading
    }
}

/// A store that knows who is connected (the daemon's client). A program opened in-process has no presence.
public protocol PresenceChannel: AnyObject {
    /// Says that this session is open on `topic` (nil: no topic), shown to others unless `hidden`.
    func announce(topic: Int64?, hidden: Bool) throws
    /// What the daemon last said, once: nil when nothing new came since the last call.
    func takePresence() -> Presence?
}
