import Foundation
import Testing
import AgoraCore
import AgoraScreen
@testable import AgoraTUI
import AgoraTestSupport

// What a new user, a champion and the leader tripped over (issue 16's defects), each driven by keys as a
// person would press them.

/// The small program with its rules at a new version that ana has not accepted yet.
private func rulesChanged(to version: Int = 2) -> Snapshot {
    var snapshot = Fixtures.smallProgram()
    snapshot.program?.rulesVersion = version
    return snapshot
}

// MARK: 1. Rules never steal keys

@Test func aRulesChangeWhileComposingTakesNoKeystroke() {
    let h = TUIHarness()   // ana, who accepted version 1
    h.press(.char("c"))
    h.type("Pairing")
    h.send(.snapshot(rulesChanged()))
    // The composer stays; the status line says what happened and how to read them.
    #expect(h.state.stage == .main && h.state.overlay == .composer)
    #expect(h.screen.last!.contains("rules of engagement changed (version 2)"))
    #expect(h.screen.last!.contains("E reads them"))
    // q and a are letters in the title: nothing quits, nothing is accepted behind the peer's back.
    h.type(" qa")
    #expect(!h.quit)
    #expect(!h.effects.contains(.acknowledgeRules))
    #expect(h.state.composer?.title.text == "Pairing qa")
}

@Test func sendingAsksForTheRulesAndAcceptingSends() {
    let h = TUIHarness()
    h.send(.snapshot(rulesChanged()))
    h.press(.char("c"))
    h.type("Pairing")
    h.press(.tab, .tab)
    h.type("Who wants to pair on Swift?")
    var mark = h.effects.count
    h.press(.ctrl("x"))
    // Not sent: the rules come first, the composer waits behind them.
    #expect(h.state.stage == .rules)
    #expect(h.effects(since: mark).isEmpty)
    #expect(h.screen[0].contains("version 2"))
    #expect(h.screen[1].contains("changed since you accepted version 1"))
    // Esc: back to the composer, text intact, not sent.
    h.press(.escape)
    #expect(h.state.stage == .main && h.state.overlay == .composer)
    #expect(h.state.composer?.body.text == "Who wants to pair on Swift?")
    #expect(h.screen.last!.contains("not sent"))
    // Ctrl-X again, then a: the rules are accepted and the post goes, in that order.
    h.press(.ctrl("x"))
    #expect(h.state.stage == .rules)
    mark = h.effects.count
    h.press(.char("a"))
    #expect(h.effects(since: mark) == [.acknowledgeRules,
                                       .post(kind: .discussion, title: "Pairing", tags: [], body: "Who wants to pair on Swift?", scope: "new")])
    #expect(h.state.stage == .main)
}

@Test func qOnRulesOpenedFromTheProgramGoesBackInsteadOfQuitting() {
    let h = TUIHarness()
    h.send(.snapshot(rulesChanged()))
    h.press(.char("E"))
    #expect(h.state.stage == .rules)
    #expect(h.screen.last!.contains("q back"))
    h.press(.char("q"))
    #expect(!h.quit)
    #expect(h.state.stage == .main)
}

// MARK: 6. Rules can be reopened; a first-timer is not told they "changed"

@Test func rulesDismissedWithEscCanBeReopenedWithE() {
    var snapshot = Fixtures.smallProgram()
    snapshot.me?.rulesAckVersion = 0
    let h = TUIHarness(snapshot: snapshot)
    #expect(h.state.stage == .rules)
    h.press(.escape)
    #expect(h.state.stage == .main)
    // While they wait, the footer offers them first.
    h.press(.char("j"))
    #expect(h.screen.last!.hasPrefix(" E rules"))
    h.press(.char("E"))
    #expect(h.state.stage == .rules)
    h.press(.char("a"))
    #expect(h.effects.last == .acknowledgeRules)
    #expect(h.state.stage == .main)
    // Accepted: the footer no longer offers them, but E still shows them (to read again).
    h.press(.char("j"))
    #expect(!h.screen.last!.contains("E rules"))
    h.press(.char("E"))
    #expect(h.state.stage == .rules)
    #expect(h.screen[1].contains("You accepted these rules"))
    h.press(.char("q"))
    #expect(h.state.stage == .main && !h.quit)
}

@Test func aPeerWhoNeverAcceptedIsNotToldTheRulesChanged() {
    var snapshot = Fixtures.smallProgram()
    snapshot.me?.rulesAckVersion = 0
    let h = TUIHarness(snapshot: snapshot)
    #expect(!h.screenText.contains("changed"))
    #expect(h.screen[1].contains("Please read them and accept them to post"))
    h.press(.escape)
    // Replying opens the composer, which says that sending shows them first; flagging waits and says how to
    // go on. Each line is whole at 80 columns.
    h.press(.enter, .char("r"))
    #expect(h.state.overlay == .composer)
    #expect(h.screen.last!.trimmingCharacters(in: .whitespaces) == "rules of engagement not yet accepted; Ctrl-X shows them first")
    h.press(.escape, .char("!"))
    #expect(h.state.prompt == nil)
    #expect(h.screen.last!.trimmingCharacters(in: .whitespaces) == "rules of engagement not yet accepted: E reads them")
    // The CLI's wording too.
    #expect(throws: AgoraError.self) { try Policy.authorize(snapshot.me, .post, in: snapshot.program!) }
    do { try Policy.authorize(snapshot.me, .post, in: snapshot.program!) } catch {
        #expect(!"\(error)".contains("changed"))
        #expect("\(error)".contains("not accepted the rules of engagement"))
    }
}

