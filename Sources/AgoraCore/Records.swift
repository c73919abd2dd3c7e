import Foundation

/// What a peer is in the program. Decides, through `Policy`, what they may do.
public enum PeerRole: String, Codable, CaseIterable, Sendable, Comparable {
    case peer, champion, leader

    private var rank: Int { switch self { case .peer: 0; case .champion: 1; case .leader: 2 } }
    public static func < (a: PeerRole, b: PeerRole) -> Bool { a.rank < b.rank }
}

public enum TopicKind: String, Codable, CaseIterable, Sendable {
    case idea, concern, resource, request, discussion

    /// Kinds whose author is waiting for an answer (the champion queue watches these).
    public var expectsAnswer: Bool { self == .request || self == .concern }
}

public enum TopicStatus: String, Codable, CaseIterable, Sendable {
    case open, answered, resolved
}

/// The program itself: one row per database.
public struct Program: Codable, Equatable, Sendable {
    public var id: Int64 = 1
    public var name: String
    public var purpose: String
    public var goals: String
    /// Rules of engagement. Version 0 means "never set": nobody has to acknowledge anything.
    public var rulesText: String
    public var rulesVersion: Int
    /// The expected return on the time people give the program, stated with the rules.
    public var expectedReturn: String
    public var created: Date
    /// Queue thresholds (program settings).
    public var unansweredHours: Int
    public var welcomeHours: Int
    public var stalledDays: Int
    public var claimMinutes: Int

    public init(name: String, purpose: String = "", goals: String = "", created: Date) {
        self.name = name
        self.purpose = purpose
        self.goals = goals
        self.rulesText = ""
        self.rulesVersion = 0
        self.expectedReturn = ""
        self.created = created
        self.unansweredHours = 24
        self.welcomeHours = 48
        self.stalledDays = 7
        self.claimMinutes = 60
    }
}

/// The queue thresholds a leader sets (program settings): when an item enters the champion queue, and how long a
/// claim holds.
public struct ProgramSettings: Codable, Equatable, Sendable {
    public var unansweredHours: Int
    public var welcomeHours: Int
    public var stalledDays: Int
    public var claimMinutes: Int

    public init(unansweredHours: Int, welcomeHours: Int, stalledDays: Int, claimMinutes: Int) {
        self.unansweredHours = unansweredHours
        self.welcomeHours = welcomeHours
        self.stalledDays = stalledDays
        self.claimMinutes = claimMinutes
    }

    public init(_ p: Program) {
        self.init(unansweredHours: p.unansweredHours, welcomeHours: p.welcomeHours, stalledDays: p.stalledDays, claimMinutes: p.claimMinutes)
    }

    /// What each may be, for the error that names it.
    public static let ranges: [(field: String, range: ClosedRange<Int>, unit: String)] = [
        ("unanswered after", 1...720, "hours"), ("welcome within", 1...720, "hours"),
        ("stalled after", 1...365, "days"), ("a claim holds", 5...1440, "minutes"),
    ]

    public var values: [Int] { [unansweredHours, welcomeHours, stalledDays, claimMinutes] }

    /// These settings, or a one-line error naming the first value out of its range.
    public func validated() throws -> ProgramSettings {
        for (value, r) in zip(values, Self.ranges) where !r.range.contains(value) {
            throw AgoraError.invalid("\(r.field) is \(r.range.lowerBound) to \(r.range.upperBound) \(r.unit), not \(value)")
        }
        return self
    }
}

public struct Peer: Codable, Equatable, Sendable, Identifiable {
    public var id: String { login }
    public var login: String
    public var name: String
    public var unit: String
    public var region: String
    public var generation: String
    public var role: PeerRole
    /// What this peer wants to learn.
    public var goals: String
    /// What this peer can help with.
    public var offers: String
    public var bio: String
    public var joined: Date
    /// Set when the peer left: they become alumni and keep their history.
    public var left: Date?
    public var rulesAckVersion: Int
    public var welcomedBy: String?
    public var welcomedAt: Date?
    /// The peer's own choice: not counted among those here and not named as reading a topic (the daemon's presence).
    public var hidesPresence: Bool

    public init(login: String, name: String, unit: String = "", region: String = "", generation: String = "",
                role: PeerRole = .peer, goals: String = "", offers: String = "", bio: String = "",
                joined: Date, left: Date? = nil, rulesAckVersion: Int = 0,
                welcomedBy: String? = nil, welcomedAt: Date? = nil, hidesPresence: Bool = false) {
        self.login = login
        self.name = name
        self.unit = unit
        self.region = region
        self.generation = generation
        self.role = role
        self.goals = goals
        self.offers = offers
        self.bio = bio
        self.joined = joined
        self.left = left
        self.rulesAckVersion = rulesAckVersion
        self.welcomedBy = welcomedBy
        self.welcomedAt = welcomedAt
        self.hidesPresence = hidesPresence
    }

    public var isAlumni: Bool { left != nil }
}

