import AgoraCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Fills an empty database with the demo program; `me` becomes its leader.
    public func fillDemo(_ d: DemoProgram, me: Peer, now: Date) throws -> DemoProgram.Summary {
        guard d.peers >= 5, d.topics >= 1, d.posts >= d.topics else {
            throw AgoraError.invalid("a demo needs at least 5 peers, 1 topic, and as many posts as topics")
        }
        if try program() != nil {
            throw AgoraError("this database already holds a program", hint: "use a new file with --db PATH for the demo")
        }
        var rng = DemoProgram.Random(state: d.seed)
        let day = 86400.0
        let start = now.addingTimeInterval(-180 * day)

        // People.
        var peers: [Peer] = []
        var leader = me
        leader.role = .leader
        leader.joined = start
        leader.welcomedAt = start
        leader.welcomedBy = me.login
        leader.rulesAckVersion = d.rulesPending ? 0 : 1
        leader.unit = leader.unit.isEmpty ? "People" : leader.unit
        leader.region = leader.region.isEmpty ? "EMEA" : leader.region
        peers.append(leader)
        var used = Set([me.login])
        var usedNames = Set([me.name])
        for i in 0..<(d.peers - 1) {
            // A name nobody has yet, while there are some left to draw (a big demo runs out of them).
            var first = rng.pick(DemoProgram.firsts), last = rng.pick(DemoProgram.lasts)
            for _ in 0..<20 where usedNames.contains("\(first) \(last)") {
                first = rng.pick(DemoProgram.firsts)
                last = rng.pick(DemoProgram.lasts)
            }
            var login = "demo-" + (first.unicodeScalars.first.map { String($0).lowercased() } ?? "x")
                + last.lowercased().unicodeScalars.filter { $0.isASCII && CharacterSet.lowercaseLetters.contains($0) }.map(String.init).joined()
            if !login.allSatisfy({ $0.isASCII }) || login.count < 6 { login = "demo-peer\(i)" }
            var candidate = login
            var n = 2
            while used.contains(candidate) { candidate = "\(login)\(n)"; n += 1 }
            used.insert(candidate)
            let joinedDaysAgo = i < max(2, d.peers / 30) ? rng.unit() * 4 : 5 + rng.unit() * 170
            let joined = now.addingTimeInterval(-joinedDaysAgo * day)
            let role: PeerRole = i < max(2, d.peers / 12) + max(2, d.peers / 30) && i >= max(2, d.peers / 30) ? .champion : .peer
            // Two people drawn with one name stay apart by their logins, as no member may pass for another.
            var name = "\(first) \(last)"
            if !usedNames.insert(name).inserted { name += " (\(candidate))" }
            // Four different skills: nobody offers what they want to learn.
            let skills = rng.distinct(4, of: DemoProgram.skills)
            var p = Peer(login: candidate, name: name, unit: rng.pick(DemoProgram.units),
                         region: rng.pick(DemoProgram.regions), generation: rng.pick(DemoProgram.generations), role: role,
                         goals: "learn \(skills[0]), get better at \(skills[1])",
                         offers: "\(skills[2]), \(skills[3])",
                         bio: "", joined: joined)
            if joinedDaysAgo >= 4 || i % 3 == 2 {   // recent joiners mostly wait for a welcome
                p.welcomedAt = joined.addingTimeInterval(3600 * (1 + rng.unit() * 30))
                p.welcomedBy = me.login
            }
            // Everyone has accepted the rules (a session `--as` any member opens on the program, as the benchmarks
            // need); only the demo's own user may still meet them (`rulesPending`).
            p.rulesAckVersion = 1
            if i % 41 == 40 { p.left = now.addingTimeInterval(-rng.unit() * 20 * day) }   // a few alumni
            peers.append(p)
        }
        let active = peers.filter { !$0.isAlumni }.map(\.login)
        // Who had joined by a given moment: nobody posts before their join date.
        let byJoin = peers.filter { !$0.isAlumni }.sorted { $0.joined < $1.joined }
        func member(at date: Date) -> String {
            var lo = 0, hi = byJoin.count   // first index joined after `date`
            while lo < hi { let mid = (lo + hi) / 2; if byJoin[mid].joined <= date { lo = mid + 1 } else { hi = mid } }
            return byJoin[rng.int(max(1, lo))].login
        }

        // How many posts each topic gets: at least the opening post; the rest skewed so a few threads run long.
        var postCounts = Array(repeating: 1, count: d.topics)
        // A thread stops growing at 400 posts; what would overflow lands on a random topic.
        for _ in 0..<(d.posts - d.topics) {
            let u = rng.unit()
            var i = min(d.topics - 1, Int(u * u * u * Double(d.topics)))
            if postCounts[i] >= 400 { i = rng.int(d.topics) }
            postCounts[i] += 1
        }
        // Shuffle so long threads are spread over time.
        for i in stride(from: d.topics - 1, to: 0, by: -1) { postCounts.swapAt(i, rng.int(i + 1)) }
        // Keep a handful of requests/concerns unanswered on purpose (they get only their opening post).
        var unanswered = Set<Int>()
        for k in 0..<min(d.topics - 1, max(3, d.topics / 50)) { unanswered.insert((k * 7919) % max(1, d.topics - 1)) }

        do {
        try writer.barrierWriteWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF")   // a fresh demo: on a crash, run it again
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
            // One transaction: a demo that fails half way leaves the database as it was.
            try db.inTransaction(.immediate) {
                // Checked again under the write lock: two demos started at once must not both fill it.
                if try Program.fetchOne(db) != nil {
                    throw AgoraError("this database already holds a program", hint: "use a new file with --db PATH for the demo")
                }
                try Schema.dropSearchTriggers(db)
                try CountSchema.dropTriggers(db)
                var program = Program(name: "Peer Mentoring Circle (demo)",
                                      purpose: "Cross units, regions and generations: share what you know, ask for what you need.",
                                      goals: "Every newcomer welcomed within two days; every request answered within one.", created: start)
                program.rulesText = DemoProgram.rules
                program.rulesVersion = 1
                program.expectedReturn = DemoProgram.expectedReturn
                try program.insert(db)
                for p in peers { try p.insert(db) }
            let topicStmt = try db.makeStatement(sql: """
                INSERT INTO topic(id, kind, title, author, status, created, lastActivity, postCount, answerCount, lastPostId, noAnswerNeeded, followUp, template)
                VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?)
                """)
            let postStmt = try db.makeStatement(sql: "INSERT INTO post(id, topicId, parentId, author, body, created, hidden) VALUES (?,?,?,?,?,?,0)")
            let tagStmt = try db.makeStatement(sql: "INSERT OR IGNORE INTO topicTag(tag, topicId) VALUES (?,?)")
            let readStmt = try db.makeStatement(sql: "INSERT INTO readState(login, topicId, lastReadPostId) VALUES (?,?,?)")
            var postId: Int64 = 0
            var topicIndex = 0
            var carry = 0   // posts a deliberately unanswered topic did not take go to the next one
            let kinds = TopicKind.allCases
                    while topicIndex < d.topics {
                        let tid = Int64(topicIndex + 1)
                        let forcedUnanswered = unanswered.contains(topicIndex)
                        let kind: TopicKind = forcedUnanswered ? (topicIndex % 2 == 0 ? .request : .concern) : kinds[rng.int(kinds.count)]
                        let subject = rng.pick(DemoProgram.subjects)
                        let title = DemoProgram.fill(rng.pick(DemoProgram.titles[kind]!), subject)
                        let created: Date = forcedUnanswered
                            ? now.addingTimeInterval(-(1.2 + rng.unit() * 6) * day)
                            : start.addingTimeInterval(rng.unit() * 178 * day)
                        let author = member(at: created)
                        let count: Int
                        if forcedUnanswered {
                            count = 1
                            carry += postCounts[topicIndex] - 1
                        } else {
                            count = postCounts[topicIndex] + carry
                            carry = 0
                        }
                        // The thread's posts spread over its life (days to weeks, never past now), not bunched
                        // at its start or at the present moment.
                        let life = min(now.timeIntervalSince(created), (0.5 + rng.unit() * rng.unit() * 40) * day * Double(min(count, 40)) / 10)
                        var moments = (1..<max(1, count)).map { _ in rng.unit() }
                        moments.sort()
                        var t = created
                        var rows: [(id: Int64, parent: Int64?, who: String, body: String, at: Date)] = []
                        var answers = 0
                        for k in 0..<count {
                            let id = postId + Int64(k) + 1
                            let who = k == 0 ? author : member(at: t)
                            if who != author { answers += 1 }
                            let parent: Int64? = k == 0 ? nil : (rng.chance(0.5) ? rows[0].id : rows[rng.int(rows.count)].id)
                            var body = ""
                            for _ in 0..<(1 + rng.int(3)) {
                                if !body.isEmpty { body += " " }
                                body += DemoProgram.fill(rng.pick(DemoProgram.sentences), rng.pick(DemoProgram.subjects))
                            }
                            rows.append((id, parent, who, body, t))
                            if k < moments.count { t = max(t, created.addingTimeInterval(life * moments[k])) }
                        }
                        postId += Int64(count)
                        let last = rows.last!.at
                        // Most answered topics that went quiet weeks ago were resolved; a few requests stall.
                        let quietDays = now.timeIntervalSince(last) / day
                        let status: TopicStatus = answers == 0 ? .open : (rng.chance(quietDays > 10 ? 0.97 : 0.3) ? .resolved : .answered)
                        let formal = kind == .request && rng.chance(0.05)
                        try topicStmt.execute(arguments: [tid, kind.rawValue, title, author, status.rawValue, created.stored, last.stored, count, answers,
                                                          postId, formal ? now.addingTimeInterval((rng.unit() * 10 - 5) * day).stored : nil,
                                                          formal ? "problem-solving circle" : nil])
                        for r in rows { try postStmt.execute(arguments: [r.id, tid, r.parent, r.who, r.body, r.at.stored]) }
                        for _ in 0..<rng.int(4) { try tagStmt.execute(arguments: [rng.pick(DemoProgram.tags), tid]) }
                        // The demo's user has read older topics; recent activity stays unread.
                        if now.timeIntervalSince(last) > 3 * day { try readStmt.execute(arguments: [me.login, tid, postId]) }
                        topicIndex += 1
                    }
                let someTopics = try Int64.fetchAll(db, sql: "SELECT id FROM topic WHERE postCount > 3 ORDER BY id LIMIT 12")
                for (i, t) in someTopics.enumerated() {
                    var h = Highlight(topicId: t, by: rng.pick(active),
                                      why: rng.pick(["Two units found they had solved the same problem differently.",
                                                     "A newcomer got an answer from someone three time zones away.",
                                                     "Practical checklist that people reused the next week.",
                                                     "Honest disagreement that ended in a better plan."]),
                                      created: now.addingTimeInterval(-Double(i) * day))
                    try h.insert(db)
                }
                for i in 0..<min(8, d.peers / 4) {
                    var t = Testimonial(by: active[(i * 5 + 1) % active.count],
                                        text: rng.pick(["I found a mentor in a unit I had never worked with.",
                                                        "The program made it normal to ask for help.",
                                                        "Answering requests taught me as much as asking."]),
                                        shareable: i % 2 == 0, created: now.addingTimeInterval(-Double(i * 3) * day))
                    try t.insert(db)
                }
                // Flags in every state: one waiting for a champion, one kept, one whose post was hidden.
                let flagged = try Int64.fetchAll(db, sql: "SELECT id FROM post WHERE id < ? AND parentId IS NOT NULL ORDER BY id DESC LIMIT 3",
                                                 arguments: [postId / 2])
                for (i, p) in flagged.enumerated() {
                    var f = PostFlag(postId: p, by: active[(1 + i) % active.count],
                                     reason: ["Shares a customer's name", "Sounds dismissive of the newcomer", "Off topic"][i],
                                     created: now.addingTimeInterval(-Double(5 + i * 30) * 3600))
                    if i > 0 {
                        f.resolvedBy = me.login
                        f.resolvedAt = f.created.addingTimeInterval(3 * 3600)
                        f.resolution = i == 1 ? "kept: blunt, not rude; I asked them to soften it" : "hidden: a customer's details"
                        if i == 2 { try db.execute(sql: "UPDATE post SET hidden = 1 WHERE id = ?", arguments: [p]) }
                    }
                    try f.insert(db)
                }
                try db.execute(sql: "INSERT INTO postFts(postFts) VALUES ('rebuild')")
                try db.execute(sql: "INSERT INTO topicFts(topicFts) VALUES ('rebuild')")
                try Schema.createSearchTriggers(db)
                try CountSchema.rebuild(db)
                try CountSchema.createTriggers(db)
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM topic) WHERE name = 'topic'")
                try db.execute(sql: "INSERT OR REPLACE INTO sqlite_sequence(name, seq) VALUES ('post', ?)", arguments: [postId])
                try db.execute(sql: "INSERT OR REPLACE INTO sqlite_sequence(name, seq) VALUES ('topic', ?)", arguments: [d.topics])
                try db.execute(sql: "ANALYZE")
                try record(db, .program)   // sessions already open reload everything
                return .commit
            }
        }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
        return DemoProgram.Summary(peers: peers.count, topics: d.topics, posts: Int(try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM post") ?? 0 }),
                                   champions: peers.filter { $0.role == .champion }.map(\.login),
                                   unwelcomed: peers.filter { $0.welcomedAt == nil && !$0.isAlumni }.map(\.login))
    }
}