@Test func questionMarkOnTheRulesScreenSaysWhatTheKeysDo() {
    var snapshot = Fixtures.smallProgram()
    snapshot.me?.rulesAckVersion = 0
    let h = TUIHarness(snapshot: snapshot)
    h.press(.char("?"))
    #expect(h.state.stage == .rules)
    #expect(h.screen.last!.contains("a: accept"))
}

// MARK: 5. A newcomer is welcomed when the welcome is sent

@Test func aWelcomeMarksTheNewcomerOnlyWhenItIsSent() {
    let h = TUIHarness()   // ana, a champion
    h.press(.char("3"), .char("j"))   // peer:zoe
    var mark = h.effects.count
    h.press(.char("w"))
    #expect(h.effects(since: mark) == [.loadDraft(scope: "welcome:zoe")])
    #expect(h.state.composer?.field == .body)
    // Esc: a draft, and zoe is still waiting for a welcome.
    h.type("Glad")
    h.press(.escape)
    #expect(!h.effects.contains(.welcome(login: "zoe")))
    // Back to it: the draft returns; sending posts, and the post's success welcomes her.
    h.press(.char("w"))
    #expect(h.state.composer?.body.text == "Glad")
    h.type(" you're here")
    h.press(.ctrl("x"))
    #expect(h.effects.last == .post(kind: .discussion, title: "Welcome, Zoë 🚀!", tags: ["welcome"], body: "Glad you're here", scope: "welcome:zoe"))
    #expect(!h.effects.contains(.welcome(login: "zoe")))
    mark = h.effects.count
    h.send(.posted(topicId: 9, scope: "welcome:zoe"))
    #expect(h.effects(since: mark).contains(.welcome(login: "zoe")))
}

@Test func aFailedWelcomePostWelcomesNobody() {
    let h = TUIHarness()
    h.press(.char("3"), .char("j"), .char("w"))
    h.type("Hello")
    h.press(.ctrl("x"))
    h.send(.failed("the program's database is unreachable"))
    #expect(!h.effects.contains(.welcome(login: "zoe")))
    #expect(h.state.overlay == .composer)
}

// MARK: 7, 8. Lists that change live keep their window whole and say what arrived above it

private func queueRow(_ i: Int) -> QueueRow {
    QueueRow(kind: .unanswered, key: "topic:\(i)", title: "Request \(i)", since: Fixtures.ago(Double(100 - i) * Fixtures.hour), topicId: Int64(i))
}

@Test func theQueueWindowComesBackWhenItemsGoLive() {
    var snapshot = Fixtures.smallProgram()
    snapshot.queue = (1...40).map(queueRow)
    let h = TUIHarness(snapshot: snapshot)   // 80x24: rows 3...21 show 19 items, row 22 tells about the selected one
    h.press(.char("3"), .char("G"))
    #expect(h.screen[21].contains("Request 40"))
    // Thirty items are settled elsewhere: the ten left fill the window from the top, none hidden above.
    h.send(.queueChanged((1...10).map(queueRow)))
    #expect(h.screen[3].contains("Request 1 "))
    #expect(h.screen[12].contains("Request 10"))
    #expect(h.screen[13].trimmingCharacters(in: .whitespaces).isEmpty)
    #expect(h.state.selectedQueueRow?.key == "topic:10")
}

private func topicRow(_ id: Int64, minutesAgo: Double) -> TopicRow {
    let at = Fixtures.now.addingTimeInterval(-minutesAgo * 60)
    let t = Topic(id: id, kind: .idea, title: "Topic \(id)", author: "zoe", created: at.addingTimeInterval(-60),
                  lastActivity: at, postCount: 1, lastPostId: id * 100 + 1)
    return TopicRow(topic: t, authorName: "Zoe", unread: false)
}

@Test func topicsArrivingAboveAScrolledListAreCountedAndTheSelectionKeepsItsRow() {
    var snapshot = Fixtures.smallProgram()
    snapshot.topics = (1...40).map { topicRow(Int64($0), minutesAgo: Double($0) * 10) }
    let h = TUIHarness(snapshot: snapshot)   // 80x24: rows 3...22 show 20 topics
    h.press(.char("s"))   // by activity: Topic 1 first
    for _ in 0..<25 { h.press(.char("j")) }
    #expect(h.state.selectedTopic?.id == 26)
    let row = h.screen.firstIndex { $0.contains("Topic 26 ") }!
    #expect(row == 22)
    h.send(.topicsChanged([topicRow(101, minutesAgo: 0), topicRow(102, minutesAgo: 1)]))
    // The selected topic stays where the eye left it; the list says what came in above.
    #expect(h.state.selectedTopic?.id == 26)
    #expect(h.screen.firstIndex { $0.contains("Topic 26 ") } == row)
    #expect(h.screen[2].contains("↑ 2 new above"))
    // g goes to them; the count goes with them.
    h.press(.char("g"))
    #expect(h.screen[3].contains("Topic 101"))
    #expect(!h.screen[2].contains("new above"))
}

@Test func atTheTopOfTheListNewTopicsSimplyShow() {
    var snapshot = Fixtures.smallProgram()
    snapshot.topics = (1...40).map { topicRow(Int64($0), minutesAgo: Double($0) * 10) }
    let h = TUIHarness(snapshot: snapshot)
    h.press(.char("s"), .char("j"))
    h.send(.topicsChanged([topicRow(101, minutesAgo: 0)]))
    #expect(h.screen[3].contains("Topic 101"))
    #expect(h.state.selectedTopic?.id == 2)
    #expect(!h.screen[2].contains("new above"))
    // With the selection on the window's last row, the window holds it there rather than hiding the newcomer.
    for _ in 0..<17 { h.press(.char("j")) }
    #expect(h.screen[22].contains("Topic 19 "))
    h.send(.topicsChanged([topicRow(102, minutesAgo: 0)]))
    #expect(h.screen[22].contains("Topic 19 "))
    #expect(h.screen[2].contains("↑ 1 new above"))
}

