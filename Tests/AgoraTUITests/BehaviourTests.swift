import Foundation
import Testing
import AgoraCore
import AgoraScreen
import AgoraTUI
import AgoraTestSupport

// Key sequences drive `TUI.update`; the effects asked of the loop and the screens that result are asserted.

@Test func openingATopicLoadsTheThreadAndMarksItRead() {
    let h = TUIHarness()
    let mark = h.effects.count
    h.press(.enter)
    #expect(h.effects(since: mark) == [.openThread(1), .markRead(topicId: 1, upTo: 104)])
    #expect(h.state.pane == .reader)
    #expect(h.state.snapshot.unreadCount == 1)
    // The first unread post (103) is selected.
    #expect(h.state.reader.current?.selected == 2)
}

@Test func qGoesBackThenQuitsAndKeepsDrafts() {
    let h = TUIHarness()
    h.press(.enter)
    h.press(.char("q"))
    #expect(h.state.pane == .topics)
    #expect(!h.quit)
    h.press(.char("q"))
    #expect(h.quit)
}

@Test func replyToAPostThroughTheComposer() {
    let h = TUIHarness()
    h.press(.enter, .char("n"))   // select maria's post (103 is selected already; n moves to 104)
    h.press(.char("p"))           // back to 103
    h.press(.char("R"))
    #expect(h.state.overlay == .composer)
    #expect(h.effects.last == .loadDraft(scope: "topic:1/post:103"))
    h.type("Thanks!\nWill do.")
    let mark = h.effects.count
    h.press(.ctrl("x"))
    #expect(h.effects(since: mark) == [.reply(topicId: 1, parentId: 103, body: "Thanks!\nWill do.", scope: "topic:1/post:103")])
    // The store answers (it cleared the draft with the reply); the composer closes, nothing deletes it again,
    // and the thread is read once.
    let answered = h.effects.count
    h.send(.posted(topicId: 1, scope: "topic:1/post:103"))
    #expect(h.state.overlay == nil)
    #expect(h.state.composer == nil)
    #expect(!h.effects(since: answered).contains { if case .deleteDraft = $0 { true } else { false } })
    #expect(h.effects(since: answered).filter { $0 == .openThread(1) }.count == 1)
    #expect(h.state.pane == .reader)
}

@Test func newTopicValidatesThenPosts() {
    let h = TUIHarness()
    h.press(.char("c"))
    h.press(.ctrl("x"))
    #expect(h.state.statusIsError)
    #expect(h.screen.last!.contains("the text is empty"))
    h.press(.backTab)                 // title -> kind
    h.press(.right)                   // discussion -> idea (wraps)
    h.press(.tab)
    h.type("Book club")
    h.press(.tab)
    h.type("Books, reading")
    h.press(.tab)
    h.type("One book a month?")
    let mark = h.effects.count
    h.press(.ctrl("x"))
    #expect(h.effects(since: mark) == [.post(kind: .idea, title: "Book club", tags: ["books", "reading"], body: "One book a month?", scope: "new")])
    // A failure keeps the text and says why.
    h.send(.failed("database is locked"))
    #expect(h.state.composer?.body.text == "One book a month?")
    #expect(h.screen.last!.contains("database is locked"))
}

@Test func escKeepsADraftAndReopeningOffersItBack() {
    let h = TUIHarness()
    h.press(.enter, .char("r"))
    h.type("half a thought")
    h.press(.escape)
    #expect(h.state.overlay == nil)
    #expect(h.drafts["topic:1"]?.body == "half a thought")
    h.press(.char("r"))
    #expect(h.state.composer?.body.text == "half a thought")
    #expect(h.screen.last!.contains("your draft from"))
}

