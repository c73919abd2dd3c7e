import Foundation

/// What waits for a champion, and the rules that put it there.
public enum QueueItemKind: String, Codable, CaseIterable, Sendable {
    case unanswered, newcomer, flagged, stalled, followUp = "follow-up"
}

/// How long an item has waited: drawn with the queue.fresh / queue.due / queue.overdue roles.
public enum QueueAge: String, Codable, Sendable { case fresh, due, overdue }

public struct Claim: Codable, Equatable, Sendable {
    public var itemKey: String
    public var login: String
    public var claimedAt: Date
    public var lastActed: Date
    /// The session holding the claim (a TUI's, or a daemon client's); nil for a claim made from the command line,
    /// which lives as long as its holder keeps acting (`Program.claimMinutes`).
    public var session: String?
    /// A session's claim is a lease: it counts until this moment unless the session renews it. A session that
    /// dies (killed, host gone) stops renewing and its claims lapse by themselves, on any host.
    public var leaseUntil: Date?
    public init(itemKey: String, login: String, claimedAt: Date, lastActed: Date, session: String? = nil, leaseUntil: Date? = nil) {
        self.itemKey = itemKey
        self.login = login
        self.claimedAt = claimedAt
        self.lastActed = lastActed
        self.session = session
        self.leaseUntil = leaseUntil
    }
}

public struct QueueItem: Codable, Equatable, Sendable, Identifiable {
    public var id: String { key }
    public var kind: QueueItemKind
    /// Stable key: "topic:12", "peer:bob", "flag:3". Claims and snoozes refer to it.
    public var key: String
    public var title: String
    /// The topic it concerns, when there is one.
    public var topicId: Int64?
    /// The person concerned: the author waiting, the newcomer, the flagger.
    public var who: String
    /// When the item started waiting (queue order: oldest first).
    public var since: Date
    public var age: QueueAge
    public var claim: Claim?
    /// A flag's post and reason (`title` is then its topic's title; `flagLine` joins the two as the CLI prints them).
    public var postId: Int64? = nil
    public var reason: String? = nil
    /// What champions said passing the item to the leader, oldest first ("ana: needs a policy call").
    public var escalated: [String] = []

    /// The title with a flag's reason after it: "Topic — reason".
    public var titleWithReason: String { reason.map { "\(title) — \($0)" } ?? title }
}

/// The facts the queue rules read; the store fetches them, the rules stay pure and testable.
public struct QueueFacts: Sendable {
    public var topics: [Topic]
    public var newcomers: [Peer]
    public var flags: [(flag: PostFlag, topicId: Int64, title: String)]
    public var claims: [Claim]
    public var snoozedUntil: [String: Date]
    public var alumni: Set<String>
    /// Oldest first; notes on items no longer waiting are left out.
    public var escalations: [Escalation]
    public init(topics: [Topic], newcomers: [Peer], flags: [(flag: PostFlag, topicId: Int64, title: String)],
                claims: [Claim], snoozedUntil: [String: Date], alumni: Set<String>, escalations: [Escalation] = []) {
        self.escalations = escalations
        self.topics = topics
        self.newcomers = newcomers
        self.flags = flags
        self.claims = claims
        self.snoozedUntil = snoozedUntil
        self.alumni = alumni
    }
}

public enum ChampionQueue {
    /// A discussion "asks a question" when its title does.
    public static func expectsAnswer(_ t: Topic) -> Bool {
        t.kind.expectsAnswer || (t.kind == .discussion && t.title.contains("?"))
    }

    /// A topic that waits for its first answer: a request, a concern or a question, not settled, with no reply from
    /// anyone but its author. One rule for `topics --unanswered`, a peer's open requests, and (after the program's
    /// grace period) the champion queue.
    public static func awaitsAnswer(_ t: Topic) -> Bool {
        t.answerCount == 0 && !t.noAnswerNeeded && t.status != .resolved && expectsAnswer(t)
    }

    public static func isUnanswered(_ t: Topic, _ p: Program, now: Date) -> Bool {
        awaitsAnswer(t) && now.timeIntervalSince(t.created) >= Double(p.unansweredHours) * 3600
    }

    /// The program as an author's own open requests see it: a request waits from the moment it is posted (the
    /// grace period before the champions are asked is theirs, not the author's).
    public static func forAuthor(_ p: Program) -> Program {
        var p = p
        p.unansweredHours = 0
        return p
    }