// MARK: 2. A flag in the queue says why, by whom and how late; Enter opens the thread at the flagged post

private func flaggedProgram() -> Snapshot {
    var snapshot = Fixtures.smallProgram()
    snapshot.queue.insert(QueueRow(kind: .flagged, key: "flag:7", title: "How do I get started with code review?",
                                   since: Fixtures.ago(30 * Fixtures.hour), topicId: 1, age: .due, who: "zoe", postId: 103,
                                   reason: "personal attack", escalated: ["maria: needs the leader"]), at: 0)
    return snapshot
}

@Test func aFlagRowShowsItsReasonAndTheDetailLineTheRest() {
    let h = TUIHarness(snapshot: flaggedProgram())
    h.press(.char("3"))
    #expect(h.screen[3].contains("flagged"))
    #expect(h.screen[3].contains("⚑ personal attack — How do I"))
    // The last row of the pane tells more about the selected item: cut with "…" at 80 columns, whole when wider.
    #expect(h.screen[22].hasPrefix(" flag:7 · flagged by Zoë 🚀 (zoe) 1d ago · “personal attack” · due · escal"))
    #expect(h.screen[22].trimmingCharacters(in: .whitespaces).hasSuffix("…"))
    h.resize(Size(width: 140, height: 40))
    #expect(h.screen[38].contains("flag:7 · flagged by Zoë 🚀 (zoe) 1d ago · “personal attack” · due · escalated: maria: needs the leader"))
    h.press(.char("j"))
    #expect(h.screen[38].contains("topic:4 · by Ana Lima (ana) · waiting 1d · overdue"))
}

@Test func enterOnAFlagOpensTheThreadAtTheFlaggedPostMarked() {
    let h = TUIHarness(snapshot: flaggedProgram())
    h.press(.char("3"), .enter)
    #expect(h.state.pane == .reader)
    #expect(h.state.reader.current?.selectedPostId == 103)
    let header = h.screen.firstIndex { $0.contains("Maria Santos (maria)") }
    #expect(header.map { h.screen[$0].hasPrefix("⚑") } == true)
    #expect(h.screen.last!.contains("⚑ flagged: personal attack"))
    // Back in the queue and into the same topic from the list: no mark, the first unread as usual.
    h.press(.char("q"), .char("1"), .enter)
    #expect(h.state.reader.current?.marked == nil)
    #expect(!h.screenText.contains("⚑"))
}

// MARK: 11. One meaning for Tab, a footer that points to the rest, and a word for a key that does nothing

@Test func tabIsTheNextPaneInTheReaderToo() {
    let h = TUIHarness()
    h.press(.enter)
    #expect(h.state.pane == .reader)
    h.press(.tab)
    #expect(h.state.pane == .highlights)
}

@Test func aKeyThatDoesNothingSaysSo() {
    let h = TUIHarness()
    h.press(.char("x"))
    #expect(h.screen.last!.trimmingCharacters(in: .whitespaces) == "x: not a key here; ? for help")
    h.press(.enter, .function(5))
    #expect(h.screen.last!.trimmingCharacters(in: .whitespaces) == "F5: not a key here; ? for help")
    // In the composer letters are text: nothing to say.
    h.press(.char("r"), .char("x"))
    #expect(h.state.composer?.body.text == "x")
    #expect(!h.screen.last!.contains("not a key"))
}

@Test func everyPaneFooterEndsItsOwnKeysWithQuestionMarkMore() {
    let h = TUIHarness()
    for pane in ["1", "2", "3", "5"] {
        h.press(.char(Character(pane)))
        #expect(h.screen.last!.contains("? more"), "pane \(pane): \(h.screen.last!)")
    }
    h.press(.char("1"), .enter)
    #expect(h.screen.last!.contains("? more"))
}

@Test func helpWrapsWhatItCannotFitInsteadOfCuttingIt() {
    let h = TUIHarness()
    h.press(.char("?"))
    let text = h.screenText
    #expect(!text.contains("…"))
    #expect(text.contains("filter by kind (cycles idea, concern, resource, request,"))
    #expect(text.contains("discussion, all)"))
    // Scrolled to its end, the last global key shows.
    for _ in 0..<40 { h.press(.char("j")) }
    #expect(h.screenText.contains("the rules of engagement: read them again, or accept them"))
}

// MARK: 12. Tags by prefix with completion, a prompt that does not append, search results that stay true

@Test func theTagPromptStartsEmptyMatchesPrefixesAndCompletes() {
    let h = TUIHarness()
    h.press(.char("t"))
    h.type("rem")
    h.press(.enter)
    #expect(h.state.visibleTopics.map(\.id) == [3])   // "remote"
    h.press(.char("t"))
    #expect(h.state.prompt?.field.text == "")
    #expect(h.screen.last!.contains("tag (now: rem · empty clears · Tab completes):"))
    h.type("sw")
    h.press(.tab)
    #expect(h.state.prompt?.field.text == "swift")
    h.press(.enter)
    #expect(h.state.visibleTopics.map(\.id) == [5])
    h.press(.char("t"), .enter)
    #expect(h.state.visibleTopics.count == 5)
}

