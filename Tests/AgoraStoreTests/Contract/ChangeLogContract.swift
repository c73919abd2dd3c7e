import AgoraCore
import AgoraTestSupport
import Foundation
import Testing

/// What another session must be told, as `ChangeScope` reads a batch of foreign changes.
struct ExpectedScope: CustomStringConvertible {
    var topics: Set<Int64> = []
    var postedTopics: Set<Int64> = []
    var peers = false
    var queue = false
    var highlights = false
    var everything = false
    /// Logins the changes must name (a peer's change says whose).
    var logins: Set<String> = []
    /// Posts the changes must name (a new post says which).
    var posts: Set<Int64> = []

    static func posted(_ topic: Int64, _ post: Int64) -> ExpectedScope {
        ExpectedScope(topics: [topic], postedTopics: [topic], posts: [post])
    }

    var description: String {
        "topics \(topics.sorted()) posted \(postedTopics.sorted()) peers \(peers) queue \(queue) highlights \(highlights) everything \(everything) logins \(logins.sorted()) posts \(posts.sorted())"
    }

    /// `seen` tells another session at least this, and (unless everything is expected) does not make it reload everything.
    func check(_ seen: ChangeScope, _ changes: [Change], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if everything {
            #expect(seen.everything, "\(what): others must reload everything", sourceLocation: sourceLocation)
            return
        }
        #expect(!seen.everything, "\(what): should not make others reload everything", sourceLocation: sourceLocation)
        #expect(topics.isSubset(of: seen.topics), "\(what): topics \(seen.topics.sorted()), expected \(description)", sourceLocation: sourceLocation)
        #expect(postedTopics.isSubset(of: seen.postedTopics), "\(what): posted \(seen.postedTopics.sorted()), expected \(description)", sourceLocation: sourceLocation)
        if peers { #expect(seen.peers, "\(what): others must reload peers", sourceLocation: sourceLocation) }
        if queue { #expect(seen.queue, "\(what): others must reload the queue", sourceLocation: sourceLocation) }
        if highlights { #expect(seen.highlights, "\(what): others must reload highlights", sourceLocation: sourceLocation) }
        let named = Set(changes.compactMap(\.login))
        #expect(logins.isSubset(of: named), "\(what): logins named \(named.sorted()), expected \(logins.sorted())", sourceLocation: sourceLocation)
        let namedPosts = Set(changes.compactMap(\.postId))
        #expect(posts.isSubset(of: namedPosts), "\(what): posts named \(namedPosts.sorted()), expected \(posts.sorted())", sourceLocation: sourceLocation)
    }
}

/// Every write other sessions must see. `perform` sets the scene, notes the log's position, writes once, and
/// says what another session must hear.
enum LoggedWrite: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case post, reply, replyToAPost, setStatus, setNoAnswerNeeded
    case welcome, welcomeWithAMessage, flag, resolveFlagKeeping, resolveFlagHiding
    case claim, claimWithASession, release, releaseSessionClaims, snooze, escalate
    case addPeers, syncMembership, updatePeer, peerLeave, peerRejoin
    case setRules, acknowledgeRules, saveTemplate, updateSettings
    case highlightATopic, highlightAPost, addTestimonial

    var testDescription: String { rawValue }

    func perform(_ g: ContractGiven) throws -> (mark: Int64, expected: ExpectedScope) {
        typealias G = ContractGiven
        let s = g.store
        switch self {
        case .post:
            let mark = try g.mark()
            let t = try s.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
            return (mark, .posted(t.topic, t.post))
        case .reply:
            let t = try s.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
            let mark = try g.mark()
            let r = try s.reply(topic: t.topic, parent: nil, body: "r", by: "bo", now: G.at(2))
            return (mark, .posted(t.topic, r))
        case .replyToAPost:
            let t = try s.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
            let mark = try g.mark()
            let r = try s.reply(topic: t.topic, parent: t.post, body: "r", by: "bo", now: G.at(2))
            return (mark, .posted(t.topic, r))
        case .setStatus:
            let t = try s.post(kind: .request, title: "Help", body: "b", by: "ana", now: G.at(1))
            let mark = try g.mark()
            try s.setStatus(t.topic, .resolved, by: "ana", now: G.at(2))
            return (mark, ExpectedScope(topics: [t.topic]))
        case .setNoAnswerNeeded:
            let t = try s.post(kind: .request, title: "Help", body: "b", by: "ana", now: G.at(1))
            let mark = try g.mark()
            try s.setNoAnswerNeeded(t.topic, true, by: "ana", now: G.at(2))
            return (mark, ExpectedScope(topics: [t.topic]))
        case .welcome:
            try g.addNewcomer()
            let mark = try g.mark()
            try s.welcome("nina", message: nil, by: "cham", now: G.at(2))
            return (mark, ExpectedScope(peers: true, logins: ["nina"]))
        case .welcomeWithAMessage:
            try g.addNewcomer()
            let mark = try g.mark()
            let id = try #require(try s.welcome("nina", message: "Hello!", by: "cham", now: G.at(2)))
            let post = try #require(try s.thread(id).posts.first?.id)
            return (mark, ExpectedScope(topics: [id], postedTopics: [id], peers: true, logins: ["nina"], posts: [post]))
        case .flag:
            let t = try s.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
            let mark = try g.mark()
            try s.flag(post: t.post, reason: "rude", by: "bo", now: G.at(2))
            return (mark, ExpectedScope(queue: true))
        case .resolveFlagKeeping, .resolveFlagHiding:
            let t = try s.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
            let flag = try s.flag(post: t.post, reason: "rude", by: "bo", now: G.at(2))
            let mark = try g.mark()
            let hide = self == .resolveFlagHiding
            try s.resolveFlag(flag, hide: hide, reason: "decided", by: "cham", now: G.at(3))
            // Hiding changes what the topic shows; keeping only settles the queue item.
            return (mark, hide ? ExpectedScope(topics: [t.topic], queue: true) : ExpectedScope(queue: true))
        case .claim, .claimWithASession:
            try g.addNewcomer()
            let mark = try g.mark()
            try s.claim("peer:nina", by: "cham", session: self == .claim ? nil : "tui-1", now: G.at(2))
            return (mark, ExpectedScope(queue: true))
        case .release:
            try g.addNewcomer()
            try s.claim("peer:nina", by: "cham", session: nil, now: G.at(2))
            let mark = try g.mark()
            try s.release("peer:nina", by: "cham", now: G.at(3))
            return (mark, ExpectedScope(queue: true))
        case .releaseSessionClaims:
            try g.addNewcomer()
            try s.claim("peer:nina", by: "cham", session: "tui-1", now: G.at(2))
            let mark = try g.mark()
            try s.releaseSessionClaims(session: "tui-1", by: "cham", now: G.at(3))
            return (mark, ExpectedScope(queue: true))
        case .snooze:
            try g.addNewcomer()
            let mark = try g.mark()
            try s.snooze("peer:nina", until: G.hours(10), by: "cham", now: G.at(2))
            return (mark, ExpectedScope(queue: true))
        case .escalate:
            try g.addNewcomer()
            let mark = try g.mark()
            try s.escalate("peer:nina", note: "for the leader", by: "cham", now: G.at(2))
            return (mark, ExpectedScope(queue: true))
        case .addPeers:
            let mark = try g.mark()
            try s.addPeers([Peer(login: "xia", name: "Xia", joined: G.t0), Peer(login: "yul", name: "Yul", joined: G.t0)], by: "lea", now: G.at(1))
            return (mark, ExpectedScope(peers: true, logins: ["xia", "yul"]))
        case .syncMembership:
            let mark = try g.mark()
            try s.syncMembership(add: [Peer(login: "xia", name: "Xia", joined: G.t0)], rejoin: ["olga"], leave: ["bo"], by: "lea", now: G.at(1))
            return (mark, ExpectedScope(peers: true, logins: ["xia", "olga", "bo"]))
        case .updatePeer:
            var ana = try #require(try s.peer("ana"))
            ana.bio = "Platform engineer"
            let mark = try g.mark()
            try s.updatePeer(ana, by: "ana", now: G.at(1))
            return (mark, ExpectedScope(peers: true, logins: ["ana"]))
        case .peerLeave:
            let mark = try g.mark()
            try s.peerLeave("bo", by: "lea", now: G.at(1))
            return (mark, ExpectedScope(peers: true, logins: ["bo"]))
        case .peerRejoin:
            let mark = try g.mark()
            try s.peerRejoin("olga", by: "lea", now: G.at(1))
            return (mark, ExpectedScope(peers: true, logins: ["olga"]))
        case .setRules:
            let mark = try g.mark()
            try s.setRules("Be kind", expectedReturn: nil, by: "lea", now: G.at(1))
            return (mark, ExpectedScope(everything: true))
        case .acknowledgeRules:
            try s.setRules("Be kind", expectedReturn: nil, by: "lea", now: G.at(1))
            let mark = try g.mark()
            try s.acknowledgeRules(by: "ana", now: G.at(2))
            return (mark, ExpectedScope(peers: true, logins: ["ana"]))
        case .saveTemplate:
            let mark = try g.mark()
            try s.saveTemplate(TopicTemplate(name: "retro", sections: ["Went well", "To change"], followUpDays: 7), by: "lea", now: G.at(1))
            return (mark, ExpectedScope(everything: true))
        case .updateSettings:
            let mark = try g.mark()
            try s.updateSettings(ProgramSettings(unansweredHours: 48, welcomeHours: 12, stalledDays: 14, claimMinutes: 30), by: "lea", now: G.at(1))
            return (mark, ExpectedScope(everything: true))
        case .highlightATopic:
            let t = try s.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
            let mark = try g.mark()
            try s.highlight(topic: t.topic, post: nil, why: "it helped", by: "bo", now: G.at(2))
            return (mark, ExpectedScope(highlights: true))
        case .highlightAPost:
            let t = try s.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
            let r = try s.reply(topic: t.topic, parent: nil, body: "the answer", by: "cham", now: G.at(2))
            let mark = try g.mark()
            try s.highlight(topic: t.topic, post: r, why: "the answer", by: "ana", now: G.at(3))
            return (mark, ExpectedScope(highlights: true))
        case .addTestimonial:
            let mark = try g.mark()
            try s.addTestimonial("It changed how I work", shareable: true, by: "ana", now: G.at(1))
            return (mark, ExpectedScope(highlights: true))
        }
    }
}

/// Writes and reads that concern nobody else: they must log nothing, so no other session wakes for them.
/// `perform` sets the scene, notes the position, acts, checks the act took effect, and returns the position.
enum PrivateAct: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case markRead, saveDraft, deleteDraft, bookmark, renewLeases, endingASessionThatHoldsNothing, acknowledgingRulesAgain, reading

    var testDescription: String { rawValue }

    func perform(_ g: ContractGiven) throws -> Int64 {
        typealias G = ContractGiven
        let s = g.store
        switch self {
        case .markRead:
            let t = try s.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
            let mark = try g.mark()
            try s.markRead(login: "bo", topic: t.topic, upTo: t.post)
            #expect(try s.topicSummary(t.topic, for: "bo")?.unread == false)
            return mark
        case .saveDraft:
            let mark = try g.mark()
            try s.saveDraft(Draft(login: "bo", scope: "new", title: "T", body: "half", saved: G.at(1)))
            #expect(try s.draft(login: "bo", scope: "new")?.body == "half")
            return mark
        case .deleteDraft:
            try s.saveDraft(Draft(login: "bo", scope: "new", title: "T", body: "half", saved: G.at(1)))
            let mark = try g.mark()
            try s.deleteDraft(login: "bo", scope: "new")
            #expect(try s.draft(login: "bo", scope: "new") == nil)
            return mark
        case .bookmark:
            let t = try s.post(kind: .idea, title: "Keep", body: "b", by: "ana", now: G.at(1))
            let mark = try g.mark()
            try s.setBookmark(login: "bo", post: t.post, true, now: G.at(2))
            #expect(try s.bookmarks(login: "bo").map(\.postId) == [t.post])
            try s.setBookmark(login: "bo", post: t.post, false, now: G.at(3))
            #expect(try s.bookmarks(login: "bo").isEmpty)
            return mark
        case .renewLeases:
            try g.addNewcomer()
            try s.claim("peer:nina", by: "cham", session: "tui-1", now: G.at(1))
            let mark = try g.mark()
            let renewed = G.at(1).addingTimeInterval(ChampionQueue.leaseRenewSeconds)
            try s.renewLeases(session: "tui-1", by: "cham", now: renewed)
            #expect(try s.liveClaims(now: G.at(1).addingTimeInterval(ChampionQueue.leaseSeconds + 1)).map(\.login) == ["cham"])
            return mark
        case .endingASessionThatHoldsNothing:
            let mark = try g.mark()
            try s.releaseSessionClaims(session: "tui-9", by: "cham", now: G.at(1))
            return mark
        case .acknowledgingRulesAgain:
            try s.setRules("Be kind", expectedReturn: nil, by: "lea", now: G.at(1))
            try s.acknowledgeRules(by: "ana", now: G.at(2))
            let mark = try g.mark()
            #expect(try s.acknowledgeRules(by: "ana", now: G.at(3)) == 1)
            return mark
        case .reading:
            let t = try s.post(kind: .request, title: "Help with SQL", body: "b", tags: ["sql"], by: "ana", now: G.at(1))
            try g.addNewcomer()
            let mark = try g.mark()
            let now = G.hours(48)
            _ = try s.program()
            _ = try s.peers()
            _ = try s.peer("ana")
            _ = try s.leaders()
            _ = try s.auditLog(limit: 10)
            _ = try s.matches(for: "ana", by: "ana", now: now, limit: 5)
            _ = try s.templates()
            _ = try s.topics(TopicQuery(), for: "bo")
            _ = try s.topicSummaries([t.topic], for: "bo")
            _ = try s.thread(t.topic, for: "bo")
            _ = try s.threadTail(t.topic, after: 0, for: "bo")
            _ = try s.home(for: "cham", now: now, topicLimit: 50, includePeers: true, knownPeersVersion: nil)
            _ = try s.unreadCounts(for: "bo")
            _ = try s.unreadTopicCount(for: "bo")
            _ = try s.drafts(login: "bo")
            _ = try s.queue(for: "cham", now: now)
            _ = try s.liveClaims(now: now)
            _ = try s.openEscalations(now: now)
            _ = try s.highlights(limit: 10)
            _ = try s.testimonials(for: "lea")
            _ = try s.report(since: G.t0, by: "lea", now: now)
            _ = try s.tagTrends(by: "lea", now: now)
            _ = try s.export(by: "lea")
            _ = try s.search("sql", limit: 10, snippets: true)
            _ = try s.latestChange()
            _ = try s.changes(after: 0, limit: 10)
            return mark
        }
    }
}

@Suite("Contract: change log") struct ChangeLogContract {
    typealias G = ContractGiven

