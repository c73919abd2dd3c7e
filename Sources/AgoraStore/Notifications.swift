import AgoraCore
import Foundation
import GRDB

enum NotificationSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v9-notifications") { db in
            try db.execute(sql: """
            CREATE TABLE notification (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              login TEXT NOT NULL,
              kind TEXT NOT NULL,
              topicId INTEGER,
              postId INTEGER,
              actor TEXT NOT NULL,
              created TEXT NOT NULL,
              readAt TEXT
            );
            CREATE INDEX notification_inbox ON notification(login, id);
            CREATE INDEX notification_unread ON notification(login) WHERE readAt IS NULL;
            CREATE INDEX notification_post ON notification(postId);
            ALTER TABLE topic ADD COLUMN acceptedPostId INTEGER;
            CREATE TABLE watch (
              login TEXT NOT NULL,
              topicId INTEGER NOT NULL,
              level TEXT NOT NULL,
              PRIMARY KEY (login, topicId)
            ) WITHOUT ROWID;
            """)
        }
    }

    /// Levels per tag (after the bookmarks: migrations go in the order they shipped).
    static func registerTagWatch(_ m: inout DatabaseMigrator) {
        m.registerMigration("v13-tag-watch") { db in
            try db.execute(sql: """
            CREATE TABLE tagWatch (
              login TEXT NOT NULL,
              tag TEXT NOT NULL,
              level TEXT NOT NULL,
              PRIMARY KEY (login, tag)
            ) WITHOUT ROWID;
            CREATE INDEX tagWatch_tag ON tagWatch(tag);
            """)
        }
    }
}

extension SQLiteStore {
    /// Inside a post's write: tells the people `Notify.recipients` names, and wakes their sessions (a `notified`
    /// change names only the person, not what it is about).
    func notify(_ db: Database, post: Post, topic: Topic, isReply: Bool, now: Date) throws {
        let mentioned = Notify.mentions(in: post.body)
        var parentAuthor: String?
        if let parent = post.parentId {
            parentAuthor = try String.fetchOne(db.cachedStatement(sql: "SELECT author FROM post WHERE id = ?"), arguments: [parent])
        }
        let levels = try watchLevels(db, topic: topic)
        // Only the people who may hear: a member who has not left (and so can read the topic).
        var members: [String: Bool] = [:]
        for login in Set(mentioned + [parentAuthor, topic.author].compactMap { $0 } + levels.keys) {
            let left = try Row.fetchOne(db.cachedStatement(sql: "SELECT left FROM peer WHERE login = ?"), arguments: [login])
            members[login] = left.map { ($0["left"] as DatabaseValue).isNull } ?? false
        }
        let recipients = Notify.recipients(author: post.author, topicAuthor: topic.author, isReply: isReply,
                                           parentAuthor: parentAuthor, mentioned: mentioned, levels: levels,
                                           canBeNotified: { members[$0] ?? false })
        // A muted topic is always read for whoever muted it: it sinks out of their unread counts (the counters follow
        // the read marks), and never comes back bold.
        for (login, level) in levels where level == .muted && login != post.author {
            try markRead(db, login: login, topic: topic.id!, upTo: post.id!)
        }
        for r in recipients { try notifyOne(db, r.login, r.kind, by: post.author, topic: topic.id, post: post.id, now: now) }
    }