@Test func searchResultsKeepTheStoresOrderAndFollowReading() {
    let h = TUIHarness()
    let rows = h.state.snapshot.topics
    // The store's best match first, though it is read and the second is not.
    h.searchResults["code"] = [rows.first { !$0.unread }!, rows.first { $0.unread }!]
    h.press(.char("/"))
    h.type("code")
    h.press(.enter)
    let shown = h.state.visibleTopics
    #expect(shown.map(\.id) == h.searchResults["code"]!.map(\.id))
    // Reading the unread result clears its mark in the results, as in the list.
    h.press(.char("j"), .enter)
    h.press(.char("q"))
    #expect(h.state.visibleTopics.map(\.id) == shown.map(\.id))
    #expect(h.state.visibleTopics[1].unread == false)
}

// MARK: 10. Every row budgets its columns: nothing is drawn over something else, whatever the names

/// The small program with a long name, long and wide peer names, two peers of one name, long titles and tags,
/// settled topics.
private func crowdedProgram() -> Snapshot {
    var s = Fixtures.smallProgram()
    s.program?.name = "The Cross-Generational Peer Mentoring Programme of Northern Europe"
    for i in s.peers.indices where s.peers[i].login == "ana" {
        s.peers[i].name = "Maximiliana Alexandra Konstantinopoulou-Wißmann"
    }
    s.me = s.peers.first { $0.login == "ana" }
    s.peers.append(Peer(login: "maria2", name: "Maria Santos", unit: "Research and Development of Everything",
                        region: "Porto", role: .peer, joined: Fixtures.ago(3 * Fixtures.day), rulesAckVersion: 1))
    s.peers.append(Peer(login: "wang2", name: "王芳芳芳芳芳芳芳芳芳芳芳", unit: "研究", role: .peer,
                        joined: Fixtures.ago(2 * Fixtures.day), rulesAckVersion: 1))
    for i in s.topics.indices {
        s.topics[i].topic.title = "A very long title about remote pairing and code review across time zones, part \(i)"
        s.topics[i].tags = ["distributed-systems-engineering", "newcomers"]
        s.topics[i].authorName = "王芳芳芳芳芳芳芳芳芳芳芳"
    }
    s.topics[1].topic.status = .resolved
    for i in s.queue.indices { s.queue[i].title = "A very long title about remote pairing and code review across time zones" }
    return s
}

