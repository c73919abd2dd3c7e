import Foundation

/// Why a person hears of something: the inbox says which.
public enum NotificationKind: String, Codable, CaseIterable, Sendable {
    /// `@login` in a post.
    case mention
    /// A reply to one of your posts.
    case replyToPost
    /// A reply in a topic you started.
    case reply
    /// A new post in a topic you watch.
    case watched
    /// A champion welcomed you.
    case welcome
    /// A champion kept the post you flagged.
    case flagKept
    /// A champion hid the post you flagged.
    case flagHidden
    /// A champion took your request on.
    case claimed
    /// Your reply was marked as the answer.
    case accepted

    public var label: String {
        switch self {
        case .mention: "mentioned you"
        case .replyToPost: "replied to you"
        case .reply: "replied in your topic"
        case .watched: "posted in a topic you watch"
        case .welcome: "welcomed you"
        case .flagKept: "kept the post you flagged"
        case .flagHidden: "hid the post you flagged"
        case .claimed: "is looking after your request"
        case .accepted: "marked your reply as the answer"
        }
    }
}

/// How much a topic tells a person: every post, what concerns them, or nothing.
public enum WatchLevel: String, Codable, CaseIterable, Sendable {
    case watching, normal, muted
}

/// One line of a person's inbox. Only its owner ever reads it.
public struct NotificationItem: Codable, Equatable, Sendable {
    public var id: Int64
    public var kind: NotificationKind
    /// The topic and post it is about (nil for a welcome with no topic of its own).
    public var topicId: Int64?
    public var postId: Int64?
    public var topicTitle: String
    public var actor: String
    public var actorName: String
    public var created: Date
    public var read: Bool

    public init(id: Int64, kind: NotificationKind, topicId: Int64?, postId: Int64?, topicTitle: String, actor: String,
                actorName: String, created: Date, read: Bool) {
        self.id = id
        self.kind = kind
        self.topicId = topicId
        self.postId = postId
        self.topicTitle = topicTitle
        self.actor = actor
        self.actorName = actorName
        self.created = created
        self.read = read
    }
}

/// Who a new post notifies, and why: one rule for every backend.
public enum Notify {
    /// The logins `@mentioned` in `body`, in order, each once. A mention is `@` at the start or after a character that
    /// cannot be in a login (so `ana@example.org` mentions nobody), followed by a valid login; a trailing `.` or `-`
    /// ends the sentence, not the login.
    public static func mentions(in body: String) -> [String] {
        var out: [String] = []
        let scalars = Array(body.unicodeScalars)
        func loginChar(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-" || c == "."
        }
        var i = 0
        while i < scalars.count {
            defer { i += 1 }
            guard scalars[i] == "@", i == 0 || !loginChar(scalars[i - 1]) && scalars[i - 1] != "@" else { continue }
            var j = i + 1
            while j < scalars.count, loginChar(scalars[j]) { j += 1 }
            var end = j
            while end > i + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }
            guard end > i + 1 else { continue }
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[(i + 1)..<end])
            let login = String(s)
            if (try? Limits.login(login)) != nil, !out.contains(login) { out.append(login) }
            i = j - 1
        }
        return out
    }

    /// A topic's level for someone who never set one: its author watches it, everyone else hears what concerns them.
    public static func defaultLevel(_ login: String, topicAuthor: String) -> WatchLevel {
        login == topicAuthor ? .watching : .normal
    }

    /// How much a topic tells someone: the level they set on the topic itself; else, for its author, watching (their
    /// own topics start so, whatever their tags); else the strongest level they set on one of its tags (watching before
    /// normal before muted: watching #sql and muting #offtopic, a topic tagged both is watched); else normal.
    public static func level(_ login: String, topicAuthor: String, topicLevel: WatchLevel?, tagLevels: [WatchLevel]) -> WatchLevel {
        if let topicLevel { return topicLevel }
        if login == topicAuthor { return .watching }
        if tagLevels.contains(.watching) { return .watching }
        if tagLevels.contains(.normal) || tagLevels.isEmpty { return .normal }
        return .muted
    }

    /// `level` for everyone who set one on the topic (`topic`) or on one of its tags (`tags`, a row per person and tag).
    public static func levels(topicAuthor: String, topic: [String: WatchLevel], tags: [(login: String, level: WatchLevel)]) -> [String: WatchLevel] {
        var byTag: [String: [WatchLevel]] = [:]
        for t in tags { byTag[t.login, default: []].append(t.level) }
        var out: [String: WatchLevel] = [:]
        for login in Set(topic.keys).union(byTag.keys) {
            out[login] = level(login, topicAuthor: topicAuthor, topicLevel: topic[login], tagLevels: byTag[login] ?? [])
        }
        return out
    }

    /// The people a post notifies, each once with the strongest reason (a mention before a reply to your post, before
    /// a reply in your topic, before a watched topic). Never its author; nobody whose level for the topic is muted;
    /// a mention only of someone `canBeNotified` says may hear (a member who has not left).
    /// `levels`: the watch levels that count for this topic (`levels(topicAuthor:topic:tags:)`); a topic's author
    /// watches it unless they said otherwise.
    public static func recipients(author: String, topicAuthor: String, isReply: Bool, parentAuthor: String?, mentioned: [String],
                                  levels: [String: WatchLevel], canBeNotified: (String) -> Bool) -> [(login: String, kind: NotificationKind)] {
        func level(_ login: String) -> WatchLevel { levels[login] ?? defaultLevel(login, topicAuthor: topicAuthor) }
        var out: [(String, NotificationKind)] = []
        var seen: Set<String> = [author]
        func add(_ login: String, _ kind: NotificationKind) {
            guard !seen.contains(login), level(login) != .muted, canBeNotified(login) else { return }
            seen.insert(login)
            out.append((login, kind))
        }
        for login in mentioned { add(login, .mention) }
        if isReply, let parentAuthor { add(parentAuthor, .replyToPost) }
        if isReply { add(topicAuthor, .reply) }
        for (login, l) in levels.sorted(by: { $0.key < $1.key }) where l == .watching { add(login, .watched) }
        return out
    }
}
