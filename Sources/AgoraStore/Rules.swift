import AgoraCore
import Foundation
import GRDB

/// Rules of engagement: the leader sets them (each change is a new version), every peer accepts them.
extension SQLiteStore {
    /// Sets the rules text (and, when given, the expected return on time). Bumps the version; the leader
    /// who sets them has accepted them. Returns the new version.
    @discardableResult
    public func setRules(_ text: String, expectedReturn: String? = nil, by login: String, now: Date) throws -> Int {
        let text = try Limits.body(text)
        let expected = try expectedReturn.map { try Limits.shortText($0, field: "expected return") }
        return try write { db in
            var (program, me) = try authorize(db, login, .setRules)
            program.rulesText = text
            if let expected { program.expectedReturn = expected }
            program.rulesVersion += 1
            try program.update(db)
            me.rulesAckVersion = program.rulesVersion
            try me.update(db)
            try audit(db, now, login, "rules.set", "program", "version \(program.rulesVersion)")
            try record(db, .program)
            return program.rulesVersion
        }
    }

    /// The leader's queue thresholds; every session reloads the program (and so the queue) after it.
    public func updateSettings(_ settings: ProgramSettings, by login: String, now: Date) throws {
        let s = try settings.validated()
        try write { db in
            var (program, _) = try authorize(db, login, .changeSettings)
            program.unansweredHours = s.unansweredHours
            program.welcomeHours = s.welcomeHours
            program.stalledDays = s.stalledDays
            program.claimMinutes = s.claimMinutes
            try program.update(db)
            try audit(db, now, login, "settings.set", "program", s.values.map(String.init).joined(separator: ","))
            try record(db, .program)
        }
    }

    /// `login` accepts the current rules. Returns the version accepted (0: there were none to accept).
    @discardableResult
    public func acknowledgeRules(by login: String, now: Date) throws -> Int {
        try write { db in
            let (program, peer) = try authorize(db, login, .acknowledgeRules)
            var me = peer
            if me.rulesAckVersion >= program.rulesVersion { return program.rulesVersion }
            me.rulesAckVersion = program.rulesVersion
            try me.update(db)
            try audit(db, now, login, "rules.ack", login, "version \(program.rulesVersion)")
            try record(db, .peer, login: login)
            return program.rulesVersion
        }
    }
}