    // MARK: What is logged

    @Test(arguments: ContractBackend.all, LoggedWrite.allCases)
    func aWriteOthersMustSeeIsLoggedWithTheWritersOrigin(_ backend: ContractBackend, _ write: LoggedWrite) throws {
        let g = try G(backend)
        let (mark, expected) = try write.perform(g)
        let batch = try g.changes(since: mark)
        #expect(!batch.changes.isEmpty, "\(write) logged nothing: no other session hears of it")
        #expect(batch.complete)
        #expect(batch.changes.allSatisfy { $0.origin == g.store.origin }, "origins \(batch.changes.map(\.origin)), writer \(g.store.origin)")
        #expect(batch.position == (try g.mark()))
        #expect(ChangeScope(batch, skippingOrigin: g.store.origin).isEmpty, "the writer has nothing to reload")
        expected.check(ChangeScope(batch, skippingOrigin: "another session"), batch.changes, write.rawValue)
    }

    @Test(arguments: ContractBackend.all, PrivateAct.allCases)
    func privateWritesAndReadsLogNothing(_ backend: ContractBackend, _ act: PrivateAct) throws {
        let g = try G(backend)
        let mark = try act.perform(g)
        #expect(try g.mark() == mark, "\(act) moved the log")
        let batch = try g.changes(since: mark)
        #expect(batch.changes.isEmpty, "\(act) logged \(batch.changes.map(\.kind))")
        #expect(batch.position == mark)
        #expect(batch.complete)
    }

