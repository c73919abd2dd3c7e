import AgoraCore
import AgoraScreen
import AgoraTUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The full-screen program: one thread, one `poll()` over the keyboard, a signal pipe and the store's change
/// signal (inotify for SQLite).
///
/// Idle means asleep: the only timeouts are real deadlines (a change-log look 2 and 100 ms after a file event,
/// the draft save 2 s after the last keystroke, a claim lease renewal while the session holds claims, the 1 s
/// fallback where inotify is missing). All events of one wakeup are applied, then the screen is painted once.
/// The binary runs exactly this code on a curses terminal; the tests run it on a `MemoryTerminal`.
public final class TUIRunner {
    let terminal: Terminal
    let bridge: StoreBridge
    let clock: () -> Date
    let signal: any ChangeSignal
    private var signalStatus: String?
    public private(set) var state: AppState
    var running = true
    var draftDeadline: Date?
    static let draftDelay: TimeInterval = 2
    /// POLLIN with nothing to read, many times in a row: input is gone (never spin on it).
    var emptyReads = 0
    /// `AGORA_TRACE_FD=N` (scripts/bench): after every paint, one line "<CLOCK_MONOTONIC ns> <bytes written so far>
    /// <store reads> <store writes>" (the last two counted since start: reloads and commits this session made)
    /// goes to descriptor N, so a harness times key → screen without guessing when drawing ended.
    let traceFD: Int32 = ProcessInfo.processInfo.environment["AGORA_TRACE_FD"].flatMap { Int32($0) } ?? -1

    /// Where the list's sort and filters are kept between sessions; nil keeps them for this session only.
    let viewFile: ViewFile?

    public init(terminal: Terminal, bridge: StoreBridge, clock: @escaping () -> Date, viewFile: ViewFile? = nil) {
        self.terminal = terminal
        self.bridge = bridge
        self.clock = clock
        self.viewFile = viewFile
        let now = clock()
        state = AppState(login: bridge.login, size: terminal.updateSize(), now: now)
        if let viewFile {
            let (view, problem) = viewFile.load()
            state.viewSettings = view
            if let problem {
                state.status = problem
                state.statusIsError = true
            }
        }
        signal = bridge.store.changeSignal(now: Date())
    }

    /// Runs until the person quits or the session ends (input gone, SIGHUP/SIGTERM), then releases the session's
    /// claims.
    public func run() throws {
        try start()
        defer { finish() }
        while try step() {}
    }

    /// The signal pipe (when `signals`), the first load and the first paint. Tests start without signal
    /// handlers: the test runner's own (SIGCHLD for its child processes) must stay as they are.
    public func start(signals: Bool = true) throws {
        if signals { signalFD = try SignalPipe.install() }
        // The peer directory is not loaded for the topic list (10k peers: ~40 ms and ~5 MB); `paint`
        // loads it the first time the screen needs it.
        dispatch(bridge.loadSnapshot())
        paint()
    }

    /// Leaving: the read marks not yet written, the signal handlers, the session's claims.
    public func finish() {
        if running { saveDraftsAndStop() }
        for effect in afterPaint { _ = bridge.execute(effect) }   // leaving: keep the read marks
        afterPaint = []
        if signalFD >= 0 {
            SignalPipe.uninstall()
            close(signalFD)
            signalFD = -1
        }
        bridge.close()
    }

    /// The nearest deadline the loop will wake for by itself; nil: it sleeps until input or a change signal.
    public var nextDeadline: Date? { [signal.deadline, draftDeadline, bridge.leaseRenewal, held?.deadline].compactMap { $0 }.min() }

    /// A champion's queue action waiting out its time for undo (`Effect.hold`), on the wall clock.
    var held: (effect: Effect, key: String, deadline: Date)?

    /// Does the held action now (its time is over, another action came, or the session is ending).
    func releaseHeld() -> [Event] {
        guard let h = held else { return [] }
        held = nil
        return bridge.execute(h.effect) + [.heldDone(key: h.key)]
    }

    /// Whether a look at the change log is scheduled (the store signalled activity that has not been read yet).
    public var hasPendingLook: Bool { signal.deadline != nil }

    /// The read end of the signal pipe, -1 before `start` or without signals.
    private var signalFD: Int32 = -1

