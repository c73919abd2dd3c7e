import Foundation
import Testing
import AgoraCore
import AgoraScreen
@testable import AgoraTUI
import AgoraTestSupport

// The leader's work in the full-screen program (issue 16): peers and roles, templates, the export, the thresholds.
// Each screen at 80x24 and 140x40; what it sends is the effect the loop hands the store.

private func leader(_ size: Size) -> TUIHarness {
    TUIHarness(size: size, snapshot: Fixtures.smallProgram(me: "maria"), login: "maria")
}

private let sizes = [Size(width: 80, height: 24), Size(width: 140, height: 40)]

@Test(arguments: sizes)
func theLeaderAddsAPeerInAForm(size: Size) {
    let h = leader(size)
    h.press(.char("2"), .char("a"))
    #expect(h.state.overlay == .form)
    expectScreen(h.screen, prefix: [
        "",
        "",
        " Add a peer",
        " They join as a newcomer: the queue asks the champions to welcome them.",
        "",
        " Login",
        "",
        " Name    as the program shows it",
        "",
        " Role    peer, champion or leader (default peer)",
        "",
        " Unit    business unit",
        "",
        " Region  where they work",
    ], size: size)
    h.type("nina")
    h.press(.tab)
    h.type("Nina Berg")
    h.press(.tab)
    h.type("boss")
    h.press(.ctrl("x"))
    #expect(h.screen.last!.contains("unknown role 'boss'"))
    h.press(.backspace, .backspace, .backspace, .backspace)
    h.type("champion")
    h.press(.tab)
    h.type("Ops")
    let mark = h.effects.count
    h.press(.ctrl("x"))
    guard case .addPeer(let p)? = h.effects(since: mark).first else { Issue.record("no addPeer"); return }
    #expect(p.login == "nina" && p.name == "Nina Berg" && p.role == .champion && p.unit == "Ops")
    h.send(.formSaved)
    #expect(h.state.overlay == nil && h.state.form == nil)
    #expect(TUI.overwrites(h.state).isEmpty)
}

/// Compares the first rows of a screen, trailing spaces ignored (the rest depends on the size).
private func expectScreen(_ screen: [String], prefix: [String], size: Size, sourceLocation: SourceLocation = #_sourceLocation) {
    for (i, want) in prefix.enumerated() where !want.isEmpty {
        let got = screen[i].replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        #expect(got == want.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression), "row \(i) at \(size.width)x\(size.height)",
                sourceLocation: sourceLocation)
    }
}

@Test(arguments: sizes)
func theLeaderImportsPeersAndChangesARole(size: Size) {
    let h = leader(size)
    h.press(.char("2"), .char("i"))
    #expect(h.screen.last!.contains("import peers (CSV with a header row; nothing is added if a row is bad) from:"))
    h.type("~/people.csv")
    h.press(.enter)
    #expect(h.effects.last == .importPeers(path: homeDirectory() + "/people.csv"))
    // Zoë's profile: r asks for the role, naming the one she has.
    let zoe = h.state.visiblePeers.firstIndex { $0.login == "zoe" }!
    for _ in 0..<zoe { h.press(.char("j")) }
    h.press(.enter, .char("r"))
    #expect(h.screen.last!.contains("role for zoe (now peer; peer, champion or leader):"))
    h.type("Champion")
    h.press(.enter)
    #expect(h.effects.last == .changeRole(login: "zoe", role: .champion))
}

@Test func aChampionIsToldTheLeaderAddsPeers() {
    let h = TUIHarness()   // ana, a champion
    h.press(.char("2"), .char("a"))
    #expect(h.state.overlay == nil)
    #expect(h.screen.last!.contains("only"))
}

@Test(arguments: sizes)
func theLeaderSetsTheThresholdsAndExportsFromTheReport(size: Size) {
    let h = leader(size)
    h.press(.char("6"), .char("S"))
    #expect(h.screen.contains { $0.contains("Queue thresholds") })
    #expect(h.state.form?.fields.map(\.text) == ["24", "48", "7", "60"])
    h.press(.ctrl("u"))
    h.type("many")
    h.press(.ctrl("x"))
    #expect(h.screen.last!.contains("unanswered after is a number of hours, not 'many'"))
    h.press(.ctrl("u"))
    h.type("36")
    h.press(.ctrl("x"))
    #expect(h.effects.last == .updateSettings(ProgramSettings(unansweredHours: 36, welcomeHours: 48, stalledDays: 7, claimMinutes: 60)))
    h.send(.formSaved)
    h.press(.char("x"))
    #expect(h.screen.last!.contains("export to (.md for Markdown): agora-export.json"))
    h.press(.enter)
    #expect(h.effects.last == .export(path: "agora-export.json"))
    #expect(TUI.overwrites(h.state).isEmpty)
}

