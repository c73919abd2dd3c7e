import Foundation
import Testing
import AgoraCore
@testable import AgoraStore

// Rules, claims, queue actions, highlights, testimonials, matching and the report, against a
// fresh database per test with the clock set by the test (StoreGiven.at(minutes)).

private let hour = 60.0

/// A program with an unanswered request by ana that has waited past the 24 h grace period at `at(25 * hour)`.
private func givenRequest() throws -> (StoreGiven, Int64) {
    let g = try StoreGiven()
    let ids = try g.db.post(kind: .request, title: "Help with SQL joins", body: "Where do I start?", by: "ana", now: StoreGiven.t0)
    return (g, ids.topic)
}

private let later = StoreGiven.at(25 * hour)

@Suite struct RulesOfEngagementTests {
    @Test func aPeerMustAcceptNewRulesBeforePostingAndAgainAfterEachChange() throws {
        let g = try StoreGiven()
        // No rules yet: nothing to accept.
        try g.db.post(kind: .idea, title: "Hello", body: "Hi", by: "ana", now: StoreGiven.t0)
        #expect(try g.db.setRules("Be kind.", expectedReturn: "an hour a week", by: "lea", now: StoreGiven.at(1)) == 1)
        #expect(try g.db.program()?.expectedReturn == "an hour a week")
        #expect(throws: AgoraError.self) { try g.db.post(kind: .idea, title: "Again", body: "Hi", by: "ana", now: StoreGiven.at(2)) }
        // The leader who set them has accepted them.
        try g.db.post(kind: .idea, title: "Rules are up", body: "Read them", by: "lea", now: StoreGiven.at(2))
        #expect(try g.db.acknowledgeRules(by: "ana", now: StoreGiven.at(3)) == 1)
        try g.db.post(kind: .idea, title: "Again", body: "Hi", by: "ana", now: StoreGiven.at(4))
        // A new version asks again.
        #expect(try g.db.setRules("Be kind. Be brief.", by: "lea", now: StoreGiven.at(5)) == 2)
        #expect(try g.db.peer("ana")?.rulesAckVersion == 1)
        #expect(throws: AgoraError.self) { try g.db.reply(topic: 1, body: "x", by: "ana", now: StoreGiven.at(6)) }
        try g.db.acknowledgeRules(by: "ana", now: StoreGiven.at(7))
        try g.db.reply(topic: 1, body: "x", by: "ana", now: StoreGiven.at(8))
        #expect(try g.db.auditLog().contains { $0.action == "rules.set" && $0.detail == "version 2" })
    }

    @Test func onlyTheLeaderSetsTheRules() throws {
        let g = try StoreGiven()
        let e = #expect(throws: AgoraError.self) { try g.db.setRules("Mine", by: "cham", now: StoreGiven.t0) }
        #expect(e?.message.contains("only a leader") == true)
        #expect(try g.db.program()?.rulesVersion == 0)
    }
}

@Suite struct ClaimTests {
    @Test func oneChampionHoldsAClaimAndOthersSeeWho() throws {
        let (g, topic) = try givenRequest()
        try g.db.claim("topic:\(topic)", by: "cham", now: later)
        let e = #expect(throws: AgoraError.self) { try g.db.claim("topic:\(topic)", by: "lea", now: later.addingTimeInterval(12 * 60)) }
        #expect(e?.message == "topic:\(topic) is already claimed by Cham Pion (cham), 12m ago")
        let item = try g.db.queue(for: "lea", now: later).first { $0.key == "topic:\(topic)" }
        #expect(item?.claim?.login == "cham")
    }

    @Test func peersCannotClaimAndOnlyQueueItemsCanBeClaimed() throws {
        let (g, topic) = try givenRequest()
        #expect(throws: AgoraError.self) { try g.db.claim("topic:\(topic)", by: "bo", now: later) }
        let early = #expect(throws: AgoraError.self) { try g.db.claim("topic:\(topic)", by: "cham", now: StoreGiven.at(60)) }
        #expect(early?.exitCode == 3)   // not in the queue yet: still in its grace period
        #expect(throws: AgoraError.self) { try g.db.claim("topics:1", by: "cham", now: later) }
    }