    /// One wakeup: sleeps in `poll()` until input, a signal, the change signal or the next deadline (at most
    /// `limit` ms when given), applies everything that happened, paints once. Returns whether to go on.
    @discardableResult
    public func step(limit: Int32? = nil) throws -> Bool {
        guard running else { return false }
        var fds = [pollfd(fd: terminal.inputDescriptor, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)]
        if signal.descriptor >= 0 { fds.append(pollfd(fd: signal.descriptor, events: Int16(POLLIN), revents: 0)) }
        let r = poll(&fds, nfds_t(fds.count), pollTimeout(limit: limit))
        if r < 0 {
            if errno == EINTR { return running }
            throw TUIError("poll failed: \(String(cString: strerror(errno)))")
        }
        let now = clock()
        // Deadlines (change re-checks, draft saves) run on the real clock: `clock` is what ages are shown
        // against and AGORA_NOW pins it, which made every deadline lie forever ahead (a 2 ms poll spin, no live updates).
        let wall = Date()
        var events: [Event] = []
        var typed = false

        if fds[1].revents & Int16(POLLIN) != 0 {
            for sig in SignalPipe.drain(signalFD) {
                switch sig {
                case SIGWINCH:
                    events.append(.resize(terminal.updateSize()))
                case SIGTERM, SIGHUP, SIGINT:
                    saveDraftsAndStop()
                default:
                    break   // SIGCHLD: the editor is waited for where it runs
                }
            }
        }
        let input = fds[0].revents
        if input & Int16(POLLIN) != 0 {
            let keys = terminal.readKeys()
            if keys.isEmpty {
                emptyReads += 1
                if emptyReads > 50 { saveDraftsAndStop() }
            } else {
                emptyReads = 0
                typed = true
                for key in keys {
                    events.append(key == .resize ? .resize(terminal.updateSize()) : .key(key))
                }
            }
        } else if input & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
            // The SSH session died: keep the drafts, leave.
            saveDraftsAndStop()
        }
        if fds.count > 2, fds[2].revents & Int16(POLLIN) != 0 {
            signal.readable(now: wall)
        }
        if let at = signal.deadline, at <= wall, signal.due(now: wall) {
            events += bridge.catchUp()
        }
        if let presence = bridge.takePresence() { events.append(presence) }
        // The daemon went away or came back: say so where errors go, keep the screen and the composer.
        let status = signal.status
        if status != signalStatus {
            events.append(.info(status ?? "reconnected"))
            signalStatus = status
        }
        bridge.renewLeasesIfDue(now: wall)
        if let h = held, h.deadline <= wall { events += releaseHeld() }
        guard running else { return false }