    @Test(arguments: ContractBackend.all)
    func startingAProgramTellsEveryoneToReloadEverything(_ backend: ContractBackend) throws {
        let p = try backend.makeProgram()
        let mark = try p.store.latestChange()
        try p.store.createProgram(name: "Circle", purpose: "", leader: Peer(login: "lea", name: "Lea", joined: G.t0), now: G.t0)
        let batch = try p.store.changes(after: mark, limit: 100)
        #expect(!batch.changes.isEmpty)
        #expect(ChangeScope(batch, skippingOrigin: "another session").everything)
    }

    @Test(arguments: ContractBackend.all)
    func fillingTheDemoTellsEveryoneToReloadEverything(_ backend: ContractBackend) throws {
        let p = try backend.makeProgram()
        let mark = try p.store.latestChange()
        let summary = try p.store.fillDemo(DemoProgram(peers: 6, topics: 3, posts: 6, seed: 3), me: Peer(login: "me", name: "Me", joined: G.t0), now: G.t0)
        #expect(summary.topics == 3)
        #expect(try p.store.topics().count == 3)
        let batch = try p.store.changes(after: mark, limit: 100)
        let latest = try p.store.latestChange()
        expectKnownIssue(.demoLogsNoChange, on: backend) {
            #expect(!batch.changes.isEmpty, "the demo logged nothing: a session open on this program never hears of the demo")
            #expect(ChangeScope(batch, skippingOrigin: "another session").everything)
            #expect(latest > mark)
        }
    }

