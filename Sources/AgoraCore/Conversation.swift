import Foundation

/// The rules of a conversation that every store must apply the same way; the store persists what they decide.
public enum Conversation {
    /// What a reply does: the topic's counters and status, the drafts it settles, the claim it keeps alive.
    public struct ReplyOutcome: Equatable, Sendable {
        public var topic: Topic
        /// Acting on a claimed item keeps the claim alive (the replier's own claim only).
        public var touchedClaim: String?

        /// The drafts a sent reply settles: the one for the place replied to and the topic's own.
        public func settledDrafts(parent: Int64?) -> [String] {
            Conversation.settledDrafts(topic: topic.id, parent: parent)
        }
    }

    /// The drafts a reply to `topic` (under `parent`) settles: the topic's own and the place's.
    public static func settledDrafts(topic: Int64?, parent: Int64?) -> [String] {
        let topicScope = Draft.scope(topic: topic, parent: nil)
        let placeScope = Draft.scope(topic: topic, parent: parent)
        return topicScope == placeScope ? [topicScope] : [topicScope, placeScope]
    }

    /// A reply by `login` to `topic` became post `postId`: one more post, newest activity now, and a reply by
    /// anyone but the author answers the topic (an open topic becomes answered; resolved stays resolved).
    public static func reply(to topic: Topic, postId: Int64, by login: String, now: Date) -> ReplyOutcome {
        var t = topic
        t.postCount += 1
        t.lastActivity = now
        t.lastPostId = postId
        if login != t.author {
            t.answerCount += 1
            if t.status == .open { t.status = .answered }
        }
        return ReplyOutcome(topic: t, touchedClaim: t.id.map { "topic:\($0)" })
    }

    /// A new topic's row: one post, newest activity now. A topic from a template comes back to the queue after the
    /// template's follow-up days unless a date is given; a follow-up must fall within the next ten years.
    public static func newTopic(kind: TopicKind, title: String, by login: String, now: Date, template: TopicTemplate?,
                                followUp: Date?) throws -> Topic {
        var followUp = followUp
        if followUp == nil, let days = template?.followUpDays { followUp = now.addingTimeInterval(Double(days) * 86400) }
        if let f = followUp, !RelativeAge.isPlannable(f, now: now) {
            throw AgoraError.invalid("the follow-up date \(RelativeAge.day(f)) is not in the next ten years")
        }
        return Topic(kind: kind, title: title, author: login, created: now, postCount: 1, followUp: followUp, template: template?.name)
    }

    /// Editing or deleting a post: its author only, a member who has not left; not a post a champion hid (the flag's
    /// decision stands), not one already deleted. Returns the post as it becomes; the old text goes to its history.
    public static func revise(_ post: Post, body: String?, by me: Peer?, in program: Program, now: Date) throws -> Post {
        try Policy.authorize(me, .reply, in: program)
        guard me?.login == post.author else {
            throw AgoraError.denied("only its author can \(body == nil ? "delete" : "edit") post \(post.id ?? 0)")
        }
        guard !post.deleted else { throw AgoraError.invalid("post \(post.id ?? 0) was deleted") }
        guard !post.hidden else { throw AgoraError.invalid("post \(post.id ?? 0) was hidden by a champion; it cannot be changed") }
        var p = post
        if let body {
            let text = try Limits.body(body)
            guard text != post.body else { throw AgoraError.invalid("the text is the same as before; nothing to change") }
            p.body = text
        } else {
            p.body = ""
            p.deleted = true
        }
        p.edited = now
        return p
    }

    /// Who may read a post's earlier texts: anyone who can read the program, while the post stands; once its author
    /// deleted it, the leader only (what someone took back is not for everyone).
    public static func mayReadHistory(of post: Post, me: Peer?, in program: Program) throws {
        try Policy.authorize(me, post.deleted ? .readDeletedPosts : .read, in: program)
    }

    /// What may be bookmarked: a post one can read, while it stands (a hidden or deleted post says nothing to
    /// keep). Letting a bookmark go is always allowed.
    public static func mayBookmark(_ post: Post, me: Peer?, in program: Program) throws {
        try Policy.authorize(me, .read, in: program)
        let id = post.id ?? 0
        guard !post.deleted else { throw AgoraError.invalid("post \(id) was deleted by its author: nothing to keep") }
        guard !post.hidden else { throw AgoraError.invalid("post \(id) is hidden by a champion: nothing to keep") }
    }

    /// Marking a reply as the topic's answer, or (the same post again) taking the mark back: the topic's author or a
    /// champion; a reply, not the opening post, not a hidden one. An open topic becomes answered.
    public static func accept(_ topic: Topic, post: Post, isOpening: Bool, by me: Peer?, in program: Program) throws -> Topic {
        if me?.login != topic.author || me?.isAlumni == true {
            try Policy.authorize(me, .markResolved, in: program)
        }
        guard post.topicId == topic.id else { throw AgoraError.notFound("post", "\(post.id ?? 0) in topic \(topic.id ?? 0)") }
        guard !isOpening else { throw AgoraError.invalid("the opening post asks; a reply answers", hint: "choose a reply in the thread") }
        guard !post.hidden else { throw AgoraError.invalid("post \(post.id ?? 0) is hidden; it cannot be the answer") }
        var t = topic
        if t.acceptedPostId == post.id {
            t.acceptedPostId = nil
        } else {
            t.acceptedPostId = post.id
            if t.status == .open { t.status = .answered }
        }
        return t
    }

    /// What setting a status does: the author may settle their own topic, anyone else needs a champion's right;
    /// whatever claim a champion held on the topic is settled with it.
    public static func setStatus(_ topic: Topic, _ status: TopicStatus, by me: Peer?, in program: Program) throws
        -> (topic: Topic, settledClaim: String) {
        if me?.login != topic.author || me?.isAlumni == true {
            try Policy.authorize(me, .markResolved, in: program)
        }
        var t = topic
        t.status = status
        return (t, "topic:\(topic.id ?? 0)")
    }
}
