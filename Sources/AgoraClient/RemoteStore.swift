import AgoraCore
import AgoraWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The store protocols over the daemon's socket: one request, one answer, on the session's own thread (the TUI's
/// loop stays one poll(): this socket is one more descriptor). The daemon decides who acts; what this client
/// passes as a login or a time is only what a root client would mean by it.
///
/// Changes the daemon pushes wait in `pending` until the session asks for them (`changes(after:)`), so a
/// session that follows the pushes never asks the daemon what changed.
public final class RemoteStore: Store, PresenceChannel {
    public let socketPath: String
    public let origin: String
    /// Who the daemon says we are.
    public private(set) var login: String = ""
    let actAs: String?
    /// How long a request may take before the session gives up on the daemon.
    public var timeout: TimeInterval
    /// The connection, -1 while there is none (the loop polls it; tests wait on it).
    public private(set) var fd: Int32 = -1
    private var reader = FrameReader(limit: Wire.maxReplyBytes)
    /// Where `fill` receives into: one buffer for the session, not a fresh 64 KB at every look.
    private var chunk = [UInt8](repeating: 0, count: 64 << 10)
    private var nextID: UInt64 = 1
    /// Pushed changes not yet read, oldest first, and the log position the last push reached.
    var pending: [Change] = []
    var pushedPosition: Int64?
    /// A push said it could not carry everything (the daemon's log was too far ahead): ask instead.
    var pushGap = false
    /// The latest presence push not yet taken, and what this session last announced (said again on reconnect).
    private var freshPresence: Presence?
    private var announced: (topic: Int64?, hidden: Bool)?

    public var location: String { "the agora daemon (\(socketPath))" }
    public var isConnected: Bool { fd >= 0 }

    /// Unsent text on this machine's disk, so a draft never depends on the daemon being up.
    public let localDrafts: LocalDrafts

    /// Connects and says hello; throws the daemon's refusal (not a member, no program, wrong version) as is.
    /// `draftsDirectory`: where to keep drafts locally (default: the XDG state directory of whoever runs this).
    public init(socketPath: String, actAs: String? = nil, timeout: TimeInterval = 15, draftsDirectory: String? = nil) throws {
        self.socketPath = socketPath
        self.actAs = actAs
        self.timeout = timeout
        var g = SystemRandomNumberGenerator()
        origin = "d" + String(g.next(), radix: 36) + String(g.next(), radix: 36)
        localDrafts = draftsDirectory.map(LocalDrafts.init(directory:)) ?? .standard()
        try connect()
    }

    /// Runs a call whose local side is already done: while the daemon is away that is enough (it hears of the
    /// draft when it is read again or sent); any other failure is the daemon's answer and is passed on.
    private func alsoOnDaemon(_ call: Call) throws {
        do { try perform(call) } catch { if isConnected { throw error } }
    }

    /// The newer of two copies of a draft.
    private static func newer(_ a: Draft?, _ b: Draft?) -> Draft? {
        guard let a else { return b }
        guard let b else { return a }
        return b.saved > a.saved ? b : a
    }

    deinit { disconnect() }

    /// (Re)connects; after a reconnect the session reads the log from where it was, so nothing is missed.
    public func connect() throws {
        disconnect()
        // Pushes sent while we were away are lost: until new ones reach back to where the session is, it asks.
        pending.removeAll()
        pushedPosition = nil
        pushGap = false
        let fd = try UnixSocket.connect(socketPath)
        self.fd = fd
        reader = FrameReader(limit: Wire.maxReplyBytes)
        let deadline = Date(timeIntervalSinceNow: timeout)
        guard UnixSocket.writeAll(fd, try Wire.frame(.hello, Hello(origin: origin, actAs: actAs)), deadline: deadline) else {
            disconnect()
            throw lost()
        }
        while true {
            let frame = try nextFrame(until: deadline)
            switch frame.kind {
            case .welcome:
                login = try Wire.decode(Welcome.self, frame).login
                takeBuffered()
                // A new connection is nobody's presence until it says where it is again (best effort: the
                // session works without it, and says it again at its next move).
                if let announced { try? perform(.present(topic: announced.topic, hidden: announced.hidden)) }
                return
            case .refused:
                disconnect()
                throw try Wire.decode(WireFailure.self, frame).error
            case .changes:
                continue
            default:
                disconnect()
                throw AgoraError("the agora daemon answered the hello with a \(frame.kind) frame",
                                 hint: "agora and the daemon may be different versions")
            }
        }
    }

    public func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    private func lost() -> AgoraError {
        AgoraError("lost the connection to the agora daemon", hint: "it may be restarting; try again in a moment")
    }

    // MARK: - Frames

    /// The next whole frame, waiting for it until `deadline`.
    private func nextFrame(until deadline: Date) throws -> Frame {
        while true {
            do {
                if let f = try reader.next() { return f }
            } catch {
                disconnect()
                throw AgoraError("the agora daemon sent something this agora cannot read (\(error))",
                                 hint: "agora and the daemon may be different versions")
            }
            guard UnixSocket.wait(fd, for: Int16(POLLIN), until: deadline) else {
                disconnect()
                throw AgoraError("the agora daemon did not answer within \(Int(timeout)) s", hint: "try again; if it persists, ask the administrator")
            }
            guard fill() else {
                disconnect()
                throw lost()
            }
        }
    }

    /// Reads what the socket has; false at end of stream or on an error.
    @discardableResult
    private func fill() -> Bool {
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 {
                reader.append(chunk[0..<n])
                if n < chunk.count { return true }
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
            return false
        }
    }

    /// Takes the pushes that have arrived (the loop calls this when the socket is readable). False: the daemon is gone.
    @discardableResult
    public func drain() -> Bool {
        guard fd >= 0 else { return false }
        guard fill() else { disconnect(); return false }
        do {
            while let f = try reader.next() { take(f) }
        } catch {
            disconnect()
            return false
        }
        return true
    }

    private func take(_ frame: Frame) {
        if frame.kind == .presence, let p = try? Wire.decode(Presence.self, frame.body) {
            freshPresence = p
            return
        }
        guard frame.kind == .changes, let batch = try? Wire.decode(ChangeBatch.self, frame.body) else { return }
        if !batch.complete { pushGap = true }
        pending.append(contentsOf: batch.changes)
        pushedPosition = max(pushedPosition ?? batch.position, batch.position)
    }

    /// Pushes that came in the same read as an answer (presence follows the answer to `present`): the socket will
    /// not be readable for them again, so they are taken now.
    private func takeBuffered() {
        while let f = try? reader.next() { take(f) }
    }

    /// Sends `call` and waits for its answer; pushes that come first are kept for `changes(after:)`.
    func request<T: Decodable>(_ call: Call, _ type: T.Type) throws -> T {
        if fd < 0 { try connect() }
        let id = nextID
        nextID += 1
        let deadline = Date(timeIntervalSinceNow: timeout)
        guard UnixSocket.writeAll(fd, try Wire.frame(.request, id: id, call), deadline: deadline) else {
            disconnect()
            throw lost()
        }
        while true {
            let frame = try nextFrame(until: deadline)
            switch frame.kind {
            case .changes, .presence:
                take(frame)
            case .reply where frame.id == id:
                takeBuffered()
                return try Wire.decode(T.self, frame.body)
            case .failure where frame.id == id:
                takeBuffered()
                throw try Wire.decode(WireFailure.self, frame.body).error
            default:
                continue
            }
        }
    }

    func value<T: Codable>(_ call: Call, _ type: T.Type = T.self) throws -> T {
        try request(call, Box<T>.self).value
    }

    func perform(_ call: Call) throws {
        _ = try request(call, Done.self)
    }

    // MARK: - ChangeLog

    public func latestChange() throws -> Int64 { try value(.latestChange) }

    /// The daemon's own figures (`agora admin status`): root and leaders only.
    public func daemonStatus() throws -> DaemonStatus { try value(.daemonStatus) }

    public func changes(after position: Int64, limit: Int) throws -> ChangeBatch {
        // What the pushes brought, when they reach back to `position` without a hole; first whatever is waiting in
        // the socket, since the daemon pushes a change before it answers the write that made it.
        if fd >= 0 { drain() }
        if !pushGap, let reached = pushedPosition, reached >= position {
            let mine = pending.drop { $0.id <= position }
            let contiguous = mine.first.map { $0.id == position + 1 } ?? (reached == position)
            if contiguous && mine.count <= limit {
                pending.removeAll()
                return ChangeBatch(changes: Array(mine), position: mine.last?.id ?? position, complete: true)
            }
        }
        let batch: ChangeBatch = try value(.changes(after: position, limit: limit))
        pending.removeAll { $0.id <= batch.position }
        pushGap = false
        pushedPosition = max(pushedPosition ?? batch.position, batch.position)
        return batch
    }

    /// Whether pushes have brought changes the session has not read yet.
    public var hasPending: Bool { !pending.isEmpty || pushGap }

    public func stamping<T>(origin: String, _ body: () throws -> T) rethrows -> T { try body() }

    public func changeSignal(now: Date) -> any ChangeSignal { RemoteChangeSignal(store: self) }

    /// The daemon gathers commits itself; a client's writes are one request each.
    public func writeBatch<T>(_ body: () throws -> T) throws -> T { try body() }

    // MARK: - Presence

    public func announce(topic: Int64?, hidden: Bool) throws {
        announced = (topic, hidden)
        try perform(.present(topic: topic, hidden: hidden))
    }

    /// A presence push is waiting for `takePresence` (the loop wakes for it).
    public var hasFreshPresence: Bool { freshPresence != nil }

    public func takePresence() -> Presence? {
        defer { freshPresence = nil }
        return freshPresence
    }

    // MARK: - ProgramStore

    public func program() throws -> Program? { try value(.program) }
    public func createProgram(name: String, purpose: String, leader: Peer, now: Date) throws -> Program {
        try value(.createProgram(name: name, purpose: purpose, leader: leader, now: now))
    }
    public func setRules(_ text: String, expectedReturn: String?, by login: String, now: Date) throws -> Int {
        try value(.setRules(text: text, expectedReturn: expectedReturn, by: login, now: now))
    }
    public func acknowledgeRules(by login: String, now: Date) throws -> Int { try value(.acknowledgeRules(by: login, now: now)) }
    public func templates() throws -> [TopicTemplate] { try value(.templates) }
    public func template(named name: String) throws -> TopicTemplate { try value(.template(name: name)) }
    public func saveTemplate(_ t: TopicTemplate, by login: String, now: Date) throws {
        try perform(.saveTemplate(t, by: login, now: now))
    }
    public func updateSettings(_ settings: ProgramSettings, by login: String, now: Date) throws {
        try perform(.updateSettings(settings, by: login, now: now))
    }
    public func notifications(for login: String, unreadOnly: Bool, limit: Int) throws -> [NotificationItem] {
        try value(.notifications(for: login, unreadOnly: unreadOnly, limit: limit))
    }
    public func unreadNotificationCount(for login: String) throws -> Int { try value(.unreadNotificationCount(for: login)) }
    public func markNotificationsRead(for login: String, ids: [Int64]?, now: Date) throws {
        try perform(.markNotificationsRead(for: login, ids: ids, now: now))
    }
    public func setWatch(_ topicId: Int64, level: WatchLevel, by login: String, now: Date) throws {
        try perform(.setWatch(topicId, level: level, by: login, now: now))
    }
    public func watchLevel(_ topicId: Int64, for login: String) throws -> WatchLevel { try value(.watchLevel(topicId, for: login)) }
    public func setTagWatch(_ tag: String, level: WatchLevel, by login: String, now: Date) throws {
        try perform(.setTagWatch(tag, level: level, by: login, now: now))
    }
    public func tagWatchLevel(_ tag: String, for login: String) throws -> WatchLevel { try value(.tagWatchLevel(tag, for: login)) }
    public func acceptAnswer(_ postId: Int64, by login: String, now: Date) throws -> Bool { try value(.acceptAnswer(postId, by: login, now: now)) }
    public func editPost(_ postId: Int64, body: String, by login: String, now: Date) throws {
        try perform(.editPost(postId, body: body, by: login, now: now))
    }
    public func deletePost(_ postId: Int64, by login: String, now: Date) throws { try perform(.deletePost(postId, by: login, now: now)) }
    public func postHistory(_ postId: Int64, by login: String) throws -> [PostRevision] { try value(.postHistory(postId, by: login)) }
    public func fillDemo(_ d: DemoProgram, me: Peer, now: Date) throws -> DemoProgram.Summary {
        try value(.fillDemo(d, me: me, now: now))
    }

    // MARK: - MembershipStore

    public func peer(_ login: String) throws -> Peer? { try value(.peer(login)) }
    public func peers(_ filter: PeerFilter) throws -> [Peer] { try value(.peers(filter)) }
    public func leaders() throws -> [Peer] { try value(.leaders) }
    public func addPeers(_ peers: [Peer], by actor: String, now: Date) throws {
        try perform(.addPeers(peers, by: actor, now: now))
    }
    public func syncMembership(add peers: [Peer], rejoin: [String], leave: [String], by actor: String, now: Date) throws {
        try perform(.syncMembership(add: peers, rejoin: rejoin, leave: leave, by: actor, now: now))
    }
    public func updatePeer(_ updated: Peer, by actor: String, now: Date) throws {
        try perform(.updatePeer(updated, by: actor, now: now))
    }
    public func peerLeave(_ login: String, by actor: String, now: Date) throws { try perform(.peerLeave(login, by: actor, now: now)) }
    public func peerRejoin(_ login: String, by actor: String, now: Date) throws { try perform(.peerRejoin(login, by: actor, now: now)) }
    public func auditLog(limit: Int) throws -> [AuditEvent] { try value(.auditLog(limit: limit)) }
    public func matches(for login: String, by actor: String, now: Date, limit: Int) throws -> [MatchSuggestion] {
        try value(.matches(subject: login, by: actor, now: now, limit: limit))
    }

    // MARK: - ConversationStore

    public func post(kind: TopicKind, title: String, body: String, tags: [String], by login: String, now: Date,
                     template: String?, followUp: Date?, draftScope: String) throws -> (topic: Int64, post: Int64) {
        let ids: PostedIDs = try value(.post(kind: kind, title: title, body: body, tags: tags, by: login, now: now,
                                             template: template, followUp: followUp, draftScope: draftScope))
        localDrafts.remove(login: login, scope: draftScope)   // confirmed: the daemon has the text
        return (ids.topic, ids.post)
    }
    public func reply(topic topicId: Int64, parent: Int64?, body: String, by login: String, now: Date) throws -> Int64 {
        let id: Int64 = try value(.reply(topic: topicId, parent: parent, body: body, by: login, now: now))
        for scope in Conversation.settledDrafts(topic: topicId, parent: parent) { localDrafts.remove(login: login, scope: scope) }
        return id
    }
    public func topics(_ q: TopicQuery, for reader: String?) throws -> [TopicSummary] { try value(.topics(q, reader: reader)) }
    public func topicSummaries(_ ids: [Int64], for reader: String?) throws -> [TopicSummary] {
        try value(.topicSummaries(ids, reader: reader))
    }
    public func thread(_ topicId: Int64, for reader: String?) throws -> ThreadView { try value(.thread(topicId, reader: reader)) }
    public func threadTail(_ topicId: Int64, after postId: Int64, for reader: String?) throws -> ThreadView {
        try value(.threadTail(topicId, after: postId, reader: reader))
    }
    public func threadOpening(_ topicId: Int64, for reader: String?, window: ThreadWindow) throws -> ThreadView {
        try value(.threadOpening(topicId, reader: reader, window: window))
    }
    public func threadPosts(_ topicId: Int64, ids: [Int64], for reader: String?) throws -> ThreadView {
        try value(.threadPosts(topicId, ids: ids, reader: reader))
    }
    public func setStatus(_ topicId: Int64, _ status: TopicStatus, by login: String, now: Date) throws {
        try perform(.setStatus(topicId, status, by: login, now: now))
    }
    public func home(for login: String, now: Date, topicLimit: Int, includePeers: Bool, knownPeersVersion: Int64?) throws -> Home {
        try value(.home(login: login, now: now, topicLimit: topicLimit, includePeers: includePeers, knownPeersVersion: knownPeersVersion))
    }

    // MARK: - ReadingStore

    public func markRead(login: String, topic: Int64, upTo postId: Int64) throws {
        try markRead([ReadState(login: login, topicId: topic, lastReadPostId: postId)])
    }
    public func markRead(_ marks: [ReadState]) throws {
        for m in marks { try perform(.markRead(login: m.login, topic: m.topicId, upTo: m.lastReadPostId, posts: m.posts)) }
    }
    public func markUnread(login: String, post: Int64) throws {
        try perform(.markUnread(login: login, post: post))
    }
    public func setBookmark(login: String, post: Int64, _ on: Bool, now: Date) throws {
        try perform(.setBookmark(login: login, post: post, on: on, now: now))
    }
    public func bookmarks(login: String) throws -> [Bookmark] { try value(.bookmarks(login: login)) }
    public func unreadCounts(for login: String) throws -> (topics: Int, posts: Int) {
        let c: UnreadCounts = try value(.unreadCounts(login: login))
        return (c.topics, c.posts)
    }
    public func unreadTopicCount(for login: String) throws -> Int { try value(.unreadTopicCount(login: login)) }
    public func draft(login: String, scope: String) throws -> Draft? {
        let local = localDrafts.load(login: login, scope: scope)
        do {
            return Self.newer(try value(.draft(login: login, scope: scope)), local)
        } catch {
            if isConnected { throw error }
            return local
        }
    }
    public func drafts(login: String) throws -> [Draft] {
        var byScope: [String: Draft] = [:]
        for d in localDrafts.all(login: login) { byScope[d.scope] = d }
        do {
            for d in try value(.drafts(login: login), [Draft].self) { byScope[d.scope] = Self.newer(byScope[d.scope], d) }
        } catch {
            if isConnected { throw error }
        }
        return byScope.values.sorted { $0.saved > $1.saved }
    }
    /// On the daemon if it answers (then an older copy kept here is superseded); on this disk while it does not,
    /// until it does. The composer holds the text meanwhile, so nothing is lost in between.
    public func saveDraft(_ d: Draft) throws {
        do {
            try perform(.saveDraft(d))
            localDrafts.remove(login: d.login, scope: d.scope)
        } catch {
            if isConnected { throw error }
            try localDrafts.save(d)
        }
    }
    public func deleteDraft(login: String, scope: String) throws {
        localDrafts.remove(login: login, scope: scope)
        try alsoOnDaemon(.deleteDraft(login: login, scope: scope))
    }

    // MARK: - QueueStore

    public func queue(for login: String, now: Date) throws -> [QueueItem] { try value(.queue(login: login, now: now)) }
    public func queueCount(for login: String, now: Date) throws -> Int { try value(.queueCount(login: login, now: now)) }
    public func claim(_ key: String, by login: String, session: String?, now: Date) throws -> Claim {
        try value(.claim(key, by: login, session: session, now: now))
    }
    public func release(_ key: String, by login: String, now: Date) throws { try perform(.release(key, by: login, now: now)) }
    public func renewLeases(session: String, by login: String, now: Date) throws {
        try perform(.renewLeases(session: session, by: login, now: now))
    }
    public func releaseSessionClaims(session: String, by login: String, now: Date) throws {
        try perform(.releaseSessionClaims(session: session, by: login, now: now))
    }
    public func liveClaims(now: Date) throws -> [Claim] { try value(.liveClaims(now: now)) }
    public func welcome(_ login: String, message: String?, by actor: String, now: Date) throws -> Int64? {
        try value(.welcome(login, message: message, by: actor, now: now))
    }
    public func flag(post postId: Int64, reason: String, by login: String, now: Date) throws -> Int64 {
        try value(.flag(post: postId, reason: reason, by: login, now: now))
    }
    public func resolveFlag(_ flagId: Int64, hide: Bool, reason: String, by login: String, now: Date) throws {
        try perform(.resolveFlag(flagId, hide: hide, reason: reason, by: login, now: now))
    }
    public func snooze(_ key: String, until: Date, by login: String, now: Date) throws {
        try perform(.snooze(key, until: until, by: login, now: now))
    }
    public func escalate(_ key: String, note: String, by login: String, now: Date) throws -> Int64 {
        try value(.escalate(key, note: note, by: login, now: now))
    }
    public func openEscalations(now: Date) throws -> [Escalation] { try value(.openEscalations(now: now)) }
    public func setNoAnswerNeeded(_ topicId: Int64, _ value: Bool, by login: String, now: Date) throws {
        try perform(.setNoAnswerNeeded(topicId, value, by: login, now: now))
    }

    // MARK: - HighlightStore

    public func highlight(topic topicId: Int64, post postId: Int64?, why: String, by login: String, now: Date) throws -> Int64 {
        try value(.highlight(topic: topicId, post: postId, why: why, by: login, now: now))
    }
    public func highlights(limit: Int) throws -> [HighlightSummary] { try value(.highlights(limit: limit)) }
    public func addTestimonial(_ text: String, shareable: Bool, by login: String, now: Date) throws -> Int64 {
        try value(.addTestimonial(text, shareable: shareable, by: login, now: now))
    }
    public func testimonials(for login: String) throws -> [Testimonial] { try value(.testimonials(login: login)) }

    // MARK: - ReportStore, SearchStore

    public func report(since: Date, by login: String, now: Date) throws -> LeaderReport {
        try value(.report(since: since, by: login, now: now))
    }
    public func tagTrends(by login: String, now: Date) throws -> [TagTrend] { try value(.tagTrends(by: login, now: now)) }
    public func export(by login: String) throws -> ProgramExport { try value(.export(by: login)) }
    public func search(_ query: String, limit: Int, snippets: Bool) throws -> [SearchHit] {
        try value(.search(query, limit: limit, snippets: snippets))
    }
}

/// How a session over the daemon hears of changes: its socket is readable (a push came). While the daemon is
/// away it tries again, sooner at first (0.2 s, doubling to 5 s), and says so in `status`.
public final class RemoteChangeSignal: ChangeSignal {
    let store: RemoteStore
    private var retryAt: Date?
    private var retryDelay: TimeInterval = 0.2

    init(store: RemoteStore) { self.store = store }

    public var descriptor: Int32 { store.fd }

    public var deadline: Date? {
        if store.hasPending || store.hasFreshPresence { return .distantPast }
        if !store.isConnected { return retryAt ?? .distantPast }
        return nil
    }

    /// "reconnecting…" while the daemon is away, for the status line.
    public var status: String? { store.isConnected ? nil : "reconnecting to the agora daemon…" }

    public func readable(now: Date) {
        if !store.drain() { retryAt = now.addingTimeInterval(retryDelay) }
    }

    public func due(now: Date) -> Bool {
        if store.isConnected { return store.hasPending }
        if let retryAt, now < retryAt { return false }
        do {
            try store.connect()
            retryDelay = 0.2
            retryAt = nil
            return true
        } catch {
            retryAt = now.addingTimeInterval(retryDelay)
            retryDelay = min(5, retryDelay * 2)
            return false
        }
    }
}