    @Test(arguments: ContractBackend.all)
    func aRefusedWriteLogsNothingAndLeavesNoGap(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.addNewcomer()
        try g.store.setRules("Be kind", expectedReturn: nil, by: "lea", now: G.at(1))
        let mark = try g.mark()
        // Cham may welcome but, not having accepted the new rules, not post: the welcome with its topic is refused
        // whole, though its first half was allowed.
        expectRefused(exitCode: 4) { try g.store.welcome("nina", message: "Hello!", by: "cham", now: G.at(2)) }
        #expect(try g.store.peer("nina")?.welcomedAt == nil)
        #expect(try g.store.topics().isEmpty)
        #expect(try g.queueKeys(at: G.at(3)) == ["peer:nina"])
        expectRefused(exitCode: 5) {
            try g.store.claim("peer:nina", by: "cham", session: nil, now: G.at(3))
            try g.store.claim("peer:nina", by: "cara", session: nil, now: G.at(3))
        }
        let claimed = try g.mark()
        #expect(try g.changes(since: mark).changes.count == 1)   // cham's claim, not cara's

        // The next reader is not told the log has a hole (which would make it reload everything).
        try g.store.post(kind: .idea, title: "After", body: "b", by: "lea", now: G.at(4))
        let batch = try g.changes(since: claimed)
        #expect(batch.changes.count == 1)
        #expect(batch.complete, "a refused write left a gap in the log")
        #expect(!ChangeScope(batch, skippingOrigin: "another session").everything)
    }