    @Test func aClaimLapsesAfterAnHourWithoutActionAndReplyingKeepsItAlive() throws {
        let (g, topic) = try givenRequest()
        let key = "topic:\(topic)"
        try g.db.claim(key, by: "cham", now: later)
        #expect(throws: AgoraError.self) { try g.db.claim(key, by: "lea", now: later.addingTimeInterval(59 * 60)) }
        try g.db.claim(key, by: "lea", now: later.addingTimeInterval(61 * 60))
        #expect(try g.db.queue(for: "cham", now: later.addingTimeInterval(61 * 60)).first { $0.key == key }?.claim?.login == "lea")
    }

    @Test func aSessionClaimIsALeaseThatLapsesUnlessRenewedAndEndsWithItsSession() throws {
        let (g, topic) = try givenRequest()
        let key = "topic:\(topic)"
        // A session that died (killed, or its host went away) stops renewing: its lease lapses by itself.
        try g.db.claim(key, by: "cham", session: "dead-session", now: later)
        let lapsed = later.addingTimeInterval(ChampionQueue.leaseSeconds + 1)
        #expect(try g.db.queue(for: "lea", now: later).first { $0.key == key }?.claim?.login == "cham")
        #expect(try g.db.queue(for: "lea", now: lapsed).first { $0.key == key }?.claim == nil)
        // A live session renews its lease and keeps the claim past the first lease.
        try g.db.claim(key, by: "lea", session: "live-session", now: lapsed)
        let renewedAt = lapsed.addingTimeInterval(ChampionQueue.leaseRenewSeconds)
        try g.db.renewLeases(session: "live-session", by: "lea", now: renewedAt)
        let afterFirstLease = lapsed.addingTimeInterval(ChampionQueue.leaseSeconds + 1)
        #expect(try g.db.liveClaims(now: afterFirstLease).map(\.login) == ["lea"])
        // Another person's renewal does not extend it.
        try g.db.renewLeases(session: "live-session", by: "cham", now: afterFirstLease)
        #expect(try g.db.liveClaims(now: renewedAt.addingTimeInterval(ChampionQueue.leaseSeconds + 1)).isEmpty)
        // The session ends properly: its claims go at once.
        try g.db.claim(key, by: "lea", session: "live-session", now: afterFirstLease)
        try g.db.releaseSessionClaims(session: "live-session", by: "lea", now: afterFirstLease)
        #expect(try g.db.liveClaims(now: afterFirstLease).isEmpty)
        // Resolving the topic releases a claim made from the command line.
        try g.db.claim(key, by: "cham", now: afterFirstLease)
        try g.db.setStatus(topic, .resolved, by: "cham", now: afterFirstLease)
        #expect(try g.db.liveClaims(now: afterFirstLease).isEmpty)
    }

    @Test func releaseIsForTheHolderOrTheLeader() throws {
        let g = try StoreGiven()
        try g.db.claim("peer:ana", by: "cham", now: StoreGiven.at(10))
        #expect(throws: AgoraError.self) { try g.db.release("peer:ana", by: "bo", now: StoreGiven.at(11)) }
        try g.db.release("peer:ana", by: "cham", now: StoreGiven.at(12))
        #expect(try g.db.liveClaims(now: StoreGiven.at(12)).isEmpty)
        #expect(throws: AgoraError.self) { try g.db.release("peer:ana", by: "cham", now: StoreGiven.at(13)) }
        // The leader may free an item a champion holds.
        try g.db.claim("peer:bo", by: "cham", now: StoreGiven.at(14))
        try g.db.release("peer:bo", by: "lea", now: StoreGiven.at(15))
        #expect(try g.db.auditLog().first?.detail == "claim of cham")
    }

