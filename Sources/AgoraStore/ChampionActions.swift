import AgoraCore
import Foundation
import GRDB


/// What champions do with queue items. Each action is audited and settles the item's claim.
extension SQLiteStore {
    /// Marks a newcomer welcomed. With `message`, also starts a welcome topic (a discussion tagged
    /// "welcome") in the same transaction; returns its id.
    @discardableResult
    public func welcome(_ login: String, message: String? = nil, by actor: String, now: Date) throws -> Int64? {
        let body = try message.map(Limits.body)
        return try write { db in
            try authorize(db, actor, .welcome)
            var p = try requirePeer(db, login)
            if p.isAlumni { throw AgoraError("\(login) has left the program (alumni)") }
            if let by = p.welcomedBy, p.welcomedAt != nil {
                throw AgoraError("\(login) was already welcomed by \(by)", exitCode: 1)
            }
            p.welcomedAt = now
            p.welcomedBy = actor
            try p.update(db)
            try dropClaim(db, "peer:\(login)")
            try audit(db, now, actor, "welcome", login)
            try record(db, .peer, login: login)
            guard let body else {
                try notifyOne(db, login, .welcome, by: actor, topic: nil, post: nil, now: now)
                return nil
            }
            try Policy.authorize(try Peer.fetchOne(db, key: actor), .post, in: try requireProgram(db))
            let title = try Limits.title("Welcome, \(p.name)!")
            var topic = Topic(kind: .discussion, title: title, author: actor, created: now, postCount: 1, noAnswerNeeded: true)
            try topic.insert(db)
            var post = Post(topicId: topic.id!, author: actor, body: body, created: now)
            try post.insert(db)
            try db.execute(sql: "UPDATE topic SET lastPostId = ? WHERE id = ?", arguments: [post.id!, topic.id!])
            try db.execute(sql: "INSERT INTO topicTag(tag, topicId) VALUES ('welcome', ?)", arguments: [topic.id!])
            try markRead(db, login: actor, topic: topic.id!, upTo: post.id!)
            try record(db, .posted, topic: topic.id!, post: post.id!)
            try notifyOne(db, login, .welcome, by: actor, topic: topic.id!, post: post.id!, now: now)
            return topic.id!
        }
    }

    /// Flags a post for a champion to look at. Returns the flag id.
    @discardableResult
    public func flag(post postId: Int64, reason: String, by login: String, now: Date) throws -> Int64 {
        let reason = try Limits.shortText(reason, field: "reason")
        if reason.isEmpty { throw AgoraError.invalid("say why you flag the post", hint: "--reason TEXT") }
        return try write { db in
            try authorize(db, login, .flag)
            guard try Post.fetchOne(db, key: postId) != nil else {
                throw AgoraError.notFound("post", "\(postId)", hint: "post ids are shown in 'agora show TOPIC'")
            }
            if try Int.fetchOne(db, sql: "SELECT 1 FROM flag WHERE postId = ? AND by = ? AND resolvedAt IS NULL", arguments: [postId, login]) != nil {
                throw AgoraError("you have already flagged post \(postId); a champion will look at it")
            }
            var f = PostFlag(postId: postId, by: login, reason: reason, created: now)
            try f.insert(db)
            try audit(db, now, login, "flag", "post:\(postId)", reason)
            try record(db, .queue, post: postId)
            return f.id!
        }
    }

    /// Settles a flag: keep the post, or hide it (kept for the record, not shown). The reason is kept.
    public func resolveFlag(_ flagId: Int64, hide: Bool, reason: String, by login: String, now: Date) throws {
        let reason = try Limits.shortText(reason, field: "reason")
        if reason.isEmpty { throw AgoraError.invalid("give a reason for the decision", hint: "--reason TEXT") }
        try write { db in
            try authorize(db, login, .resolveFlag)
            guard var f = try PostFlag.fetchOne(db, key: flagId) else {
                throw AgoraError.notFound("flag", "\(flagId)", hint: "see 'agora queue'")
            }
            if f.resolvedAt != nil { throw AgoraError("flag \(flagId) was already resolved by \(f.resolvedBy ?? "someone")") }
            f.resolvedAt = now
            f.resolvedBy = login
            f.resolution = (hide ? "hidden: " : "kept: ") + reason
            try f.update(db)
            if hide {
                try db.execute(sql: "UPDATE post SET hidden = 1 WHERE id = ?", arguments: [f.postId])
                // What a hidden post said is nobody's news any more.
                try db.execute(sql: "DELETE FROM notification WHERE postId = ?", arguments: [f.postId])
                // Other open flags on the same post are settled by the same decision.
                try db.execute(sql: "UPDATE flag SET resolvedAt = ?, resolvedBy = ?, resolution = ? WHERE postId = ? AND resolvedAt IS NULL",
                               arguments: [now.stored, login, f.resolution, f.postId])
            }
            try dropClaim(db, "flag:\(flagId)")
            try audit(db, now, login, hide ? "flag.hide" : "flag.keep", "flag:\(flagId)", reason)
            let topicId = try Int64.fetchOne(db, sql: "SELECT topicId FROM post WHERE id = ?", arguments: [f.postId])
            // Whoever flagged it hears what was decided (a hidden post is not linked: it is not shown any more).
            try notifyOne(db, f.by, hide ? .flagHidden : .flagKept, by: login, topic: topicId, post: hide ? nil : f.postId, now: now)
            try record(db, hide ? .topic : .queue, topic: topicId, post: f.postId)
        }
    }