    // MARK: Reading the log

    @Test(arguments: ContractBackend.all)
    func changesComeOldestFirstAndThePositionIsTheLastId(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let mark = try g.mark()
        let t = try g.store.post(kind: .request, title: "Help", body: "b", by: "ana", now: G.at(1))
        let r = try g.store.reply(topic: t.topic, parent: nil, body: "r", by: "bo", now: G.at(2))
        try g.store.setStatus(t.topic, .resolved, by: "ana", now: G.at(3))
        try g.addNewcomer(joined: G.at(4))
        try g.store.highlight(topic: t.topic, post: r, why: "good", by: "ana", now: G.at(5))
        let batch = try g.store.changes(after: mark, limit: 100)
        let ids = batch.changes.map(\.id)
        // Bo's reply tells Ana (her topic): a change that names only her, after the post's own.
        #expect(batch.changes.map(\.kind) == [.posted, .posted, .notified, .topic, .peer, .highlight])
        #expect(batch.changes.map(\.topicId) == [t.topic, t.topic, nil, t.topic, nil, t.topic])
        #expect(batch.changes.prefix(2).map(\.postId) == [t.post, r])
        #expect(batch.changes[2].login == "ana" && batch.changes[2].postId == nil)
        #expect(batch.changes[4].login == "nina")
        #expect(ids.first.map { $0 > mark } == true)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "ids \(ids)")
        #expect(batch.position == ids.last)
        #expect(batch.position == (try g.mark()))
        #expect(batch.complete)

        // Reading from a change in the middle gives the ones after it; from the end, nothing.
        let rest = try g.store.changes(after: ids[1], limit: 100)
        #expect(rest.changes.map(\.id) == Array(ids.dropFirst(2)))
        let none = try g.store.changes(after: batch.position, limit: 100)
        #expect(none.changes.isEmpty)
        #expect(none.position == batch.position)
        #expect(none.complete)
        #expect(ChangeScope(none, skippingOrigin: g.store.origin).isEmpty)
    }

