import AgoraCore
import Foundation
import Testing

/// What waits for a champion: unanswered topics, newcomers, flags, follow-ups, stalled requests, and what
/// champions do with them.
@Suite("Contract: champion queue") struct QueueContract {
    typealias G = ContractGiven

    static func unansweredHours(_ g: G) throws -> Double { Double(try #require(try g.store.program()).unansweredHours) }

    @Test(arguments: ContractBackend.all)
    func anUnansweredRequestEntersTheQueueAfterTheProgramsGracePeriod(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let h = try Self.unansweredHours(g)
        let t = try g.store.post(kind: .request, title: "Help with SQL", body: "?", by: "ana", now: G.t0)
        let key = "topic:\(t.topic)"
        #expect(try g.queueKeys(at: G.hours(h).addingTimeInterval(-60)).isEmpty)
        let items = try g.store.queue(for: "cham", now: G.hours(h))
        #expect(items.map(\.key) == [key])
        let item = try #require(items.first)
        #expect(item.kind == .unanswered)
        #expect(item.topicId == t.topic)
        #expect(item.who == "ana")
        #expect(item.title == "Help with SQL")
        #expect(item.since == G.hours(h))
        #expect(item.claim == nil)
        #expect(try g.queueKeys(for: "lea", at: G.hours(h)) == [key])
    }

    @Test(arguments: ContractBackend.all)
    func onlyTopicsThatAskWaitForAnAnswer(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let h = try Self.unansweredHours(g)
        let request = try g.store.post(kind: .request, title: "Request", body: "b", by: "ana", now: G.t0)
        let concern = try g.store.post(kind: .concern, title: "Concern", body: "b", by: "ana", now: G.t0)
        let question = try g.store.post(kind: .discussion, title: "Anyone tried Rust?", body: "b", by: "bo", now: G.t0)
        try g.store.post(kind: .discussion, title: "Notes from the offsite", body: "b", by: "bo", now: G.t0)
        try g.store.post(kind: .idea, title: "Idea", body: "b", by: "bo", now: G.t0)
        try g.store.post(kind: .resource, title: "Link", body: "b", by: "bo", now: G.t0)
        let keys = Set(try g.queueKeys(at: G.hours(h + 1)))
        #expect(keys == Set([request.topic, concern.topic, question.topic].map { "topic:\($0)" }))
    }

    @Test(arguments: ContractBackend.all)
    func aReplyBySomeoneElseTakesATopicOutOfTheQueueTheAuthorsOwnDoesNot(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let h = try Self.unansweredHours(g)
        let t = try g.store.post(kind: .request, title: "Help", body: "?", by: "ana", now: G.t0)
        let key = "topic:\(t.topic)"
        try g.store.reply(topic: t.topic, parent: nil, body: "still waiting", by: "ana", now: G.hours(h + 1))
        #expect(try g.queueKeys(at: G.hours(h + 2)) == [key])
        try g.store.reply(topic: t.topic, parent: nil, body: "here is how", by: "bo", now: G.hours(h + 3))
        #expect(try g.queueKeys(at: G.hours(h + 4)).isEmpty)
    }

    @Test(arguments: ContractBackend.all)
    func resolvedNoAnswerNeededAndAlumniTopicsLeaveTheQueue(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let h = try Self.unansweredHours(g)
        let resolved = try g.store.post(kind: .request, title: "R", body: "?", by: "ana", now: G.t0)
        let noNeed = try g.store.post(kind: .request, title: "N", body: "?", by: "ana", now: G.t0)
        let leaving = try g.store.post(kind: .request, title: "L", body: "?", by: "bo", now: G.t0)
        let now = G.hours(h + 1)
        #expect(Set(try g.queueKeys(at: now)) == Set([resolved, noNeed, leaving].map { "topic:\($0.topic)" }))
        expectRefused(exitCode: 4, "someone else's topic") { try g.store.setNoAnswerNeeded(noNeed.topic, true, by: "bo", now: now) }
        #expect(try g.queueKeys(at: now).contains("topic:\(noNeed.topic)"))
        try g.store.setStatus(resolved.topic, .resolved, by: "ana", now: now)
        try g.store.setNoAnswerNeeded(noNeed.topic, true, by: "ana", now: now)
        try g.store.peerLeave("bo", by: "lea", now: now)
        #expect(try g.queueKeys(at: now).isEmpty)
        try g.store.setNoAnswerNeeded(noNeed.topic, false, by: "ana", now: now)
        #expect(try g.queueKeys(at: now) == ["topic:\(noNeed.topic)"])
    }

    @Test(arguments: ContractBackend.all)
    func aNewcomerWaitsUntilWelcomed(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer(joined: G.at(5))
        let items = try g.store.queue(for: "cham", now: G.at(6))
        #expect(items.map(\.key) == ["peer:nina"])
        #expect(items.first?.kind == .newcomer)
        #expect(items.first?.who == "nina")
        #expect(items.first?.since == G.at(5))

        #expect(try g.store.welcome("nina", message: nil, by: "cham", now: G.at(7)) == nil)
        #expect(try g.queueKeys(at: G.at(8)).isEmpty)
        let nina = try #require(try g.store.peer("nina"))
        #expect(nina.welcomedBy == "cham")
        #expect(nina.welcomedAt == G.at(7))
        let again = expectRefused(exitCode: 1) { try g.store.welcome("nina", message: nil, by: "cara", now: G.at(9)) }
        #expect(again?.message.contains("cham") == true)
        expectRefused(exitCode: 3) { try g.store.welcome("nobody", message: nil, by: "cham", now: G.at(9)) }
        expectRefused(exitCode: 1, "an alumna") { try g.store.welcome("olga", message: nil, by: "cham", now: G.at(9)) }
    }

    @Test(arguments: ContractBackend.all)
    func aWelcomeWithAMessageStartsTheWelcomeTopic(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer(joined: G.at(1))
        let id = try #require(try g.store.welcome("nina", message: "Glad you are here!", by: "cham", now: G.at(2)))
        let thread = try g.store.thread(id)
        #expect(thread.topic.author == "cham")
        #expect(thread.topic.title.contains("Nina New"))
        #expect(thread.tags == ["welcome"])
        #expect(thread.posts.map(\.body) == ["Glad you are here!"])
        #expect(try g.store.topicSummary(id, for: "nina")?.unread == true)
        #expect(try g.store.topicSummary(id, for: "cham")?.unread == false)
        // It does not wait for an answer itself.
        #expect(try g.queueKeys(at: G.hours(100)).isEmpty)
    }

    @Test(arguments: ContractBackend.all)
    func aPeerSeesOnlyTheirOwnWaitingRequests(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let h = try Self.unansweredHours(g)
        let mine = try g.store.post(kind: .request, title: "Mine", body: "?", by: "ana", now: G.t0)
        let theirs = try g.store.post(kind: .request, title: "Theirs", body: "?", by: "bo", now: G.t0)
        try g.addNewcomer()
        try g.store.flag(post: theirs.post, reason: "rude", by: "ana", now: G.at(1))
        let now = G.hours(h + 1)
        #expect(try g.queueKeys(for: "ana", at: now) == ["topic:\(mine.topic)"])
        #expect(try g.store.queue(for: "cham", now: now).count == 4)
        #expect(try g.queueKeys(for: "stranger", at: now).isEmpty)
    }

    /// A peer's "Your open requests" and `topics --unanswered` are one rule (ChampionQueue.awaitsAnswer): a request
    /// the peer posted a minute ago is in both, though the champions see it only after the grace period.
    @Test(arguments: ContractBackend.all)
    func aPeersOwnRequestIsOpenFromTheMomentItIsPostedAsUnansweredListsIt(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let request = try g.store.post(kind: .request, title: "Mine", body: "?", by: "ana", now: G.t0)
        let question = try g.store.post(kind: .discussion, title: "Anyone tried Rust?", body: "b", by: "ana", now: G.t0)
        try g.store.post(kind: .idea, title: "An idea", body: "b", by: "ana", now: G.t0)
        let settled = try g.store.post(kind: .request, title: "Settled", body: "?", by: "ana", now: G.t0)
        try g.store.setStatus(settled.topic, .resolved, by: "ana", now: G.at(1))
        let soon = G.at(60)
        #expect(Set(try g.queueKeys(for: "ana", at: soon)) == Set([request.topic, question.topic].map { "topic:\($0)" }))
        #expect(Set(try g.topicIds(TopicQuery(unansweredOnly: true))) == [request.topic, question.topic])
        #expect(try g.queueKeys(at: soon).isEmpty)   // the champions' grace period
        // Each unanswered topic the store lists is one Core's rule says waits for an answer, and the other way round.
        let all = try g.store.topics(TopicQuery(), for: nil).map(\.topic)
        #expect(Set(all.filter(ChampionQueue.awaitsAnswer).compactMap(\.id)) == Set(try g.topicIds(TopicQuery(unansweredOnly: true))))
    }

    /// A flag's item carries its post, reason and flagger apart from the topic's title, and what champions
    /// escalated about it: what the TUI's row and detail line show.
    @Test(arguments: ContractBackend.all)
    func aFlagsItemSaysWhichPostWhyByWhomAndWhatWasEscalated(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .idea, title: "Pairing ideas", body: "a", by: "ana", now: G.t0)
        let reply = try g.store.reply(topic: t.topic, parent: nil, body: "rude words", by: "bo", now: G.at(1))
        let flag = try g.store.flag(post: reply, reason: "personal attack", by: "ana", now: G.at(2))
        try g.store.escalate("flag:\(flag)", note: "needs the leader", by: "cham", now: G.at(3))
        let item = try #require(try g.store.queue(for: "cham", now: G.at(4)).first { $0.key == "flag:\(flag)" })
        #expect(item.kind == .flagged)
        #expect(item.title == "Pairing ideas")
        #expect(item.reason == "personal attack")
        #expect(item.titleWithReason == "Pairing ideas — personal attack")
        #expect(item.postId == reply)
        #expect(item.topicId == t.topic)
        #expect(item.who == "ana")
        #expect(item.escalated == ["cham: needs the leader"])
    }

    @Test(arguments: ContractBackend.all)
    func theQueueIsOldestFirst(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let h = try Self.unansweredHours(g)
        try g.addNewcomer("nils", name: "Nils New", joined: G.hours(h + 2))   // waits from h + 2
        let t = try g.store.post(kind: .request, title: "Old", body: "?", by: "ana", now: G.hours(1))   // from h + 1
        try g.addNewcomer("nina", name: "Nina New", joined: G.hours(h + 3))
        let items = try g.store.queue(for: "cham", now: G.hours(h + 4))
        #expect(items.map(\.key) == ["topic:\(t.topic)", "peer:nils", "peer:nina"])
        #expect(items.map(\.since) == [G.hours(h + 1), G.hours(h + 2), G.hours(h + 3)])
        // The count `agora status` prints is the queue's length, for a champion and for the request's author.
        #expect(try g.store.queueCount(for: "cham", now: G.hours(h + 4)) == 3)
        #expect(try g.store.queueCount(for: "ana", now: G.hours(h + 4)) == 1, "a peer counts only their own requests")
    }

    @Test(arguments: ContractBackend.all)
    func followUpsAndStalledRequestsComeBack(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let program = try #require(try g.store.program())
        let followUp = G.hours(72)
        let dialogue = try g.store.post(kind: .discussion, title: "Agreement", body: "goals", tags: [], by: "ana", now: G.t0,
                                        template: nil, followUp: followUp, draftScope: "new")
        let request = try g.store.post(kind: .request, title: "Help", body: "?", by: "bo", now: G.t0)
        try g.store.reply(topic: request.topic, parent: nil, body: "try this", by: "ana", now: G.hours(1))
        #expect(try g.queueKeys(at: G.hours(71)).isEmpty)
        let due = try g.store.queue(for: "cham", now: followUp)
        #expect(due.map(\.key) == ["topic:\(dialogue.topic)"])
        #expect(due.first?.kind == .followUp)

        let stalledAt = G.hours(1 + Double(program.stalledDays) * 24)
        let stalled = try g.store.queue(for: "cham", now: stalledAt).first { $0.key == "topic:\(request.topic)" }
        #expect(stalled?.kind == .stalled)
        #expect(stalled?.since == stalledAt)
        // Any new post is activity: the request waits stalledDays again.
        try g.store.reply(topic: request.topic, parent: nil, body: "it worked", by: "bo", now: stalledAt)
        #expect(try g.queueKeys(at: stalledAt.addingTimeInterval(60)).contains("topic:\(request.topic)") == false)
        expectRefused(exitCode: 2, "a follow-up in the past") {
            try g.store.post(kind: .discussion, title: "Late", body: "b", tags: [], by: "ana", now: G.hours(10),
                             template: nil, followUp: G.hours(9).addingTimeInterval(-86400 * 365), draftScope: "new")
        }
    }

    @Test(arguments: ContractBackend.all)
    func aTemplateSetsTheFollowUp(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let template = try #require(try g.store.templates().first { $0.followUpDays != nil })
        #expect(try g.store.template(named: template.name) == template)
        let t = try g.store.post(kind: .discussion, title: "Circle", body: "context", tags: [], by: "ana", now: G.t0,
                                 template: template.name, followUp: nil, draftScope: "new")
        let topic = try g.topic(t.topic)
        #expect(topic.template == template.name)
        #expect(topic.followUp == G.t0.addingTimeInterval(Double(template.followUpDays!) * 86400))
        expectRefused(exitCode: 3) {
            try g.store.post(kind: .discussion, title: "X", body: "y", tags: [], by: "ana", now: G.t0, template: "no such template",
                             followUp: nil, draftScope: "new")
        }
    }

    @Test(arguments: ContractBackend.all)
    func aSnoozedItemStaysAwayUntilItsTime(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer()
        try g.store.snooze("peer:nina", until: G.hours(5), by: "cham", now: G.at(1))
        #expect(try g.queueKeys(at: G.hours(4)).isEmpty)
        #expect(try g.queueKeys(at: G.hours(5)) == ["peer:nina"])
        expectRefused(exitCode: 3, "not in the queue") { try g.store.snooze("peer:ana", until: G.hours(5), by: "cham", now: G.at(1)) }
        expectRefused(exitCode: 2, "not an item key") { try g.store.snooze("nina", until: G.hours(5), by: "cham", now: G.at(1)) }
        expectRefused(exitCode: 4, "a peer") { try g.store.snooze("peer:nina", until: G.hours(9), by: "ana", now: G.hours(6)) }
    }

    @Test(arguments: ContractBackend.all)
    func anEscalationWaitsWithItsItem(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer()
        let id = try g.store.escalate("peer:nina", note: "needs a mentor in Legal", by: "cham", now: G.at(1))
        let open = try g.store.openEscalations(now: G.at(2))
        #expect(open.map(\.id) == [id])
        #expect(open.first?.itemKey == "peer:nina")
        #expect(open.first?.by == "cham")
        #expect(open.first?.note == "needs a mentor in Legal")
        #expect(try g.queueKeys(at: G.at(2)) == ["peer:nina"])   // it stays in the queue
        try g.store.welcome("nina", message: nil, by: "cara", now: G.at(3))
        #expect(try g.store.openEscalations(now: G.at(4)).isEmpty)
        expectRefused(exitCode: 2, "no note") { try g.store.escalate("peer:nina", note: " ", by: "cham", now: G.at(1)) }
    }

    // MARK: Flags

    @Test(arguments: ContractBackend.all)
    func aFlagWaitsForAChampionWhoKeepsOrHidesThePost(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .idea, title: "Ideas", body: "fine", by: "ana", now: G.at(0))
        let rude = try g.store.reply(topic: t.topic, parent: nil, body: "a rude zebracorn remark", by: "bo", now: G.at(1))
        let flagId = try g.store.flag(post: rude, reason: "rude", by: "ana", now: G.at(2))
        let items = try g.store.queue(for: "cham", now: G.at(3))
        #expect(items.map(\.key) == ["flag:\(flagId)"])
        #expect(items.first?.kind == .flagged)
        #expect(items.first?.topicId == t.topic)
        #expect(items.first?.who == "ana")
        expectRefused(exitCode: 1, "flagging twice") { try g.store.flag(post: rude, reason: "still rude", by: "ana", now: G.at(3)) }
        expectRefused(exitCode: 2, "no reason") { try g.store.flag(post: rude, reason: "  ", by: "cham", now: G.at(3)) }
        expectRefused(exitCode: 3, "no such post") { try g.store.flag(post: 999_999, reason: "x", by: "ana", now: G.at(3)) }
        expectRefused(exitCode: 4, "a peer resolves") { try g.store.resolveFlag(flagId, hide: true, reason: "x", by: "bo", now: G.at(3)) }

        try g.store.resolveFlag(flagId, hide: true, reason: "not kind", by: "cham", now: G.at(4))
        #expect(try g.queueKeys(at: G.at(5)).isEmpty)
        let posts = try g.store.thread(t.topic).posts
        #expect(posts.first { $0.id == rude }?.hidden == true)
        #expect(posts.first { $0.id == t.post }?.hidden == false)
        expectRefused(exitCode: 1, "resolving twice") { try g.store.resolveFlag(flagId, hide: false, reason: "x", by: "cara", now: G.at(6)) }

        // Kept: the post stays as it was.
        let other = try g.store.flag(post: t.post, reason: "off topic", by: "bo", now: G.at(7))
        try g.store.resolveFlag(other, hide: false, reason: "it is on topic", by: "cara", now: G.at(8))
        #expect(try g.store.thread(t.topic).posts.first?.hidden == false)
        #expect(try g.queueKeys(at: G.at(9)).isEmpty)
    }
}
