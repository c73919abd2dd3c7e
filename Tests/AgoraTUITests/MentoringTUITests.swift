import Foundation
import Testing
import AgoraCore
import AgoraScreen
import AgoraTUI
import AgoraTestSupport

// The mentoring surfaces of the TUI: accepting rules, claims in the queue, welcoming, highlights,
// the leader's report and matches on a profile, driven by keys as a person would.

private func champion(size: Size = Size(width: 80, height: 24)) -> TUIHarness {
    TUIHarness(size: size)   // ana, a champion
}

@Test func acceptingTheRulesOpensTheProgramAndTellsTheStore() {
    var snapshot = Fixtures.smallProgram()
    snapshot.me?.rulesAckVersion = 0
    let h = TUIHarness(snapshot: snapshot)
    #expect(h.state.stage == .rules)
    let mark = h.effects.count
    h.press(.char("a"))
    #expect(h.effects(since: mark) == [.acknowledgeRules])
    #expect(h.state.stage == .main)
    #expect(h.screen.last?.contains("rules accepted") == true)
}

@Test func cClaimsAnItemAndCAgainReleasesIt() {
    let h = champion()
    h.press(.char("3"))
    var mark = h.effects.count
    h.press(.char("c"))   // topic:4, the oldest, unclaimed
    #expect(h.effects(since: mark) == [.claim(key: "topic:4")])
    #expect(h.screen.last?.hasPrefix(" claimed topic:4") == true)
    // The store answers with a snapshot in which ana holds it.
    var snapshot = Fixtures.smallProgram()
    snapshot.queue[0].claimedBy = "ana"
    snapshot.queue[0].claimedAt = Fixtures.now
    h.send(.snapshot(snapshot))
    #expect(h.screen[3].contains("claimed by ana now"))
    mark = h.effects.count
    h.press(.char("c"))
    #expect(h.effects(since: mark) == [.release(key: "topic:4")])
}

@Test func anItemClaimedBySomeoneElseSaysByWhomAndIsNotClaimedTwice() {
    var snapshot = Fixtures.smallProgram(me: "maria")
    snapshot.me?.role = .champion
    let h = TUIHarness(snapshot: snapshot, login: "maria")
    h.press(.char("3"), .char("G"))   // topic:3, claimed by ana 20 minutes ago
    let mark = h.effects.count
    h.press(.char("c"))
    #expect(h.effects(since: mark).isEmpty)
    #expect(trimmedScreen(h).last == " already claimed by Ana Lima (ana), 20m")
    #expect(trimmedScreen(h)[5].hasSuffix("claimed by ana 20m"))
}

@Test func peersCannotClaim() {
    let h = TUIHarness(snapshot: Fixtures.smallProgram(me: "zoe"), login: "zoe")
    h.press(.char("3"))
    let mark = h.effects.count
    h.press(.char("c"))
    #expect(h.effects(since: mark).isEmpty)
}

@Test func welcomingOpensAWelcomeTopicInItsOwnDraftSlot() {
    let h = champion()
    h.press(.char("3"), .char("j"))   // peer:zoe
    // An unsent new topic waits in the "new" draft slot; the welcome must not touch it.
    h.drafts["new"] = Draft(login: "ana", scope: "new", kind: .idea, title: "My long idea", body: "half written", saved: Fixtures.now)
    let mark = h.effects.count
    h.press(.char("w"))
    #expect(h.effects(since: mark) == [.loadDraft(scope: "welcome:zoe")])
    #expect(h.state.overlay == .composer)
    #expect(h.state.composer?.title.text == "Welcome, Zoë 🚀!")
    #expect(h.state.composer?.tags.text == "welcome")
    #expect(h.screen.last?.contains("write zoe a welcome; sending marks them welcomed") == true)
    h.type("Glad you're here")
    h.press(.ctrl("x"))
    #expect(h.effects.last == .post(kind: .discussion, title: "Welcome, Zoë 🚀!", tags: ["welcome"], body: "Glad you're here", scope: "welcome:zoe"))
    #expect(h.drafts["new"]?.body == "half written")
    // On a topic item, w explains itself instead.
    let other = champion()
    other.press(.char("3"), .char("w"))
    #expect(other.screen.last?.contains("w welcomes newcomers") == true)
}

@Test func resolveAndSnoozeFromTheQueue() {
    let h = champion()
    h.press(.char("3"))
    var mark = h.effects.count
    h.press(.char("x"))
    #expect(h.effects(since: mark) == [.hold(.resolveTopic(4), key: "topic:4")])
    h.press(.char("u"))   // taken back: the item is there again
    mark = h.effects.count
    h.press(.char("z"))
    #expect(h.effects(since: mark) == [.hold(.snooze(key: "topic:4", until: Fixtures.now.addingTimeInterval(86400)), key: "topic:4")])
}