    /// Keeps an item out of the queue until `until`.
    public func snooze(_ rawKey: String, until: Date, by login: String, now: Date) throws {
        let key = try ChampionQueue.validItemKey(rawKey)
        guard RelativeAge.isPlannable(until, now: now) else {
            throw AgoraError.invalid("the snooze date \(RelativeAge.day(until)) is not in the next ten years")
        }
        try write { db in
            let (program, _) = try authorize(db, login, .snooze)
            guard try queueItems(db, program, now: now).contains(where: { $0.key == key }) else {
                throw AgoraError.notFound("item", "\(key) in the queue", hint: "see 'agora queue'")
            }
            try db.execute(sql: """
                INSERT INTO snooze(itemKey, until, by) VALUES (?, ?, ?)
                ON CONFLICT(itemKey) DO UPDATE SET until = excluded.until, by = excluded.by
                """, arguments: [key, until.stored, login])
            try dropClaim(db, key)
            try audit(db, now, login, "snooze", key, RelativeAge.iso(until))
            try record(db, .queue)
        }
    }

    /// Passes an item to the leader with a note. It stays in the queue; the leader sees the escalation.
    @discardableResult
    public func escalate(_ rawKey: String, note: String, by login: String, now: Date) throws -> Int64 {
        let key = try ChampionQueue.validItemKey(rawKey)
        let note = try Limits.shortText(note, field: "note")
        if note.isEmpty { throw AgoraError.invalid("say what the leader should know", hint: "--note TEXT") }
        return try write { db in
            let (program, _) = try authorize(db, login, .escalate)
            guard try queueItems(db, program, now: now).contains(where: { $0.key == key }) else {
                throw AgoraError.notFound("item", "\(key) in the queue", hint: "see 'agora queue'")
            }
            var e = Escalation(itemKey: key, by: login, note: note, created: now)
            try e.insert(db)
            try touchClaim(db, key, by: login, now: now)
            try audit(db, now, login, "escalate", key, note)
            try record(db, .queue)
            return e.id!
        }
    }

    /// Escalations whose item still waits in the queue, oldest first.
    public func openEscalations(now: Date) throws -> [Escalation] {
        try read { db in
            let program = try requireProgram(db)
            let waiting = Set(try queueItems(db, program, now: now).map(\.key))
            return try Escalation.order(sql: "id").fetchAll(db).filter { waiting.contains($0.itemKey) }
        }
    }

    /// The topic's author says no answer is needed (or stops saying so): it leaves the unanswered queue.
    public func setNoAnswerNeeded(_ topicId: Int64, _ value: Bool = true, by login: String, now: Date) throws {
        try write { db in
            let program = try requireProgram(db)
            guard var topic = try Topic.fetchOne(db, key: topicId) else { throw AgoraError.notFound("topic", "\(topicId)") }
            let me = try Peer.fetchOne(db, key: login)
            if me?.login == topic.author {
                try Policy.authorize(me, .post, in: program)
            } else {
                try Policy.authorize(me, .markResolved, in: program)
            }
            topic.noAnswerNeeded = value
            try topic.update(db)
            if value { try dropClaim(db, "topic:\(topicId)") }
            try audit(db, now, login, value ? "topic.no-answer-needed" : "topic.answer-needed", "topic:\(topicId)")
            try record(db, .topic, topic: topicId)
        }
    }
}

extension Escalation: FetchableRecord, MutablePersistableRecord, StoredDates {
    public static let databaseTableName = "escalation"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