@Test func draftDebounceSavesOnlyWhenChanged() {
    let h = TUIHarness()
    h.press(.char("c"))
    h.type("T")
    var state = h.state
    let first = TUI.flushDraft(&state)
    #expect(first.count == 1)
    if case .saveDraft(let d) = first.first { #expect(d.title == "T" && d.scope == "new") } else { Issue.record("no draft") }
    #expect(TUI.flushDraft(&state).isEmpty)
}

@Test func editorReturnsTextIntoTheBody() {
    let h = TUIHarness()
    h.press(.enter, .char("r"))
    h.type("draft")
    h.press(.ctrl("e"))
    #expect(h.effects.last == .runEditor("draft"))
    h.send(.editorFinished("edited in vi\nsecond line\n"))
    #expect(h.state.composer?.body.text == "edited in vi\nsecond line")
}

@Test func helpOverlayOpensAndCloses() {
    let h = TUIHarness()
    h.press(.char("?"))
    #expect(h.state.overlay == .help)
    #expect(h.screen[2].contains("Keys: Topics"))
    h.press(.escape)
    #expect(h.state.overlay == nil)
    #expect(h.screen[2].contains("Topics (5)"))
}

@Test func filterByKindAndTag() {
    let h = TUIHarness()
    h.press(.char("f"))   // idea
    #expect(h.state.visibleTopics.map(\.id) == [2])
    h.press(.char("f"))   // concern
    #expect(h.state.visibleTopics.map(\.id) == [4])
    h.press(.escape)
    #expect(h.state.visibleTopics.count == 5)
    h.press(.char("t"))
    #expect(h.screen.last!.hasPrefix(" tag (Tab completes): "))
    h.type("swift")
    h.press(.enter)
    #expect(h.state.visibleTopics.map(\.id) == [5])
    #expect(h.screen[2].contains("tag: swift"))
}

@Test func sortToggleOrdersByActivity() {
    let h = TUIHarness()
    #expect(h.state.visibleTopics.map(\.id) == [1, 3, 2, 4, 5])
    h.press(.char("s"))
    #expect(h.state.visibleTopics.map(\.id) == [1, 3, 2, 4, 5].sorted { a, b in
        let t = Fixtures.topics()
        return t.first { $0.id == a }!.topic.lastActivity > t.first { $0.id == b }!.topic.lastActivity
    })
}

@Test func searchAsksTheStoreAndShowsResults() {
    let h = TUIHarness()
    h.searchResults["review"] = [Fixtures.topics()[0]]
    h.press(.char("/"))
    h.type("review")
    h.press(.enter)
    #expect(h.effects.contains(.search("review")))
    #expect(h.state.visibleTopics.map(\.id) == [1])
    #expect(h.screen[2].contains("Search 'review' (1)"))
    h.press(.escape)
    #expect(h.state.visibleTopics.count == 5)
}

@Test func nextUnreadWalksPostsThenTopics() {
    let h = TUIHarness()
    h.press(.char("N"))                    // opens topic 1 at its first unread post (103)
    #expect(h.state.reader.current?.thread.topic.id == 1)
    #expect(h.state.reader.current?.selected == 2)
    h.press(.char("N"))                    // 104
    #expect(h.state.reader.current?.selected == 3)
    h.press(.char("N"))                    // no more here: the next unread topic (3)
    #expect(h.state.reader.current?.thread.topic.id == 3)
    h.press(.char("N"))                    // 302 is unread too
    #expect(h.state.reader.current?.selected == 1)
    h.press(.char("N"))
    #expect(h.screen.last!.contains("no unread posts"))
}

@Test func readerScrollsAndJumpsBetweenPosts() {
    var thread = Fixtures.thread(lastRead: 200)
    // A long thread: 30 replies.
    let many = (0..<30).map { i in
        Post(id: 200 + Int64(i), topicId: 1, author: "ana", body: "reply \(i)", created: Fixtures.ago(Double(60 - i) * 60))
    }
    thread = ThreadSnapshot(topic: thread.topic, posts: thread.lines.map(\.post) + many, peers: thread.peers, lastReadPostId: 300)
    let h = TUIHarness(threads: [1: thread])
    h.press(.enter)
    #expect(h.state.reader.current?.scroll == 0)
    h.press(.char("j"), .char("j"))
    #expect(h.state.reader.current?.scroll == 2)
    h.press(.char("G"))
    #expect(h.screen[21].contains("reply 29") || h.screen[20].contains("reply 29"))
    h.press(.char("g"))
    #expect(h.state.reader.current?.scroll == 0)
    h.press(.char("n"), .char("n"), .char("n"))
    #expect(h.state.reader.current?.selected == 3)
    #expect(h.screen[4].hasPrefix("▌├─ 王芳 (wang)"))
}