        // A wakeup that brought nothing (another session's read mark or draft touched the file, the log had nothing
        // new for us) changes nothing on screen: no tick, no frame, straight back to sleep.
        let idleWakeup = events.isEmpty && draftDeadline.map { $0 > wall } ?? true
        if idleWakeup { return running }
        // The clock moved: ages and queue colours are redrawn with whatever else changed.
        if now != state.now { events.insert(.tick(now), at: 0) }
        for event in events { dispatch(event) }
        if state.composer?.dirty == true {
            if typed || draftDeadline == nil { draftDeadline = wall.addingTimeInterval(Self.draftDelay) }
        } else {
            draftDeadline = nil
        }
        if let d = draftDeadline, d <= wall {
            draftDeadline = nil
            for effect in TUI.flushDraft(&state) { perform(effect) }
        }
        if running {
            paint()
            readAhead()
            if bridge.loadedSinceTrim {
                // A reload or a thread leaves megabytes of freed rows and strings that glibc keeps for
                // later (RSS after browsing 1,000 topics: 31.6 -> see docs/PERFORMANCE.md); hand them back
                // now that the screen is up to date, before sleeping. Measured at ~0.2 ms.
                bridge.loadedSinceTrim = false
                _ = Self.mallocTrim?(0)
            }
        }
        return running
    }

    /// The poll timeout: the nearest deadline, or `limit` if that comes first (-1: none, sleep until something).
    func pollTimeout(limit: Int32?) -> Int32 {
        let deadline = timeout(now: Date())
        guard let limit else { return deadline }
        return deadline < 0 ? limit : min(limit, deadline)
    }

    /// glibc's `malloc_trim`, looked up at run time (Swift's Glibc module does not export malloc.h; other C
    /// libraries do not have it, and then nothing is trimmed).
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }

    /// Milliseconds until the nearest deadline; -1 (sleep until something happens) when there is none.
    func timeout(now: Date) -> Int32 {
        guard let next = nextDeadline else { return -1 }
        return Int32(max(0, min(60_000, (next.timeIntervalSince(now) * 1000).rounded(.up))))
    }

    /// Applies an event and everything its effects lead to.
    func dispatch(_ event: Event) {
        var queue = [event]
        while !queue.isEmpty && running {
            let next = queue.removeFirst()
            for effect in TUI.update(&state, next) {
                queue += perform(effect)
            }
        }
    }

    @discardableResult
    func perform(_ effect: Effect) -> [Event] {
        switch effect {
        case .quit:
            saveDraftsAndStop()   // also keeps a composer whose last autosave failed
            return []
        case .redraw:
            terminal.invalidate()
            return []
        case .runEditor(let text):
            let result = ExternalEditor.edit(text, terminal: terminal)
            state.size = terminal.updateSize()
            return [.resize(state.size), .editorFinished(result)]
        case .hold(let effect, let key):
            let before = releaseHeld()
            held = (effect, key, Date().addingTimeInterval(TimeInterval(QueuePane.holdSeconds)))
            return before
        case .cancelHeld:
            held = nil
            return []
        case .saveView(let view):
            do { try viewFile?.save(view) } catch { return [.failed("\(error)")] }
            return []
        case .markRead:
            // A write with an fsync (tens of ms on some disks): after the paint, so opening a topic shows it at once.
            afterPaint.append(effect)
            return []
        case .loadThreadPosts(_, _, ahead: true):
            // The next screens of a long thread: read once this frame is out (`readAhead`), never before it.
            readingAhead.append(effect)
            return []
        default:
            if effect == .fillDemo { paint() }   // seconds of work: show "filling…" first
            // Our own writes are in the log under our origin: `catchUp` skips them, whatever else committed meanwhile.
            return bridge.execute(effect)
        }
    }

    func saveDraftsAndStop() {
        // Leaving, or the terminal gone: the action still held for undo is done, not lost.
        _ = releaseHeld()
        for effect in TUI.flushDraft(&state) { perform(effect) }
        if let composer = state.composer, !composer.isEmpty {
            // Dirty or not, an open composer is kept on the way out.
            perform(.saveDraft(composer.draft(login: state.login, now: clock())))
        }
        running = false
    }

    /// Writes that nothing on screen waits for (read marks), done once the frame is out.
    var afterPaint: [Effect] = []
    /// Reads that nothing on screen waits for yet (a long thread's next posts), done once the frame is out.
    var readingAhead: [Effect] = []

    /// Runs the reads ahead and paints again only if what they brought changed the screen (a frame that is the
    /// same as the last one is neither written nor traced).
    func readAhead() {
        guard !readingAhead.isEmpty else { return }
        while running, !readingAhead.isEmpty {
            let effects = readingAhead
            readingAhead = []
            for effect in effects { for event in bridge.execute(effect) { dispatch(event) } }
        }
        guard running else { return }
        let frame = TUI.render(state)
        if frame != lastFrame { paint(frame) }
    }

    /// The frame last presented.
    private var lastFrame: Buffer?

    /// Presents `frame` (by default the state rendered now).
    func paint(_ frame: Buffer? = nil) {
        if state.needsPeers && !bridge.wantPeers {
            bridge.wantPeers = true
            dispatch(bridge.loadSnapshot())
        }
        let frame = frame ?? TUI.render(state)
        terminal.present(frame)
        lastFrame = frame
        // The writes about to follow the frame (read marks) are counted in this line already: one line per frame,
        // or a harness that waits for "the next paint" after a key would take a later line for it.
        if traceFD >= 0 { trace(pendingWrites: afterPaint.filter(\.writes).count) }
        let pending = afterPaint
        afterPaint = []
        for effect in pending {
            _ = bridge.execute(effect)
        }
        bridge.announce(state.presenceAnnouncement)
    }

    private func trace(pendingWrites: Int) {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let line = "\(Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)) \(terminal.bytesWritten) \(bridge.reads) \(bridge.writes + pendingWrites)\n"
        _ = line.withCString { write(traceFD, $0, strlen($0)) }
    }
}
