import AgoraCore
import AgoraWire
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// `agora serve`: one process owns the program; members' sessions are its clients over a Unix socket.
///
/// Threads: one NIO event loop does all socket work and owns every connection's state; store calls run off it,
/// writes one at a time on `writes` (the daemon serialises them itself: no client ever holds a lock), reads
/// beside each other on `reads`. After each write that changed the program the daemon reads its change log and
/// pushes the new changes to every connected session (`Wire.Kind.changes`).
public final class Daemon: @unchecked Sendable {
    public struct Options: Sendable {
        public var socketPath: String
        /// Connections at once, all users together, and per user.
        public var maxConnections = 2_000
        public var maxConnectionsPerUser = 64
        /// Requests per second per uid, sustained, and the burst allowed above it.
        public var requestsPerSecond: Double = 200
        public var requestBurst: Double = 2_000
        /// Writes that change the program (posts, replies, flags…) per second per uid, and their burst.
        public var writesPerSecond: Double = 5
        public var writeBurst: Double = 60
        /// A client must say hello within this.
        public var helloTimeout: TimeAmount = .seconds(5)
        /// What may wait unread in a client's socket before pushes to it stop and it is dropped.
        public var maxUnread = 8 << 20
        public var slowRequest: Double = 0.1
        public init(socketPath: String) { self.socketPath = socketPath }
    }

    let store: any Store
    let options: Options
    let logger: Logger
    let clock: @Sendable () -> Date
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var loop: EventLoop { group.next() }
    let writes = DispatchQueue(label: "agora.writes")
    let reads = DispatchQueue(label: "agora.reads", attributes: .concurrent)
    private var channel: Channel?
    private var isShutDown = false

    // Owned by the event loop.
    var sessions: [ObjectIdentifier: ConnectionHandler] = [:]
    var buckets: [uid_t: RateBuckets] = [:]
    /// Where the last push reached in the change log (only touched on `writes`).
    var pushed: Int64 = 0
    // Figures for `agora admin status`, owned by the event loop.
    var requestsServed = 0
    /// Requests per second of the last minute, as a ring of 60 counters and the second each one counts.
    var ring = [Int](repeating: 0, count: 60)
    var ringSecond = [Int](repeating: -1, count: 60)
    let startedAt = DispatchTime.now().uptimeNanoseconds
    /// Sessions that end because the daemon stops keep their claims: they come back when it does.
    var stopping = false

    public init(store: any Store, options: Options,
                logger: Logger = Logger(label: "agora.serve", factory: { _ in SwiftLogNoOpLogHandler() }), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.options = options
        self.logger = logger
        self.clock = clock
    }