    /// The levels that count for `topic` (`Notify.levels`): those set on it, and on its tags.
    func watchLevels(_ db: Database, topic: Topic, login: String? = nil) throws -> [String: WatchLevel] {
        let only = login == nil ? "" : " AND login = ?"
        var own: [String: WatchLevel] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT login, level FROM watch WHERE topicId = ?" + only),
                                    arguments: StatementArguments([topic.id!] + [login].compactMap { $0 } as [DatabaseValueConvertible])) {
            if let l = WatchLevel(rawValue: row["level"]) { own[row["login"]] = l }
        }
        var tags: [(login: String, level: WatchLevel)] = []
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT w.login, w.level FROM topicTag t JOIN tagWatch w ON w.tag = t.tag WHERE t.topicId = ?\(login == nil ? "" : " AND w.login = ?")
            """), arguments: StatementArguments([topic.id!] + [login].compactMap { $0 } as [DatabaseValueConvertible])) {
            if let l = WatchLevel(rawValue: row["level"]) { tags.append((row["login"], l)) }
        }
        return Notify.levels(topicAuthor: topic.author, topic: own, tags: tags)
    }

    /// One person told of something that concerns them (never of their own doing): a post, a welcome, a champion's
    /// decision. Their session wakes for it.
    func notifyOne(_ db: Database, _ login: String, _ kind: NotificationKind, by actor: String, topic: Int64?, post: Int64?, now: Date) throws {
        guard login != actor else { return }
        try db.cachedStatement(sql: "INSERT INTO notification(login, kind, topicId, postId, actor, created) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [login, kind.rawValue, topic, post, actor, now.stored])
        try record(db, .notified, login: login)
    }

    public func acceptAnswer(_ postId: Int64, by login: String, now: Date) throws -> Bool {
        try write { db in
            let program = try requireProgram(db)
            guard let post = try Post.fetchOne(db, key: postId) else { throw AgoraError.notFound("post", "\(postId)", hint: "see 'agora show TOPIC'") }
            guard var topic = try Topic.fetchOne(db, key: post.topicId) else { throw AgoraError.notFound("topic", "\(post.topicId)") }
            let opening = try Int64.fetchOne(db, sql: "SELECT min(id) FROM post WHERE topicId = ?", arguments: [post.topicId])
            topic = try Conversation.accept(topic, post: post, isOpening: opening == postId, by: try Peer.fetchOne(db, key: login), in: program)
            try topic.update(db)
            let accepted = topic.acceptedPostId == postId
            try audit(db, now, login, accepted ? "topic.accept" : "topic.unaccept", "topic:\(post.topicId)", "post:\(postId)")
            try record(db, .topic, topic: post.topicId)
            if accepted { try notifyOne(db, post.author, .accepted, by: login, topic: post.topicId, post: postId, now: now) }
            return accepted
        }
    }

    /// My inbox, newest first.
    public func notifications(for login: String, unreadOnly: Bool, limit: Int) throws -> [NotificationItem] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT n.id, n.kind, n.topicId, n.postId, n.actor, n.created, n.readAt IS NOT NULL AS isRead,
                       COALESCE(t.title, '') AS title, COALESCE(p.name, n.actor) AS actorName
                FROM notification n LEFT JOIN topic t ON t.id = n.topicId LEFT JOIN peer p ON p.login = n.actor
                WHERE n.login = ? \(unreadOnly ? "AND n.readAt IS NULL" : "")
                ORDER BY n.id DESC LIMIT ?
                """, arguments: [login, limit]).map { r in
                NotificationItem(id: r["id"], kind: NotificationKind(rawValue: r["kind"]) ?? .mention, topicId: r["topicId"],
                                 postId: r["postId"], topicTitle: r["title"], actor: r["actor"], actorName: r["actorName"],
                                 created: Date(stored: r["created"] as DatabaseValue) ?? Date(timeIntervalSince1970: 0), read: r["isRead"])
            }
        }
    }

    public func unreadNotificationCount(for login: String) throws -> Int {
        try read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM notification WHERE login = ? AND readAt IS NULL"),
                             arguments: [login]) ?? 0
        }
    }

    /// Marks my notifications read: these (`ids`), or all of them (nil). Private, like a read mark: no change is logged.
    public func markNotificationsRead(for login: String, ids: [Int64]?, now: Date) throws {
        try write { db in
            if let ids {
                guard !ids.isEmpty else { return }
                try db.execute(sql: "UPDATE notification SET readAt = ? WHERE login = ? AND readAt IS NULL AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                               arguments: StatementArguments([now.stored, login] as [DatabaseValueConvertible]) + StatementArguments(ids))
            } else {
                try db.execute(sql: "UPDATE notification SET readAt = ? WHERE login = ? AND readAt IS NULL", arguments: [now.stored, login])
            }
        }
    }

    /// How much `topicId` tells `login` from now on.
    public func setWatch(_ topicId: Int64, level: WatchLevel, by login: String, now: Date) throws {
        try write { db in
            try authorize(db, login, .read)
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM topic WHERE id = ?", arguments: [topicId]) != nil else {
                throw AgoraError.notFound("topic", "\(topicId)", hint: "see 'agora topics'")
            }
            try db.execute(sql: "INSERT INTO watch(login, topicId, level) VALUES (?, ?, ?) ON CONFLICT(login, topicId) DO UPDATE SET level = excluded.level",
                           arguments: [login, topicId, level.rawValue])
            if level == .muted, let last = try Int64.fetchOne(db, sql: "SELECT lastPostId FROM topic WHERE id = ?", arguments: [topicId]) {
                try markRead(db, login: login, topic: topicId, upTo: last)
            }
        }
    }

    public func watchLevel(_ topicId: Int64, for login: String) throws -> WatchLevel {
        try read { db in
            guard let topic = try Topic.fetchOne(db, key: topicId) else { throw AgoraError.notFound("topic", "\(topicId)", hint: "see 'agora topics'") }
            return try watchLevels(db, topic: topic, login: login)[login] ?? Notify.defaultLevel(login, topicAuthor: topic.author)
        }
    }

    public func setTagWatch(_ tag: String, level: WatchLevel, by login: String, now: Date) throws {
        let tag = try Self.oneTag(tag)
        try write { db in
            try authorize(db, login, .read)
            try db.execute(sql: "INSERT INTO tagWatch(login, tag, level) VALUES (?, ?, ?) ON CONFLICT(login, tag) DO UPDATE SET level = excluded.level",
                           arguments: [login, tag, level.rawValue])
            guard level == .muted else { return }
            // Its topics sink out of my counts, as a muted topic does: those where the tag's level is what counts now.
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.* FROM topic t JOIN topicTag g ON g.topicId = t.id WHERE g.tag = ? AND t.author != ?
                  AND NOT EXISTS (SELECT 1 FROM watch w WHERE w.login = ? AND w.topicId = t.id)
                """, arguments: [tag, login, login])
            for row in rows {
                let topic = try Topic(row: row)
                if try watchLevels(db, topic: topic, login: login)[login] == .muted {
                    try markRead(db, login: login, topic: topic.id!, upTo: topic.lastPostId)
                }
            }
        }
    }

    public func tagWatchLevel(_ tag: String, for login: String) throws -> WatchLevel {
        let tag = try Self.oneTag(tag)
        return try read { db in
            try String.fetchOne(db, sql: "SELECT level FROM tagWatch WHERE login = ? AND tag = ?", arguments: [login, tag])
                .flatMap(WatchLevel.init(rawValue:)) ?? .normal
        }
    }

    /// `raw` as one tag, the way topics are tagged (`Limits.tags`).
    static func oneTag(_ raw: String) throws -> String {
        let tags = try Limits.tags([raw])
        guard tags.count == 1 else { throw AgoraError.invalid("give one tag (got \(tags.count))", hint: "for example --tag sql") }
        return tags[0]
    }
}
