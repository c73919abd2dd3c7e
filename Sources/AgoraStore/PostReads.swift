import AgoraCore
import GRDB

/// Read state per post (issue 14). A topic's read mark (`readState.lastReadPostId`) still says "everything up to
/// here is read"; `postRead` holds the posts read beyond it, one row each: what the reader was shown of a thread it
/// did not read to the end (replies hang anywhere in the tree, so what a screen shows is not a run of ids).
///
/// The store keeps one rule after every write: the mark is as high as the rows allow (the posts right after it that
/// have rows are folded into it and their rows deleted). So a topic is read to the end exactly when its mark reaches
/// its last post, as before, and the counters' `fullTopics` stays right without knowing of the rows. `M` (a post
/// marked unread again) lowers the mark to just before that post and gives the posts after it that were read a row
/// each: at most the thread's length, once.
enum PostReadSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v10-post-reads") { db in
            try db.execute(sql: """
            CREATE TABLE postRead (
              login TEXT NOT NULL,
              topicId INTEGER NOT NULL,
              postId INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
              PRIMARY KEY (login, topicId, postId)
            ) WITHOUT ROWID;
            CREATE INDEX postRead_post ON postRead(postId);
            """)
            try createTriggers(db)
        }
    }

    static let triggers = ["tally_postread_ai", "tally_postread_ad"]

    /// Each row is one read post in the reader's figures (`readerTally.readPosts`).
    static func createTriggers(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TRIGGER tally_postread_ai AFTER INSERT ON postRead BEGIN
          INSERT OR IGNORE INTO readerTally(login, readPosts, fullTopics) VALUES (new.login, 0, 0);
          UPDATE readerTally SET readPosts = readPosts + 1 WHERE login = new.login;
        END;
        CREATE TRIGGER tally_postread_ad AFTER DELETE ON postRead BEGIN
          UPDATE readerTally SET readPosts = readPosts - 1 WHERE login = old.login;
        END;
        """)
    }
}

extension SQLiteStore {
    /// Applies one mark: the topic read up to `lastReadPostId` (never backwards) and the posts `posts` read, then
    /// folds the rows into the mark.
    func apply(_ db: Database, _ mark: ReadState) throws {
        let current = try readMark(db, login: mark.login, topic: mark.topicId)
        let high = max(current ?? 0, mark.lastReadPostId)
        if current == nil || high > current! {
            try db.cachedStatement(sql: """
                INSERT INTO readState(login, topicId, lastReadPostId) VALUES (?, ?, ?)
                ON CONFLICT(login, topicId) DO UPDATE SET lastReadPostId = max(lastReadPostId, excluded.lastReadPostId)
                """).execute(arguments: [mark.login, mark.topicId, high])
        }
        if !mark.posts.isEmpty {
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO postRead(login, topicId, postId) SELECT ?, topicId, id FROM post WHERE id = ? AND topicId = ?
                """)
            for p in Set(mark.posts) where p > high { try insert.execute(arguments: [mark.login, p, mark.topicId]) }
        }
        try fold(db, login: mark.login, topic: mark.topicId, from: high)
    }

    /// The reader's mark on a topic, nil when they never opened it.
    func readMark(_ db: Database, login: String, topic: Int64) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT lastReadPostId FROM readState WHERE login = ? AND topicId = ?"),
                           arguments: [login, topic])
    }

    /// Raises the mark over the posts right after it that have rows (and the rows at or below it go).
    func fold(_ db: Database, login: String, topic: Int64, from mark: Int64) throws {
        guard try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM postRead WHERE login = ? AND topicId = ? LIMIT 1"),
                               arguments: [login, topic]) != nil else { return }
        // The first post after the mark that is not read; everything before it is.
        let firstUnread = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT min(id) FROM post WHERE topicId = ? AND id > ?
              AND id NOT IN (SELECT postId FROM postRead WHERE login = ? AND topicId = ?)
            """), arguments: [topic, mark, login, topic])
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT lastPostId FROM topic WHERE id = ?"), arguments: [topic]) ?? mark
        let high = firstUnread.map { $0 - 1 } ?? max(mark, last)
        try db.cachedStatement(sql: "DELETE FROM postRead WHERE login = ? AND topicId = ? AND postId <= ?").execute(arguments: [login, topic, high])
        if high > mark {
            try db.cachedStatement(sql: "UPDATE readState SET lastReadPostId = ? WHERE login = ? AND topicId = ?")
                .execute(arguments: [high, login, topic])
        }
    }

    /// `M`: the post is unread again for `login` (the posts after it that were read stay read).
    public func markUnread(login: String, post postId: Int64) throws {
        try write { db in
            guard let topic = try Int64.fetchOne(db.cachedStatement(sql: "SELECT topicId FROM post WHERE id = ?"), arguments: [postId]) else {
                throw AgoraError.notFound("post", "\(postId)", hint: "see 'agora show TOPIC'")
            }
            guard let mark = try readMark(db, login: login, topic: topic) else { return }   // never read: unread already
            if postId > mark {
                try db.cachedStatement(sql: "DELETE FROM postRead WHERE login = ? AND topicId = ? AND postId = ?")
                    .execute(arguments: [login, topic, postId])
                return
            }
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO postRead(login, topicId, postId) SELECT ?, topicId, id FROM post WHERE topicId = ? AND id > ? AND id <= ?
                """).execute(arguments: [login, topic, postId, mark])
            try db.cachedStatement(sql: "UPDATE readState SET lastReadPostId = ? WHERE login = ? AND topicId = ?")
                .execute(arguments: [postId - 1, login, topic])
        }
    }

    /// The posts of `topic` read beyond the mark, for the reader's "new" marks.
    func readBeyondMark(_ db: Database, login: String, topic: Int64) throws -> [Int64] {
        try Int64.fetchAll(db.cachedStatement(sql: "SELECT postId FROM postRead WHERE login = ? AND topicId = ? ORDER BY postId"),
                           arguments: [login, topic])
    }
}