    @Test(arguments: ContractBackend.all)
    func aLimitSmallerThanWhatWaitsSaysTheBatchIsIncomplete(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let mark = try g.mark()
        for i in 0..<5 { try g.store.post(kind: .idea, title: "T\(i)", body: "b", by: "ana", now: G.at(Double(i))) }
        let all = try g.store.changes(after: mark, limit: 100)
        #expect(all.changes.count == 5)

        let first = try g.store.changes(after: mark, limit: 2)
        #expect(first.changes.map(\.id) == Array(all.changes.prefix(2).map(\.id)))
        #expect(first.complete == false)
        #expect(first.position == first.changes.last?.id)
        #expect(ChangeScope(first, skippingOrigin: g.store.origin).everything, "an incomplete batch means: reload everything")
        let second = try g.store.changes(after: first.position, limit: 2)
        #expect(second.changes.map(\.id) == Array(all.changes.dropFirst(2).prefix(2).map(\.id)))
        #expect(second.complete == false)
        let last = try g.store.changes(after: second.position, limit: 2)
        #expect(last.changes.map(\.id) == [all.changes[4].id])
        #expect(last.complete)
        #expect(last.position == all.position)

        let exact = try g.store.changes(after: mark, limit: 5)
        #expect(exact.changes.count == 5)
        #expect(exact.complete, "a limit equal to what waits returns it all")
    }

    @Test(arguments: ContractBackend.all)
    func aPositionBeyondTheLogIsAnsweredWithTheLogsEnd(_ backend: ContractBackend) throws {
        // A session that read a log since replaced (a backup put back): it reloads and goes on from the end.
        let g = try G(backend)
        let latest = try g.mark()
        let batch = try g.store.changes(after: latest + 1000, limit: 100)
        #expect(batch.changes.isEmpty)
        #expect(batch.complete == false)
        #expect(batch.position == latest)
    }

    @Test(arguments: ContractBackend.all)
    func aNewSessionStartsAtTheLatestChange(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let start = try g.store.latestChange()
        #expect(start > 0, "the given program was written: the log is not empty")
        let quiet = try g.store.changes(after: start, limit: 100)
        #expect(quiet.changes.isEmpty)
        #expect(quiet.position == start)
        #expect(quiet.complete)
        let t = try g.store.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
        let news = try g.store.changes(after: start, limit: 100)
        #expect(news.changes.map(\.topicId) == [t.topic])
        #expect(try g.store.latestChange() == news.position)
    }