    /// Two processes claim the same item at the same moment: exactly one wins, each time.
    @Test func twoProcessesClaimingAtOnceHaveExactlyOneWinner() throws {
        let dir = try StoreGiven.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("agora.db").path
        let g = try StoreGiven(SQLiteStore.open(path: path))
        try g.db.addPeer(Peer(login: "cora", name: "Cora Champ", role: .champion, joined: StoreGiven.t0), by: "lea", now: StoreGiven.t0)
        let binary = try agoraBinary()
        for login in ["ana", "bo", "cham", "cora"] {   // four newcomers to welcome: four races
            var runs: [(Process, String)] = []
            for champion in ["cham", "cora"] {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: binary)
                p.arguments = ["claim", "peer:\(login)", "--db", path, "--as", champion]
                var env = ProcessInfo.processInfo.environment
                env["AGORA_NOW"] = "2026-11-26T11:00:00Z"
                p.environment = env
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                p.standardInput = FileHandle.nullDevice
                runs.append((p, champion))
            }
            for (p, _) in runs { try p.run() }
            for (p, _) in runs { p.waitUntilExit() }
            let winners = runs.filter { $0.0.terminationStatus == 0 }.map(\.1)
            #expect(winners.count == 1, "peer:\(login): \(runs.map { "\($0.1) exit \($0.0.terminationStatus)" })")
            #expect(runs.filter { $0.0.terminationStatus == 5 }.count == 1)   // the loser is told it is claimed
            let holder = try g.db.liveClaims(now: StoreGiven.at(60)).first { $0.itemKey == "peer:\(login)" }?.login
            #expect(holder == winners.first)
        }
    }
}

/// The built `agora` next to the test bundle ($AGORA_BIN overrides).
func agoraBinary() throws -> String {
    if let env = ProcessInfo.processInfo.environment["AGORA_BIN"], !env.isEmpty { return env }
    for start in [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL] {
        var dir = start.deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("agora").path
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
    }
    throw AgoraError("the agora binary was not found next to the tests", hint: "build it first, or set AGORA_BIN")
}

@Suite struct QueueActionTests {
    @Test func welcomingANewcomerTakesThemOutOfTheQueueWithAWelcomeTopic() throws {
        let g = try StoreGiven()
        #expect(try g.db.queue(for: "cham", now: StoreGiven.at(5)).contains { $0.key == "peer:bo" })
        try g.db.claim("peer:bo", by: "cham", now: StoreGiven.at(5))
        let topic = try g.db.welcome("bo", message: "Welcome, Bo! Ask anything.", by: "cham", now: StoreGiven.at(6))
        #expect(try !g.db.queue(for: "cham", now: StoreGiven.at(7)).contains { $0.key == "peer:bo" })
        #expect(try g.db.peer("bo")?.welcomedBy == "cham")
        #expect(try g.db.thread(topic!).topic.title == "Welcome, Bo Berg!")
        #expect(try g.db.liveClaims(now: StoreGiven.at(7)).isEmpty)
        #expect(try g.db.auditLog().first?.action == "welcome")
        #expect(throws: AgoraError.self) { try g.db.welcome("bo", by: "lea", now: StoreGiven.at(8)) }
        #expect(throws: AgoraError.self) { try g.db.welcome("ana", by: "bo", now: StoreGiven.at(8)) }
    }

    @Test func aFlagWaitsUntilAChampionKeepsOrHidesThePost() throws {
        let (g, topic) = try givenRequest()
        let post = try g.db.reply(topic: topic, body: "spam spam", by: "bo", now: StoreGiven.at(10))
        let flag = try g.db.flag(post: post, reason: "spam", by: "ana", now: StoreGiven.at(11))
        #expect(try g.db.queue(for: "cham", now: StoreGiven.at(12)).contains { $0.key == "flag:\(flag)" })
        #expect(throws: AgoraError.self) { try g.db.resolveFlag(flag, hide: true, reason: "spam", by: "ana", now: StoreGiven.at(13)) }
        try g.db.resolveFlag(flag, hide: true, reason: "spam", by: "cham", now: StoreGiven.at(13))
        #expect(try g.db.thread(topic).posts.first { $0.id == post }?.hidden == true)
        #expect(try !g.db.queue(for: "cham", now: StoreGiven.at(14)).contains { $0.key == "flag:\(flag)" })
        let log = try g.db.auditLog()
        #expect(log.contains { $0.action == "flag.hide" && $0.detail == "spam" })
        #expect(log.contains { $0.action == "flag" && $0.actor == "ana" })
    }