@Test(arguments: [Size(width: 80, height: 24), Size(width: 200, height: 50)])
func noPaneDrawsOverItselfWithLongAndWideNames(_ size: Size) {
    let program = crowdedProgram()
    var topic = Fixtures.thread().topic
    topic.title = "A very long title about remote pairing and code review across time zones, part 0"
    let authors = ["ana", "wang2", "maria2", "zoe"]
    let posts = (0..<12).map { i in
        Post(id: 101 + Int64(i), topicId: 1, parentId: i == 0 ? nil : 101 + Int64(i - 1), author: authors[i % authors.count],
             body: "Reply \(i): pairing across time zones works when both sides write down what they tried first.",
             created: Fixtures.ago(Double(12 - i) * Fixtures.hour))
    }
    let thread = ThreadSnapshot(topic: topic, tags: ["distributed-systems-engineering", "newcomers", "a-third-very-long-tag-name"],
                                posts: posts, peers: Dictionary(uniqueKeysWithValues: program.peers.map { ($0.login, $0) }),
                                lastReadPostId: 102)
    let h = TUIHarness(size: size, snapshot: program, threads: [1: thread])
    func check(_ what: String) {
        let found = TUI.overwrites(h.state)
        #expect(found.isEmpty, "\(what) at \(size.width)x\(size.height): \(found.prefix(4)) in \(found.first.flatMap { Int($0.split(separator: ",")[1].split(separator: ":")[0]) }.map { h.screen[$0] } ?? "")")
    }
    check("topics")
    if size.width == 80 {
        // The settled topic's status is whole, its title cut before it; a namesake keeps the login that parts them.
        #expect(h.screen.contains { $0.contains("… [resolved]") })
    }
    h.press(.enter); check("reader")
    for step in 1...8 { h.press(.char("j")); check("reader scrolled \(step)") }
    h.press(.char("q"), .char("2")); check("peers")
    if size.width == 80 { #expect(h.screen.contains { $0.contains("(maria2)") }) }
    h.press(.enter); check("profile")
    h.press(.escape, .char("3")); check("queue")
    h.press(.char("5")); check("highlights")
    h.press(.char("6")); check("report")
    h.press(.char("1"), .char("?")); check("help")
    h.press(.escape, .char("c"), .tab); check("composer on tags")
    h.type("distributed-systems-engineering another-long-tag"); check("composer with tags typed")
    // One cursor on screen: the focused field's.
    h.press(.tab)
    let cursors = (0..<size.height).flatMap { y in (0..<size.width).filter { h.terminal.role(x: $0, y: y) == .uiCursor } }
    #expect(cursors.count == 1, "\(size.width)x\(size.height)")
}

// MARK: Screens for everyone and for champions: topic numbers, reading on with Space, the queue's own actions

@Test func topicNumbersShowAndHashOpensOne() {
    let h = TUIHarness(size: Size(width: 110, height: 30))
    #expect(h.screen[3].contains("#1 "))   // a wide list has a column of numbers
    h.press(.char("#"))
    #expect(h.screen.last!.contains("open topic #"))
    h.type("3")
    h.press(.enter)
    #expect(h.state.reader.opening == nil && h.state.reader.current?.thread.topic.id == 3)
    #expect(h.screen[2].contains("#3 "))   // and so does the reader's title
    h.press(.char("#"))
    h.type("abc")
    h.press(.enter)
    #expect(h.screen.last!.contains("'abc' is not a topic number"))
    // At 80 columns the list keeps its room for titles.
    let narrow = TUIHarness()
    #expect(!narrow.screen[3].contains("#1 "))
}

@Test func spaceAtTheEndOfAThreadGoesOnToTheNextUnread() {
    let h = TUIHarness()
    h.press(.enter)                      // topic 1 opens at its first unread post, 103; the whole thread is on screen
    #expect(h.state.reader.current?.selectedPostId == 103)
    h.press(.char(" "))                  // nothing to page: the next unread post, 104
    #expect(h.state.reader.current?.selectedPostId == 104)
    h.press(.char(" "))                  // none left here: the next topic with unread posts
    #expect(h.state.reader.current?.thread.topic.id == 3)
}

@Test func championsEscalateSnoozeToADateAndFilterTheQueue() {
    let h = TUIHarness()
    h.press(.char("3"))
    h.press(.char("e"))
    #expect(h.screen.last!.contains("escalate to the leader, because:"))
    h.press(.enter)
    #expect(h.screen.last!.contains("say what the leader should know or decide"))
    h.press(.char("e"))
    h.type("needs a policy call")
    h.press(.enter)
    #expect(h.effects.last == .hold(.escalate(key: "topic:4", note: "needs a policy call"), key: "topic:4"))
    h.press(.char("Z"))
    h.type("+3d")
    h.press(.enter)
    #expect(h.effects.last == .hold(.snooze(key: "topic:4", until: Fixtures.now.addingTimeInterval(3 * 86400)), key: "topic:4"))
    h.press(.char("u"))   // taken back: the item is in the list again
    h.press(.char("Z"))
    h.type("-3d")
    h.press(.enter)
    #expect(h.screen.last!.contains("is not a date ahead"))
    h.press(.char("f"))   // unanswered only
    #expect(h.screen[2].contains("unanswered only"))
    #expect(h.state.visibleQueue.map(\.key) == ["topic:4", "topic:3"])
    h.press(.char("f"))   // newcomers
    #expect(h.state.visibleQueue.map(\.key) == ["peer:zoe"])
    h.press(.char("f"))   // flagged: none here
    #expect(h.screen[3].contains("No flagged items. f shows the next kind."))
    // A peer cannot escalate.
    var s = Fixtures.smallProgram(me: "wang")
    s.queue = [Fixtures.queue()[2]]   // wang's own request
    let peer = TUIHarness(snapshot: s, login: "wang")
    peer.press(.char("3"), .char("e"))
    #expect(peer.state.prompt == nil)
}

@Test func tabsCountWhatWaitsTheInboxFirstWhenRoomIsShort() {
    let h = TUIHarness(size: Size(width: 100, height: 24))
    #expect(h.screen[1].contains("1 Topics (2)") && h.screen[1].contains("3 Queue (3)"))
    h.send(.unreadCount(0))
    #expect(h.screen[1].contains(" 1 Topics   2 Peers"))
    h.send(.inbox(unread: 4, items: nil))
    #expect(h.screen[1].contains("7 Inbox (4)") && h.screen[0].contains("4 for you"))
    h.send(.unreadCount(12345))
    h.resize(Size(width: 92, height: 24))   // room for some counts: the inbox's first, then the topics'
    #expect(h.screen[1].contains("7 Inbox (4)") && !h.screen[1].contains("Queue ("))
    h.resize(Size(width: 80, height: 24))   // no room for any: the tabs stay whole, the header still counts
    #expect(h.screen[1].contains(" 7 Inbox ") && !h.screen[1].contains("("))
    #expect(h.screen[0].contains("4 for you"))
}

// MARK: A peer edits their own profile from the TUI

@Test func ePeerEditsTheirOwnProfileAndSavesWithCtrlX() {
    let h = TUIHarness()   // ana
    h.press(.char("2"), .enter)   // the directory's first row: ana herself
    #expect(h.screen[2].contains("Ana Lima (ana)"))
    h.press(.char("e"))
    #expect(h.state.overlay == .profileEditor)
    #expect(h.screen[2].contains("Your profile"))
    #expect(h.state.profileForm?.goals.text == "public speaking")
    h.type(", facilitation")
    h.press(.tab)                 // offers
    h.press(.tab)                 // about
    h.type("Platform engineer in Lisbon.")
    var mark = h.effects.count
    h.press(.ctrl("x"))
    #expect(h.effects(since: mark) == [.updateProfile(goals: "public speaking, facilitation", offers: "Swift, code review",
                                                      bio: "Platform engineer in Lisbon.")])
    h.press(.ctrl("x"))           // once is enough while it is on its way
    #expect(h.effects.count == mark + 1)
    h.send(.profileSaved)
    #expect(h.state.overlay == .profile(login: "ana"))
    #expect(h.screen.last!.contains("profile saved"))
    // Esc leaves it as it was; someone else's profile is theirs.
    h.press(.char("e"), .char("x"), .escape)
    #expect(h.state.overlay == .profile(login: "ana"))
    mark = h.effects.count
    h.press(.escape, .char("j"), .enter, .char("e"))
    #expect(h.state.overlay != .profileEditor)
    #expect(h.screen.last!.contains("edits their profile"))
    #expect(h.effects.count == mark)
}

// MARK: The leader writes the rules from the TUI

