import AgoraCore
import Foundation
import GRDB

enum TemplateSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4-templates") { db in
            try db.execute(sql: """
            CREATE TABLE template (
              name TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
              sections TEXT NOT NULL,            -- one section per line
              followUpDays INTEGER
            );
            """)
            for t in TopicTemplate.builtIn {
                try db.execute(sql: "INSERT INTO template(name, sections, followUpDays) VALUES (?, ?, ?)",
                               arguments: [t.name, t.sections.joined(separator: "\n"), t.followUpDays])
            }
        }
    }
}

extension SQLiteStore {
    public func templates() throws -> [TopicTemplate] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM template ORDER BY name").map(Self.template) }
    }

    public func template(named name: String) throws -> TopicTemplate {
        try read { db in try template(db, name) }
    }

    func template(_ db: Database, _ name: String) throws -> TopicTemplate {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM template WHERE name = ?", arguments: [name]) else {
            throw AgoraError.notFound("template", "'\(Sanitizer.line(name))'", hint: "see 'agora template list'")
        }
        return Self.template(row)
    }

    static func template(_ r: Row) -> TopicTemplate {
        TopicTemplate(name: r["name"], sections: (r["sections"] as String).split(separator: "\n").map(String.init),
                      followUpDays: r["followUpDays"])
    }

    /// Adds or replaces a template (the leader: templates are program settings).
    public func saveTemplate(_ t: TopicTemplate, by login: String, now: Date) throws {
        try write { db in
            try authorize(db, login, .changeSettings)
            try db.execute(sql: "INSERT OR REPLACE INTO template(name, sections, followUpDays) VALUES (?, ?, ?)",
                           arguments: [t.name, t.sections.joined(separator: "\n"), t.followUpDays])
            try audit(db, now, login, "template.save", t.name, t.sections.joined(separator: " / "))
            try record(db, .program)
        }
    }
}
