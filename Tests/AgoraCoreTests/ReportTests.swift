import Foundation
import Testing
import AgoraCore

// A small program computed by hand. Monday 2027-01-04 00:00 UTC starts week 1; the report runs
// from then to Wednesday 2027-01-13 12:00 (two weeks, the second one partial).
private let monday = ISO8601DateFormatter().date(from: "2027-01-04T00:00:00Z")!
private let day = 86400.0
private func at(_ days: Double) -> Date { monday.addingTimeInterval(days * day) }
private let now = at(9.5)

private func peer(_ login: String, unit: String, region: String = "EMEA", generation: String = "X", joined: Double = -30, left: Double? = nil) -> Peer {
    Peer(login: login, name: login, unit: unit, region: region, generation: generation, joined: at(joined), left: left.map(at))
}

private func facts() -> ReportFacts {
    // Eng: 5 people (a group of its own); Sales 2 and Ops 1 merge into "other" (3: suppressed).
    var peers = (1...5).map { peer("e\($0)", unit: "Eng", region: $0 == 1 ? "APAC" : "EMEA") }
    peers += [peer("s1", unit: "Sales", generation: "Y"), peer("s2", unit: "Sales", joined: 8), peer("o1", unit: "Ops", left: 2)]
    let topics = [
        // a request answered after 2 h, one after 6 h, one never (older than the grace period), one too new to count
        ReportFacts.TopicFact(kind: .request, author: "s1", created: at(1), status: .answered, answerCount: 1, firstReply: at(1).addingTimeInterval(2 * 3600)),
        ReportFacts.TopicFact(kind: .request, author: "e1", created: at(2), status: .answered, answerCount: 2, firstReply: at(2).addingTimeInterval(6 * 3600)),
        ReportFacts.TopicFact(kind: .request, author: "e2", created: at(8)),
        ReportFacts.TopicFact(kind: .request, author: "e3", created: at(9.25)),
        ReportFacts.TopicFact(kind: .idea, author: "e4", created: at(8.5), firstReply: at(8.5).addingTimeInterval(10 * 3600)),
    ]
    let posts = [
        ReportFacts.PostFact(author: "s1", topicAuthor: "s1", created: at(1)),
        ReportFacts.PostFact(author: "e2", topicAuthor: "s1", created: at(1.1)),   // crosses unit and generation
        ReportFacts.PostFact(author: "e1", topicAuthor: "e1", created: at(2)),
        ReportFacts.PostFact(author: "e3", topicAuthor: "e1", created: at(2.3)),   // crosses region
        ReportFacts.PostFact(author: "s1", topicAuthor: "e1", created: at(2.5)),   // crosses unit, region, generation
        ReportFacts.PostFact(author: "e2", topicAuthor: "e2", created: at(8)),
        ReportFacts.PostFact(author: "e3", topicAuthor: "e3", created: at(9.25)),
        ReportFacts.PostFact(author: "e4", topicAuthor: "e4", created: at(8.5)),
        ReportFacts.PostFact(author: "e5", topicAuthor: "e4", created: at(8.9)),   // same unit, region, generation
    ]
    return ReportFacts(peers: peers, topics: topics, posts: posts, highlights: [at(3), at(-5)],
                       testimonials: [(at(4), true), (at(5), false)])
}

@Test func reportNumbersMatchTheHandComputedFixture() {
    let r = LeaderReport.compute(facts(), since: monday, now: now)
    #expect(r.weeks.map(\.start) == [monday, at(7)])
    // Week 1 ends with 6 members (o1 left on day 2); week 2 (to now) with 7 (s2 joined on day 8).
    #expect(r.weeks.map(\.members) == [6, 7])
    #expect(r.weeks.map(\.joined) == [0, 1])
    #expect(r.weeks.map(\.left) == [1, 0])
    #expect(r.weeks.map(\.topics) == [2, 3])
    #expect(r.weeks.map(\.posts) == [5, 4])
    #expect(r.weeks.map(\.activePeers) == [4, 4])   // {s1, e2, e1, e3} and {e2, e3, e4, e5}
    #expect(r.medianHoursToFirstReply == 6)          // 2, 6 and 10 hours
    #expect(r.requests == 3)                          // the 6-hour-old request is still in its grace period
    #expect(r.unansweredRequests == 1)
    #expect(r.replies == 4)
    #expect(r.crossUnit == 2)
    #expect(r.crossRegion == 2)
    #expect(r.crossGeneration == 2)
    #expect(r.highlights == 1)
    #expect(r.testimonials == 2 && r.shareableTestimonials == 1)
    #expect(r.members == 7 && r.alumni == 1)
}

@Test func requestsWithAnAcceptedAnswerAndTheMedianTimeToIt() {
    var f = facts()
    // s1's request: the reply after 2 h accepted; e1's: a later reply (after 12 h) accepted; an idea's after 3 h.
    f.topics[0].acceptedAnswer = at(1).addingTimeInterval(2 * 3600)
    f.topics[1].acceptedAnswer = at(2).addingTimeInterval(12 * 3600)
    f.topics[4].acceptedAnswer = at(8.5).addingTimeInterval(3 * 3600)
    let r = LeaderReport.compute(f, since: monday, now: now)
    #expect(r.requestsAnswered == 2 && r.requests == 3)
    #expect(r.medianHoursToAcceptedAnswer == 3)       // 2, 3 and 12 hours
    let md = r.markdown(programName: "Circle")
    #expect(md.contains("| Requests answered | 2 of 3 (an answer accepted) |"), "\(md)")
    #expect(md.contains("| Median to accepted answer | 3.0 h |"), "\(md)")
    let none = LeaderReport.compute(facts(), since: monday, now: now)
    #expect(none.requestsAnswered == 0 && none.medianHoursToAcceptedAnswer == nil)
    #expect(none.markdown(programName: "Circle").contains("| Median to accepted answer | — |"))
}

@Test func groupsSmallerThanFiveAreMergedAndAnOtherOfFewerThanFiveIsNotCounted() {
    let r = LeaderReport.compute(facts(), since: monday, now: now)
    #expect(r.byUnit.map(\.name) == ["Eng", "other"])
    #expect(r.byUnit[0].members == 5)
    #expect(r.byUnit[0].repliesGiven == 3)
    #expect(r.byUnit[1].members == nil)               // Sales 2: fewer than 5 even merged
    #expect(r.byUnit[1].activePeers == nil)
    // Regions: EMEA has 6 current members, APAC 1 → "other", not shown by number.
    #expect(r.byRegion.map(\.name) == ["EMEA", "other"])
    #expect(r.byRegion[0].members == 6)
    let md = r.markdown(programName: "Circle")
    #expect(md.contains("| other | <5 | — | — |"))
    #expect(!md.contains("Sales"))
    #expect(!md.contains("APAC"))
}

@Test func sparklinesAndBarsUseBlockCharacters() {
    #expect(LeaderReport.sparkline([0, 1, 2, 4]) == "▁▃▅█")
    #expect(LeaderReport.sparkline([0, 0]) == "▁▁")
    #expect(LeaderReport.bar(3, of: 4, width: 4) == "███")
    #expect(LeaderReport.bar(1, of: 16, width: 2) == "▏")
}