@Test func panesSwitchWithDigitsAndTab() {
    let h = TUIHarness()
    h.press(.char("2"))
    #expect(h.state.pane == .peers)
    h.press(.tab)
    #expect(h.state.pane == .queue)
    h.press(.tab)
    #expect(h.state.pane == .reader)
    #expect(h.screen[3].contains("No topic open"))
    h.press(.backTab, .char("1"))
    #expect(h.state.pane == .topics)
}

@Test func peersFilterAsYouType() {
    let h = TUIHarness()
    h.press(.char("2"), .char("/"))
    h.type("ber")   // Berlin, Olaf Berg
    #expect(h.state.visiblePeers.map(\.login) == ["zoe", "olaf"])
    h.press(.enter)
    #expect(h.screen[2].contains("filter: ber"))
    h.press(.enter)
    #expect(h.state.overlay == .profile(login: "zoe"))
    h.press(.enter)   // her topic
    #expect(h.state.pane == .reader)
    #expect(h.state.reader.current?.thread.topic.id == 1)
    h.press(.char("q"))
    #expect(h.state.pane == .peers)
}

@Test func queueOpensTopicsAndClaims() {
    let h = TUIHarness()
    h.press(.char("3"))
    #expect(h.state.visibleQueue.map(\.key) == ["topic:4", "peer:zoe", "topic:3"])
    h.press(.char("c"))
    #expect(h.effects.last == .claim(key: "topic:4"))
    h.press(.char("j"), .enter)
    #expect(h.state.overlay == .profile(login: "zoe"))
}

@Test func keysThatWorkEverywhereLeaveAProfile() {
    let h = TUIHarness()
    h.press(.char("2"), .enter)
    #expect(h.state.overlay == .profile(login: h.state.visiblePeers[0].login))
    h.press(.char("1"))
    #expect(h.state.overlay == nil)
    #expect(h.state.pane == .topics)
    #expect(h.screen[2].contains("Topics (5)"))
    h.press(.char("2"), .enter, .tab)
    #expect(h.state.overlay == nil)
    #expect(h.state.pane == .queue)
}

@Test func queueAgesUseRoles() {
    let h = TUIHarness()
    h.press(.char("3"))
    // Ages keep their colour on the selected row too; the selection is the marker in column 0.
    #expect(h.terminal.role(x: 0, y: 3) == .uiSelection)
    #expect(h.terminal.role(x: 3, y: 3) == .queueOverdue)   // 30h unanswered, 24h allowed
    #expect(h.terminal.role(x: 3, y: 4) == .queueFresh)     // 10h of 48h
    #expect(h.terminal.role(x: 3, y: 5) == .queueClaimed)
    h.press(.char("j"))
    #expect(h.terminal.role(x: 0, y: 3) != .uiSelection)
    #expect(h.terminal.role(x: 0, y: 4) == .uiSelection)
}

@Test func selectionStaysOnTheSameTopicWhenDataChanges() {
    let h = TUIHarness()
    h.press(.char("j"), .char("j"))
    #expect(h.state.selectedTopic?.id == 2)
    // Another session posts a new topic: it sorts first, and the selection follows topic 2.
    var snapshot = Fixtures.smallProgram()
    let t = Topic(id: 6, kind: .idea, title: "Fresh", author: "maria", created: Fixtures.now, postCount: 1, lastPostId: 601)
    snapshot.topics.append(TopicRow(topic: t, authorName: "Maria Santos", unread: true))
    h.send(.snapshot(snapshot))
    #expect(h.state.visibleTopics.first?.id == 6)
    #expect(h.state.selectedTopic?.id == 2)
    #expect(h.screen[3].contains("Fresh"))
}