@Test func hHighlightsATopicAfterAskingWhy() {
    let h = champion()
    h.press(.char("h"))
    #expect(h.screen.last?.hasPrefix(" what made it valuable: ") == true)
    h.type("Practical first steps")
    let mark = h.effects.count
    h.press(.enter)
    #expect(h.effects(since: mark) == [.highlight(topicId: 1, postId: nil, why: "Practical first steps")])
    // In the reader, H highlights the selected post.
    h.press(.enter, .char("n"), .char("H"))
    h.type("Kind and concrete")
    h.press(.enter)
    #expect(h.effects.last == .highlight(topicId: 1, postId: 104, why: "Kind and concrete"))   // the first unread is 103; n moves on
}

private func highlightRows() -> [HighlightRow] {
    [
        HighlightRow(id: 2, topicId: 1, postId: 102, topicTitle: "How do I get started with code review?", by: "maria",
                     why: "Concrete first steps", created: Fixtures.ago(3 * Fixtures.hour)),
        HighlightRow(id: 1, topicId: 2, topicTitle: "Monthly lightning talks", by: "zoe", why: "Brought three teams together",
                     created: Fixtures.ago(2 * Fixtures.day)),
    ]
}

@Test func theHighlightsPaneListsNewestFirstAndOpensTheTopic() {
    let h = TUIHarness()
    let mark = h.effects.count
    h.press(.char("5"))
    #expect(h.effects(since: mark) == [.loadHighlights])
    h.send(.highlights(highlightRows()))
    expectScreen(h, [
        " Mentoring Circle             Ana Lima (ana) · champion · 2 unread · 3 in queue",
        "  1 Topics   2 Peers   3 Queue   4 Reader   5 Highlights   6 Report   7 Inbox",
        " Highlights (2) · newest first",
        "▌  3h How do I get started w… “Concrete first steps”             Maria Santos",
        "   2d Monthly lightning talks “Brought three teams together”     Zoë 🚀",
    ] + Array(repeating: "", count: 18) + [
        " Enter open  ? more  q quit  N next unread",
    ])
    h.press(.enter)
    #expect(h.state.pane == .reader)
    #expect(h.state.reader.current?.thread.topic.id == 1)
}

private func sampleReport() -> LeaderReport {
    let monday = LeaderReport.weekStart(Fixtures.now.addingTimeInterval(-21 * Fixtures.day))
    let active = [3, 5, 4, 8], topics = [2, 4, 1, 6], posts = [9, 12, 5, 20]
    var weeks: [LeaderReport.Week] = []
    for i in 0..<4 {
        let start = monday.addingTimeInterval(Double(i) * 7 * Fixtures.day)
        weeks.append(LeaderReport.Week(start: start, members: 10 + i, joined: 1, left: 0,
                                       activePeers: active[i], topics: topics[i], posts: posts[i]))
    }
    var report = LeaderReport(since: monday, until: Fixtures.now, weeks: weeks, members: 13, alumni: 1, medianHoursToFirstReply: 5.5,
                        requests: 8, unansweredRequests: 2, unansweredShare: 0.25, replies: 30, crossUnit: 18, crossRegion: 9,
                        crossGeneration: 12, highlights: 4, testimonials: 3, shareableTestimonials: 2,
                        byUnit: [.init(name: "Platform", members: 8, activePeers: 5, repliesGiven: 20),
                                 .init(name: "other", members: 5, activePeers: 2, repliesGiven: 10)],
                        byRegion: [], byGeneration: [])
    report.requestsAnswered = 5
    report.medianHoursToAcceptedAnswer = 30
    return report
}

@Test func theReportPaneDrawsNumbersSparklinesAndBarsForTheLeader() {
    let h = TUIHarness(snapshot: Fixtures.smallProgram(me: "maria"), login: "maria")
    let mark = h.effects.count
    h.press(.char("6"))
    #expect(h.effects(since: mark) == [.loadReport])
    h.send(.report(sampleReport()))
    expectScreen(h, [
        " Mentoring Circle         Maria Santos (maria) · leader · 2 unread · 3 in queue",
        "  1 Topics   2 Peers   3 Queue   4 Reader   5 Highlights   6 Report   7 Inbox",
        " Report 2026-05-04 to 2026-05-28 · groups under 5 merged into \"other\"",
        "",
        "  Members                      13 (1 alumni)",
        "  Median time to first reply   5.5 h",
        "  Unanswered requests          2 of 8 (25%)",
        "  Requests answered            5 of 8 (an answer accepted)",
        "  Median to accepted answer    30.0 h",
        "  Replies to others            30",
        "  … across units               18 (60%)",
        "  … across regions             9 (30%)",
        "  … across generations         12 (40%)",
        "  Highlights                   4",
        "  Testimonials                 3 (2 shareable)",
        "",
        " Week by week (4 weeks)",
        "  members                      ▆▇▇█  last 13",
        "  active peers                 ▄▅▅█  last 8",
        "  topics                       ▃▆▂█  last 6",
        "  posts                        ▄▅▃█  last 20",
        "",
        " Members by unit                                                      more ↓ (j)",
        " x export  S settings  ? more  q quit  N next unread",
    ])
}