    /// Binds the socket (refusing one another daemon still answers on) and starts serving.
    public func start() throws {
        pushed = try store.latestChange()
        try Self.claimSocketPath(options.socketPath)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .childChannelOption(ChannelOptions.writeBufferWaterMark,
                                value: WriteBufferWaterMark(low: options.maxUnread / 2, high: options.maxUnread))
            .childChannelInitializer { [unowned self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(daemon: self))
                }
            }
        do {
            channel = try bootstrap.bind(unixDomainSocketPath: options.socketPath).wait()
        } catch {
            let why = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
            throw AgoraError("cannot listen on \(options.socketPath): \(why)",
                             hint: "check that its directory exists and is writable by this user")
        }
        // Anyone may connect: who they are comes from the kernel, and non-members are refused at hello.
        chmod(options.socketPath, 0o666)
        logger.info("listening", metadata: ["socket": "\(options.socketPath)", "store": "\(store.location)"])
    }

    /// Serves until `stop` (or SIGTERM/SIGINT when `signals`).
    public func run(signals: Bool = true) throws {
        try start()
        var sources: [DispatchSourceSignal] = []
        if signals {
            for sig in [SIGTERM, SIGINT] {
                signal(sig, SIG_IGN)
                let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                s.setEventHandler { [weak self] in self?.stop() }
                s.resume()
                sources.append(s)
            }
        }
        try channel?.closeFuture.wait()
        sources.forEach { $0.cancel() }
        // Let the write in progress finish before the process ends.
        writes.sync {}
        try? group.syncShutdownGracefully()
        logger.info("stopped")
    }

    /// Stops and waits until every connection is closed (tests; `run` does the same at SIGTERM).
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        stop()
        try? channel?.closeFuture.wait()
        writes.sync {}
        try? group.syncShutdownGracefully()
    }

    public func stop() {
        guard let channel else { return }
        loop.execute { self.stopping = true }
        channel.close(promise: nil)
        unlink(options.socketPath)
    }

    /// A socket file left by a daemon that is gone is removed; one that still answers is not ours to take.
    static func claimSocketPath(_ path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        if !dir.isEmpty && !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue) {
            throw AgoraError("cannot listen on \(path): the directory \(dir) does not exist",
                             hint: "create it (owned by the daemon's user), or choose another path with --socket")
        }
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFSOCK else {
            throw AgoraError("\(path) exists and is not a socket", hint: "remove it, or choose another path with --socket")
        }
        if UnixSocket.answers(path) {
            throw AgoraError("another agora serve is already listening on \(path)", hint: "stop it first, or choose another path with --socket")
        }
        unlink(path)
    }

    // MARK: - Work, off the event loop

    /// Read marks waiting for the write queue, with who to answer: taken all at once by `flushMarks` (a group
    /// commit: the marks that arrive while earlier writes run share one transaction).
    private let pendingMarks = Gathering<(mark: ReadState, id: UInt64, handler: ConnectionHandler)>()
    /// Posts and replies waiting for the next commit (group commit: the ones that arrive while a commit is on the
    /// disk share the next one; each is its own savepoint).
    private let pendingPosts = Gathering<(call: Call, caller: Caller, id: UInt64, handler: ConnectionHandler)>()

    /// Runs `call` for `caller` and hands the answer to `reply` on the event loop.
    func perform(_ call: Call, caller: Caller, id: UInt64, on handler: ConnectionHandler) {
        if case .daemonStatus = call {
            return status(for: caller, id: id, on: handler)
        }
        if case let .queueCount(login, now) = call {
            return queueCount(for: caller.isRoot ? login : caller.login, now: caller.isRoot ? now : clock(), id: id, on: handler)
        }
        if case let .markRead(login, topic, upTo, posts) = call {
            let mark = ReadState(login: caller.isRoot ? login : caller.login, topicId: topic, lastReadPostId: upTo, posts: posts)
            if pendingMarks.add((mark, id, handler)) { writes.async { self.flushMarks() } }
            return
        }
        switch call {
        case .post, .reply:
            if pendingPosts.add((call, caller, id, handler)) { writes.async { self.flushPosts() } }
            return
        default:
            break
        }
        let queue = call.writes ? writes : reads
        let begun = DispatchTime.now()
        queue.async { [self] in
            let frame = answer(call, caller: caller, id: id)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - begun.uptimeNanoseconds) / 1e9
            if seconds > options.slowRequest {
                logger.notice("slow request", metadata: ["call": "\(call.name)", "login": "\(caller.login)",
                                                         "ms": "\(Int(seconds * 1000))"])
            }
            // After every write, not only those that change the program: a change logged by a write that is not
            // expected to log one still reaches everyone (clients answer from pushes).
            let batch = call.writes ? newChanges() : nil
            // The push goes out before the reply: whoever has seen a write's answer can find it in the log
            // (a client reads what is waiting in its socket before it answers `changes(after:)` from pushes).
            loop.execute {
                if let batch { self.push(batch) }
                handler.send(frame)
            }
        }
    }

    /// The queue's length, remembered: every member's login banner (`agora status`) asks for it, and building the
    /// queue reads ~4,400 candidate topics (20 ms at 1M posts). The daemon is the program's only writer, so a count
    /// stays right until the next change in the log; items that become due as time passes (an unanswered topic past
    /// its grace hours) are picked up within `queueCountSeconds`. Champions and the leader share one count (they see
    /// the whole queue); a peer's is their own.
    private var queueCounts: [String: (count: Int, position: Int64, at: Date)] = [:]
    private let queueCountsLock = NSLock()
    static let queueCountSeconds: TimeInterval = 30

    private func queueCount(for login: String, now: Date, id: UInt64, on handler: ConnectionHandler) {
        reads.async { [self] in
            let frame: [UInt8]
            do {
                let program = try store.program()
                let wholeQueue = program.map { Policy.allows(try? store.peer(login), .viewQueue, in: $0) } ?? false
                let key = wholeQueue ? "" : login
                let position = try store.latestChange()
                queueCountsLock.lock()
                let known = queueCounts[key]
                queueCountsLock.unlock()
                let count: Int
                if let known, known.position == position, abs(now.timeIntervalSince(known.at)) < Self.queueCountSeconds {
                    count = known.count
                } else {
                    count = try store.queueCount(for: login, now: now)
                    queueCountsLock.lock()
                    if queueCounts.count > 10_000 { queueCounts.removeAll() }
                    queueCounts[key] = (count, position, now)
                    queueCountsLock.unlock()
                }
                frame = try Wire.frame(.reply, id: id, Box(count))
            } catch {
                frame = failure(error, id: id, call: "queueCount")
            }
            loop.execute { handler.send(frame) }
        }
    }

    /// `agora admin status`, for root and the program's leaders (on the event loop, which owns the figures).
    private func status(for caller: Caller, id: UInt64, on handler: ConnectionHandler) {
        reads.async { [self] in
            var frame: [UInt8]
            do {
                if !caller.isRoot {
                    guard let program = try store.program() else { throw AgoraError.noProgramYet }
                    guard Policy.allows(try store.peer(caller.login), .changeSettings, in: program) else {
                        throw AgoraError.denied("only root and the program's leaders see the daemon's status")
                    }
                }
                var bytes: Int64 = 0
                for suffix in ["", "-wal"] {
                    var st = stat()
                    if stat(store.location + suffix, &st) == 0 { bytes += Int64(st.st_size) }
                }
                frame = []
                let size = bytes
                loop.execute { [self] in
                    let now = DispatchTime.now().uptimeNanoseconds
                    let up = Double(now - startedAt) / 1e9
                    let s = DaemonStatus(sessions: sessions.count, people: Set(sessions.values.compactMap(\.login)).count,
                                         uptimeSeconds: up, requestsServed: requestsServed,
                                         requestsPerSecond: Double(lastMinute(now: now)) / max(1, min(60, up)),
                                         databaseBytes: size, store: store.location)
                    handler.send((try? Wire.frame(.reply, id: id, Box(s))) ?? [])
                }
                return
            } catch {
                let e = error as? AgoraError ?? AgoraError("\(error)")
                frame = (try? Wire.frame(.failure, id: id, WireFailure(e))) ?? []
            }
            loop.execute { handler.send(frame) }
        }
    }

    /// Commits every waiting post and reply in one transaction, each in its own savepoint (one refused by Policy or
    /// the limits fails alone), then pushes the log and answers each (on `writes`). Nothing is answered before the
    /// commit: an acknowledged post is on the disk. If the commit itself fails, every one of them fails.
    private func flushPosts() {
        let batch = pendingPosts.take()
        let begun = DispatchTime.now()
        var frames: [[UInt8]] = []
        frames.reserveCapacity(batch.count)
        do {
            try store.writeBatch {
                for item in batch {
                    frames.append(answer(item.call, caller: item.caller, id: item.id))
                }
            }
        } catch {
            logger.error("a group commit failed", metadata: ["posts": "\(batch.count)", "error": "\(error)"])
            frames = batch.map { failure(error, id: $0.id) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - begun.uptimeNanoseconds) / 1e9
        if seconds > options.slowRequest {
            logger.notice("slow commit", metadata: ["posts": "\(batch.count)", "ms": "\(Int(seconds * 1000))"])
        }
        let changes = newChanges()
        loop.execute {
            if let changes { self.push(changes) }
            for (item, frame) in zip(batch, frames) { item.handler.send(frame) }
        }
    }

    /// One call's answer frame: its reply, or its failure as the client shows it.
    private func answer(_ call: Call, caller: Caller, id: UInt64) -> [UInt8] {
        do {
            return Wire.frame(.reply, id: id, body: try Dispatcher.perform(call, caller: caller, store: store, now: clock()))
        } catch {
            return failure(error, id: id, call: call.name)
        }
    }

    /// A failure frame for `error`: an `AgoraError` as the store said it; anything else logged (with `call`, when the
    /// error came from one) and told as one line.
    private func failure(_ error: Error, id: UInt64, call: String? = nil) -> [UInt8] {
        let e: AgoraError
        if let agora = error as? AgoraError {
            e = agora
        } else {
            if let call { logger.error("request failed", metadata: ["call": "\(call)", "error": "\(error)"]) }
            e = AgoraError("the daemon could not do that: \(error)")
        }
        return (try? Wire.frame(.failure, id: id, WireFailure(e))) ?? []
    }

    /// Writes every waiting read mark in one transaction, then answers each (on `writes`). The answers come after
    /// the commit, so a session that reads after its mark sees it.
    private func flushMarks() {
        let batch = pendingMarks.take()
        var kind = Wire.Kind.reply
        var body = (try? Wire.encode(Done())) ?? []
        do {
            try store.markRead(batch.map(\.mark))
        } catch {
            kind = .failure
            body = (try? Wire.encode(WireFailure(error as? AgoraError ?? AgoraError("the daemon could not do that: \(error)")))) ?? []
        }
        loop.execute {
            for item in batch { item.handler.send(Wire.frame(kind, id: item.id, body: body)) }
        }
    }

    /// The log since the last push (on `writes`, after a write, so pushes go out in commit order).
    private func newChanges() -> ChangeBatch? {
        do {
            var batch = try store.changes(after: pushed, limit: 1_000)
            guard !batch.changes.isEmpty || !batch.complete else { return nil }
            pushed = batch.position
            attachNews(&batch)
            return batch
        } catch {
            logger.error("cannot read the change log", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Gives new posts their news (row, post, author), read once here rather than by every session: one row and one
    /// tail per topic, however many of its posts the batch holds. Within a budget: a long post, or a batch of many,
    /// goes without (sessions then ask, as for any change), so a member's burst of 64 KB posts does not become a
    /// push of megabytes to every session.
    private func attachNews(_ batch: inout ChangeBatch) {
        var byTopic: [Int64: [Int]] = [:]
        for (i, c) in batch.changes.enumerated() where c.kind == .posted && c.topicId != nil && c.postId != nil {
            byTopic[c.topicId!, default: []].append(i)
        }
        var budget = Self.newsBudget
        for (topicId, indices) in byTopic.sorted(by: { $0.key < $1.key }) {
            let first = indices.compactMap { batch.changes[$0].postId }.min() ?? 0
            guard let summary = try? store.topicSummary(topicId, for: nil),
                  let tail = try? store.threadTail(topicId, after: first - 1, for: nil) else { continue }
            let posts = Dictionary(tail.posts.map { ($0.id ?? 0, $0) }) { a, _ in a }
            for i in indices {
                guard let id = batch.changes[i].postId, let post = posts[id] else { continue }
                let size = post.body.utf8.count
                guard size <= Self.newsPostLimit, size <= budget else { continue }
                budget -= size
                batch.changes[i].news = PostNews(summary: summary, post: post, author: tail.peers[post.author])
            }
        }
    }

    /// A post longer than this, or past this much news in one push, is announced without its text.
    static let newsPostLimit = 16 << 10
    static let newsBudget = 256 << 10

    /// Pushes whatever the log gained since the last push (on `writes`, after a write made outside `perform`).
    func pushNewChanges() {
        guard let batch = newChanges() else { return }
        loop.execute { self.push(batch) }
    }

    /// Sends `batch` to every session that is past its hello (on the event loop): one buffer, shared by all their
    /// writes (not a copy per session).
    private func push(_ batch: ChangeBatch) {
        guard let frame = try? Wire.frame(.changes, batch) else { return }
        var buffer = ByteBufferAllocator().buffer(capacity: frame.count)
        buffer.writeBytes(frame)
        for handler in sessions.values { handler.push(buffer) }
    }

    // MARK: - Connections (event loop)

    func admit(_ handler: ConnectionHandler, uid: uid_t) -> AgoraError? {
        if sessions.count >= options.maxConnections {
            return AgoraError("the agora daemon is full (\(options.maxConnections) sessions)", hint: "try again in a moment")
        }
        let mine = sessions.values.reduce(0) { $0 + ($1.uid == uid ? 1 : 0) }
        if uid != 0 && mine >= options.maxConnectionsPerUser {
            return AgoraError("you have \(mine) agora sessions open already", hint: "close some first")
        }
        sessions[ObjectIdentifier(handler)] = handler
        return nil
    }

    /// One more request served (event loop), counted in its second of a one-minute ring.
    func count() {
        requestsServed += 1
        let second = Int(DispatchTime.now().uptimeNanoseconds / 1_000_000_000)
        let i = second % 60
        if ringSecond[i] != second {
            ringSecond[i] = second
            ring[i] = 0
        }
        ring[i] += 1
    }

    /// Requests in the last minute's ring.
    func lastMinute(now: UInt64) -> Int {
        let second = Int(now / 1_000_000_000)
        return (0..<60).reduce(0) { $0 + (second - ringSecond[$1] < 60 ? ring[$1] : 0) }
    }

    func leave(_ handler: ConnectionHandler) {
        sessions[ObjectIdentifier(handler)] = nil
        if handler.presence != nil { presenceChanged() }
    }

    // MARK: - Presence (event loop)

    private var presencePassScheduled = false

    /// Someone opened, left or changed topic. Changes within 50 ms make one pass: a member flipping between
    /// topics (or hiding and showing) as fast as they can makes others' screens change 20 times a second at most.
    func presenceChanged() {
        guard !presencePassScheduled else { return }
        presencePassScheduled = true
        loop.scheduleTask(in: .milliseconds(50)) { [self] in
            presencePassScheduled = false
            pushPresence()
        }
    }

    /// Every full-screen session whose view of presence changed hears of it (`Wire.Kind.presence`). Linear in the
    /// sessions: a map of who reads what, then one look per session.
    private func pushPresence() {
        var shown = Set<String>()
        var readers: [Int64: Set<String>] = [:]
        for h in sessions.values {
            guard let p = h.presence, !p.hidden, let login = h.login else { continue }
            shown.insert(login)
            if let topic = p.topic { readers[topic, default: []].insert(login) }
        }
        for h in sessions.values {
            guard let p = h.presence, let login = h.login else { continue }
            let others = p.topic.flatMap { readers[$0] }.map { $0.subtracting([login]).sorted() } ?? []
            let now = Presence(here: shown.count + (shown.contains(login) ? 0 : 1), topic: p.topic, alsoReading: others)
            guard now != h.lastPresence, let frame = try? Wire.frame(.presence, now) else { continue }
            h.lastPresence = now
            h.push(frame)
        }
    }

    /// Takes one request (and one write, for a write) from `uid`'s buckets; false: over the limit.
    func allow(_ call: Call, uid: uid_t) -> Bool {
        if uid == 0 { return true }
        let now = clock().timeIntervalSinceReferenceDate
        var b = buckets[uid] ?? RateBuckets(options: options, now: now)
        let ok = b.take(write: call.changesProgram, now: now, options: options)
        buckets[uid] = b
        return ok
    }

    /// Maps a connection's kernel-given uid to who acts, and checks that they may use the program at all.
    func identify(uid: uid_t, hello: Hello) throws -> Caller {
        guard let name = UnixSocket.loginName(uid: uid) else { throw AgoraError.unknownUser(uid) }
        if uid == 0 {
            return Caller(login: try hello.actAs.map { try Limits.login($0) } ?? name, isRoot: true, origin: hello.origin)
        }
        if hello.actAs != nil && hello.actAs != name {
            throw AgoraError.denied("--as is refused on a shared installation: you post as yourself (\(name))")
        }
        guard let program = try store.program() else {
            throw AgoraError.noProgramYet
        }
        guard try store.peer(name) != nil else {
            throw AgoraError.notMember(name, of: program, leaders: try store.leaders())
        }
        return Caller(login: name, isRoot: false, origin: hello.origin)
    }
}

/// `struct ucred` (pid, uid, gid), which Glibc's module leaves out without _GNU_SOURCE; same layout.
struct PeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// Token buckets for one uid: all requests, and writes that change the program.
struct RateBuckets {
    var requests: Double
    var writes: Double
    var at: Double

    init(options: Daemon.Options, now: Double) {
        requests = options.requestBurst
        writes = options.writeBurst
        at = now
    }

    mutating func take(write: Bool, now: Double, options: Daemon.Options) -> Bool {
        let dt = max(0, now - at)
        at = now
        requests = min(options.requestBurst, requests + dt * options.requestsPerSecond)
        writes = min(options.writeBurst, writes + dt * options.writesPerSecond)
        guard requests >= 1, !write || writes >= 1 else { return false }
        requests -= 1
        if write { writes -= 1 }
        return true
    }
}

/// One client: its frames in, its replies and pushes out. Lives on the event loop.
final class ConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    unowned let daemon: Daemon
    private var context: ChannelHandlerContext?
    private var reader = FrameReader(limit: Wire.maxRequestBytes)
    private(set) var uid: uid_t = .max
    private var caller: Caller?
    var login: String? { caller?.login }
    private var helloTimer: Scheduled<Void>?
    /// Where a full-screen session says it is (nil: it never said: a command-line session, not "here").
    var presence: (topic: Int64?, hidden: Bool)?
    /// What it was last told, so that it hears only of changes.
    var lastPresence: Presence?
    /// Requests sent and not yet answered: a client that piles them up is not waiting for answers.
    private var inFlight = 0
    static let maxInFlight = 16

    init(daemon: Daemon) { self.daemon = daemon }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        guard let provider = context.channel as? SocketOptionProvider else { return context.close(promise: nil) }
        let fut: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET),
                                                                         name: SocketOptionName(SO_PEERCRED))
        fut.whenComplete { [self] result in
            switch result {
            case .success(let cred): uid = cred.uid
            case .failure: context.close(promise: nil)
            }
        }
        helloTimer = context.eventLoop.scheduleTask(in: daemon.options.helloTimeout) { [weak self] in
            guard let self, self.caller == nil else { return }
            self.context?.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        helloTimer?.cancel()
        if let caller {
            daemon.leave(self)
            guard !daemon.stopping else { return }
            daemon.logger.info("session ended", metadata: ["login": "\(caller.login)"])
            // Claims leased to this session are released when it goes; the lease would lapse anyway.
            let store = daemon.store, now = daemon.clock()
            let daemon = self.daemon
            daemon.writes.async {
                try? store.stamping(origin: caller.origin) {
                    try store.releaseSessionClaims(session: caller.origin, by: caller.login, now: now)
                }
                daemon.pushNewChanges()
            }
        }
        self.context = nil
        self.caller = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { reader.append(bytes) }
        do {
            while let frame = try reader.next() { try handle(frame) }
        } catch {
            drop(because: "\(error)")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func handle(_ frame: Frame) throws {
        switch frame.kind {
        case .hello:
            guard caller == nil else { throw WireError.malformed("a second hello") }
            guard uid != .max else { throw WireError.malformed("hello before the credentials") }
            let hello = try Wire.decode(Hello.self, frame)
            guard hello.version == Wire.version else {
                let newer = hello.version > Wire.version
                return refuse(AgoraError("this agora speaks protocol \(hello.version), the daemon speaks \(Wire.version)",
                                         hint: newer ? "the daemon is older: ask the administrator to upgrade and restart it"
                                                     : "upgrade agora (the daemon was upgraded)"))
            }
            let caller: Caller
            do { caller = try daemon.identify(uid: uid, hello: hello) } catch let e as AgoraError { return refuse(e) }
            if let e = daemon.admit(self, uid: uid) { return refuse(e) }
            self.caller = caller
            helloTimer?.cancel()
            send(try Wire.frame(.welcome, Welcome(login: caller.login)))
            daemon.logger.info("session", metadata: ["login": "\(caller.login)", "uid": "\(uid)"])
        case .request:
            guard let caller else { throw WireError.malformed("a request before hello") }
            inFlight += 1
            if inFlight > Self.maxInFlight { throw WireError.malformed("more than \(Self.maxInFlight) requests waiting") }
            let call: Call
            do {
                call = try Wire.decode(Call.self, frame.body)
            } catch {
                // `send` counts the failure as the answer (it lowers `inFlight`).
                return send(try Wire.frame(.failure, id: frame.id, WireFailure(AgoraError(
                    "the daemon does not know that request", hint: "agora and the daemon may be different versions"))))
            }
            guard daemon.allow(call, uid: uid) else {
                return send(try Wire.frame(.failure, id: frame.id, WireFailure(AgoraError(
                    "too many requests from \(caller.login): slow down", hint: "wait a moment and try again", exitCode: 5))))
            }
            daemon.count()
            if case let .present(topic, hidden) = call {
                // The connection's own state, on the event loop: no store, no queue. A client may hide itself
                // (its own choice, as its profile says); it cannot speak for another connection.
                presence = (topic, hidden)
                send(try Wire.frame(.reply, id: frame.id, Done()))
                return daemon.presenceChanged()
            }
            daemon.perform(call, caller: caller, id: frame.id, on: self)
        default:
            throw WireError.malformed("a \(frame.kind) frame from a client")
        }
    }

    private func refuse(_ e: AgoraError) {
        if let frame = try? Wire.frame(.refused, WireFailure(e)) { send(frame) }
        context?.close(promise: nil)
    }

    private func drop(because why: String) {
        daemon.logger.notice("connection dropped", metadata: ["uid": "\(uid)", "why": "\(why)"])
        context?.close(promise: nil)
    }

    /// A reply or a handshake answer.
    func send(_ frame: [UInt8]) {
        guard let context, !frame.isEmpty else { return }
        if inFlight > 0 && Self.isReply(frame) { inFlight -= 1 }
        var buffer = context.channel.allocator.buffer(capacity: frame.count)
        buffer.writeBytes(frame)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    /// A push: a client whose socket is full is not reading, and is dropped (it resyncs from the log when back).
    func push(_ frame: [UInt8]) {
        var buffer = ByteBufferAllocator().buffer(capacity: frame.count)
        buffer.writeBytes(frame)
        push(buffer)
    }

    func push(_ buffer: ByteBuffer) {
        guard let context, caller != nil else { return }
        guard context.channel.isWritable else { return drop(because: "not reading its socket") }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private static func isReply(_ frame: [UInt8]) -> Bool {
        frame.count > 4 && (frame[4] == Wire.Kind.reply.rawValue || frame[4] == Wire.Kind.failure.rawValue)
    }
}

/// Work that arrives while the write queue is busy, taken all at once: `add` says whether a flush must be queued
/// (none is waiting yet), `take` empties it for that flush.
final class Gathering<Item>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Item] = []
    private var queued = false

    func add(_ item: Item) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        items.append(item)
        if queued { return false }
        queued = true
        return true
    }

    func take() -> [Item] {
        lock.lock()
        defer { lock.unlock() }
        let all = items
        items = []
        queued = false
        return all
    }
}