@Test func aNewReplyElsewhereLoadsOnlyWhatTheOpenThreadIsMissing() {
    let h = TUIHarness()
    h.press(.enter)
    let shown = h.state.reader.current!.thread.lastPostId
    var row = Fixtures.smallProgram().topics[0]
    row.topic.postCount += 1
    row.topic.lastPostId = shown + 1
    let mark = h.effects.count
    h.send(.topicsChanged([row]))
    #expect(h.effects(since: mark) == [.loadThreadTail(topicId: 1, after: shown)])
    #expect(h.state.pane == .reader)
}

@Test func aReplyThatCameWithItsPostIsShownWithoutAsking() {
    let h = TUIHarness()
    h.press(.enter)
    let thread = h.state.reader.current!.thread
    let shown = thread.lastPostId
    var row = Fixtures.smallProgram().topics[0]
    row.topic.postCount = thread.lines.count + 1
    row.topic.lastPostId = shown + 1
    let post = Post(id: shown + 1, topicId: 1, author: "kenji", body: "Pushed with its change", created: Fixtures.now)
    let news = ThreadSnapshot(topic: row.topic, posts: [post], peers: ["kenji": Peer(login: "kenji", name: "Kenji Sato", joined: Fixtures.now)],
                              lastReadPostId: .max)
    let mark = h.effects.count
    h.send(.topicsChanged([row], news: [news]))
    // No request: the post is in the thread, marked new, and read (one mark, from the thread's own old mark).
    #expect(h.effects(since: mark) == [.markRead(topicId: 1, upTo: shown + 1)])
    #expect(h.state.reader.current?.thread.lines.count == thread.lines.count + 1)
    #expect(h.state.reader.current?.thread.lastReadPostId == thread.lastReadPostId)
    // News that does not complete the thread (a post in between is missing) is not trusted: the tail is asked for.
    row.topic.postCount += 2
    row.topic.lastPostId = shown + 3
    let gap = ThreadSnapshot(topic: row.topic, posts: [Post(id: shown + 3, topicId: 1, author: "kenji", body: "later", created: Fixtures.now)],
                             lastReadPostId: .max)
    let again = h.effects.count
    h.send(.topicsChanged([row], news: [gap]))
    #expect(h.effects(since: again) == [.loadThreadTail(topicId: 1, after: shown + 1)])
}

@Test func resizeReflowsAndRecovers() {
    let h = TUIHarness()
    h.press(.enter)
    h.resize(Size(width: 39, height: 10))
    expectScreen(h, ["enlarge the window (at least 40x10)", "", "", "", "", "", "", "", "", ""])
    h.resize(Size(width: 30, height: 5))
    #expect(h.screen[0] == "enlarge the window to 40x10   ")
    h.resize(Size(width: 12, height: 3))
    #expect(h.screen[0] == "40x10       ")
    h.resize(Size(width: 140, height: 40))
    #expect(h.screen[2].contains("Topics (5)"))
    #expect(h.screen[2].contains("[request] #1 How do I get started"))
    h.resize(Size(width: 80, height: 24))
    #expect(h.screen[2].hasPrefix(" [request]"))
    #expect(h.screen.allSatisfy { DisplayWidth.of($0) == 80 })
}