@Test func theLeaderEditsTheRulesInTheEditorAndANewVersionIsSet() {
    let h = TUIHarness(snapshot: Fixtures.smallProgram(me: "maria"), login: "maria")
    h.press(.char("E"))
    #expect(h.state.stage == .rules)
    #expect(h.screen[1].contains("Version 1, yours to change: v edits them in your editor."))
    #expect(h.screen.last!.contains("v edit"))
    var mark = h.effects.count
    h.press(.char("v"))
    #expect(h.effects(since: mark) == [.runEditor(Fixtures.program().rulesText)])
    mark = h.effects.count
    h.send(.editorFinished(Fixtures.program().rulesText + "\n"))
    #expect(h.effects(since: mark).isEmpty)
    #expect(h.screen.last!.contains("the rules are unchanged"))
    h.press(.char("v"))
    mark = h.effects.count
    h.send(.editorFinished("Be kind.\nShare what you learn.\n"))
    #expect(h.effects(since: mark) == [.setRules("Be kind.\nShare what you learn.")])
    // The composer's editor is not confused with it afterwards.
    h.press(.char("q"), .char("c"))
    h.send(.editorFinished("a body from the editor"))
    #expect(h.state.composer?.body.text == "a body from the editor")
}

@Test func aPeerCannotEditTheRules() {
    let h = TUIHarness(snapshot: Fixtures.smallProgram(me: "wang"), login: "wang")
    h.press(.char("E"))
    #expect(!h.screen.last!.contains("v edit"))
    let mark = h.effects.count
    h.press(.char("v"))
    #expect(h.effects(since: mark).isEmpty)
    #expect(h.screen.last!.contains("only a leader can set the rules"))
}

// MARK: A peer's drafts, listed: write on or discard

@Test func dListsMyDraftsEnterWritesOnXDiscards() {
    let h = TUIHarness()
    var mark = h.effects.count
    h.press(.char("D"))
    #expect(h.effects(since: mark) == [.loadDrafts])
    #expect(h.screen[2].contains("Your drafts"))
    let reply = Draft(login: "ana", scope: "topic:1", body: "Start with the tests,\nthen the code.", saved: Fixtures.ago(3600))
    let topic = Draft(login: "ana", scope: "new", kind: .idea, title: "Pairing rota", body: "half", saved: Fixtures.ago(60))
    let welcome = Draft(login: "ana", scope: "welcome:zoe", kind: .discussion, title: "Welcome, Zoë!", body: "Hi", saved: Fixtures.ago(7200))
    h.drafts = ["topic:1": reply, "new": topic, "welcome:zoe": welcome]
    h.send(.drafts([reply, topic, welcome]))
    #expect(h.screen[3].contains("new topic") && h.screen[3].contains("Pairing rota"))
    #expect(h.screen[4].contains("reply to #1 “How do I get started") && h.screen[4].contains("Start with the tests,"))
    #expect(h.screen[5].contains("welcome to zoe"))
    // x discards the selected one (the store deletes it), the list closes up.
    mark = h.effects.count
    h.press(.char("x"))
    #expect(h.effects(since: mark) == [.deleteDraft(scope: "new")])
    #expect(h.screen[3].contains("reply to #1"))
    // Enter writes on: the reply's composer, its draft back in it.
    h.press(.enter)
    #expect(h.state.overlay == .composer)
    #expect(h.state.composer?.topicId == 1)
    #expect(h.state.composer?.body.text == "Start with the tests,\nthen the code.")
    // An empty list says where drafts come from.
    h.press(.escape, .char("D"))
    h.send(.drafts([]))
    #expect(h.screen[3].contains("No drafts."))
}

@Test func aDraftsSlotIsParsedBackFromItsScope() {
    #expect(DraftsOverlay.slot("new") == .newTopic)
    #expect(DraftsOverlay.slot("topic:12") == .reply(topic: 12, parent: nil))
    #expect(DraftsOverlay.slot("topic:12/post:340") == .reply(topic: 12, parent: 340))
    #expect(DraftsOverlay.slot("welcome:zoe") == .welcome(login: "zoe"))
    #expect(DraftsOverlay.slot("topic:x") == nil)
    #expect(DraftsOverlay.slot("topic:1/post:") == nil)
}

@Test func myOwnPostFromAnotherSessionIsNotNewToMe() {
    var thread = Fixtures.thread()
    let mine = Post(id: 105, topicId: 1, author: "ana", body: "Posted from my other terminal.", created: Fixtures.ago(60))
    thread = ThreadSnapshot(topic: thread.topic, tags: thread.tags, posts: thread.lines.map(\.post) + [mine],
                            peers: thread.peers, lastReadPostId: 102)
    let h = TUIHarness(threads: [1: thread])
    h.press(.enter)
    let mariaRow = h.screen.first { $0.contains("Maria Santos (maria)") }!
    let anaRow = h.screen.last { $0.contains("Ana Lima (ana)") }!
    #expect(mariaRow.hasSuffix("new") || mariaRow.contains(" new"))
    #expect(!anaRow.contains(" new"))
}

// MARK: Finding text in the open thread: /, then n and N as in less

@Test(arguments: [Size(width: 80, height: 24), Size(width: 140, height: 40)])
func slashInTheReaderFindsTextAndNAndShiftNMoveBetweenMatches(size: Size) {
    let h = TUIHarness(size: size)
    h.press(.enter)                                   // topic 1, at its first unread post (103)
    #expect(h.state.reader.current?.selectedPostId == 103)
    h.press(.char("/"))
    #expect(h.screen.last!.contains("find in this thread:"))
    h.type("REVIEW")                                  // case does not matter: 101 "reviewing", 103 "the review"
    h.press(.enter)
    #expect(h.state.reader.current?.selectedPostId == 103)
    #expect(h.screen.last!.contains("'REVIEW': post 2 of 2 that have it"))
    // The matches are marked on screen.
    let row = h.screen.firstIndex { $0.contains("Ask questions in the review") }!
    let x = DisplayWidth.of(String(h.screen[row].prefix(upTo: h.screen[row].range(of: "review;")!.lowerBound)))
    #expect(h.terminal.role(x: x, y: row) == .uiSelection)
    #expect(h.terminal.role(x: x - 2, y: row) != .uiSelection)
    // The footer (once the status line gives it back) says what n and N do now.
    #expect(TUI.hints(h.state).prefix(3).map(\.hint) == ["next match", "prev match", "end find"])
    h.press(.char("n"))                               // past the last match: round to the first, and said so
    #expect(h.state.reader.current?.selectedPostId == 101)
    #expect(h.screen.last!.contains("post 1 of 2") && h.screen.last!.contains("from the top again"))
    h.press(.char("N"))
    #expect(h.state.reader.current?.selectedPostId == 103)
    #expect(h.screen.last!.contains("from the end again"))
    // Esc ends the find; n is the next post again, Esc then goes back to the list.
    h.press(.escape)
    #expect(h.state.reader.current?.find == nil && h.state.pane == .reader)
    h.press(.char("n"))
    #expect(h.state.reader.current?.selectedPostId == 104)
    h.press(.escape)
    #expect(h.state.pane == .topics)
}

