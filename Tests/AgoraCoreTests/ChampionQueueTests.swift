import Foundation
import Testing
import AgoraCore

// Each queue rule against a clock the test sets: no sleeping, no wall clock.
private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private let hour = 3600.0
private let program = Program(name: "P", created: t0.addingTimeInterval(-100 * 86400))

private func facts(topics: [Topic] = [], newcomers: [Peer] = [], flags: [(flag: PostFlag, topicId: Int64, title: String)] = [],
                   claims: [Claim] = [], snoozed: [String: Date] = [:], alumni: Set<String> = []) -> QueueFacts {
    QueueFacts(topics: topics, newcomers: newcomers, flags: flags, claims: claims, snoozedUntil: snoozed, alumni: alumni)
}

private func request(_ id: Int64, kind: TopicKind = .request, title: String = "Help with SQL", created: Date = t0,
                     answers: Int = 0, last: Date? = nil) -> Topic {
    Topic(id: id, kind: kind, title: title, author: "bob", created: created, lastActivity: last ?? created, postCount: 1 + answers,
          answerCount: answers)
}

@Test func anUnansweredRequestJoinsTheQueueAfterTheGracePeriod() {
    let f = facts(topics: [request(1)])
    #expect(ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(23 * hour)).isEmpty)
    let items = ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(24 * hour))
    #expect(items.map(\.key) == ["topic:1"])
    #expect(items.first?.kind == .unanswered)
    #expect(items.first?.since == t0.addingTimeInterval(24 * hour))
}

@Test func onlyTopicsThatAskWaitForAnAnswer() {
    let later = t0.addingTimeInterval(30 * hour)
    let f = facts(topics: [request(1, kind: .idea), request(2, kind: .discussion, title: "Pairing?"),
                           request(3, kind: .discussion, title: "Pairing notes"), request(4, kind: .concern)])
    #expect(ChampionQueue.build(f, program: program, now: later).map(\.key) == ["topic:2", "topic:4"])
    var noAnswer = request(5)
    noAnswer.noAnswerNeeded = true
    #expect(ChampionQueue.build(facts(topics: [noAnswer]), program: program, now: later).isEmpty)
}

@Test func aNewcomerWaitsForAWelcomeFromTheMomentTheyJoin() {
    let newbie = Peer(login: "new", name: "New", joined: t0)
    let items = ChampionQueue.build(facts(newcomers: [newbie]), program: program, now: t0.addingTimeInterval(hour))
    #expect(items.map(\.key) == ["peer:new"])
    #expect(items[0].age == .fresh)
    var welcomed = newbie
    welcomed.welcomedAt = t0
    #expect(ChampionQueue.build(facts(newcomers: [welcomed]), program: program, now: t0.addingTimeInterval(hour)).isEmpty)
}

@Test func aRequestStallsAfterSevenQuietDays() {
    let f = facts(topics: [request(1, answers: 1, last: t0)])
    #expect(ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(6 * 86400)).isEmpty)
    #expect(ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(7 * 86400)).map(\.kind) == [.stalled])
}

@Test func aFollowUpComesBackWhenDue() {
    var t = request(1, kind: .idea, answers: 1)
    t.followUp = t0.addingTimeInterval(48 * hour)
    #expect(ChampionQueue.build(facts(topics: [t]), program: program, now: t0.addingTimeInterval(47 * hour)).isEmpty)
    #expect(ChampionQueue.build(facts(topics: [t]), program: program, now: t0.addingTimeInterval(48 * hour)).map(\.kind) == [.followUp])
}

@Test func openFlagsWaitAndResolvedOnesDoNot() {
    var open = PostFlag(id: 3, postId: 9, by: "ann", reason: "rude", created: t0)
    var done = PostFlag(id: 4, postId: 9, by: "ann", reason: "rude", created: t0)
    done.resolvedAt = t0
    let items = ChampionQueue.build(facts(flags: [(open, 1, "Topic"), (done, 1, "Topic")]), program: program, now: t0)
    #expect(items.map(\.key) == ["flag:3"])
    #expect(items[0].title == "Topic")
    #expect(items[0].reason == "rude")
    #expect(items[0].postId == 9)
    #expect(items[0].who == "ann")
    #expect(items[0].titleWithReason == "Topic — rude")
    open.resolvedAt = t0
    _ = open
}

@Test func escalationNotesGoWithTheirItemsOnly() {
    let f = QueueFacts(topics: [request(1)], newcomers: [], flags: [], claims: [], snoozedUntil: [:], alumni: [],
                       escalations: [Escalation(itemKey: "topic:1", by: "cho", note: "needs the leader", created: t0),
                                     Escalation(itemKey: "topic:99", by: "cho", note: "long settled", created: t0)])
    let items = ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(30 * hour))
    #expect(items.map(\.escalated) == [["cho: needs the leader"]])
}

@Test func snoozedItemsReturnWhenTheSnoozeEnds() {
    let f = facts(topics: [request(1)], snoozed: ["topic:1": t0.addingTimeInterval(50 * hour)])
    #expect(ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(30 * hour)).isEmpty)
    #expect(ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(50 * hour)).count == 1)
}

@Test func alumniTopicsLeaveTheQueue() {
    let f = facts(topics: [request(1)], alumni: ["bob"])
    #expect(ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(30 * hour)).isEmpty)
}

@Test func agesGoFreshDueOverdueAndTheOldestComesFirst() {
    let f = facts(topics: [request(1, created: t0), request(2, created: t0.addingTimeInterval(-50 * hour))])
    let items = ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(30 * hour))
    #expect(items.map(\.key) == ["topic:2", "topic:1"])
    #expect(items.map(\.age) == [.overdue, .fresh])   // waiting 56 h and 6 h
    #expect(ChampionQueue.age(since: t0, now: t0.addingTimeInterval(12 * hour)) == .due)
}

@Test func aClaimLapsesAfterAnHourWithoutAction() {
    let claim = Claim(itemKey: "topic:1", login: "ana", claimedAt: t0.addingTimeInterval(24 * hour), lastActed: t0.addingTimeInterval(24 * hour))
    let f = facts(topics: [request(1)], claims: [claim])
    #expect(ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(24 * hour + 59 * 60)).first?.claim?.login == "ana")
    #expect(ChampionQueue.build(f, program: program, now: t0.addingTimeInterval(25 * hour)).first?.claim == nil)
}
