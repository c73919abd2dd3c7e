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
        let people = try Row.fetchAll(db, sql: "SELECT login, name FROM peer ORDER BY joined, login").map { (login: $0[0] as String, name: $0[1] as String) }
        var index = DisplayNames.Index()
        var final: [String: String] = [:]
        var why: [String: String] = [:]
        for p in people {
            // As if each had joined today, in the order they did.
            let admission = (try? index.admit(login: p.login, name: p.name)) ?? {
                index.add(login: p.login, name: p.login)
                return DisplayNames.Index.Admission(name: p.login, renamed: [])
            }()
            final[p.login] = admission.name
            for r in admission.renamed { final[r.login] = r.name; why[r.login] = r.why }
        }
        var renamed: [String: String] = [:]
        for p in people where final[p.login] != p.name {
            let name = final[p.login] ?? p.login
            try db.execute(sql: "UPDATE peer SET name = ? WHERE login = ?", arguments: [name, p.login])
            var e = AuditEvent(at: now, actor: "agora", action: "peer.rename", subject: p.login,
                               detail: "was '\(p.name)': \(why[p.login] ?? "alike another member's name")")
            try e.insert(db)
            renamed[p.login] = name
        }
        return renamed
    }
}
