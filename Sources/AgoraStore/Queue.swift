import AgoraCore
import Foundation
import GRDB

extension Claim: FetchableRecord, PersistableRecord, StoredDates {
    public static let databaseTableName = "claim"
}

extension SQLiteStore {
    /// The champion queue as `login` sees it: champions and the leader see everything;
    /// a peer sees only their own open requests.
    public func queue(for login: String, now: Date) throws -> [QueueItem] {
        try read { db in
            let program = try requireProgram(db)
            return try queue(db, program, login: login, me: try Peer.fetchOne(db, key: login), now: now)
        }
    }

    public func queueCount(for login: String, now: Date) throws -> Int {
        try queue(for: login, now: now).count
    }

    /// A peer's own open requests: their topics' items, each from the moment it was posted (`ChampionQueue.forAuthor`).
    func queue(_ db: Database, _ program: Program, login: String, me: Peer?, now: Date) throws -> [QueueItem] {
        if Policy.allows(me, .viewQueue, in: program) { return try queueItems(db, program, now: now) }
        return try queueItems(db, ChampionQueue.forAuthor(program), now: now, author: login)
    }

    /// `author`: only that peer's topics, and no newcomers or flags (a peer's own requests).
    func queueItems(_ db: Database, _ p: Program, now: Date, author: String? = nil) throws -> [QueueItem] {
        let unansweredBefore = now.addingTimeInterval(-Double(p.unansweredHours) * 3600)
        let stalledBefore = now.addingTimeInterval(-Double(p.stalledDays) * 86400)
        // Each branch in the words of its partial index (v8-queue-indexes), so SQLite reads the index, not the table.
        let topics = try Self.topics(db.cachedStatement(sql: """
            SELECT \(Self.topicColumns) FROM topic WHERE id IN (
              SELECT id FROM topic WHERE answerCount = 0 AND noAnswerNeeded = 0 AND status != 'resolved' AND created <= ?1
              UNION ALL
              SELECT id FROM topic WHERE followUp IS NOT NULL AND status != 'resolved' AND followUp <= ?2
              UNION ALL
              SELECT id FROM topic WHERE kind = 'request' AND answerCount > 0 AND status != 'resolved' AND lastActivity <= ?3)
              AND (?4 IS NULL OR author = ?4)
            """), arguments: [unansweredBefore.stored, now.stored, stalledBefore.stored, author])
        let newcomers = author != nil ? [] : try Peer.filter(sql: "welcomedAt IS NULL AND left IS NULL").fetchAll(db)
        let flagRows = author != nil ? [] : try Row.fetchAll(db, sql: """
            SELECT flag.*, post.topicId AS topicId, topic.title AS title FROM flag
            JOIN post ON post.id = flag.postId JOIN topic ON topic.id = post.topicId
            WHERE flag.resolvedAt IS NULL
            """)
        let flags = try flagRows.map { r in (flag: try PostFlag(row: r), topicId: r["topicId"] as Int64, title: r["title"] as String) }
        // Lapsed leases and stale claims are left out by `ChampionQueue.build` (`isLive`).
        let claims = try Claim.fetchAll(db)
        var snoozed: [String: Date] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT itemKey, until FROM snooze") { snoozed[r["itemKey"]] = try r.optionalDate("until") }
        let alumni = Set(try String.fetchAll(db, sql: "SELECT login FROM peer WHERE left IS NOT NULL"))
        // Champions' words to the leader: not for a peer's own items.
        let escalations = author != nil ? [] : try Escalation.order(sql: "id").fetchAll(db)
        return ChampionQueue.build(QueueFacts(topics: topics, newcomers: newcomers, flags: flags, claims: claims,
                                              snoozedUntil: snoozed, alumni: alumni, escalations: escalations),
                                   program: p, now: now)
    }
}