@Test(arguments: sizes)
func aTemplateStartsATopicWithItsSectionsAndFollowUp(size: Size) {
    let h = leader(size)
    h.press(.char("T"))
    #expect(h.effects.last == .loadTemplates)
    h.send(.templates(TopicTemplate.builtIn))
    #expect(h.screen.contains { $0.contains("Templates (2) · Enter starts a topic from one, a adds one") })
    #expect(h.screen.contains { $0.contains("problem-solving circle") && $0.contains("follow-up in 14 d") }, "\(h.screen.joined(separator: "\n"))")
    h.press(.enter)
    let c = h.state.composer!
    #expect(c.template == "problem-solving circle" && c.body.text == TopicTemplate.builtIn[0].skeleton)
    #expect(c.scope == "template:problem-solving circle")
    #expect(h.screen.contains { $0.contains("New topic · template: problem-solving circle · follow-up") })
    h.type("Release train stuck")
    let mark = h.effects.count
    h.press(.ctrl("x"))
    #expect(h.effects(since: mark).contains(.postFromTemplate(kind: .discussion, title: "Release train stuck", tags: [],
        body: TopicTemplate.builtIn[0].skeleton.trimmingCharacters(in: .newlines), scope: "template:problem-solving circle", template: "problem-solving circle",
        followUp: Fixtures.now.addingTimeInterval(14 * 86400))))
    h.send(.posted(topicId: 9, scope: "template:problem-solving circle"))
    #expect(h.state.composer == nil)
    // The leader adds one.
    h.press(.char("1"), .char("T"))
    h.send(.templates(TopicTemplate.builtIn))
    h.press(.char("a"))
    h.type("retro")
    h.press(.tab)
    h.type("Went well, To change")
    h.press(.tab)
    h.type("7")
    h.press(.ctrl("x"))
    #expect(h.effects.last == .saveTemplate(TopicTemplate(name: "retro", sections: ["Went well", "To change"], followUpDays: 7)))
}

// MARK: The inbox (issue 14): what is for me alone

private func inboxItems() -> [NotificationItem] {
    [
        NotificationItem(id: 9, kind: .mention, topicId: 1, postId: 103, topicTitle: "How do I get started with code review?",
                         actor: "maria", actorName: "Maria Santos", created: Fixtures.ago(600), read: false),
        NotificationItem(id: 8, kind: .replyToPost, topicId: 3, postId: 302, topicTitle: "远程工作的最佳实践",
                         actor: "zoe", actorName: "Zoë 🚀", created: Fixtures.ago(7200), read: false),
        NotificationItem(id: 7, kind: .welcome, topicId: nil, postId: nil, topicTitle: "",
                         actor: "maria", actorName: "Maria Santos", created: Fixtures.ago(86400 * 3), read: true),
    ]
}

@Test(arguments: sizes)
func theInboxListsWhatIsForMeAndEnterLandsOnThePost(size: Size) {
    let h = TUIHarness(size: size)
    h.send(.inbox(unread: 2, items: nil))
    #expect(h.screen[0].contains("2 for you"))
    h.press(.char("7"))
    #expect(h.effects.last == .loadInbox)
    h.send(.inbox(unread: 2, items: inboxItems()))
    expectScreen(h.screen, prefix: [
        "", "",
        " Inbox (3, 2 unread) · newest first",
    ], size: size)
    let mention = h.screen.firstIndex { $0.contains("Maria Santos") && $0.contains("mentioned you") }!
    #expect(h.screen[mention].contains("●") && h.screen[mention].contains("How do I get started"))
    #expect(h.screen.contains { $0.contains("Zoë 🚀") && $0.contains("replied to you") && $0.contains("远程工作") })
    #expect(h.screen.contains { $0.contains("welcomed you") && !$0.contains("●") })
    let mark = h.effects.count
    h.press(.enter)                                    // the mention: read now, the thread opens on the post, marked
    #expect(h.effects(since: mark).prefix(2) == [.markNotificationsRead(ids: [9]), .openThread(1)])
    #expect(h.state.reader.current?.selectedPostId == 103 && h.state.reader.current?.marked == nil, "selected, not flagged")
    #expect(h.state.snapshot.inboxUnread == 1)
    h.press(.char("q"))                                // back to the inbox
    #expect(h.state.pane == .inbox)
    h.press(.char("a"))
    #expect(h.effects.last == .markNotificationsRead(ids: nil))
    #expect(h.state.snapshot.inboxUnread == 0 && !h.screen.contains { $0.contains("●") })
    h.press(.char("a"))
    #expect(h.screen.last!.contains("nothing unread in your inbox"))
    #expect(TUI.overwrites(h.state).isEmpty)
}

@Test func anEmptyInboxSaysWhatComesThere() {
    let h = TUIHarness()
    h.press(.char("7"))
    h.send(.inbox(unread: 0, items: []))
    #expect(h.screen[3].contains("Nothing for you yet. Mentions (@login), replies to you and welcomes come here."))
}

