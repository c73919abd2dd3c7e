import AgoraCore
import Foundation
import GRDB

/// Program and peers: who takes part and in what role.
extension SQLiteStore {
    public func program() throws -> Program? {
        try read { try Program.fetchOne($0) }
    }

    public func peer(_ login: String) throws -> Peer? {
        try read { try Peer.fetchOne($0, key: login) }
    }


    public func peers(_ f: PeerFilter = PeerFilter()) throws -> [Peer] {
        try read { db in
            var q = Peer.all()
            if let u = f.unit { q = q.filter(sql: "unit = ? COLLATE NOCASE", arguments: [u]) }
            if let r = f.region { q = q.filter(sql: "region = ? COLLATE NOCASE", arguments: [r]) }
            if let g = f.generation { q = q.filter(sql: "generation = ? COLLATE NOCASE", arguments: [g]) }
            if let role = f.role { q = q.filter(sql: "role = ?", arguments: [role.rawValue]) }
            if !f.includeAlumni { q = q.filter(sql: "left IS NULL") }
            for word in (f.text ?? "").split(separator: " ") where !word.isEmpty {
                let like = "%\(word)%"
                q = q.filter(sql: "(name LIKE ? OR login LIKE ? OR goals LIKE ? OR offers LIKE ? OR bio LIKE ? OR unit LIKE ? OR region LIKE ?)",
                             arguments: [like, like, like, like, like, like, like])
            }
            return try q.order(sql: "left IS NOT NULL, name COLLATE NOCASE").fetchAll(db)
        }
    }

    /// Creates the program; `leader` becomes its first member, as leader.
    public func createProgram(name: String, purpose: String, leader: Peer, now: Date) throws -> Program {
        let name = try Limits.name(name, field: "program name")
        let purpose = try Limits.shortText(purpose, field: "purpose")
        let leader = try leader.validated()
        return try write { db in
            if let existing = try Program.fetchOne(db) {
                throw AgoraError("this database already holds the program '\(Sanitizer.line(existing.name))'",
                                 hint: "use another file with --db PATH to start a new program")
            }
            let program = Program(name: name, purpose: purpose, created: now)
            try program.insert(db)
            var l = leader
            l.role = .leader
            l.joined = now
            l.welcomedAt = now
            l.welcomedBy = l.login
            try l.save(db)
            try audit(db, now, leader.login, "init", "program", name)
            try record(db, .program)
            return program
        }
    }

    /// Loads the program, or says how to create one.
    func requireProgram(_ db: Database) throws -> Program {
        // Cached statements here and in `authorize`: every write asks both, and a query-interface request is SQL
        // generated, compiled and authorised column by column on every call (a tenth of the daemon's cost per post).
        guard let p = try Program.fetchOne(db.cachedStatement(sql: "SELECT * FROM program LIMIT 1")) else {
            throw AgoraError("there is no program in this database yet",
                             hint: "start one with 'agora init --name NAME', or try 'agora demo'")
        }
        return p
    }

    /// Loads the acting peer and checks `action` against the policy.
    @discardableResult
    func authorize(_ db: Database, _ login: String, _ action: Action) throws -> (Program, Peer) {
        let program = try requireProgram(db)
        let actor = try Peer.fetchOne(db.cachedStatement(sql: "SELECT * FROM peer WHERE login = ?"), arguments: [login])
        try Policy.authorize(actor, action, in: program)
        return (program, actor!)
    }

    func requirePeer(_ db: Database, _ login: String) throws -> Peer {
        guard let p = try Peer.fetchOne(db, key: login) else {
            throw AgoraError.notFound("peer", "'\(Sanitizer.line(login))'", hint: "see 'agora peer list'")
        }
        return p
    }

    /// Adds peers all at once: if one is bad (duplicate, invalid), none is added.
    public func addPeers(_ peers: [Peer], by actor: String, now: Date) throws {
        try syncMembership(add: peers, rejoin: [], leave: [], by: actor, now: now)
    }

    /// Adds, brings back and marks as alumni in one transaction (`admin sync-users`): all of it or, if one
    /// change is refused, none.
    public func syncMembership(add peers: [Peer], rejoin: [String], leave: [String], by actor: String, now: Date) throws {
        let cleaned = try peers.map { try $0.validated() }
        try write { db in
            try authorize(db, actor, .managePeers)
            var everyone = DisplayNames.Index(cleaned.isEmpty ? [] : try Self.names(db))
            for var p in cleaned {
                if try Peer.fetchOne(db, key: p.login) != nil {
                    throw AgoraError("\(p.login) is already a peer", hint: "see 'agora peer show \(p.login)'")
                }
                // Whoever wore this login or this name first is shown with their own login from now on (and so is
                // the newcomer, where they share a name): nobody keeps a colleague out by wearing their name first.
                let admission = try everyone.admit(login: p.login, name: p.name)
                for r in admission.renamed {
                    try db.execute(sql: "UPDATE peer SET name = ? WHERE login = ?", arguments: [r.name, r.login])
                    try audit(db, now, actor, "peer.rename", r.login, r.why)
                    try record(db, .peer, login: r.login)
                }
                p.name = admission.name
                p.joined = now
                try p.insert(db)
                try audit(db, now, actor, "peer.add", p.login, p.role.rawValue)
                try record(db, .peer, login: p.login)
            }
            for login in rejoin { try peerRejoin(db, login, by: actor, now: now) }
            for login in leave { try peerLeave(db, login, by: actor, now: now) }
        }
    }

