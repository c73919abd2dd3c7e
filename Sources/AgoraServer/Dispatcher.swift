import AgoraCore
import AgoraWire
import Foundation

/// Who is on the other end of a connection, as the kernel said (SO_PEERCRED) and the handshake settled.
public struct Caller: Equatable, Sendable {
    /// The login the daemon acts as for this connection.
    public var login: String
    /// uid 0: may act as anyone and pin the time, as root may with the file itself.
    public var isRoot: Bool
    /// The session's name on its changes and claims.
    public var origin: String
    public init(login: String, isRoot: Bool, origin: String) {
        self.login = login
        self.isRoot = isRoot
        self.origin = origin
    }
}

/// Runs a `Call` against the store as `caller`. Nothing a client sends changes who acts: every acting login,
/// every reader of private state and every lease session is the connection's own, and the time is the daemon's.
/// Root's calls are taken as sent (root can open the file anyway). Policy then decides, in the store, as for a
/// local session.
public enum Dispatcher {
    public static func perform(_ call: Call, caller: Caller, store: any Store, now: Date) throws -> [UInt8] {
        try store.stamping(origin: caller.origin) { try run(call, caller: caller, store: store, now: now) }
    }

    private static func run(_ call: Call, caller: Caller, store: any Store, now daemonNow: Date) throws -> [UInt8] {
        let root = caller.isRoot
        func me(_ claimed: String) -> String { root ? claimed : caller.login }
        func reader(_ claimed: String?) -> String? { claimed.map(me) }
        func at(_ claimed: Date) -> Date { root ? claimed : daemonNow }
        func session(_ claimed: String) -> String { root ? claimed : caller.origin }
        func done() throws -> [UInt8] { try Wire.encode(Done()) }
        func out<T: Codable>(_ v: T) throws -> [UInt8] { try Wire.encode(Box(v)) }
        func rootOnly(_ what: String) throws {
            guard root else {
                throw AgoraError.denied("\(what) through the daemon needs root",
                                        hint: "ask the administrator to run it with sudo")
            }
        }

        // Reads that take no acting login carry what only some roles may see: the daemon asks Policy itself.
        func allowed(_ action: Action) throws {
            guard !root else { return }
            guard let program = try store.program() else { throw AgoraError("no program has been started yet") }
            try Policy.authorize(try store.peer(caller.login), action, in: program)
        }

        switch call {
        case .program: return try out(store.program())
        case let .createProgram(name, purpose, leader, now):
            try rootOnly("starting a program")
            return try out(store.createProgram(name: name, purpose: purpose, leader: leader, now: now))
        case let .setRules(text, expectedReturn, by, now):
            return try out(store.setRules(text, expectedReturn: expectedReturn, by: me(by), now: at(now)))
        case let .acknowledgeRules(by, now): return try out(store.acknowledgeRules(by: me(by), now: at(now)))
        case .templates: return try out(store.templates())
        case let .template(name): return try out(store.template(named: name))
        case let .saveTemplate(t, by, now):
            try store.saveTemplate(t, by: me(by), now: at(now))
            return try done()
        case let .updateSettings(settings, by, now):
            try store.updateSettings(settings, by: me(by), now: at(now))
            return try done()
        case let .notifications(who, unreadOnly, limit):
            return try out(store.notifications(for: me(who), unreadOnly: unreadOnly, limit: limit))
        case let .unreadNotificationCount(who):
            return try out(store.unreadNotificationCount(for: me(who)))
        case let .markNotificationsRead(who, ids, now):
            try store.markNotificationsRead(for: me(who), ids: ids, now: at(now))
            return try done()
        case let .setWatch(topic, level, by, now):
            try store.setWatch(topic, level: level, by: me(by), now: at(now))
            return try done()
        case let .acceptAnswer(post, by, now):
            return try out(store.acceptAnswer(post, by: me(by), now: at(now)))
        case let .editPost(post, body, by, now):
            try store.editPost(post, body: body, by: me(by), now: at(now))
            return try done()
        case let .deletePost(post, by, now):
            try store.deletePost(post, by: me(by), now: at(now))
            return try done()
        case let .postHistory(post, by): return try out(store.postHistory(post, by: me(by)))
        case let .watchLevel(topic, who):
            return try out(store.watchLevel(topic, for: me(who)))
        case let .setTagWatch(tag, level, by, now):
            try store.setTagWatch(tag, level: level, by: me(by), now: at(now))
            return try done()
        case let .tagWatchLevel(tag, who):
            return try out(store.tagWatchLevel(tag, for: me(who)))
        case let .fillDemo(d, mePeer, now):
            try rootOnly("filling a program with the demo")
            return try out(store.fillDemo(d, me: mePeer, now: now))

        case let .peer(login): return try out(store.peer(login))
        case let .peers(filter): return try out(store.peers(filter))
        case .leaders: return try out(store.leaders())
        case let .addPeers(peers, by, now):
            try store.addPeers(peers, by: me(by), now: at(now))
            return try done()
        case let .syncMembership(add, rejoin, leave, by, now):
            try store.syncMembership(add: add, rejoin: rejoin, leave: leave, by: me(by), now: at(now))
            return try done()
        case let .updatePeer(p, by, now):
            try store.updatePeer(p, by: me(by), now: at(now))
            return try done()
        case let .peerLeave(login, by, now):
            try store.peerLeave(login, by: me(by), now: at(now))
            return try done()
        case let .peerRejoin(login, by, now):
            try store.peerRejoin(login, by: me(by), now: at(now))
            return try done()
        case let .auditLog(limit):
            try allowed(.managePeers)
            return try out(store.auditLog(limit: limit))
        case let .matches(subject, by, now, limit):
            return try out(store.matches(for: subject, by: me(by), now: at(now), limit: limit))

        case let .post(kind, title, body, tags, by, now, template, followUp, draftScope):
            let ids = try store.post(kind: kind, title: title, body: body, tags: tags, by: me(by), now: at(now),
                                     template: template, followUp: followUp, draftScope: draftScope)
            return try out(PostedIDs(topic: ids.topic, post: ids.post))
        case let .reply(topic, parent, body, by, now):
            return try out(store.reply(topic: topic, parent: parent, body: body, by: me(by), now: at(now)))
        case let .topics(q, r): return try out(store.topics(q, for: reader(r)))
        case let .topicSummaries(ids, r): return try out(store.topicSummaries(ids, for: reader(r)))
        case let .thread(id, r): return try out(store.thread(id, for: reader(r)))
        case let .threadTail(id, after, r): return try out(store.threadTail(id, after: after, for: reader(r)))
        case let .threadOpening(id, r, window): return try out(store.threadOpening(id, for: reader(r), window: window))
        case let .threadPosts(id, ids, r): return try out(store.threadPosts(id, ids: ids, for: reader(r)))
        case let .setStatus(id, status, by, now):
            try store.setStatus(id, status, by: me(by), now: at(now))
            return try done()
        case let .home(login, now, limit, includePeers, known):
            return try out(store.home(for: me(login), now: at(now), topicLimit: limit, includePeers: includePeers,
                                      knownPeersVersion: known))

        case let .markRead(login, topic, upTo, posts):
            try store.markRead([ReadState(login: me(login), topicId: topic, lastReadPostId: upTo, posts: posts)])
            return try done()
        case let .markUnread(login, post):
            try store.markUnread(login: me(login), post: post)
            return try done()
        case let .unreadCounts(login):
            let c = try store.unreadCounts(for: me(login))
            return try out(UnreadCounts(topics: c.topics, posts: c.posts))
        case let .unreadTopicCount(login): return try out(store.unreadTopicCount(for: me(login)))
        case let .draft(login, scope): return try out(store.draft(login: me(login), scope: scope))
        case let .drafts(login): return try out(store.drafts(login: me(login)))
        case let .saveDraft(d):
            var d = d
            d.login = me(d.login)
            try store.saveDraft(d)
            return try done()
        case let .deleteDraft(login, scope):
            try store.deleteDraft(login: me(login), scope: scope)
            return try done()
        case let .setBookmark(login, post, on, now):
            try store.setBookmark(login: me(login), post: post, on, now: at(now))
            return try done()
        case let .bookmarks(login): return try out(store.bookmarks(login: me(login)))

        case let .queue(login, now): return try out(store.queue(for: me(login), now: at(now)))
        case let .queueCount(login, now): return try out(store.queueCount(for: me(login), now: at(now)))
        case let .claim(key, by, s, now):
            return try out(store.claim(key, by: me(by), session: s.map(session), now: at(now)))
        case let .release(key, by, now):
            try store.release(key, by: me(by), now: at(now))
            return try done()
        case let .renewLeases(s, by, now):
            try store.renewLeases(session: session(s), by: me(by), now: at(now))
            return try done()
        case let .releaseSessionClaims(s, by, now):
            try store.releaseSessionClaims(session: session(s), by: me(by), now: at(now))
            return try done()
        case let .liveClaims(now):
            try allowed(.viewQueue)
            return try out(store.liveClaims(now: at(now)))
        case let .welcome(login, message, by, now):
            return try out(store.welcome(login, message: message, by: me(by), now: at(now)))
        case let .flag(post, reason, by, now):
            return try out(store.flag(post: post, reason: reason, by: me(by), now: at(now)))
        case let .resolveFlag(id, hide, reason, by, now):
            try store.resolveFlag(id, hide: hide, reason: reason, by: me(by), now: at(now))
            return try done()
        case let .snooze(key, until, by, now):
            try store.snooze(key, until: until, by: me(by), now: at(now))
            return try done()
        case let .escalate(key, note, by, now):
            return try out(store.escalate(key, note: note, by: me(by), now: at(now)))
        case let .openEscalations(now):
            try allowed(.viewQueue)
            return try out(store.openEscalations(now: at(now)))
        case let .setNoAnswerNeeded(id, value, by, now):
            try store.setNoAnswerNeeded(id, value, by: me(by), now: at(now))
            return try done()

        case let .highlight(topic, post, why, by, now):
            return try out(store.highlight(topic: topic, post: post, why: why, by: me(by), now: at(now)))
        case let .highlights(limit): return try out(store.highlights(limit: limit))
        case let .addTestimonial(text, shareable, by, now):
            return try out(store.addTestimonial(text, shareable: shareable, by: me(by), now: at(now)))
        case let .testimonials(login): return try out(store.testimonials(for: me(login)))

        case let .report(since, by, now): return try out(store.report(since: since, by: me(by), now: at(now)))
        case let .tagTrends(by, now): return try out(store.tagTrends(by: me(by), now: at(now)))
        case let .export(by): return try out(store.export(by: me(by)))

        case let .search(q, limit, snippets): return try out(store.search(q, limit: limit, snippets: snippets))

        case .latestChange: return try out(store.latestChange())
        case let .changes(after, limit): return try out(store.changes(after: after, limit: limit))
        case .daemonStatus, .present:
            throw AgoraError("only the daemon answers that")   // Daemon.perform and the connection do, before calls reach here
        }
    }
}