public struct Topic: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64?
    public var kind: TopicKind
    public var title: String
    public var author: String
    public var status: TopicStatus
    public var created: Date
    public var lastActivity: Date
    /// Posts in the topic, the opening post included (denormalised: the topic list must not count 1M posts).
    public var postCount: Int
    /// Replies from anyone but the author (denormalised: "unanswered" is `answerCount == 0`).
    public var answerCount: Int
    public var lastPostId: Int64
    /// The author said no answer is needed: keeps the topic out of the champion queue.
    public var noAnswerNeeded: Bool
    public var followUp: Date?
    public var template: String?
    /// The reply its author (or a champion) marked as the answer.
    public var acceptedPostId: Int64?

    public init(id: Int64? = nil, kind: TopicKind, title: String, author: String, status: TopicStatus = .open,
                created: Date, lastActivity: Date? = nil, postCount: Int = 0, answerCount: Int = 0,
                lastPostId: Int64 = 0, noAnswerNeeded: Bool = false, followUp: Date? = nil, template: String? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.author = author
        self.status = status
        self.created = created
        self.lastActivity = lastActivity ?? created
        self.postCount = postCount
        self.answerCount = answerCount
        self.lastPostId = lastPostId
        self.noAnswerNeeded = noAnswerNeeded
        self.followUp = followUp
        self.template = template
    }

    public var isUnanswered: Bool { answerCount == 0 }
}

public struct Post: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64?
    public var topicId: Int64
    /// The post this one answers; nil for the opening post and for replies to the topic as a whole.
    public var parentId: Int64?
    public var author: String
    public var body: String
    public var created: Date
    public var edited: Date?
    /// Hidden by a champion after a flag: kept for the record, not shown.
    public var hidden: Bool
    /// Deleted by its author: the body is gone (its history keeps it for the leader), replies stay in place.
    public var deleted: Bool

    public init(id: Int64? = nil, topicId: Int64, parentId: Int64? = nil, author: String, body: String,
                created: Date, edited: Date? = nil, hidden: Bool = false, deleted: Bool = false) {
        self.deleted = deleted
        self.id = id
        self.topicId = topicId
        self.parentId = parentId
        self.author = author
        self.body = body
        self.created = created
        self.edited = edited
        self.hidden = hidden
    }
}

/// A post's text before an edit (or its deletion): the body as it was, and until when.
public struct PostRevision: Codable, Equatable, Sendable {
    public var postId: Int64
    public var body: String
    /// When this text was replaced.
    public var replaced: Date
    public var by: String
    public init(postId: Int64, body: String, replaced: Date, by: String) {
        self.postId = postId
        self.body = body
        self.replaced = replaced
        self.by = by
    }
}

/// How far a person has read a topic: everything up to `lastReadPostId`, and (as a mark to make) the posts `posts`
/// beyond it that they were shown. The store keeps those as rows of their own (`postRead`), not in this record.
public struct ReadState: Codable, Equatable, Sendable {
    public var login: String
    public var topicId: Int64
    public var lastReadPostId: Int64
    public var posts: [Int64]
    public init(login: String, topicId: Int64, lastReadPostId: Int64, posts: [Int64] = []) {
        self.login = login
        self.topicId = topicId
        self.lastReadPostId = lastReadPostId
        self.posts = posts
    }
}

public struct PostFlag: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64?
    public var postId: Int64
    public var by: String
    public var reason: String
    public var created: Date
    public var resolvedBy: String?
    public var resolvedAt: Date?
    public var resolution: String?
    public init(id: Int64? = nil, postId: Int64, by: String, reason: String, created: Date) {
        self.id = id
        self.postId = postId
        self.by = by
        self.reason = reason
        self.created = created
    }
}

public struct Highlight: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64?
    public var topicId: Int64
    public var postId: Int64?
    public var by: String
    /// What made the discussion valuable, in the highlighter's words.
    public var why: String
    public var created: Date
    public init(id: Int64? = nil, topicId: Int64, postId: Int64? = nil, by: String, why: String, created: Date) {
        self.id = id
        self.topicId = topicId
        self.postId = postId
        self.by = by
        self.why = why
        self.created = created
    }
}

public struct Testimonial: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64?
    public var by: String
    public var text: String
    /// The author agreed to share it beyond the program (only these are exported).
    public var shareable: Bool
    public var created: Date
    public init(id: Int64? = nil, by: String, text: String, shareable: Bool, created: Date) {
        self.id = id
        self.by = by
        self.text = text
        self.shareable = shareable
        self.created = created
    }
}

/// Unsent text, kept per peer and per place ("new", "topic:12", "topic:12/post:40").
public struct Draft: Codable, Equatable, Sendable {
    public var login: String
    public var scope: String
    public var kind: TopicKind?
    public var title: String
    public var tags: String
    public var body: String
    public var saved: Date
    public init(login: String, scope: String, kind: TopicKind? = nil, title: String = "", tags: String = "",
                body: String, saved: Date) {
        self.login = login
        self.scope = scope
        self.kind = kind
        self.title = title
        self.tags = tags
        self.body = body
        self.saved = saved
    }

    public static func scope(topic: Int64?, parent: Int64?) -> String {
        guard let topic else { return "new" }
        if let parent { return "topic:\(topic)/post:\(parent)" }
        return "topic:\(topic)"
    }
}

/// One line in the audit log: moderation, role and rules changes.
public struct AuditEvent: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64?
    public var at: Date
    public var actor: String
    public var action: String
    public var subject: String
    public var detail: String
    public init(id: Int64? = nil, at: Date, actor: String, action: String, subject: String, detail: String = "") {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}
