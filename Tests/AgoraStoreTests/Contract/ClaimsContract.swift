import AgoraCore
import AgoraTestSupport
import Foundation
import Testing

/// Claims on queue items: one champion at a time, lapsing when nobody acts or the session stops renewing.
@Suite("Contract: claims") struct ClaimsContract {
    typealias G = ContractGiven

    static func holder(_ s: any Store, _ key: String, at now: Date) throws -> String? {
        try s.queue(for: "lea", now: now).first { $0.key == key }?.claim?.login
    }

    @Test(arguments: ContractBackend.all)
    func oneChampionWinsTheOtherIsToldWhoHoldsIt(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer()
        let claim = try g.store.claim("peer:nina", by: "cham", session: nil, now: G.at(1))
        #expect(claim.itemKey == "peer:nina")
        #expect(claim.login == "cham")
        #expect(claim.claimedAt == G.at(1))
        let e = expectRefused(exitCode: 5) { try g.store.claim("peer:nina", by: "cara", session: nil, now: G.at(2)) }
        #expect(e?.message.contains("cham") == true, "the refusal names the holder: \(e?.message ?? "")")
        #expect(e?.message.contains("Cham Pion") == true)
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(3)) == "cham")
        #expect(try g.store.liveClaims(now: G.at(3)).map(\.login) == ["cham"])

        // Claiming your own claim again keeps it, and when it started.
        let again = try g.store.claim("peer:nina", by: "cham", session: nil, now: G.at(4))
        #expect(again.claimedAt == G.at(1))
        #expect(try g.store.liveClaims(now: G.at(5)).count == 1)
    }

    @Test(arguments: ContractBackend.all)
    func onlyQueueItemsCanBeClaimedAndOnlyByChampions(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer()
        let t = try g.store.post(kind: .idea, title: "Idea", body: "b", by: "ana", now: G.t0)
        expectRefused(exitCode: 3, "a welcomed peer") { try g.store.claim("peer:ana", by: "cham", session: nil, now: G.at(1)) }
        expectRefused(exitCode: 3, "a topic not waiting") { try g.store.claim("topic:\(t.topic)", by: "cham", session: nil, now: G.at(1)) }
        expectRefused(exitCode: 2, "not an item key") { try g.store.claim("nina", by: "cham", session: nil, now: G.at(1)) }
        expectRefused(exitCode: 2, "not an item key") { try g.store.claim("topic:x", by: "cham", session: nil, now: G.at(1)) }
        expectRefused(exitCode: 4, "a peer") { try g.store.claim("peer:nina", by: "ana", session: nil, now: G.at(1)) }
        expectRefused(exitCode: 4, "a stranger") { try g.store.claim("peer:nina", by: "stranger", session: nil, now: G.at(1)) }
        #expect(try g.store.liveClaims(now: G.at(2)).isEmpty)
    }

    @Test(arguments: ContractBackend.all)
    func aClaimIsReleasedByItsHolderOrTheLeader(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer()
        try g.store.claim("peer:nina", by: "cham", session: nil, now: G.at(1))
        expectRefused(exitCode: 4, "another champion") { try g.store.release("peer:nina", by: "cara", now: G.at(2)) }
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(2)) == "cham")
        try g.store.release("peer:nina", by: "cham", now: G.at(3))
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(3)) == nil)
        expectRefused(exitCode: 3, "nothing to release") { try g.store.release("peer:nina", by: "cham", now: G.at(4)) }

        try g.store.claim("peer:nina", by: "cara", session: nil, now: G.at(5))
        try g.store.release("peer:nina", by: "lea", now: G.at(6))
        #expect(try g.store.liveClaims(now: G.at(6)).isEmpty)
        try g.store.claim("peer:nina", by: "cham", session: nil, now: G.at(7))
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(7)) == "cham")
    }

    @Test(arguments: ContractBackend.all)
    func dealingWithAnItemEndsItsClaim(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let h = Double(try #require(try g.store.program()).unansweredHours)
        try g.addNewcomer()
        let t = try g.store.post(kind: .request, title: "Help", body: "?", by: "ana", now: G.t0)
        let now = G.hours(h + 1)
        try g.store.claim("peer:nina", by: "cham", session: nil, now: now)
        try g.store.claim("topic:\(t.topic)", by: "cara", session: nil, now: now)
        try g.store.welcome("nina", message: nil, by: "cham", now: now.addingTimeInterval(60))
        try g.store.setStatus(t.topic, .resolved, by: "cara", now: now.addingTimeInterval(60))
        #expect(try g.store.liveClaims(now: now.addingTimeInterval(120)).isEmpty)
    }

    @Test(arguments: ContractBackend.all)
    func aClaimLapsesWhenItsHolderStopsActingUnlessTheyAct(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let program = try #require(try g.store.program())
        let h = Double(program.unansweredHours), minutes = Double(program.claimMinutes)
        let t = try g.store.post(kind: .request, title: "Help", body: "?", by: "ana", now: G.t0)
        let key = "topic:\(t.topic)"
        let start = G.hours(h + 1)
        try g.store.claim(key, by: "cham", session: nil, now: start)
        #expect(try Self.holder(g.store, key, at: start.addingTimeInterval(minutes * 60 - 1)) == "cham")
        #expect(try Self.holder(g.store, key, at: start.addingTimeInterval(minutes * 60)) == nil)
        #expect(try g.store.liveClaims(now: start.addingTimeInterval(minutes * 60)).isEmpty)
        // Someone else may take a lapsed claim.
        try g.store.claim(key, by: "cara", session: nil, now: start.addingTimeInterval(minutes * 60))
        #expect(try Self.holder(g.store, key, at: start.addingTimeInterval(minutes * 60 + 1)) == "cara")

        // Escalating is acting on it: the claim lives claimMinutes from then.
        let acted = start.addingTimeInterval(minutes * 60 + 600)
        try g.store.escalate(key, note: "needs the leader", by: "cara", now: acted)
        #expect(try Self.holder(g.store, key, at: acted.addingTimeInterval(minutes * 60 - 1)) == "cara")
    }

    @Test(arguments: ContractBackend.all)
    func theHoldersReplyKeepsTheClaimAliveNobodyElsesDoes(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let minutes = Double(try #require(try g.store.program()).claimMinutes)
        // Two dialogues whose follow-up is due: a reply does not take them out of the queue.
        let mine = try g.store.post(kind: .discussion, title: "Agreement A", body: "goals", tags: [], by: "ana", now: G.t0,
                                    template: nil, followUp: G.hours(2), draftScope: "new")
        let theirs = try g.store.post(kind: .discussion, title: "Agreement B", body: "goals", tags: [], by: "ana", now: G.t0,
                                      template: nil, followUp: G.hours(2), draftScope: "new")
        let start = G.hours(3)
        try g.store.claim("topic:\(mine.topic)", by: "cham", session: nil, now: start)
        try g.store.claim("topic:\(theirs.topic)", by: "cara", session: nil, now: start)
        let later = start.addingTimeInterval(minutes * 60 - 60)
        try g.store.reply(topic: mine.topic, parent: nil, body: "how is it going?", by: "cham", now: later)
        try g.store.reply(topic: theirs.topic, parent: nil, body: "how is it going?", by: "bo", now: later)
        let lapse = start.addingTimeInterval(minutes * 60)
        #expect(try Self.holder(g.store, "topic:\(mine.topic)", at: lapse) == "cham")
        #expect(try Self.holder(g.store, "topic:\(theirs.topic)", at: lapse) == nil)
        #expect(try Self.holder(g.store, "topic:\(mine.topic)", at: later.addingTimeInterval(minutes * 60)) == nil)
    }

    // MARK: Leases

    @Test(arguments: ContractBackend.all)
    func aSessionsClaimLapsesWithoutRenewal(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer()
        let lease = ChampionQueue.leaseSeconds
        let c = try g.store.claim("peer:nina", by: "cham", session: "tui-1", now: G.at(1))
        #expect(c.session == "tui-1")
        #expect(c.leaseUntil == G.at(1).addingTimeInterval(lease))
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(1).addingTimeInterval(lease - 1)) == "cham")
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(1).addingTimeInterval(lease)) == nil)
        #expect(try g.store.liveClaims(now: G.at(1).addingTimeInterval(lease)).isEmpty)
        try g.store.claim("peer:nina", by: "cara", session: nil, now: G.at(1).addingTimeInterval(lease))
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(1).addingTimeInterval(lease + 1)) == "cara")
    }

    @Test(arguments: ContractBackend.all)
    func renewingExtendsTheLeaseOfThatSessionOnly(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer("nina", name: "Nina New")
        try g.addNewcomer("nils", name: "Nils New")
        let lease = ChampionQueue.leaseSeconds, every = ChampionQueue.leaseRenewSeconds
        let start = G.at(1)
        try g.store.claim("peer:nina", by: "cham", session: "tui-1", now: start)
        try g.store.claim("peer:nils", by: "cham", session: "tui-2", now: start)
        // tui-1 stays alive and renews on time; tui-2 died; a renewal by someone else's session changes nothing.
        var now = start
        for _ in 0..<3 {
            now = now.addingTimeInterval(every)
            try g.store.renewLeases(session: "tui-1", by: "cham", now: now)
            try g.store.renewLeases(session: "tui-2", by: "cara", now: now)
        }
        let check = start.addingTimeInterval(lease + 1)
        #expect(check < now.addingTimeInterval(lease))
        #expect(try Self.holder(g.store, "peer:nina", at: check) == "cham")
        #expect(try Self.holder(g.store, "peer:nils", at: check) == nil)
        #expect(try g.store.liveClaims(now: check).map(\.itemKey) == ["peer:nina"])
        expectRefused(exitCode: 5) { try g.store.claim("peer:nina", by: "cara", session: "tui-3", now: check) }
        // It lapses a lease after the last renewal.
        #expect(try Self.holder(g.store, "peer:nina", at: now.addingTimeInterval(lease - 1)) == "cham")
        #expect(try Self.holder(g.store, "peer:nina", at: now.addingTimeInterval(lease)) == nil)
    }

    @Test(arguments: ContractBackend.all)
    func anEndingSessionDropsItsClaimsOnly(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer("nina", name: "Nina New")
        try g.addNewcomer("nils", name: "Nils New")
        try g.addNewcomer("noor", name: "Noor New")
        try g.store.claim("peer:nina", by: "cham", session: "tui-1", now: G.at(1))
        try g.store.claim("peer:nils", by: "cham", session: "tui-2", now: G.at(1))
        try g.store.claim("peer:noor", by: "cham", session: nil, now: G.at(1))
        try g.store.releaseSessionClaims(session: "tui-1", by: "cara", now: G.at(2))   // not cara's session
        #expect(try g.store.liveClaims(now: G.at(2)).count == 3)
        try g.store.releaseSessionClaims(session: "tui-1", by: "cham", now: G.at(2))
        #expect(Set(try g.store.liveClaims(now: G.at(2)).map(\.itemKey)) == ["peer:nils", "peer:noor"])
        try g.store.claim("peer:nina", by: "cara", session: nil, now: G.at(3))
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(3)) == "cara")
    }

    // MARK: Sessions at once

    @Test(arguments: ContractBackend.all)
    func aClaimInOneSessionHoldsInAnother(_ backend: ContractBackend) throws {
        let g = try G(backend)
        guard let other = try g.openSession() else { return }
        try g.addNewcomer()
        try g.store.claim("peer:nina", by: "cham", session: "tui-1", now: G.at(1))
        #expect(try Self.holder(other, "peer:nina", at: G.at(2)) == "cham")
        let e = expectRefused(exitCode: 5) { try other.claim("peer:nina", by: "cara", session: "tui-2", now: G.at(2)) }
        #expect(e?.message.contains("cham") == true)
        try g.store.releaseSessionClaims(session: "tui-1", by: "cham", now: G.at(3))
        try other.claim("peer:nina", by: "cara", session: "tui-2", now: G.at(4))
        #expect(try Self.holder(g.store, "peer:nina", at: G.at(4)) == "cara")
    }

    @Test(arguments: ContractBackend.all)
    func manySessionsClaimingAtOnceMakeExactlyOneHolder(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let n = 8
        let champions = (0..<n).map { "champ\($0)" }
        try g.store.addPeers(champions.map { Peer(login: $0, name: "Champion \($0)", role: .champion, joined: G.t0) }, by: "lea", now: G.t0)
        for c in champions { try g.store.welcome(c, message: nil, by: "lea", now: G.t0) }
        try g.addNewcomer(joined: G.at(1))
        guard try g.openSession() != nil else { return }
        let sessions = ThreadShared(try (0..<n).map { _ in try #require(try g.openSession()) })
        let mark = try g.mark()

        for round in 0..<3 {
            let key = "peer:nina"
            let now = G.at(10 + Double(round) * 100)
            let won = ThreadCollected<String>(), refused = ThreadCollected<AgoraError>(), failed = ThreadCollected<String>()
            onThreads(n) { i in
                do {
                    let c = try sessions.value[i].claim(key, by: champions[i], session: "s\(i)", now: now)
                    won.append(c.login)
                } catch let e as AgoraError {
                    refused.append(e)
                } catch {
                    failed.append("\(error)")
                }
            }
            #expect(won.all.count == 1, "round \(round): winners \(won.all)")
            #expect(refused.all.count == n - 1)
            #expect(failed.all.isEmpty)
            let winner = try #require(won.all.first)
            for e in refused.all {
                #expect(e.exitCode == 5, "\(e)")
                #expect(e.message.contains(winner), "the refusal names the winner \(winner): \(e.message)")
            }
            let fresh = try #require(try g.openSession())
            #expect(try fresh.liveClaims(now: now).map(\.login) == [winner])
            let i = try #require(champions.firstIndex(of: winner))
            try sessions.value[i].releaseSessionClaims(session: "s\(i)", by: winner, now: now.addingTimeInterval(1))
        }
        // Three claims and three releases were logged, and nothing for the refused claims.
        let logged = try g.changes(since: mark).changes
        #expect(logged.count == 6)
        let origins = Set(sessions.value.map(\.origin))
        #expect(logged.allSatisfy { origins.contains($0.origin) }, "each change carries the origin of the session that made it")
    }
}