@Test func aFindForTextInNoPostSaysSo() {
    let h = TUIHarness()
    h.press(.enter, .char("/"))
    h.type("kubernetes")
    h.press(.enter)
    #expect(h.screen.last!.contains("'kubernetes' is in no post of this thread"))
    #expect(h.state.reader.current?.selectedPostId == 103)
}

@Test func aFindInALongThreadAsksForThePostsNotComeYetAndFinishesWhenTheyCome() {
    let h = TUIHarness()
    h.state.pane = .reader
    let thread = WithheldPostsTests.longThread()
    h.state.reader.opening = thread.topic.id
    h.send(.thread(thread))
    // The ahead request for the next posts is answered first (empty bodies are still posts).
    if case .loadThreadPosts(_, let ids, _)? = h.effects.last {
        let t = thread.topic
        let posts = ids.map { Post(id: $0, topicId: t.id!, author: "ana", body: "", created: Fixtures.now) }
        h.send(.threadPosts(ThreadSnapshot(topic: t, posts: posts, lastReadPostId: 100), asked: ids))
    }
    h.press(.char("/"))
    h.type("needle")
    let mark = h.effects.count
    h.press(.enter)
    #expect(h.screen.last!.contains("looking through all 100 posts"))
    guard case .loadThreadPosts(_, let ids, _)? = h.effects(since: mark).last else {
        Issue.record("the find asks for the rest of the thread"); return
    }
    #expect(ids.last == 100)
    let t = thread.topic
    let posts = ids.map { Post(id: $0, topicId: t.id!, author: "ana", body: $0 == 90 ? "a needle here" : "hay", created: Fixtures.now) }
    h.send(.threadPosts(ThreadSnapshot(topic: t, posts: posts, lastReadPostId: 100), asked: ids))
    #expect(h.state.reader.current?.selectedPostId == 90)
    #expect(h.screen.last!.contains("'needle': post 1 of 1 that have it"))
}

// MARK: The mouse: a click selects, a click on the selection opens, the wheel scrolls, a tab opens its pane

@Test func aClickSelectsARowAndASecondClickOpensIt() {
    let h = TUIHarness()
    // Row 3 of the screen is the list's first row (header, tabs, the list's title above it).
    #expect(h.screen[4].contains(h.state.visibleTopics[1].topic.title.prefix(20)))
    h.press(.mouse(x: 20, y: 4, .left))
    #expect(h.state.topics.cursor.index == 1)
    #expect(h.screen[4].hasPrefix("▌"))
    let mark = h.effects.count
    h.press(.mouse(x: 20, y: 4, .left))
    #expect(h.effects(since: mark).first == .openThread(h.state.visibleTopics[1].id))
    #expect(h.state.pane == .reader)
    // Below the last row, on the title row: nothing.
    h.press(.char("q"))
    h.press(.mouse(x: 20, y: 2, .left), .mouse(x: 20, y: 20, .left))
    #expect(h.state.topics.cursor.index == 1 && h.state.pane == .topics)
}

@Test func theWheelMovesThreeRowsAndATabClickOpensItsPane() {
    let h = TUIHarness()
    h.press(.mouse(x: 10, y: 6, .wheelDown))
    #expect(h.state.topics.cursor.index == min(3, h.state.visibleTopics.count - 1))
    h.press(.mouse(x: 10, y: 6, .wheelUp))
    #expect(h.state.topics.cursor.index == 0)
    let tabs = h.screen[1]
    let peers = DisplayWidth.of(String(tabs[..<tabs.range(of: "2 Peers")!.lowerBound]))
    h.press(.mouse(x: peers + 2, y: 1, .left))
    #expect(h.state.pane == .peers)
    let queue = DisplayWidth.of(String(tabs[..<tabs.range(of: "3 Queue")!.lowerBound]))
    h.press(.mouse(x: queue, y: 1, .left))
    #expect(h.state.pane == .queue)
}

@Test func aClickInTheThreadSelectsThePostUnderIt() {
    let h = TUIHarness()
    h.press(.enter)
    #expect(h.state.reader.current?.selectedPostId == 103)
    let row = h.screen.firstIndex { $0.contains("Start with small pull requests") }!
    h.press(.mouse(x: 30, y: row, .left))
    #expect(h.state.reader.current?.selectedPostId == 102)
    // On a screen too short for the thread the wheel scrolls it three rows, as jjj does.
    let short = TUIHarness(size: Size(width: 80, height: 12))
    short.press(.enter, .char("g"))
    #expect(short.state.reader.current?.scroll == 0)
    short.press(.mouse(x: 30, y: 6, .wheelDown))
    #expect(short.state.reader.current?.scroll == 3)
}

