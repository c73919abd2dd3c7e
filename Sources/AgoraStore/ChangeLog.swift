import AgoraCore
import Foundation
import GRDB

/// The change log (migration "v5-changes"): one row per change that other sessions must hear of, written by
/// `record` inside the writing transaction, read by position. Rows older than the newest `keep` are pruned as
/// writes go; a session that was away longer than that reloads everything (`ChangeBatch.complete == false`).
enum ChangeLogSchema {
    static let keep: Int64 = 20_000

    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v5-changes") { db in
            try db.execute(sql: """
            CREATE TABLE changeLog (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              kind TEXT NOT NULL, topicId INTEGER, postId INTEGER, login TEXT, origin TEXT NOT NULL
            );
            ALTER TABLE claim ADD COLUMN session TEXT;
            ALTER TABLE claim ADD COLUMN leaseUntil DATETIME;
            CREATE INDEX claim_lease_session ON claim(session);
            """)
        }
    }
}

extension SQLiteStore: ChangeLog {
    /// Appends a change to the log in the current write transaction. Every 1,000th row prunes the old ones.
    func record(_ db: Database, _ kind: Change.Kind, topic: Int64? = nil, post: Int64? = nil, login: String? = nil) throws {
        // Cached, as every hot write's statements: compiling one costs more than running it (SQLite's parser, and
        // GRDB's authorizer walking every column the triggers touch).
        try db.cachedStatement(sql: "INSERT INTO changeLog(kind, topicId, postId, login, origin) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [kind.rawValue, topic, post, login, writingOrigin ?? origin])
        let id = db.lastInsertedRowID
        if id % 1000 == 0 {
            try db.execute(sql: "DELETE FROM changeLog WHERE id <= ?", arguments: [id - ChangeLogSchema.keep])
        }
    }

    public func latestChange() throws -> Int64 {
        try lookUp { db in try Self.latestChange(db) }
    }

    /// The log's reads run outside a transaction: they are single statements (or one statement and a counter that
    /// only grows), and every session runs them at every look, where GRDB's transaction and isolation checks were
    /// most of the cost.
    func lookUp<T>(_ body: (Database) throws -> T) throws -> T {
        guard let pool = writer as? DatabasePool else { return try read(body) }
        do { return try pool.unsafeRead(body) } catch let e as DatabaseError { throw Self.translate(e, path: path) }
    }

    static func latestChange(_ db: Database) throws -> Int64 {
        // sqlite_sequence keeps the last id even after pruning or when the log is empty.
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'changeLog'")) ?? 0
    }

    public func changes(after position: Int64, limit: Int) throws -> ChangeBatch {
        try lookUp { db in
            // The newest id first, then the rows: outside a transaction a commit may land between the two, and then
            // the rows simply reach further than `latest` (never the other way round, which would look like a gap).
            let latest = try Self.latestChange(db)
            // Cached: every session runs it at every look.
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, kind, topicId, postId, login, origin FROM changeLog WHERE id > ? ORDER BY id LIMIT ?
                """), arguments: [position, limit + 1])
            var changes: [Change] = []
            changes.reserveCapacity(min(rows.count, limit))
            for r in rows.prefix(limit) {
                // An unknown kind (written by a newer agora) cannot be scoped: treat it as "everything".
                let kind = Change.Kind(rawValue: r[1]) ?? .program
                changes.append(Change(id: r[0], kind: kind, topicId: r[2], postId: r[3], login: r[4], origin: r[5]))
            }
            if latest < position {
                // The log is behind us (the file was replaced by a backup): start again from its end.
                return ChangeBatch(changes: [], position: latest, complete: false)
            }
            // Pruned past our position: the first row we get is not the one right after it.
            let gap = latest > position && (changes.first.map { $0.id != position + 1 } ?? true)
            let position = changes.last?.id ?? max(position, latest)
            return ChangeBatch(changes: changes, position: position, complete: !gap && rows.count <= limit)
        }
    }
}
