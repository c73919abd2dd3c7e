import GRDB

/// Tables added for the mentoring features (issue 5). A migration of their own, after v1.
enum MentoringSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2-mentoring") { db in
            try db.execute(sql: """
            CREATE TABLE escalation (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              itemKey TEXT NOT NULL, by TEXT NOT NULL, note TEXT NOT NULL, created DATETIME NOT NULL
            );
            CREATE INDEX escalation_item ON escalation(itemKey);
            CREATE INDEX claim_session ON claim(sessionPid);
            CREATE INDEX highlight_created ON highlight(created);
            """)
        }
    }
}