@Test func aReportTallerThanTheScreenScrollsToItsTrends() {
    let h = TUIHarness(snapshot: Fixtures.smallProgram(me: "maria"), login: "maria")
    h.press(.char("6"))
    var report = sampleReport()
    report.trends = [TagTrend(tag: "remote", recent: 5, previous: 1), TagTrend(tag: "hiring", recent: 0, previous: 3)]
    h.send(.report(report))
    #expect(h.screen[22].hasSuffix("more ↓ (j)"))
    #expect(!h.screen.contains { $0.contains("Tags, last 30 days") })
    h.press(.pageDown)
    #expect(h.screen.contains { $0.contains("Tags, last 30 days against the 30 before") })
    #expect(h.screen.contains { $0.contains("▲ remote") && $0.contains("5 (+4)") })
    #expect(h.screen.contains { $0.contains("▼ hiring") && $0.contains("0 (-3)") })
    #expect(!h.screen.contains { $0.contains("more ↓") })
    h.press(.char("g"))
    #expect(h.screen[2].contains("Report 2026-05-04"))
}

/// The scroll stops where the drawn report ends (it is measured without drawing): one `k` from the end moves at once.
@Test func theReportsMeasuredEndIsWhereItsDrawingEnds() {
    let h = TUIHarness(snapshot: Fixtures.smallProgram(me: "maria"), login: "maria")
    h.press(.char("6"))
    var report = sampleReport()
    report.trends = [TagTrend(tag: "remote", recent: 5, previous: 1), TagTrend(tag: "hiring", recent: 0, previous: 3)]
    h.send(.report(report))
    h.press(.char("G"))
    #expect(h.screen[22].contains("▼ hiring"))
    #expect(!h.screen.contains { $0.contains("more ↓") })
    h.press(.char("k"))
    #expect(h.screen[22].contains("▲ remote"))
    #expect(h.screen[22].hasSuffix("more ↓ (j)"))
}

@Test func theReportIsOnlyForTheLeader() {
    let h = champion()
    let mark = h.effects.count
    h.press(.char("6"))
    #expect(h.effects(since: mark).isEmpty)
    #expect(h.screen[3].contains("The report is for the program leader."))
}

@Test func mOnAProfileSuggestsPeersWithReasons() {
    let h = champion()
    h.press(.char("2"), .enter)   // the first peer in the directory: Ana Lima
    let login = h.state.selectedPeer!.login
    let mark = h.effects.count
    h.press(.char("m"))
    #expect(h.effects(since: mark) == [.loadMatches(login: login)])
    h.send(.matches(login: login, [MatchSuggestion(login: "zoe", name: "Zoë 🚀", score: 20, offers: ["UX research"],
                                                    reasons: ["offers: UX research", "other unit", "active 2h ago"])]))
    #expect(h.screen.contains { $0.contains("Suggested peers") })
    #expect(h.screen.contains { $0.contains("Zoë 🚀 (zoe)") && $0.contains("offers: UX research · other unit · active 2h ago") })
}

@Test func bangFlagsTheSelectedPostWithAReason() {
    let h = TUIHarness()
    h.press(.enter)   // topic 1, on its first unread post
    let post = h.state.reader.current!.thread.lines[h.state.reader.current!.selected].post.id!
    h.press(.char("!"))
    #expect(h.screen.last?.hasPrefix(" why flag this post: ") == true)
    var mark = h.effects.count
    h.press(.enter)   // no reason: refused, the prompt stays
    #expect(h.effects(since: mark).isEmpty)
    #expect(h.screen.last?.contains("say why") == true)
    h.press(.char("!"))
    h.type("Shares a customer's name")
    mark = h.effects.count
    h.press(.enter)
    #expect(h.effects(since: mark) == [.flag(postId: post, reason: "Shares a customer's name")])
}

@Test func aChampionKeepsOrHidesAFlaggedPostFromTheQueue() {
    var snapshot = Fixtures.smallProgram()
    snapshot.queue.append(QueueRow(kind: .flagged, key: "flag:7", title: "Flagged in: On-call burnout",
                                   since: Fixtures.ago(31 * 3600), topicId: 4))
    let h = TUIHarness(snapshot: snapshot)
    h.press(.char("3"))
    #expect(h.state.selectedQueueRow?.key == "flag:7")   // the oldest first
    h.press(.char("X"))
    #expect(h.screen.last?.hasPrefix(" hide the post, because: ") == true)
    h.type("Names a customer")
    var mark = h.effects.count
    h.press(.enter)
    #expect(h.effects(since: mark) == [.hold(.resolveFlag(id: 7, hide: true, reason: "Names a customer"), key: "flag:7")])
    h.press(.char("u"))   // taken back: the flag waits again
    h.press(.char("x"))
    #expect(h.screen.last?.hasPrefix(" keep the post, because: ") == true)
    h.type("Fine as it is")
    mark = h.effects.count
    h.press(.enter)
    #expect(h.effects(since: mark) == [.hold(.resolveFlag(id: 7, hide: false, reason: "Fine as it is"), key: "flag:7")])
    h.press(.char("u"))
    // X on anything but a flag says what it is for.
    h.press(.char("j"))
    mark = h.effects.count
    h.press(.char("X"))
    #expect(h.effects(since: mark).isEmpty)
    #expect(h.screen.last?.contains("X hides flagged posts") == true)
}
