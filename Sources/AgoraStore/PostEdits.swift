import AgoraCore
import Foundation
import GRDB

/// Edits and deletions of one's own posts (issue 14): the post keeps its place and id, its earlier texts go to
/// `postRevision`. `Conversation.revise` decides; this persists.
enum PostEditSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v11-post-edits") { db in
            try db.execute(sql: """
            ALTER TABLE post ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT 0;
            CREATE TABLE postRevision (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              postId INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
              body TEXT NOT NULL,
              replaced TEXT NOT NULL,
              "by" TEXT NOT NULL
            );
            CREATE INDEX postRevision_post ON postRevision(postId, id);
            """)
        }
    }
}

extension SQLiteStore {
    /// `body` nil deletes the post. Everyone's open thread is read again (a post changed in place, as when hidden).
    func revise(_ postId: Int64, body: String?, by login: String, now: Date) throws {
        try write { db in
            let program = try requireProgram(db)
            guard let post = try Post.fetchOne(db, key: postId) else {
                throw AgoraError.notFound("post", "\(postId)", hint: "see 'agora show TOPIC'")
            }
            let revised = try Conversation.revise(post, body: body, by: try Peer.fetchOne(db, key: login), in: program, now: now)
            try db.execute(sql: "INSERT INTO postRevision(postId, body, replaced, \"by\") VALUES (?, ?, ?, ?)",
                           arguments: [postId, post.body, now.stored, login])
            try db.execute(sql: "UPDATE post SET body = ?, edited = ?, deleted = ? WHERE id = ?",
                           arguments: [revised.body, now.stored, revised.deleted, postId])
            if revised.deleted {
                // What a deleted post said is nobody's news any more, nor anybody's answer.
                try db.execute(sql: "DELETE FROM notification WHERE postId = ?", arguments: [postId])
                try db.execute(sql: "UPDATE topic SET acceptedPostId = NULL WHERE acceptedPostId = ?", arguments: [postId])
            }
            try audit(db, now, login, revised.deleted ? "post.delete" : "post.edit", "post:\(postId)")
            try record(db, .topic, topic: post.topicId, post: postId)
        }
    }

    public func editPost(_ postId: Int64, body: String, by login: String, now: Date) throws {
        try revise(postId, body: body, by: login, now: now)
    }

    public func deletePost(_ postId: Int64, by login: String, now: Date) throws {
        try revise(postId, body: nil, by: login, now: now)
    }

    /// The post's earlier texts, oldest first (`Conversation.mayReadHistory` decides who sees them).
    public func postHistory(_ postId: Int64, by login: String) throws -> [PostRevision] {
        try read { db in
            let program = try requireProgram(db)
            guard let post = try Post.fetchOne(db, key: postId) else {
                throw AgoraError.notFound("post", "\(postId)", hint: "see 'agora show TOPIC'")
            }
            try Conversation.mayReadHistory(of: post, me: try Peer.fetchOne(db, key: login), in: program)
            return try Row.fetchAll(db, sql: "SELECT body, replaced, \"by\" FROM postRevision WHERE postId = ? ORDER BY id",
                                    arguments: [postId]).map {
                PostRevision(postId: postId, body: $0[0], replaced: try $0.date(at: 1, "replaced"), by: $0[2])
            }
        }
    }
}