    public static func isStalled(_ t: Topic, _ p: Program, now: Date) -> Bool {
        t.kind == .request && t.status != .resolved && t.answerCount > 0
            && now.timeIntervalSince(t.lastActivity) >= Double(p.stalledDays) * 86400
    }

    public static func isFollowUpDue(_ t: Topic, now: Date) -> Bool {
        guard let f = t.followUp else { return false }
        return t.status != .resolved && f <= now
    }

    /// A claim lapses after `claimMinutes` without its holder acting on the item.
    public static func isLive(_ c: Claim, _ p: Program, now: Date) -> Bool {
        now.timeIntervalSince(c.lastActed) < Double(p.claimMinutes) * 60 && (c.leaseUntil.map { $0 > now } ?? true)
    }

    /// How long a session's claim lease lasts without renewal, and how often a live session renews it.
    public static let leaseSeconds: TimeInterval = 300
    public static let leaseRenewSeconds: TimeInterval = 120

    /// Fresh for the first 12 hours in the queue, due until 48 hours, overdue after.
    public static func age(since: Date, now: Date) -> QueueAge {
        let h = now.timeIntervalSince(since) / 3600
        return h < 12 ? .fresh : (h < 48 ? .due : .overdue)
    }

    /// Builds the queue, oldest first. Newcomers wait from the moment they join: the welcome is due within
    /// `welcomeHours`; unanswered topics wait from the end of the `unansweredHours` grace period.
    public static func build(_ facts: QueueFacts, program p: Program, now: Date) -> [QueueItem] {
        var items: [QueueItem] = []
        func add(_ kind: QueueItemKind, _ key: String, _ title: String, _ topic: Int64?, _ who: String, _ since: Date,
                 post: Int64? = nil, reason: String? = nil) {
            if let until = facts.snoozedUntil[key], until > now { return }
            items.append(QueueItem(kind: kind, key: key, title: title, topicId: topic, who: who, since: since,
                                   age: age(since: since, now: now), claim: nil, postId: post, reason: reason))
        }
        for t in facts.topics where !facts.alumni.contains(t.author) {
            let key = "topic:\(t.id ?? 0)"
            if isUnanswered(t, p, now: now) {
                add(.unanswered, key, t.title, t.id, t.author, t.created.addingTimeInterval(Double(p.unansweredHours) * 3600))
            } else if isFollowUpDue(t, now: now) {
                add(.followUp, key, t.title, t.id, t.author, t.followUp!)
            } else if isStalled(t, p, now: now) {
                add(.stalled, key, t.title, t.id, t.author, t.lastActivity.addingTimeInterval(Double(p.stalledDays) * 86400))
            }
        }
        for peer in facts.newcomers where peer.welcomedAt == nil && !peer.isAlumni {
            add(.newcomer, "peer:\(peer.login)", "\(peer.name) joined", nil, peer.login, peer.joined)
        }
        for f in facts.flags where f.flag.resolvedAt == nil {
            add(.flagged, "flag:\(f.flag.id ?? 0)", f.title, f.topicId, f.flag.by, f.flag.created, post: f.flag.postId, reason: f.flag.reason)
        }
        let live = Dictionary(facts.claims.filter { isLive($0, p, now: now) }.map { ($0.itemKey, $0) }) { a, _ in a }
        let notes = Dictionary(grouping: facts.escalations, by: \.itemKey)
        for i in items.indices {
            items[i].claim = live[items[i].key]
            items[i].escalated = (notes[items[i].key] ?? []).map { "\($0.by): \($0.note)" }
        }
        return items.sorted { ($0.since, $0.key) < ($1.since, $1.key) }
    }
}

extension ChampionQueue {
    /// Checks an item key's shape: "topic:12", "peer:bob", "flag:3".
    public static func validItemKey(_ raw: String) throws -> String {
        let key = raw.trimmingCharacters(in: .whitespaces)
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        let ok = parts.count == 2 && !parts[1].isEmpty && (
            (parts[0] == "topic" || parts[0] == "flag") ? Int64(parts[1]) != nil : parts[0] == "peer")
        guard ok else {
            throw AgoraError.invalid("'\(Sanitizer.line(raw))' is not a queue item",
                                     hint: "items look like topic:12, peer:bob or flag:3; see 'agora queue'")
        }
        return key
    }
}
