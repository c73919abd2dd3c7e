import GRDB

/// The schema, owned by one migrator from version 1. Never edit a shipped migration: add one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
            CREATE TABLE program (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              name TEXT NOT NULL, purpose TEXT NOT NULL, goals TEXT NOT NULL,
              rulesText TEXT NOT NULL, rulesVersion INTEGER NOT NULL, expectedReturn TEXT NOT NULL,
              created DATETIME NOT NULL,
              unansweredHours INTEGER NOT NULL, welcomeHours INTEGER NOT NULL,
              stalledDays INTEGER NOT NULL, claimMinutes INTEGER NOT NULL
            );
            CREATE TABLE peer (
              login TEXT PRIMARY KEY NOT NULL,
              name TEXT NOT NULL, unit TEXT NOT NULL, region TEXT NOT NULL, generation TEXT NOT NULL,
              role TEXT NOT NULL CHECK (role IN ('peer','champion','leader')),
              goals TEXT NOT NULL, offers TEXT NOT NULL, bio TEXT NOT NULL,
              joined DATETIME NOT NULL, left DATETIME,
              rulesAckVersion INTEGER NOT NULL DEFAULT 0,
              welcomedBy TEXT, welcomedAt DATETIME
            );
            CREATE TABLE topic (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              kind TEXT NOT NULL CHECK (kind IN ('idea','concern','resource','request','discussion')),
              title TEXT NOT NULL,
              author TEXT NOT NULL REFERENCES peer(login),
              status TEXT NOT NULL CHECK (status IN ('open','answered','resolved')),
              created DATETIME NOT NULL, lastActivity DATETIME NOT NULL,
              postCount INTEGER NOT NULL, answerCount INTEGER NOT NULL, lastPostId INTEGER NOT NULL,
              noAnswerNeeded BOOLEAN NOT NULL DEFAULT 0,
              followUp DATETIME, template TEXT
            );
            CREATE INDEX topic_activity ON topic(lastActivity);
            CREATE INDEX topic_author ON topic(author);
            CREATE INDEX topic_unanswered ON topic(answerCount, created);
            CREATE TABLE topicTag (
              tag TEXT NOT NULL, topicId INTEGER NOT NULL REFERENCES topic(id) ON DELETE CASCADE,
              PRIMARY KEY (tag, topicId)
            ) WITHOUT ROWID;
            CREATE INDEX topicTag_topic ON topicTag(topicId);
            CREATE TABLE post (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              topicId INTEGER NOT NULL REFERENCES topic(id) ON DELETE CASCADE,
              parentId INTEGER REFERENCES post(id),
              author TEXT NOT NULL REFERENCES peer(login),
              body TEXT NOT NULL,
              created DATETIME NOT NULL, edited DATETIME,
              hidden BOOLEAN NOT NULL DEFAULT 0
            );
            CREATE INDEX post_topic ON post(topicId, id);
            CREATE INDEX post_author ON post(author);
            CREATE TABLE readState (
              login TEXT NOT NULL, topicId INTEGER NOT NULL, lastReadPostId INTEGER NOT NULL,
              PRIMARY KEY (login, topicId)
            ) WITHOUT ROWID;
            CREATE TABLE flag (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              postId INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
              by TEXT NOT NULL, reason TEXT NOT NULL, created DATETIME NOT NULL,
              resolvedBy TEXT, resolvedAt DATETIME, resolution TEXT
            );
            CREATE TABLE highlight (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              topicId INTEGER NOT NULL REFERENCES topic(id) ON DELETE CASCADE,
              postId INTEGER REFERENCES post(id), by TEXT NOT NULL, why TEXT NOT NULL, created DATETIME NOT NULL
            );
            CREATE TABLE testimonial (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              by TEXT NOT NULL, text TEXT NOT NULL, shareable BOOLEAN NOT NULL, created DATETIME NOT NULL
            );
            CREATE TABLE draft (
              login TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT, title TEXT NOT NULL, tags TEXT NOT NULL,
              body TEXT NOT NULL, saved DATETIME NOT NULL,
              PRIMARY KEY (login, scope)
            ) WITHOUT ROWID;
            CREATE TABLE auditEvent (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              at DATETIME NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL
            );
            CREATE TABLE claim (
              itemKey TEXT PRIMARY KEY NOT NULL, login TEXT NOT NULL,
              claimedAt DATETIME NOT NULL, lastActed DATETIME NOT NULL, sessionPid INTEGER
            );
            CREATE TABLE snooze (
              itemKey TEXT PRIMARY KEY NOT NULL, until DATETIME NOT NULL, by TEXT NOT NULL
            );
            CREATE VIRTUAL TABLE postFts USING fts5(body, content='post', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE topicFts USING fts5(title, content='topic', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
            """)
            try createSearchTriggers(db)
        }
        MentoringSchema.register(&m)
        m.registerMigration("v3-perf") { db in
            // A counter bumped by every change to peer, so a reload refetches the directory only when it changed.
            try db.execute(sql: """
            CREATE TABLE tableVersion (name TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO tableVersion(name, version) VALUES ('peer', 0);
            CREATE TRIGGER peer_version_ai AFTER INSERT ON peer BEGIN UPDATE tableVersion SET version = version + 1 WHERE name = 'peer'; END;
            CREATE TRIGGER peer_version_au AFTER UPDATE ON peer BEGIN UPDATE tableVersion SET version = version + 1 WHERE name = 'peer'; END;
            CREATE TRIGGER peer_version_ad AFTER DELETE ON peer BEGIN UPDATE tableVersion SET version = version + 1 WHERE name = 'peer'; END;
            """)
        }
        TemplateSchema.register(&m)
        ChangeLogSchema.register(&m)
        m.registerMigration("v6-presence") { db in
            try db.execute(sql: "ALTER TABLE peer ADD COLUMN hidesPresence BOOLEAN NOT NULL DEFAULT 0")
        }
        CountSchema.register(&m)
        m.registerMigration("v8-queue-indexes") { db in
            // The champion queue's candidates, each branch of `queueItems` by its own partial index: the queue is
            // read for every leader's first screen and every `agora status`, and was a scan of every topic.
            try db.execute(sql: """
            CREATE INDEX topic_queue_unanswered ON topic(created) WHERE answerCount = 0 AND noAnswerNeeded = 0 AND status != 'resolved';
            CREATE INDEX topic_queue_followup ON topic(followUp) WHERE followUp IS NOT NULL AND status != 'resolved';
            CREATE INDEX topic_queue_stalled ON topic(lastActivity) WHERE kind = 'request' AND answerCount > 0 AND status != 'resolved';
            CREATE INDEX peer_newcomer ON peer(login) WHERE welcomedAt IS NULL AND left IS NULL;
            CREATE INDEX peer_alumni ON peer(login) WHERE left IS NOT NULL;
            CREATE INDEX flag_open ON flag(postId) WHERE resolvedAt IS NULL;
            """)
        }
        NamesApartSchema.register(&m)
        NotificationSchema.register(&m)
        PostReadSchema.register(&m)
        PostEditSchema.register(&m)
        BookmarkSchema.register(&m)
        NotificationSchema.registerTagWatch(&m)
        return m
    }

    /// Triggers keeping the full-text indexes in step with their tables. The demo generator drops them
    /// for a bulk load and rebuilds the indexes in one pass, which is several times faster.
    static func createSearchTriggers(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TRIGGER post_fts_ai AFTER INSERT ON post BEGIN
          INSERT INTO postFts(rowid, body) VALUES (new.id, new.body);
        END;
        CREATE TRIGGER post_fts_ad AFTER DELETE ON post BEGIN
          INSERT INTO postFts(postFts, rowid, body) VALUES ('delete', old.id, old.body);
        END;
        CREATE TRIGGER post_fts_au AFTER UPDATE OF body ON post BEGIN
          INSERT INTO postFts(postFts, rowid, body) VALUES ('delete', old.id, old.body);
          INSERT INTO postFts(rowid, body) VALUES (new.id, new.body);
        END;
        CREATE TRIGGER topic_fts_ai AFTER INSERT ON topic BEGIN
          INSERT INTO topicFts(rowid, title) VALUES (new.id, new.title);
        END;
        CREATE TRIGGER topic_fts_ad AFTER DELETE ON topic BEGIN
          INSERT INTO topicFts(topicFts, rowid, title) VALUES ('delete', old.id, old.title);
        END;
        CREATE TRIGGER topic_fts_au AFTER UPDATE OF title ON topic BEGIN
          INSERT INTO topicFts(topicFts, rowid, title) VALUES ('delete', old.id, old.title);
          INSERT INTO topicFts(rowid, title) VALUES (new.id, new.title);
        END;
        """)
    }

    static func dropSearchTriggers(_ db: Database) throws {
        for t in ["post_fts_ai", "post_fts_ad", "post_fts_au", "topic_fts_ai", "topic_fts_ad", "topic_fts_au"] {
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(t)")
        }
    }
}