    // MARK: Sessions

    @Test(arguments: ContractBackend.all)
    func eachSessionHasItsOwnOrigin(_ backend: ContractBackend) throws {
        let g = try G(backend)
        #expect(!g.store.origin.isEmpty)
        guard let b = try g.openSession() else { return }
        let c = try #require(try g.openSession())
        #expect(!b.origin.isEmpty)
        #expect(Set([g.store.origin, b.origin, c.origin]).count == 3)

        // The same person in two sessions: each skips only what it wrote itself.
        let mark = try g.mark()
        let inA = try g.store.post(kind: .idea, title: "From A", body: "b", by: "ana", now: G.at(1))
        let inB = try b.post(kind: .idea, title: "From B", body: "b", by: "ana", now: G.at(2))
        let batch = try c.changes(after: mark, limit: 100)
        #expect(batch.changes.map(\.origin) == [g.store.origin, b.origin])
        let forA = ChangeScope(batch, skippingOrigin: g.store.origin)
        let forB = ChangeScope(batch, skippingOrigin: b.origin)
        #expect(forA.topics == [inB.topic])
        #expect(forA.postedTopics == [inB.topic])
        #expect(forB.topics == [inA.topic])
        #expect(forB.postedTopics == [inA.topic])
        #expect(ChangeScope(batch, skippingOrigin: c.origin).topics == [inA.topic, inB.topic])
    }

    @Test(arguments: ContractBackend.all)
    func anotherSessionStartingLateHearsOnlyWhatComesAfter(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.store.post(kind: .idea, title: "Before", body: "b", by: "ana", now: G.at(1))
        guard let b = try g.openSession() else { return }
        let start = try b.latestChange()
        #expect(start == (try g.store.latestChange()))
        #expect(try b.changes(after: start, limit: 100).changes.isEmpty)
        #expect(try b.topics().map(\.topic.title) == ["Before"])   // it loaded everything instead

        let t = try g.store.post(kind: .request, title: "After", body: "b", by: "ana", now: G.at(2))
        try g.store.setRules("Be kind", expectedReturn: nil, by: "lea", now: G.at(3))
        let batch = try b.changes(after: start, limit: 100)
        #expect(batch.changes.map(\.origin) == [g.store.origin, g.store.origin])
        let scope = ChangeScope(batch, skippingOrigin: b.origin)
        #expect(scope.postedTopics == [t.topic])
        #expect(scope.everything)
        #expect(try b.topicSummary(t.topic, for: "bo")?.unread == true)
        #expect(try b.program()?.rulesVersion == 1)
    }

    @Test(arguments: ContractBackend.all)
    func aForeignBatchIsScopedByKind(_ backend: ContractBackend) throws {
        let g = try G(backend)
        guard let b = try g.openSession() else { return }
        let t = try g.store.post(kind: .request, title: "Help", body: "b", by: "ana", now: G.at(0))
        try g.addNewcomer(joined: G.at(0))
        func scope(_ write: () throws -> Void) throws -> ChangeScope {
            let mark = try b.latestChange()
            try write()
            return ChangeScope(try b.changes(after: mark, limit: 100), skippingOrigin: b.origin)
        }
        let posted = try scope { try g.store.reply(topic: t.topic, parent: nil, body: "r", by: "bo", now: G.at(1)) }
        #expect(posted.topics == [t.topic] && posted.postedTopics == [t.topic])
        #expect(!posted.peers && !posted.everything && !posted.highlights)

        let status = try scope { try g.store.setStatus(t.topic, .resolved, by: "ana", now: G.at(2)) }
        #expect(status.topics == [t.topic])
        #expect(status.postedTopics.isEmpty, "a status change is no new post")
        #expect(!status.everything)

        let peer = try scope { try g.store.welcome("nina", message: nil, by: "cham", now: G.at(3)) }
        #expect(peer.peers)
        #expect(peer.postedTopics.isEmpty && !peer.everything)

        let highlight = try scope { try g.store.highlight(topic: t.topic, post: nil, why: "great", by: "bo", now: G.at(4)) }
        #expect(highlight.highlights)
        #expect(!highlight.everything)

        let program = try scope { try g.store.setRules("Be kind", expectedReturn: nil, by: "lea", now: G.at(5)) }
        #expect(program.everything)

        let own = try scope { try b.post(kind: .idea, title: "Mine", body: "b", by: "lea", now: G.at(6)) }
        #expect(own.isEmpty, "a session's own writes are skipped")
    }

