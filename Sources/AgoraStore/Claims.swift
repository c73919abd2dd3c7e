import AgoraCore
import Foundation
import GRDB

/// Claims on queue items: one champion at a time per item.
///
/// The claim table's primary key is the item key and every claim runs in one IMMEDIATE transaction
/// that reads the current holder and writes the new one, so two processes claiming at once are
/// serialised by SQLite: exactly one wins, the other sees the winner.
extension SQLiteStore {
    /// Claims a queue item for `login`. Claiming your own claim again renews it. With `session`, the claim
    /// is a lease that lapses `ChampionQueue.leaseSeconds` after the session last renewed it.
    @discardableResult
    public func claim(_ rawKey: String, by login: String, session: String? = nil, now: Date) throws -> Claim {
        let key = try ChampionQueue.validItemKey(rawKey)
        return try write { db in
            let (program, _) = try authorize(db, login, .claim)
            guard try queueItems(db, program, now: now).contains(where: { $0.key == key }) else {
                throw AgoraError.notFound("item", "\(key) in the queue", hint: "it may have been dealt with; see 'agora queue'")
            }
            if let held = try Claim.fetchOne(db, key: key), held.login != login, ChampionQueue.isLive(held, program, now: now) {
                let who = try Peer.fetchOne(db, key: held.login).map { "\($0.name) (\($0.login))" } ?? held.login
                let since = now.timeIntervalSince(held.claimedAt) < 60 ? "just now" : "\(RelativeAge.short(held.claimedAt, now: now)) ago"
                throw AgoraError("\(key) is already claimed by \(Sanitizer.line(who)), \(since)",
                                 hint: "a claim lapses after \(program.claimMinutes) minutes without action", exitCode: 5)
            }
            let previous = try Claim.fetchOne(db, key: key)
            let c = Claim(itemKey: key, login: login,
                          claimedAt: previous?.login == login && previous.map { ChampionQueue.isLive($0, program, now: now) } == true
                            ? previous!.claimedAt : now,
                          lastActed: now, session: session,
                          leaseUntil: session == nil ? nil : now.addingTimeInterval(ChampionQueue.leaseSeconds))
            try c.save(db)
            try audit(db, now, login, "claim", key)
            // A new claim on a request or question: its author hears someone is on it (not again on a renewal).
            if previous?.login != login, key.hasPrefix("topic:"), let id = Int64(key.dropFirst("topic:".count)),
               let author = try String.fetchOne(db, sql: "SELECT author FROM topic WHERE id = ?", arguments: [id]) {
                try notifyOne(db, author, .claimed, by: login, topic: id, post: nil, now: now)
            }
            try record(db, .queue)
            return c
        }
    }

    /// Releases a claim: your own, or (the leader) anyone's.
    public func release(_ rawKey: String, by login: String, now: Date) throws {
        let key = try ChampionQueue.validItemKey(rawKey)
        try write { db in
            let (program, me) = try authorize(db, login, .claim)
            guard let held = try Claim.fetchOne(db, key: key), ChampionQueue.isLive(held, program, now: now) else {
                throw AgoraError.notFound("claim on", key, hint: "see 'agora queue'")
            }
            if held.login != login && !Policy.allows(me, .managePeers, in: program) {
                throw AgoraError.denied("\(key) is claimed by \(held.login), not by you")
            }
            _ = try Claim.deleteOne(db, key: key)
            try audit(db, now, login, "release", key, held.login == login ? "" : "claim of \(held.login)")
            try record(db, .queue)
        }
    }

    /// A live session extends its leases. Nobody else needs to hear of it: what they show does not change.
    public func renewLeases(session: String, by login: String, now: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE claim SET leaseUntil = ? WHERE session = ? AND login = ?",
                           arguments: [now.addingTimeInterval(ChampionQueue.leaseSeconds).stored, session, login])
        }
    }

    /// Drops every claim a session held: called when the session ends.
    public func releaseSessionClaims(session: String, by login: String, now: Date) throws {
        try write { db in
            let keys = try String.fetchAll(db, sql: "SELECT itemKey FROM claim WHERE session = ? AND login = ?", arguments: [session, login])
            guard !keys.isEmpty else { return }
            try db.execute(sql: "DELETE FROM claim WHERE session = ? AND login = ?", arguments: [session, login])
            for k in keys { try audit(db, now, login, "release", k, "session ended") }
            try record(db, .queue)
        }
    }

    /// The claims in force (acted on recently, lease not lapsed), for listings.
    public func liveClaims(now: Date) throws -> [Claim] {
        try read { db in
            let program = try requireProgram(db)
            return try Claim.fetchAll(db).filter { ChampionQueue.isLive($0, program, now: now) }
        }
    }

    /// Acting on an item keeps its claim alive.
    func touchClaim(_ db: Database, _ key: String, by login: String, now: Date) throws {
        try db.cachedStatement(sql: "UPDATE claim SET lastActed = ? WHERE itemKey = ? AND login = ?").execute(arguments: [now.stored, key, login])
    }

    func dropClaim(_ db: Database, _ key: String) throws {
        try db.execute(sql: "DELETE FROM claim WHERE itemKey = ?", arguments: [key])
    }
}
