import Foundation
import Testing
import AgoraCore

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let day = 86400.0

private func peer(_ login: String, unit: String = "Sales", region: String = "EMEA", generation: String = "Gen Z",
                  goals: String = "", offers: String = "", left: Date? = nil) -> Peer {
    Peer(login: login, name: login.capitalized, unit: unit, region: region, generation: generation, goals: goals, offers: offers,
         joined: now.addingTimeInterval(-100 * day), left: left)
}

@Test func offersThatMeetTheGoalsComeFirstAndCrossingBoundariesBreaksTies() {
    let seeker = peer("sam", goals: "SQL, public speaking")
    let candidates = [
        MatchCandidate(peer: peer("same", offers: "SQL"), lastActive: now.addingTimeInterval(-day)),
        MatchCandidate(peer: peer("cross", unit: "Finance", region: "APAC", generation: "Boomer", offers: "SQL, Excel"),
                       lastActive: now.addingTimeInterval(-2 * day)),
        MatchCandidate(peer: peer("both", offers: "sql tuning, public speaking"), lastActive: now.addingTimeInterval(-day)),
        MatchCandidate(peer: peer("none", unit: "Finance", offers: "Excel"), lastActive: now),
        MatchCandidate(peer: peer("gone", unit: "Finance", offers: "SQL", left: now.addingTimeInterval(-day))),
    ]
    let list = Matching.suggest(for: seeker, among: candidates, now: now)
    #expect(list.map(\.login) == ["both", "cross", "same"])
    #expect(list[1].explanation == "offers: SQL · other unit · other region · other generation · active 2d ago · no open requests")
    #expect(list[0].offers == ["sql tuning", "public speaking"])
}

@Test func overloadedAndQuietPeopleSinkBelowAvailableOnes() {
    let seeker = peer("sam", goals: "writing")
    let candidates = [
        MatchCandidate(peer: peer("busy", unit: "Ops", offers: "writing"), openRequests: 3, lastActive: now),
        MatchCandidate(peer: peer("free", unit: "Ops", offers: "Writing"), openRequests: 0, lastActive: now.addingTimeInterval(-3 * day)),
        MatchCandidate(peer: peer("quiet", unit: "Ops", offers: "writing"), openRequests: 0, lastActive: now.addingTimeInterval(-90 * day)),
    ]
    let list = Matching.suggest(for: seeker, among: candidates, now: now)
    #expect(list.map(\.login) == ["free", "quiet", "busy"])
    #expect(list[2].reasons.last == "3 open requests")
    #expect(list[1].reasons.contains("quiet for 3mo"))
}

@Test func nobodyIsSuggestedToThemselves() {
    let me = peer("sam", goals: "SQL", offers: "SQL")
    #expect(Matching.suggest(for: me, among: [MatchCandidate(peer: me)], now: now).isEmpty)
}