@Test func wideCharactersKeepColumnsAligned() {
    let h = TUIHarness()
    // The replies column ends at the same column on every row, whatever the title and name hold.
    let rows = h.screen[3...7]
    let ends = rows.map { row -> Int in
        let prefix = row.prefix { $0 != "h" && $0 != "d" && $0 != "w" || !row.hasSuffix(" ") }
        _ = prefix
        return DisplayWidth.of(String(row.dropLast(5)))
    }
    #expect(Set(ends).count == 1)
    for row in h.screen { #expect(DisplayWidth.of(row) == 80) }
    // A very long CJK title is cut with an ellipsis, never split mid-glyph.
    var snapshot = Fixtures.smallProgram()
    snapshot.topics[2].topic.title = String(repeating: "远程工作", count: 20)
    h.send(.snapshot(snapshot))
    let row = h.screen.first { $0.contains("远程工作远程") }!
    #expect(row.contains("…"))
    #expect(DisplayWidth.of(row) == 80)
    #expect(row.hasSuffix("   1   3h "))
}

@Test func aNarrowerReaderKeepsThePostAtTheTopOnScreen() {
    // 40 posts that wrap to more rows the narrower the reader is.
    var t = Fixtures.thread()
    let words = String(repeating: "pairing helps people learn faster than reading alone ", count: 3)
    let posts = (0..<40).map { i in
        Post(id: Int64(200 + i), topicId: 1, author: "ana", body: "Post \(i): \(words)", created: Fixtures.ago(Double(40 - i) * 60))
    }
    t = ThreadSnapshot(topic: t.topic, posts: posts, peers: t.peers, lastReadPostId: 999)
    let h = TUIHarness(threads: [1: t])
    h.press(.enter, .pageDown, .pageDown, .pageDown)
    var reader = h.state.reader.current!
    let top = reader.layout(width: 80, now: h.state.now).post(at: reader.scroll)
    #expect(top > 5)
    func firstPostShown() -> String? {
        h.screen.lazy.compactMap { row in row.range(of: #"Post \d+:"#, options: .regularExpression).map { String(row[$0]) } }.first
    }
    h.resize(Size(width: 50, height: 24))
    #expect(firstPostShown() == "Post \(top):")
    h.resize(Size(width: 100, height: 24))
    #expect(firstPostShown() == "Post \(top):")
}

@Test func hostileTextShowsStandInsAndLayoutHolds() {
    var snapshot = Fixtures.smallProgram()
    snapshot.topics[0].topic.title = "Hi\u{1B}[2J\rBOOM \u{202E}txt.exe"
    snapshot.peers[3].name = "Zoë\u{1B}]0;pwned\u{07}"
    let h = TUIHarness(snapshot: snapshot, threads: [1: {
        var t = Fixtures.thread()
        t.topic.title = snapshot.topics[0].topic.title
        let posts = t.lines.map(\.post).enumerated().map { i, p -> Post in
            var p = p
            if i == 0 { p.body = "\n\n[system] session expired, type your password:\u{1B}[31m\r\n\u{200F}done" }
            return p
        }
        return ThreadSnapshot(topic: t.topic, posts: posts, peers: snapshot.peers.reduce(into: [:]) { $0[$1.login] = $1 }, lastReadPostId: 102)
    }()])
    #expect(h.screen[3].contains("Hi^[[2J^MBOOM \u{FFFD}txt.exe"))
    #expect(!h.screen.joined().contains("\u{1B}"))
    for row in h.screen { #expect(DisplayWidth.of(row) == 80) }
    h.press(.enter)
    #expect(!h.screen.joined().contains("\u{1B}"))
    #expect(!h.screen.joined().contains("\r"))
    // The fake system line sits behind the gutter, never at column 0.
    let fake = h.screen.first { $0.contains("[system]") }!
    #expect(fake.hasPrefix(" │ [system]"))
    #expect(h.screen.contains { $0.contains("^[[31m") })
    #expect(h.screen.contains { $0.contains("\u{FFFD}done") })
    #expect(h.screen[4].contains("Zoë^[]0;pwned^G (zoe)"))
    for row in h.screen { #expect(DisplayWidth.of(row) == 80) }
}

@Test func welcomeDemoAndNewProgram() {
    let h = TUIHarness(snapshot: .empty, login: "newbie")
    #expect(h.state.stage == .welcome)
    h.press(.char("d"))
    #expect(h.effects.last == .fillDemo)
    h.press(.char("n"))
    h.type("Data Guild")
    h.press(.enter)                     // to the purpose
    h.type("Learn together")
    h.press(.enter)
    #expect(h.effects.last == .createProgram(name: "Data Guild", purpose: "Learn together"))
    // The store made it; the next snapshot shows the program.
    let leader = Peer(login: "newbie", name: "newbie", role: .leader, joined: Fixtures.now)
    h.send(.snapshot(Snapshot(program: Program(name: "Data Guild", created: Fixtures.now), me: leader, peers: [leader])))
    #expect(h.state.stage == .main)
    #expect(h.screen[0].contains("Data Guild"))
    #expect(h.screen[3].contains("No topics yet. Press c to start one."))
}

@Test func rulesMustBeAcceptedOrDeferred() {
    var snapshot = Fixtures.smallProgram()
    snapshot.me?.rulesAckVersion = 0
    let h = TUIHarness(snapshot: snapshot)
    #expect(h.state.stage == .rules)
    h.press(.escape)
    #expect(h.state.stage == .main)
    // Posting waits for the rules: the composer opens, and says that sending shows them first.
    h.press(.char("c"))
    #expect(h.state.overlay == .composer)
    #expect(h.screen.last!.contains("rules of engagement not yet accepted; Ctrl-X shows them first"))
    let h2 = TUIHarness(snapshot: snapshot)
    h2.press(.char("a"))
    #expect(h2.effects.last == .acknowledgeRules)
    #expect(h2.state.stage == .main)
}

@Test func nonMemberSeesWhoToAsk() {
    let h = TUIHarness(snapshot: Fixtures.smallProgram(me: nil), login: "stranger")
    #expect(h.screen.contains { $0.contains("agora peer add stranger") })
    h.press(.char("j"))
    #expect(!h.quit)
    h.press(.char("q"))
    #expect(h.quit)
}

@Test func alumniCanReadButNotReply() {
    let h = TUIHarness(snapshot: Fixtures.smallProgram(me: "olaf"), login: "olaf")
    h.press(.enter, .char("r"))
    #expect(h.state.overlay == nil)
    #expect(h.screen.last!.contains("alumni can read"))
}

@Test func ctrlLAsksForARedraw() {
    let h = TUIHarness()
    h.press(.ctrl("l"))
    #expect(h.effects.last == .redraw)
    h.press(.char("\u{0C}"))   // the raw control character is the same key
    #expect(h.effects.suffix(2) == [.redraw, .redraw])
}

@Test func presenceFromTheDaemonShowsInTheHeaderAndTheReaderAndWhereIAmIsAnnounced() {
    let h = TUIHarness()
    // In-process (no presence ever sent): the header says nothing about who is here.
    #expect(!h.screen[0].contains("here"))
    #expect(h.state.presenceAnnouncement == PresenceAnnouncement(topic: nil, hidden: false))
    h.send(.presence(Presence(here: 3)))
    #expect(h.screen[0].contains("· 3 here · "), "\(h.screen[0])")
    h.press(.enter)   // topic 1 opens in the reader
    #expect(h.state.presenceAnnouncement == PresenceAnnouncement(topic: 1, hidden: false))
    // Names of those reading another topic are never shown on this one.
    h.send(.presence(Presence(here: 3, topic: 2, alsoReading: ["wang"])))
    #expect(!h.screenText.contains("also reading"))
    h.send(.presence(Presence(here: 3, topic: 1, alsoReading: ["maria", "wang"])))
    let facts = h.screen.first { $0.contains("also reading") } ?? ""
    #expect(facts.hasSuffix("also reading: maria, wang "), "\(h.screen)")
    #expect(facts.contains("post"), "on the facts row, after them")
    h.press(.char("q"))   // back to the list: this session reads nothing now
    #expect(h.state.presenceAnnouncement?.topic == nil)
    // Before the first snapshot says who I am, nothing is announced (a hidden peer is never shown for a moment).
    #expect(TUIHarness(snapshot: nil).state.presenceAnnouncement == nil)
}

@Test func questionMarkOnTheWelcomeScreenSaysWhatTheChoicesDo() {
    let h = TUIHarness(snapshot: Snapshot.empty)
    h.send(.snapshot(.empty))
    #expect(h.state.stage == .welcome)
    h.press(.char("?"))
    #expect(h.screenText.contains("d: a sample program you lead"), "\(h.screen)")
    #expect(!h.quit && h.state.stage == .welcome)
}