@Test(arguments: sizes)
func theComposerCompletesAMentionAndSaysWhenOneTellsNobody(size: Size) {
    let h = TUIHarness(size: size)
    h.press(.enter, .char("r"))          // a reply to topic 1
    h.type("Thanks @zo")
    h.press(.tab)
    #expect(h.state.composer?.body.text == "Thanks @zoe ")
    h.type("and @Mar")                   // a name's start works too
    h.press(.tab)
    #expect(h.state.composer?.body.text == "Thanks @zoe and @maria ")
    h.type("and @ol")                    // Olaf has left: not offered
    h.press(.tab)
    #expect(h.screen.last!.contains("nobody in the directory starts with 'ol'"))
    h.press(.backspace, .backspace, .backspace)
    h.type("@olaf!")
    var mark = h.effects.count
    h.press(.ctrl("x"))
    #expect(h.effects(since: mark).isEmpty, "said first, not sent")
    #expect(h.screen.last!.contains("@olaf is not in the program: plain text, nobody is told. Ctrl-X again sends"))
    mark = h.effects.count
    h.press(.ctrl("x"))
    #expect(h.effects(since: mark).contains(.reply(topicId: 1, parentId: nil, body: "Thanks @zoe and @maria and @olaf!", scope: "topic:1")))
}

@Test func wInTheReaderSetsHowMuchTheTopicTellsMe() {
    let h = TUIHarness()
    h.press(.enter, .char("w"))
    #expect(h.screen.last!.contains("this topic: (watching, normal or muted)"))
    h.type("m")
    h.press(.enter)
    #expect(h.effects.last == .setWatch(topicId: 1, level: .muted))
    h.press(.char("w"))
    h.type("loud")
    h.press(.enter)
    #expect(h.screen.last!.contains("'loud' is not a level: watching, normal or muted"))
}

@Test(arguments: sizes)
func aReplyToAPostShowsItAndCtrlQQuotesIt(size: Size) {
    let h = TUIHarness(size: size)
    h.press(.enter)                              // topic 1, on maria's post 103
    h.press(.char("R"))
    #expect(h.screen.contains { $0.contains("> +1. Ask questions in the review; nobody minds.") })
    #expect(h.screen.contains { $0.contains("Ctrl-Q quotes it") })
    h.press(.ctrl("q"))
    h.type("Agreed.")
    #expect(h.state.composer?.body.text == "> +1. Ask questions in the review; nobody minds.\n\nAgreed.")
    #expect(TUI.overwrites(h.state).isEmpty)
    // A reply to the topic as a whole has nothing to quote, and says how to get one.
    let t = TUIHarness(size: size)
    t.press(.enter, .char("r"), .ctrl("q"))
    #expect(t.screen.last!.contains("Ctrl-Q quotes the post you answer"))
}

@Test(arguments: sizes)
func aMarksTheAnswerAndAGoesToIt(size: Size) {
    // Zoë asked topic 1; ana is a champion, so she may mark the answer too.
    let h = TUIHarness(size: size)
    h.press(.enter, .char("g"))                 // the opening post
    h.press(.char("a"))
    #expect(h.screen.last!.contains("the opening post asks; choose a reply"))
    h.press(.char("n"))                         // ana's reply, 102
    h.press(.char("a"))
    #expect(h.effects.last == .acceptAnswer(topicId: 1, postId: 102))
    // The store's answer: the thread names it at the top, and A goes there from anywhere in it.
    var thread = Fixtures.thread()
    thread.topic.acceptedPostId = 102
    thread.topic.status = .answered
    h.send(.thread(thread))
    #expect(h.screen.contains { $0.contains("✓ answer by Ana Lima (A)") })
    h.press(.char("G"))
    h.press(.char("A"))
    #expect(h.state.reader.current?.selectedPostId == 102)
    #expect(TUI.overwrites(h.state).isEmpty)
    let none = TUIHarness(size: size)
    none.press(.enter, .char("A"))
    #expect(none.screen.last!.contains("this topic has no answer marked yet"))
}

@Test func anInboxItemFarDownALongThreadOpensWithItsPostAtTheTop() {
    let h = TUIHarness()
    let thread = WithheldPostsTests.longThread()    // 100 posts, bodies from post 10 on not come yet
    h.threads[thread.topic.id!] = thread
    h.press(.char("7"))
    h.send(.inbox(unread: 1, items: [NotificationItem(id: 1, kind: .mention, topicId: thread.topic.id, postId: 90, topicTitle: "t",
                                                       actor: "zoe", actorName: "Zoë", created: Fixtures.now, read: false)]))
    h.press(.enter)
    // The posts up to it are asked for; once they come it is selected, at the top of the reader.
    var answered = 0   // effects seen: a request is answered once, and the loop ends when no new one comes
    while answered < h.effects.count, case .loadThreadPosts(_, let ids, _)? = h.effects.last {
        answered = h.effects.count
        let t = thread.topic
        h.send(.threadPosts(ThreadSnapshot(topic: t, posts: ids.map { Post(id: $0, topicId: t.id!, author: "ana", body: "post \($0)", created: Fixtures.now) },
                                           lastReadPostId: 100), asked: ids))
    }
    #expect(h.state.reader.current?.selectedPostId == 90)
    let row = h.screen.firstIndex { $0.contains("post 90") }
    #expect(row == 5, "its header on the reader's first row, its text under it: \(h.screen.joined(separator: "\n"))")
}
