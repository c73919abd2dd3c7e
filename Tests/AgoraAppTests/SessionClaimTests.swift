import AgoraApp
import AgoraCore
import AgoraScreen
@testable import AgoraStore
import AgoraTestSupport
import Foundation
import Testing

/// A champion's claims in a full-screen session are leases the session keeps alive and gives back when it ends.
@Suite struct SessionClaimTests {
    @Test func aSessionsClaimIsLeasedRenewedWhileItRunsAndReleasedWhenItEnds() throws {
        let program = try ProgramFile()
        let admin = try program.connection()
        try admin.updatePeer(Peer(login: "bo", name: "Bo Berg", role: .champion, joined: ProgramFile.t0), by: "lea", now: ProgramFile.t0)
        try admin.addPeer(Peer(login: "dee", name: "Dee New", joined: ProgramFile.t0), by: "lea", now: ProgramFile.t0)
        let bo = try LiveSession(program, as: "bo")
        let now = LiveSession.now
        #expect(bo.runner.state.snapshot.queue.contains { $0.key == "peer:dee" })
        // Claiming from the queue pane: 3, then c on the newcomer.
        try bo.press(.char("3"))
        let row = bo.runner.state.visibleQueue.firstIndex { $0.key == "peer:dee" }!
        for _ in 0..<row { try bo.press(.char("j")) }
        try bo.press(.char("c"))
        let held = try admin.liveClaims(now: now).first { $0.itemKey == "peer:dee" }
        #expect(held?.login == "bo")
        #expect(held?.session == bo.store.origin)
        let lease = try #require(held?.leaseUntil)
        #expect(lease > now && lease <= now.addingTimeInterval(ChampionQueue.leaseSeconds))
        // While the session runs it renews the lease before it lapses (the loop's only timer while it holds a claim).
        #expect(bo.runner.nextDeadline != nil)
        let due = try #require(bo.bridge.leaseRenewal)
        bo.clock = now.addingTimeInterval(ChampionQueue.leaseRenewSeconds)
        bo.bridge.renewLeasesIfDue(now: due)
        let renewed = try admin.liveClaims(now: bo.clock).first { $0.itemKey == "peer:dee" }?.leaseUntil
        #expect(renewed.map { $0 > lease } == true)
        // Leaving gives it back at once: another champion can take the newcomer.
        bo.finish()
        #expect(try admin.liveClaims(now: bo.clock).isEmpty)
    }

    @Test func aSessionWithoutClaimsHasNoTimerWhileIdle() throws {
        let program = try ProgramFile()
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        try ana.settle()
        #expect(ana.runner.nextDeadline == nil)
    }
}