@Test func besideTheReaderAClickOnTheListSelectsThereAndTheComposerIgnoresClicks() {
    let h = TUIHarness(size: Size(width: 140, height: 40))
    h.press(.enter)
    #expect(h.state.pane == .reader)
    // The open topic, read now, went down to the list's second row, still selected; a click on the third row.
    h.press(.mouse(x: 10, y: 5, .left))
    #expect(h.state.pane == .topics && h.state.topics.cursor.index == 2)
    h.press(.char("c"))
    h.type("Title")
    h.press(.mouse(x: 10, y: 5, .left), .mouse(x: 10, y: 5, .wheelDown))
    #expect(h.state.overlay == .composer && h.state.composer?.title.text == "Title")
}

// MARK: Undo the last queue action for 10 s

@Test func aResolveLeavesTheQueueAtOnceAndUTakesItBack() {
    let h = TUIHarness()
    h.press(.char("3"))
    #expect(h.state.selectedQueueRow?.key == "topic:4")
    h.press(.char("x"))
    #expect(h.effects.last == .hold(.resolveTopic(4), key: "topic:4"))
    #expect(!h.state.visibleQueue.contains { $0.key == "topic:4" })
    #expect(!h.screen.contains { $0.contains("On-call burnout") })
    #expect(h.screen.last!.contains("resolved topic #4 · u undoes it (10 s)"))
    h.press(.char("u"))
    #expect(h.effects.last == .cancelHeld)
    #expect(h.state.visibleQueue.contains { $0.key == "topic:4" })
    #expect(h.screen.last!.contains("undone: resolved topic #4"))
    // Once done (the loop says so), there is nothing left to undo.
    h.press(.char("z"))
    #expect(h.effects.last == .hold(.snooze(key: "topic:4", until: Fixtures.now.addingTimeInterval(86400)), key: "topic:4"))
    h.send(.heldDone(key: "topic:4"))
    h.press(.char("u"))
    #expect(h.screen.last!.contains("nothing to undo"))
}

@Test func anEscalationIsHeldButStaysInTheQueue() {
    let h = TUIHarness()
    h.press(.char("3"), .char("e"))
    h.type("policy call")
    h.press(.enter)
    #expect(h.effects.last == .hold(.escalate(key: "topic:4", note: "policy call"), key: "topic:4"))
    #expect(h.state.visibleQueue.contains { $0.key == "topic:4" })
}

// MARK: A peer picks a suggested match: their profile, or a request addressed to them

@Test(arguments: [Size(width: 80, height: 24), Size(width: 140, height: 40)])
func aSuggestedPeerCanBeOpenedOrAskedForHelp(size: Size) {
    let h = TUIHarness(size: size)
    h.press(.char("2"), .enter)                 // my own profile (Ana Lima is first in the directory)
    #expect(h.state.overlay == .profile(login: "ana"))
    h.press(.char("a"))
    #expect(h.screen.last!.contains("this is your own profile: ask someone else"))
    h.press(.char("m"))
    h.send(.matches(login: "ana", [
        MatchSuggestion(login: "zoe", name: "Zoë 🚀", score: 20, offers: ["UX research"], reasons: ["offers: UX research"]),
        MatchSuggestion(login: "maria", name: "Maria Santos", score: 10, offers: ["statistics"], reasons: ["offers: statistics"]),
    ]))
    #expect(h.screen.last!.contains("2 suggested · Enter their profile, a asks them for help"))
    let zoeRow = h.screen.firstIndex { $0.contains("Zoë 🚀 (zoe)") }!
    #expect(h.screen[zoeRow].hasPrefix("▌"))
    h.press(.char("j"))
    #expect(h.screen[zoeRow + 1].hasPrefix("▌") && h.screen[zoeRow + 1].contains("(maria)"))
    h.press(.enter)                             // Maria's profile
    #expect(h.state.overlay == .profile(login: "maria"))
    #expect(TUI.hints(h.state).contains { $0.keys == "a" } && !TUI.hints(h.state).contains { $0.keys == "e" })
    h.press(.escape, .char("2"), .enter)        // back on mine, the suggestions still there
    h.press(.char("m"))
    h.send(.matches(login: "ana", [
        MatchSuggestion(login: "zoe", name: "Zoë 🚀", score: 20, offers: ["UX research"], reasons: ["offers: UX research"]),
    ]))
    h.press(.char("a"))                         // ask Zoë: a request, titled with what she offers
    #expect(h.state.overlay == .composer)
    let c = h.state.composer!
    #expect(c.kind == .request && c.title.text == "Zoë 🚀, could you help me with UX research?" && c.body.text == "@zoe ")
    #expect(c.scope == "ask:zoe" && c.field == .body)
    #expect(h.screen.last!.contains("a request to Zoë 🚀; everyone in the program can read it"))
    h.type("I am starting user interviews.")
    let mark = h.effects.count
    h.press(.ctrl("x"))
    #expect(h.effects(since: mark).contains(.post(kind: .request, title: "Zoë 🚀, could you help me with UX research?", tags: [],
                                                  body: "@zoe I am starting user interviews.", scope: "ask:zoe")))
    #expect(TUI.overwrites(h.state).isEmpty)
}

@Test func aRequestLeftUnsentIsInTheDraftsAsARequestToThem() {
    let draft = Draft(login: "ana", scope: "ask:zoe", kind: .request, title: "For Zoë: ", tags: "", body: "@zoe hi", saved: Fixtures.now)
    #expect(DraftsOverlay.describe(draft, titles: { _ in nil }) == "request to zoe")
    let h = TUIHarness()
    h.press(.char("D"))
    h.send(.drafts([draft]))
    h.press(.enter)
    #expect(h.state.overlay == .composer && h.state.composer?.scope == "ask:zoe")
}
