import Foundation
import AgoraCore
import AgoraScreen

extension TUI {
    /// The whole screen for a state. Pure: the same state always gives the same cells. This decides where each
    /// pane goes and hands its widget the data it shows; the widgets (Panes/, Widgets/) never see `AppState`.
    public static func render(_ state: AppState) -> Buffer {
        var p = Painter(size: state.size)
        draw(&p, state)
        return p.buffer
    }

    /// The cells the frame for `state` draws over something it already drew, as "x,y: 'old' by 'new'": a test's
    /// check that every row budgets its columns.
    public static func overwrites(_ state: AppState) -> [String] {
        var p = Painter(size: state.size, checking: true)
        draw(&p, state)
        return p.overwrites ?? []
    }

    static func draw(_ p: inout Painter, _ state: AppState) {
        let size = state.size
        if Layout.isTooSmall(size) {
            // The longest message that fits whole: a cut-off sentence would hide the size it asks for.
            let need = "\(Layout.minWidth)x\(Layout.minHeight)"
            let message = ["enlarge the window (at least \(need))", "enlarge the window to \(need)", "too small: \(need)", need]
                .first { DisplayWidth.of($0) <= size.width } ?? ""
            p.text(message,
                   in: Rect(x: 0, y: 0, width: size.width, height: size.height), row: 0, role: .uiError)
            return
        }
        let layout = Layout(size)
        let screen = Rect(x: 0, y: 0, width: size.width, height: size.height - 1)
        switch state.stage {
        case .loading:
            p.text("Loading…", in: layout.body, row: 0, x: 2, role: .uiTextDim)
        case .welcome:
            state.welcome.draw(&p, screen)
        case .nonMember:
            NonMemberScreen.draw(&p, screen, program: state.program, peers: state.snapshot.peers, login: state.login)
        case .rules:
            state.rules.draw(&p, screen, program: state.program, me: state.me, size: size)
        case .main:
            Chrome.header(&p, layout.header, program: state.program, me: state.me, here: state.presence?.here,
                          forYou: state.snapshot.inboxUnread, unread: state.snapshot.unreadCount,
                          queued: state.canSeeQueue || state.snapshot.queueCount > 0 ? state.snapshot.queueCount : nil)
            Chrome.tabs(&p, layout.tabs, active: state.pane, topicsBesideReader: state.isWide && state.pane == .reader,
                        counts: tabCounts(state))
            drawMain(&p, state, layout.body)
        }
        if let prompt = state.prompt {
            Chrome.footer(&p, layout.footer)
            prompt.draw(&p, layout.footer)
        } else {
            Chrome.footer(&p, layout.footer, status: state.status, isError: state.statusIsError, hints: hints(state))
        }
    }

    /// The focused context's keys; on the rules screen `q` may mean back, and in a pane the rules come first while
    /// they wait for my acceptance.
    static func hints(_ state: AppState) -> [(keys: String, hint: String)] {
        let context = focusedContext(state)
        if state.stage == .rules { return RulesScreen.hints(state) }
        var hints = KeyBindings.hints(for: context)
        // `e` edits only my own profile, `a` asks only someone else: each is offered where it works.
        if case .profile(let login)? = state.overlay, state.prompt == nil { hints.removeAll { $0.keys == (login == state.login ? "a" : "e") } }
        // The report's export and thresholds are the leader's.
        if context == .report && !state.isLeader { hints.removeAll { $0.keys == "x" || $0.keys == "S" } }
        guard state.stage == .main, context.inheritsGlobal, RulesScreen.pending(state) else { return hints }
        return [("E", "rules")] + hints
    }

    static func drawMain(_ p: inout Painter, _ state: AppState, _ body: Rect) {
        switch state.overlay {
        case .help:
            state.help.draw(&p, body, context: paneContext(state.pane))
            return
        case .composer:
            state.composer?.draw(&p, body)
            return
        case .profileEditor:
            state.profileForm?.draw(&p, body)
            return
        case .drafts:
            state.drafts.draw(&p, body, topics: state.snapshot.topics, now: state.now)
            return
        case .bookmarks:
            state.bookmarks.draw(&p, body, now: state.now)
            return
        case .templates:
            state.templates.draw(&p, body, canAdd: state.isLeader)
            return
        case .form:
            state.form?.draw(&p, body)
            return
        case .history:
            state.history.draw(&p, body, now: state.now, name: state.displayName)
            return
        case .profile(let login):
            state.profile.draw(&p, body, login: login, peer: state.snapshot.peers.first { $0.login == login },
                               topics: state.profileTopics(login), peers: state.snapshot.peers, now: state.now)
            return
        case nil:
            break
        }
        switch state.pane {
        case .topics, .reader:
            if state.isWide {
                let (list, _) = Layout.split(body)
                let reader = Layout.readerRect(state.size)
                state.topics.draw(&p, list, rows: state.visibleTopics, focused: state.pane == .topics, now: state.now)
                for y in 0..<body.height { p.text("│", in: body, row: y, x: reader.x - 1 - body.x, role: .uiBorder) }
                state.reader.draw(&p, reader, focused: state.pane == .reader, now: state.now, alsoReading: alsoReading(state))
            } else if state.pane == .topics {
                state.topics.draw(&p, body, rows: state.visibleTopics, focused: true, now: state.now)
            } else {
                state.reader.draw(&p, body, focused: true, now: state.now, alsoReading: alsoReading(state))
            }
        case .peers:
            state.peers.draw(&p, body, peers: state.visiblePeers)
        case .queue:
            state.queue.draw(&p, body, rows: state.visibleQueue, champion: state.canSeeQueue, program: state.program, now: state.now,
                             name: state.displayName)
        case .highlights:
            state.highlights.draw(&p, body, peers: state.snapshot.peers, now: state.now)
        case .report:
            state.report.draw(&p, body, visible: state.canSeeReport)
        case .inbox:
            state.inbox.draw(&p, body, now: state.now)
        }
    }
}

extension TUI {
    /// What waits in a pane, for its tab.
    static func tabCounts(_ state: AppState) -> [Pane: Int] {
        [.topics: state.snapshot.unreadCount, .queue: state.snapshot.queueCount, .inbox: state.snapshot.inboxUnread]
    }

    /// Who else reads the open topic, when the daemon's last word is about this topic.
    static func alsoReading(_ state: AppState) -> [String] {
        guard let p = state.presence, let open = state.reader.current?.thread.topic.id, p.topic == open else { return [] }
        return p.alsoReading
    }
}