    @Test(arguments: ContractBackend.all)
    func aPersonsPrivateStateIsSharedByTheirSessionsWithoutLogging(_ backend: ContractBackend) throws {
        let g = try G(backend)
        guard let b = try g.openSession() else { return }
        let t = try g.store.post(kind: .idea, title: "News", body: "b", by: "ana", now: G.at(1))
        let mark = try b.latestChange()
        try g.store.saveDraft(Draft(login: "bo", scope: "new", title: "T", body: "started in A", saved: G.at(2)))
        try g.store.markRead(login: "bo", topic: t.topic, upTo: t.post)
        #expect(try b.draft(login: "bo", scope: "new")?.body == "started in A")
        #expect(try b.topicSummary(t.topic, for: "bo")?.unread == false)
        #expect(try b.unreadTopicCount(for: "bo") == 0)
        #expect(try b.changes(after: mark, limit: 100).changes.isEmpty)
        // Sending from session B clears the draft A saved.
        try b.post(kind: .idea, title: "T", body: "finished in B", by: "bo", now: G.at(3))
        #expect(try g.store.draft(login: "bo", scope: "new") == nil)
    }

    @Test(arguments: ContractBackend.all)
    func readersNeverMissAChangeWhileSessionsWriteAtOnce(_ backend: ContractBackend) throws {
        let g = try G(backend)
        guard try g.openSession() != nil else { return }
        let t = try g.store.post(kind: .discussion, title: "Busy thread", body: "b", by: "ana", now: G.at(0))
        let writers = 4, each = 10
        let people = ["ana", "bo", "cham", "cara"]
        let sessions = ThreadShared(try (0..<writers).map { _ in try #require(try g.openSession()) })
        let reader = ThreadShared(try #require(try g.openSession()))
        let start = try reader.value.latestChange()

        let written = ThreadCollected<Int64>(), errors = ThreadCollected<String>(), seen = ThreadCollected<Int64>(), incomplete = ThreadCollected<Int64>()
        let writersDone = ThreadCollected<Int>(), finished = ThreadFlag()
        onThreads(writers + 1) { i in
            if i == writers {
                // The reader follows the log as a live session does, until the writers are done, then once more.
                var position = start
                func follow() throws {
                    let batch = try reader.value.changes(after: position, limit: 1000)
                    if !batch.complete { incomplete.append(position) }
                    for c in batch.changes { seen.append(c.id) }
                    position = batch.position
                }
                do {
                    while !finished.isRaised { try follow() }
                    try follow()
                } catch { errors.append("reader: \(error)") }
                return
            }
            for k in 0..<each {
                do {
                    written.append(try sessions.value[i].reply(topic: t.topic, parent: nil, body: "reply \(k) from \(i)",
                                                               by: people[i], now: G.at(Double(1 + k))))
                } catch { errors.append("writer \(i): \(error)") }
            }
            writersDone.append(i)
            if writersDone.all.count == writers { finished.raise() }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        #expect(incomplete.all.isEmpty, "the reader was told it missed changes after \(incomplete.all)")
        let everything = try g.store.changes(after: start, limit: 10_000)
        // Every reply, and beside each the note to the topic's author.
        #expect(everything.changes.filter { $0.kind == .posted }.count == writers * each)
        #expect(seen.all == everything.changes.map(\.id), "followed \(seen.all.count) changes, the log holds \(everything.changes.count)")
        #expect(Set(everything.changes.compactMap(\.postId)) == Set(written.all))
        #expect(try g.topic(t.topic).postCount == 1 + writers * each)
    }
}
