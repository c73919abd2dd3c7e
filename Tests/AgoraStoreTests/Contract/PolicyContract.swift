import AgoraCore
import Foundation
import Testing

/// Who may write what, and how much: refusals are `AgoraError`s with the CLI's exit status, and leave nothing behind.
@Suite("Contract: policy and limits") struct PolicyContract {
    typealias G = ContractGiven

    /// Nothing of a refused write is visible: no topic, no post, no change in the log.
    static func expectNothingStored(_ g: G, since mark: Int64, topics: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try g.store.topics().count == topics, sourceLocation: sourceLocation)
        #expect(try g.changes(since: mark).changes.isEmpty, "a refused write logged a change", sourceLocation: sourceLocation)
    }

    @Test(arguments: ContractBackend.all)
    func strangersAndAlumniCannotPostOrReply(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .idea, title: "Idea", body: "Body", by: "ana", now: G.at(0))
        let mark = try g.mark()
        for who in ["olga", "stranger"] {
            let p = expectRefused(exitCode: 4, "\(who) posts") { try g.store.post(kind: .idea, title: "X", body: "Y", by: who, now: G.at(1)) }
            expectRefused(exitCode: 4, "\(who) replies") { try g.store.reply(topic: t.topic, parent: nil, body: "Y", by: who, now: G.at(1)) }
            expectRefused(exitCode: 4, "\(who) flags") { try g.store.flag(post: t.post, reason: "spam", by: who, now: G.at(1)) }
            expectRefused(exitCode: 4, "\(who) highlights") { try g.store.highlight(topic: t.topic, why: "good", by: who, now: G.at(1)) }
            #expect(p?.message.contains(who == "olga" ? "left the program" : "not a member") == true, "\(p.map(\.message) ?? "")")
        }
        try Self.expectNothingStored(g, since: mark, topics: 1)
        #expect(try g.store.thread(t.topic).posts.count == 1)
        // Alumni still read.
        #expect(try g.store.thread(t.topic, for: "olga").posts.count == 1)
    }

    @Test(arguments: ContractBackend.all)
    func onlyTheLeaderSetsTheQueueThresholdsAndWithinTheirRanges(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let wanted = ProgramSettings(unansweredHours: 48, welcomeHours: 12, stalledDays: 14, claimMinutes: 30)
        let mark = try g.mark()
        expectRefused(exitCode: 4, "a champion sets them") { try g.store.updateSettings(wanted, by: "cham", now: G.at(1)) }
        let bad = expectRefused(exitCode: 2, "a claim of 2 minutes") {
            try g.store.updateSettings(ProgramSettings(unansweredHours: 48, welcomeHours: 12, stalledDays: 14, claimMinutes: 2), by: "lea", now: G.at(1))
        }
        #expect(bad?.message == "a claim holds is 5 to 1440 minutes, not 2")
        #expect(try g.changes(since: mark).changes.isEmpty)
        try g.store.updateSettings(wanted, by: "lea", now: G.at(2))
        let p = try #require(try g.store.program())
        #expect(ProgramSettings(p) == wanted)
    }

    @Test(arguments: ContractBackend.all)
    func peersCannotDoChampionsOrLeadersWork(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer()
        let mark = try g.mark()
        expectRefused(exitCode: 4) { try g.store.welcome("nina", by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 4) { try g.store.claim("peer:nina", by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 4) { try g.store.addPeer(Peer(login: "new1", name: "New", joined: G.t0), by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 4) { try g.store.addPeer(Peer(login: "new1", name: "New", joined: G.t0), by: "cham", now: G.at(1)) }
        expectRefused(exitCode: 4) { try g.store.setRules("Mine", by: "cham", now: G.at(1)) }
        expectRefused(exitCode: 4) { try g.store.peerLeave("bo", by: "ana", now: G.at(1)) }
        var promoted = try #require(try g.store.peer("ana"))
        promoted.role = .leader
        expectRefused(exitCode: 4) { try g.store.updatePeer(promoted, by: "ana", now: G.at(1)) }
        var renamed = try #require(try g.store.peer("bo"))
        renamed.name = "Not Bo"
        expectRefused(exitCode: 4, "editing someone else's profile") { try g.store.updatePeer(renamed, by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 4, "a stranger accepts the rules") { try g.store.acknowledgeRules(by: "stranger", now: G.at(1)) }
        try Self.expectNothingStored(g, since: mark, topics: 0)
        #expect(try g.store.peer("new1") == nil)
        #expect(try g.store.peer("ana")?.role == .peer)
        #expect(try g.store.peer("bo")?.name == "Bo Berg")
        #expect(try g.store.peer("nina")?.welcomedAt == nil)
        #expect(try g.store.program()?.rulesVersion == 0)
    }

    @Test(arguments: ContractBackend.all)
    func newRulesMustBeAcceptedBeforeWriting(_ backend: ContractBackend) throws {
        let g = try G(backend)
        #expect(try g.store.setRules("Be kind", expectedReturn: "an hour a week", by: "lea", now: G.at(1)) == 1)
        let program = try #require(try g.store.program())
        #expect(program.rulesVersion == 1)
        #expect(program.rulesText == "Be kind")
        #expect(program.expectedReturn == "an hour a week")
        // The leader who set them has accepted them.
        try g.store.post(kind: .idea, title: "Welcome", body: "Read the rules", by: "lea", now: G.at(2))
        let e = expectRefused(exitCode: 4) { try g.store.post(kind: .idea, title: "X", body: "Y", by: "ana", now: G.at(2)) }
        #expect(e?.hint?.contains("rules ack") == true)
        #expect(try g.store.acknowledgeRules(by: "ana", now: G.at(3)) == 1)
        #expect(try g.store.peer("ana")?.rulesAckVersion == 1)
        try g.store.post(kind: .idea, title: "X", body: "Y", by: "ana", now: G.at(4))
        #expect(try g.store.topics().count == 2)
        #expect(try g.store.setRules("Be kinder", by: "lea", now: G.at(5)) == 2)
        expectRefused(exitCode: 4) { try g.store.post(kind: .idea, title: "Z", body: "Y", by: "ana", now: G.at(6)) }
    }

    @Test(arguments: ContractBackend.all)
    func addingPeersIsAllOrNothing(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let mark = try g.mark()
        let e = expectRefused(exitCode: 1) {
            try g.store.addPeers([Peer(login: "fine", name: "Fine", joined: G.t0), Peer(login: "ana", name: "Dup", joined: G.t0)],
                                 by: "lea", now: G.at(1))
        }
        #expect(e?.message.contains("ana") == true)
        expectRefused(exitCode: 2, "an invalid login") {
            try g.store.addPeers([Peer(login: "fine", name: "Fine", joined: G.t0), Peer(login: "no spaces", name: "Bad", joined: G.t0)],
                                 by: "lea", now: G.at(1))
        }
        expectRefused(exitCode: 1, "bringing back an active member") {
            try g.store.syncMembership(add: [Peer(login: "fine", name: "Fine", joined: G.t0)], rejoin: ["ana"], leave: ["bo"],
                                       by: "lea", now: G.at(1))
        }
        #expect(try g.store.peer("fine") == nil)
        #expect(try g.store.peer("ana")?.name == "Ana Lima")
        #expect(try g.store.peer("bo")?.isAlumni == false)
        #expect(try g.changes(since: mark).changes.isEmpty)
    }

    @Test(arguments: ContractBackend.all)
    func aProgramKeepsOneProgramAndAnActiveLeader(_ backend: ContractBackend) throws {
        let g = try G(backend)
        expectRefused(exitCode: 1) {
            try g.store.createProgram(name: "Other", purpose: "", leader: Peer(login: "x", name: "X", joined: G.t0), now: G.at(1))
        }
        #expect(try g.store.program()?.name == "Circle")
        expectRefused(exitCode: 4, "the only leader leaves") { try g.store.peerLeave("lea", by: "lea", now: G.at(1)) }
        var demoted = try #require(try g.store.peer("lea"))
        demoted.role = .peer
        expectRefused(exitCode: 4, "the only leader steps down") { try g.store.updatePeer(demoted, by: "lea", now: G.at(1)) }
        #expect(try g.store.leaders().map(\.login) == ["lea"])
    }

    @Test(arguments: ContractBackend.all)
    func anEmptyStoreRefusesWritesAndSaysHowToStart(_ backend: ContractBackend) throws {
        let p = try backend.makeProgram()
        #expect(try p.store.program() == nil)
        #expect(try p.store.topics().isEmpty)
        let e = expectRefused(exitCode: 1) { try p.store.post(kind: .idea, title: "X", body: "Y", by: "ana", now: G.t0) }
        #expect(e?.hint?.contains("agora init") == true)
    }

    // MARK: Limits

    @Test(arguments: ContractBackend.all)
    func overLongOrEmptyTextIsRefusedAndNothingStored(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .idea, title: "A", body: "a", by: "ana", now: G.at(0))
        let mark = try g.mark()
        let longTitle = String(repeating: "t", count: Limits.title + 1)
        let longBody = String(repeating: "b", count: Limits.bodyBytes + 1)
        let e = expectRefused(exitCode: 2) { try g.store.post(kind: .idea, title: longTitle, body: "b", by: "ana", now: G.at(1)) }
        #expect(e?.message.contains("\(Limits.title)") == true)
        expectRefused(exitCode: 2) { try g.store.post(kind: .idea, title: "T", body: longBody, by: "ana", now: G.at(1)) }
        // Multi-byte text counts in bytes: 16,385 four-byte characters are over 64 KiB.
        expectRefused(exitCode: 2) { try g.store.post(kind: .idea, title: "T", body: String(repeating: "😀", count: Limits.bodyBytes / 4 + 1), by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 2) { try g.store.post(kind: .idea, title: "   ", body: "b", by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 2) { try g.store.post(kind: .idea, title: "T", body: " \n\t ", by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 2) { try g.store.post(kind: .idea, title: "T", body: "b", tags: (0...Limits.tagsPerTopic).map { "t\($0)" }, by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 2) { try g.store.post(kind: .idea, title: "T", body: "b", tags: ["no/slash"], by: "ana", now: G.at(1)) }
        expectRefused(exitCode: 2) { try g.store.reply(topic: t.topic, parent: nil, body: longBody, by: "bo", now: G.at(1)) }
        expectRefused(exitCode: 2) { try g.store.reply(topic: t.topic, parent: nil, body: "  ", by: "bo", now: G.at(1)) }
        try Self.expectNothingStored(g, since: mark, topics: 1)
        #expect(try g.store.thread(t.topic).posts.count == 1)
        #expect(try g.topic(t.topic).postCount == 1)
        #expect(try g.store.unreadCounts(for: "ana") == (topics: 0, posts: 0))
        #expect(try g.store.search("bbbb").isEmpty)
    }

    @Test(arguments: ContractBackend.all)
    func textRightAtTheLimitsIsKeptWhole(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let title = String(repeating: "t", count: Limits.title)
        let body = String(repeating: "é", count: Limits.bodyBytes / 2)   // two bytes each: exactly 64 KiB
        let tags = (1...Limits.tagsPerTopic).map { "tag\($0)" }
        let t = try g.store.post(kind: .idea, title: title, body: body, tags: tags, by: "ana", now: G.at(0))
        let thread = try g.store.thread(t.topic)
        #expect(thread.topic.title == title)
        #expect(thread.posts.first?.body == body)
        #expect(thread.tags.count == Limits.tagsPerTopic)
        let r = try g.store.reply(topic: t.topic, parent: nil, body: body, by: "bo", now: G.at(1))
        #expect(try g.store.thread(t.topic).posts.last.map { $0.id == r && $0.body.utf8.count == Limits.bodyBytes } == true)
    }
}
