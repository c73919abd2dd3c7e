import GRDB

/// Unread figures kept by the writes themselves, so that `agora status` (run at every login of every member) and
/// the TUI's header read two rows instead of scanning the program.
///
/// - `tally`: how many topics and posts the program holds.
/// - `readerTally`: per person, how many posts their read marks cover (`readPosts`) and how many topics they have
///   read to the end (`fullTopics`).
///
/// Then unread posts = tally.posts − readPosts and unread topics = tally.topics − fullTopics: the same figures the
/// scans gave (a test compares them after every kind of write). Triggers keep them, so no write path can forget;
/// the demo generator drops the triggers for its bulk load and rebuilds the figures in one pass.
enum CountSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v7-counts") { db in
            try db.execute(sql: """
            CREATE INDEX readState_topic ON readState(topicId, lastReadPostId);
            CREATE TABLE tally (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE readerTally (
              login TEXT PRIMARY KEY NOT NULL, readPosts INTEGER NOT NULL, fullTopics INTEGER NOT NULL
            ) WITHOUT ROWID;
            """)
            try rebuild(db)
            try createTriggers(db)
        }
    }

    /// Computes every figure from the tables (a migration, after a bulk load).
    static func rebuild(_ db: Database) throws {
        // Posts read beyond a topic's mark (v10) count one each.
        let beyond = try db.tableExists("postRead") ? "+ (SELECT count(*) FROM postRead pr WHERE pr.login = rs.login)" : ""
        try db.execute(sql: """
        DELETE FROM tally;
        INSERT INTO tally(name, value) VALUES ('topics', (SELECT count(*) FROM topic)), ('posts', (SELECT count(*) FROM post));
        DELETE FROM readerTally;
        INSERT INTO readerTally(login, readPosts, fullTopics)
          SELECT rs.login,
                 sum((SELECT count(*) FROM post WHERE post.topicId = rs.topicId AND post.id <= rs.lastReadPostId))
                   \(beyond),
                 sum(rs.lastReadPostId >= topic.lastPostId)
          FROM readState rs JOIN topic ON topic.id = rs.topicId GROUP BY rs.login;
        """)
    }

    static let triggers = ["tally_topic_ai", "tally_topic_ad", "tally_topic_au", "tally_post_ai", "tally_post_ad",
                           "tally_read_ai", "tally_read_au", "tally_read_ad"]

    static func createTriggers(_ db: Database) throws {
        // The per-post rows' triggers came later (v10): made again with the rest after a bulk load.
        if try db.tableExists("postRead") { try PostReadSchema.createTriggers(db) }
        // A read mark on a topic that does not exist counts for nothing, as the scans' join left it out, until the
        // topic is made. (Marks never move to another login or topic: `tally_read_au` follows lastReadPostId only.)
        try db.execute(sql: """
        CREATE TRIGGER tally_topic_ai AFTER INSERT ON topic BEGIN
          UPDATE tally SET value = value + 1 WHERE name = 'topics';
          -- A mark made before the topic existed (ids can be guessed) counts from now on.
          UPDATE readerTally SET fullTopics = fullTopics + 1
            WHERE login IN (SELECT login FROM readState WHERE topicId = new.id AND lastReadPostId >= new.lastPostId);
        END;
        CREATE TRIGGER tally_topic_ad AFTER DELETE ON topic BEGIN
          UPDATE tally SET value = value - 1 WHERE name = 'topics';
          UPDATE readerTally SET fullTopics = fullTopics - 1
            WHERE login IN (SELECT login FROM readState WHERE topicId = old.id AND lastReadPostId >= old.lastPostId);
        END;
        CREATE TRIGGER tally_topic_au AFTER UPDATE OF lastPostId ON topic WHEN new.lastPostId != old.lastPostId BEGIN
          UPDATE readerTally SET fullTopics = fullTopics +
              (SELECT (rs.lastReadPostId >= new.lastPostId) - (rs.lastReadPostId >= old.lastPostId)
               FROM readState rs WHERE rs.login = readerTally.login AND rs.topicId = new.id)
            WHERE login IN (SELECT login FROM readState WHERE topicId = new.id
                            AND lastReadPostId >= min(old.lastPostId, new.lastPostId)
                            AND lastReadPostId < max(old.lastPostId, new.lastPostId));
        END;
        CREATE TRIGGER tally_post_ai AFTER INSERT ON post BEGIN
          UPDATE tally SET value = value + 1 WHERE name = 'posts';
          UPDATE readerTally SET readPosts = readPosts + 1
            WHERE login IN (SELECT login FROM readState WHERE topicId = new.topicId AND lastReadPostId >= new.id);
        END;
        CREATE TRIGGER tally_post_ad AFTER DELETE ON post BEGIN
          UPDATE tally SET value = value - 1 WHERE name = 'posts';
          UPDATE readerTally SET readPosts = readPosts - 1
            WHERE login IN (SELECT login FROM readState WHERE topicId = old.topicId AND lastReadPostId >= old.id);
        END;
        CREATE TRIGGER tally_read_ai AFTER INSERT ON readState BEGIN
          INSERT OR IGNORE INTO readerTally(login, readPosts, fullTopics) VALUES (new.login, 0, 0);
          UPDATE readerTally SET
            readPosts = readPosts + (SELECT count(*) FROM post WHERE topicId = new.topicId AND id <= new.lastReadPostId),
            fullTopics = fullTopics + COALESCE((SELECT new.lastReadPostId >= lastPostId FROM topic WHERE id = new.topicId), 0)
            WHERE login = new.login;
        END;
        CREATE TRIGGER tally_read_au AFTER UPDATE OF lastReadPostId ON readState BEGIN
          UPDATE readerTally SET
            readPosts = readPosts
              + (SELECT count(*) FROM post WHERE topicId = new.topicId AND id > old.lastReadPostId AND id <= new.lastReadPostId)
              - (SELECT count(*) FROM post WHERE topicId = new.topicId AND id > new.lastReadPostId AND id <= old.lastReadPostId),
            fullTopics = fullTopics + COALESCE((SELECT (new.lastReadPostId >= lastPostId) - (old.lastReadPostId >= lastPostId)
                                                FROM topic WHERE id = new.topicId), 0)
            WHERE login = new.login;
        END;
        CREATE TRIGGER tally_read_ad AFTER DELETE ON readState BEGIN
          UPDATE readerTally SET
            readPosts = readPosts - (SELECT count(*) FROM post WHERE topicId = old.topicId AND id <= old.lastReadPostId),
            fullTopics = fullTopics - COALESCE((SELECT old.lastReadPostId >= lastPostId FROM topic WHERE id = old.topicId), 0)
            WHERE login = old.login;
        END;
        """)
    }

    static func dropTriggers(_ db: Database) throws {
        for t in triggers + PostReadSchema.triggers { try db.execute(sql: "DROP TRIGGER IF EXISTS \(t)") }
    }

    /// Unread topics and posts for `login`, from the figures.
    static func unread(_ db: Database, for login: String) throws -> (topics: Int, posts: Int) {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT (SELECT value FROM tally WHERE name = 'topics') - COALESCE(r.fullTopics, 0),
                   (SELECT value FROM tally WHERE name = 'posts') - COALESCE(r.readPosts, 0)
            FROM (SELECT 1) LEFT JOIN readerTally r ON r.login = ?
            """), arguments: [login])
        return (row?[0] ?? 0, row?[1] ?? 0)
    }
}