    @Test func snoozeEscalateAndNoAnswerNeeded() throws {
        let (g, topic) = try givenRequest()
        let key = "topic:\(topic)"
        try g.db.escalate(key, note: "sensitive: HR question", by: "cham", now: later)
        #expect(try g.db.openEscalations(now: later).map(\.note) == ["sensitive: HR question"])
        try g.db.snooze(key, until: later.addingTimeInterval(48 * 3600), by: "cham", now: later)
        #expect(try !g.db.queue(for: "cham", now: later.addingTimeInterval(47 * 3600)).contains { $0.key == key })
        #expect(try g.db.queue(for: "cham", now: later.addingTimeInterval(48 * 3600)).contains { $0.key == key })
        #expect(throws: AgoraError.self) { try g.db.setNoAnswerNeeded(topic, by: "bo", now: later) }
        try g.db.setNoAnswerNeeded(topic, by: "ana", now: later)
        #expect(try !g.db.queue(for: "cham", now: later.addingTimeInterval(72 * 3600)).contains { $0.key == key })
        #expect(try g.db.auditLog().map(\.action).prefix(3) == ["topic.no-answer-needed", "snooze", "escalate"])
    }
}

@Suite struct ValueTests {
    @Test func highlightsListNewestFirstAndCheckThePostIsInTheTopic() throws {
        let (g, topic) = try givenRequest()
        let reply = try g.db.reply(topic: topic, body: "Start with INNER JOIN.", by: "bo", now: StoreGiven.at(5))
        try g.db.highlight(topic: topic, why: "A clear question", by: "cham", now: StoreGiven.at(6))
        try g.db.highlight(topic: topic, post: reply, why: "Saved me a day", by: "ana", now: StoreGiven.at(7))
        #expect(try g.db.highlights().map(\.highlight.why) == ["Saved me a day", "A clear question"])
        #expect(try g.db.highlights().first?.byName == "Ana Lima")
        #expect(throws: AgoraError.self) { try g.db.highlight(topic: topic, post: 999, why: "x", by: "ana", now: StoreGiven.at(8)) }
        #expect(throws: AgoraError.self) { try g.db.highlight(topic: topic, why: "  ", by: "ana", now: StoreGiven.at(8)) }
    }

    @Test func privateTestimonialsAreSeenByTheirAuthorAndTheLeaderOnly() throws {
        let g = try StoreGiven()
        try g.db.addTestimonial("I found a mentor.", shareable: true, by: "ana", now: StoreGiven.at(1))
        try g.db.addTestimonial("Just for the leader.", shareable: false, by: "bo", now: StoreGiven.at(2))
        #expect(try g.db.testimonials(for: "lea").count == 2)
        #expect(try g.db.testimonials(for: "bo").map(\.text) == ["Just for the leader.", "I found a mentor."])
        #expect(try g.db.testimonials(for: "ana").map(\.text) == ["I found a mentor."])
        #expect(try g.db.export(by: "lea").testimonials.map(\.text) == ["I found a mentor."])
    }

    @Test func matchesComeFromProfilesAndSayWhy() throws {
        let g = try StoreGiven()
        var ana = try #require(try g.db.peer("ana"))
        ana.goals = "SQL"
        try g.db.updatePeer(ana, by: "ana", now: StoreGiven.at(1))
        var bo = try #require(try g.db.peer("bo"))
        bo.offers = "SQL, Excel"
        try g.db.updatePeer(bo, by: "lea", now: StoreGiven.at(1))
        #expect(throws: AgoraError.self) { try g.db.updatePeer(bo, by: "ana", now: StoreGiven.at(1)) }
        let list = try g.db.matches(for: "ana", by: "ana", now: StoreGiven.at(2))
        #expect(list.map(\.login) == ["bo"])
        #expect(list.first?.explanation == "offers: SQL · other unit · other region · no posts yet · no open requests")
        #expect(throws: AgoraError.self) { try g.db.matches(for: "bo", by: "bo", now: StoreGiven.at(2)) }   // no goals
    }

    @Test func theReportIsForTheLeader() throws {
        let (g, _) = try givenRequest()
        #expect(throws: AgoraError.self) { try g.db.report(since: StoreGiven.t0, by: "cham", now: later) }
        let r = try g.db.report(since: StoreGiven.at(-7 * 24 * 60), by: "lea", now: later)
        #expect(r.members == 4 && r.alumni == 1)   // lea, cham, ana, bo; olga left
        #expect(r.requests == 1 && r.unansweredRequests == 1)
        #expect(r.weeks.last?.posts == 1)
    }
}