    /// Edits a profile: a peer their own, the leader anyone's. Role changes need the leader.
    public func updatePeer(_ updated: Peer, by actor: String, now: Date) throws {
        let clean = try updated.validated()
        try write { db in
            let program = try requireProgram(db)
            let me = try Peer.fetchOne(db, key: actor)
            try Policy.authorizeProfileEdit(me, target: clean.login, in: program)
            let old = try requirePeer(db, clean.login)
            if clean.name != old.name { try Self.requireOwnName(clean, among: DisplayNames.Index(try Self.names(db))) }
            if old.role != clean.role {
                try Policy.authorize(me, .managePeers, in: program)
                if old.role == .leader { try requireAnotherLeader(db, besides: clean.login) }
                try audit(db, now, actor, "peer.role", clean.login, "\(old.role.rawValue) -> \(clean.role.rawValue)")
            }
            var merged = clean
            merged.joined = old.joined
            merged.left = old.left
            merged.rulesAckVersion = old.rulesAckVersion
            merged.welcomedAt = old.welcomedAt
            merged.welcomedBy = old.welcomedBy
            if actor != clean.login { merged.hidesPresence = old.hidesPresence }   // the peer's own choice
            try merged.update(db)
            try audit(db, now, actor, "peer.edit", clean.login)
            try record(db, .peer, login: clean.login)
        }
    }

    /// Every member's login and display name, alumni's too (their posts still show their names).
    static func names(_ db: Database) throws -> [(login: String, name: String)] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT login, name FROM peer")).map { ($0[0], $0[1]) }
    }

    static func requireOwnName(_ p: Peer, among others: DisplayNames.Index) throws {
        if let why = others.conflict(p.name, of: p.login) {
            throw AgoraError.invalid(why, hint: "lists show display names: choose one nobody could take for someone else's")
        }
    }

    /// The peer becomes alumni: their posts stay, shown as theirs.
    public func peerLeave(_ login: String, by actor: String, now: Date) throws {
        try syncMembership(add: [], rejoin: [], leave: [login], by: actor, now: now)
    }

    public func peerRejoin(_ login: String, by actor: String, now: Date) throws {
        try syncMembership(add: [], rejoin: [login], leave: [], by: actor, now: now)
    }

    func peerLeave(_ db: Database, _ login: String, by actor: String, now: Date) throws {
        var p = try requirePeer(db, login)
        if p.isAlumni { throw AgoraError("\(login) has already left (alumni)") }
        if p.role == .leader { try requireAnotherLeader(db, besides: login) }
        p.left = now
        try p.update(db)
        try db.execute(sql: "DELETE FROM claim WHERE login = ?", arguments: [login])
        try audit(db, now, actor, "peer.leave", login)
        try record(db, .peer, login: login)
    }

    func peerRejoin(_ db: Database, _ login: String, by actor: String, now: Date) throws {
        var p = try requirePeer(db, login)
        if !p.isAlumni { throw AgoraError("\(login) is an active member already") }
        p.left = nil
        try p.update(db)
        try audit(db, now, actor, "peer.rejoin", login)
        try record(db, .peer, login: login)
    }

    /// A program always keeps an active leader: without one nobody can add peers, change roles or bring
    /// anyone back, and only editing the file would recover it.
    func requireAnotherLeader(_ db: Database, besides login: String) throws {
        let others = try Int.fetchOne(db, sql: "SELECT count(*) FROM peer WHERE role = 'leader' AND left IS NULL AND login != ?",
                                      arguments: [login]) ?? 0
        if others == 0 {
            throw AgoraError.denied("\(login) is the program's only leader",
                                    hint: "make someone else leader first with 'agora profile edit --login LOGIN --role leader'")
        }
    }

    /// Who leads the program: shown to people who are not members yet.
    public func leaders() throws -> [Peer] {
        try read { try Peer.filter(sql: "role = 'leader' AND left IS NULL").order(sql: "joined").fetchAll($0) }
    }

    func audit(_ db: Database, _ at: Date, _ actor: String, _ action: String, _ subject: String, _ detail: String = "") throws {
        var e = AuditEvent(at: at, actor: actor, action: action, subject: subject, detail: detail)
        try e.insert(db)
    }

    public func auditLog(limit: Int = 100) throws -> [AuditEvent] {
        try read { try AuditEvent.order(sql: "id DESC").limit(limit).fetchAll($0) }
    }
}
