import AgoraCore
import Foundation
import GRDB

/// Posts a person keeps for later (issue 14). Private, like read marks: writing one records no change and wakes
/// no other session. `topicId` is kept beside the post so an open thread finds its bookmarks by index.
enum BookmarkSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v12-bookmarks") { db in
            try db.execute(sql: """
            CREATE TABLE bookmark (
              login TEXT NOT NULL,
              postId INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
              topicId INTEGER NOT NULL,
              created DATETIME NOT NULL,
              PRIMARY KEY (login, postId)
            ) WITHOUT ROWID;
            CREATE INDEX bookmark_topic ON bookmark(login, topicId);
            """)
        }
    }
}

extension SQLiteStore {
    public func setBookmark(login: String, post postId: Int64, _ on: Bool, now: Date) throws {
        try write { db in
            guard on else {
                try db.execute(sql: "DELETE FROM bookmark WHERE login = ? AND postId = ?", arguments: [login, postId])
                return
            }
            let program = try requireProgram(db)
            guard let post = try Post.fetchOne(db, key: postId) else {
                throw AgoraError.notFound("post", "\(postId)", hint: "see 'agora show TOPIC'")
            }
            try Conversation.mayBookmark(post, me: try Peer.fetchOne(db, key: login), in: program)
            // Bookmarked again: it keeps its first date (and its place in the list).
            try db.execute(sql: "INSERT OR IGNORE INTO bookmark(login, postId, topicId, created) VALUES (?, ?, ?, ?)",
                           arguments: [login, postId, post.topicId, now.stored])
        }
    }

    public func bookmarks(login: String) throws -> [Bookmark] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.postId, b.topicId, b.created, t.title, p.author, COALESCE(a.name, p.author) AS authorName,
                       p.body, p.hidden, p.deleted
                FROM bookmark b JOIN post p ON p.id = b.postId JOIN topic t ON t.id = b.topicId
                LEFT JOIN peer a ON a.login = p.author
                WHERE b.login = ? ORDER BY b.created DESC, b.postId DESC
                """, arguments: [login]).map { r in
                let hidden: Bool = r["hidden"], deleted: Bool = r["deleted"]
                return Bookmark(postId: r["postId"], topicId: r["topicId"], topicTitle: r["title"], author: r["author"],
                                authorName: r["authorName"], body: hidden || deleted ? "" : r["body"], hidden: hidden,
                                deleted: deleted, created: try r.date(at: 2, "created"))
            }
        }
    }

    /// The reader's bookmarks in one topic (an open thread marks them).
    func bookmarked(_ db: Database, login: String, topic: Int64) throws -> [Int64] {
        try Int64.fetchAll(db.cachedStatement(sql: "SELECT postId FROM bookmark WHERE login = ? AND topicId = ? ORDER BY postId"),
                           arguments: [login, topic])
    }
}
