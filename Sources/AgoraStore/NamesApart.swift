import AgoraCore
import Foundation
import GRDB

/// Programs made before display names were kept apart (2026-12-02) may hold two members who look alike, or a name
/// that passes for another's login. Migration v9 applies, once and in order of joining, the rules a new name meets
/// today: a name like an earlier member's becomes "Name (login)" (or the login, if that is still alike), and an
/// earlier member whose name passes for a later login gets their own login back. Each rename is audited.
enum NamesApartSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v9-names-apart") { db in
            try renameAlike(db, now: Date())
        }
    }

    /// The renames made, by login (new names).
    @discardableResult
    static func renameAlike(_ db: Database, now: Date) throws -> [String: String] {
        var people = try Row.fetchAll(db, sql: "SELECT login, name FROM peer ORDER BY joined, login").map { (login: $0[0] as String, name: $0[1] as String) }
        let original = Dictionary(people.map { ($0.login, $0.name) }) { first, _ in first }
        var index = DisplayNames.Index()
        for i in people.indices {
            let login = people[i].login
            let passing = index.passing(forLogin: login)
            for other in passing { if let j = people.firstIndex(where: { $0.login == other }) { people[j].name = other } }
            if !passing.isEmpty { index = DisplayNames.Index(people[..<i].map { ($0.login, $0.name) }) }
            if index.conflict(people[i].name, of: login) != nil {
                let withLogin = "\(people[i].name.prefix(max(1, Limits.name - login.count - 3)).trimmingCharacters(in: .whitespaces)) (\(login))"
                people[i].name = index.conflict(withLogin, of: login) == nil ? withLogin : login
            }
            index.add(login: login, name: people[i].name)
        }
        var renamed: [String: String] = [:]
        for p in people where original[p.login] != p.name {
            try db.execute(sql: "UPDATE peer SET name = ? WHERE login = ?", arguments: [p.name, p.login])
            var e = AuditEvent(at: now, actor: "agora", action: "peer.rename", subject: p.login,
                               detail: "display name was alike another member's: '\(original[p.login] ?? "")'")
            try e.insert(db)
            renamed[p.login] = p.name
        }
        return renamed
    }
}
