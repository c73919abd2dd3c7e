@testable import AgoraApp
import AgoraCore
import AgoraScreen
@testable import AgoraStore
import AgoraTestSupport
import AgoraTUI
import Foundation
import Testing

/// The leader's work from the TUI reaches the store as the CLI's does, and is refused to anyone else.
@Suite struct LeaderBridgeTests {
    func bridge(_ program: ProgramFile, as login: String) throws -> StoreBridge {
        StoreBridge(store: try program.connection(), login: login, clock: { LiveSession.now })
    }

    func failure(_ events: [Event]) -> String? {
        events.lazy.compactMap { if case .failed(let m) = $0 { m } else { nil } }.first
    }

    @Test func peersRolesAndAnImportFromAFile() throws {
        let program = try ProgramFile()
        let lea = try bridge(program, as: "lea")
        var events = lea.execute(.addPeer(Peer(login: "nina", name: "Nina Berg", role: .champion, joined: LiveSession.now)))
        #expect(failure(events) == nil && events.contains(.formSaved))
        let store = try program.connection()
        #expect(try store.peer("nina")?.role == .champion)
        events = lea.execute(.changeRole(login: "bo", role: .champion))
        #expect(failure(events) == nil)
        #expect(try store.peer("bo")?.role == .champion)
        let csv = program.dir.appendingPathComponent("people.csv")
        try "login,name,unit\nomar,Omar Haddad,Sales\npia,Pia Lund,Ops\n".write(to: csv, atomically: true, encoding: .utf8)
        events = lea.execute(.importPeers(path: csv.path))
        #expect(events.contains { if case .info(let m) = $0 { m.contains("imported 2 peers") } else { false } })
        #expect(try store.peer("pia")?.unit == "Ops")
        // A bad row: nothing imported, every bad row named.
        try "login,name\nquinn,\nomar,Omar Again\n".write(to: csv, atomically: true, encoding: .utf8)
        events = lea.execute(.importPeers(path: csv.path))
        let bad = try #require(failure(events))
        #expect(bad.contains("line 2") && bad.contains("line 3"))
        #expect(try store.peer("quinn") == nil)
        // Ana is a peer: refused, with the reason.
        let ana = try bridge(program, as: "ana")
        #expect(failure(ana.execute(.addPeer(Peer(login: "zed", name: "Zed", joined: LiveSession.now))))?.isEmpty == false)
        #expect(failure(ana.execute(.changeRole(login: "ana", role: .leader))) != nil)
        #expect(try store.peer("ana")?.role == .peer)
    }

    @Test func thresholdsTemplatesATopicFromOneAndTheExport() throws {
        let program = try ProgramFile()
        let lea = try bridge(program, as: "lea")
        let settings = ProgramSettings(unansweredHours: 36, welcomeHours: 12, stalledDays: 10, claimMinutes: 45)
        #expect(failure(lea.execute(.updateSettings(settings))) == nil)
        let store = try program.connection()
        #expect(ProgramSettings(try #require(try store.program())) == settings)
        let retro = TopicTemplate(name: "retro", sections: ["Went well", "To change"], followUpDays: 7)
        let saved = lea.execute(.saveTemplate(retro))
        #expect(saved.contains(.formSaved) && saved.contains { if case .templates(let t) = $0 { t.contains(retro) } else { false } })
        let due = LiveSession.now.addingTimeInterval(7 * 86400)
        let posted = lea.execute(.postFromTemplate(kind: .discussion, title: "Sprint 12", tags: [], body: retro.skeleton + "x",
                                                   scope: "template:retro", template: "retro", followUp: due))
        #expect(failure(posted) == nil)
        let topic = try #require(try store.topics().first { $0.topic.title == "Sprint 12" }?.topic)
        #expect(topic.template == "retro" && topic.followUp == due)
        for (name, marker) in [("program.json", "\"topics\""), ("program.md", "# ")] {
            let path = program.dir.appendingPathComponent(name).path
            let events = lea.execute(.export(path: path))
            #expect(failure(events) == nil, "\(name)")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains(marker) && text.contains("Sprint 12"), "\(name)")
            var st = stat()
            #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600, "an export holds people's words: the leader's alone")
        }
        #expect(failure(lea.execute(.export(path: "/nonexistent-dir/x.json")))?.contains("cannot write /nonexistent-dir/x.json") == true)
    }
}

/// A mention reaches the mentioned person's open session without a key, and only theirs.
@Suite struct LiveInboxTests {
    @Test func aMentionShowsInTheMentionedSessionAloneAndEnterLandsOnThePost() throws {
        let program = try ProgramFile()
        let store = try program.connection()
        // The fixtures' welcomes, read: the inbox starts empty.
        for login in ["ana", "cy"] { try store.markNotificationsRead(for: login, ids: nil, now: LiveSession.now) }
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        let cy = try LiveSession(program, as: "cy")
        defer { cy.finish() }
        #expect(!ana.shows("for you"))
        let topic = try #require(try store.topics().first { $0.topic.title == "Pair on SQL" }?.topic.id)
        let post = try store.reply(topic: topic, parent: nil, body: "@ana you know joins, right?", by: "bo", now: LiveSession.now)
        #expect(try ana.runUntil { ana.shows("1 for you") })
        try cy.runner.step(limit: 200)
        #expect(!cy.shows("for you"), "nobody else's session hears of it")
        try ana.press(.char("7"))
        #expect(try ana.runUntil { ana.shows("Bo Berg") && ana.shows("mentioned you") })
        try ana.press(.enter)
        #expect(try ana.runUntil { ana.runner.state.reader.current?.selectedPostId == post })
        #expect(try store.unreadNotificationCount(for: "ana") == 0)
        #expect(!ana.shows("for you"))
    }
}

extension LiveInboxTests {
    @Test func mutingFromTheTUIKeepsTheTopicReadAndQuiet() throws {
        let program = try ProgramFile()
        let bridge = StoreBridge(store: try program.connection(), login: "ana", clock: { LiveSession.now })
        let store = try program.connection()
        let topic = try #require(try store.topics().first { $0.topic.title == "Pair on SQL" }?.topic.id)
        let events = bridge.execute(.setWatch(topicId: topic, level: .muted))
        #expect(events.contains { if case .info(let m) = $0 { m.contains("muted") } else { false } })
        try store.reply(topic: topic, parent: nil, body: "@ana still there?", by: "bo", now: LiveSession.now)
        #expect(try store.notifications(for: "ana", unreadOnly: true, limit: 10).allSatisfy { $0.kind == .welcome })
        #expect(try store.topics(TopicQuery(), for: "ana").first { $0.topic.id == topic }?.unread == false)
    }
}
