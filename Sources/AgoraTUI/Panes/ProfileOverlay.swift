import Foundation
import AgoraCore
import AgoraScreen

public struct MatchList: Equatable, Sendable {
    public var login: String
    public var suggestions: [MatchSuggestion]
    public init(login: String, suggestions: [MatchSuggestion]) {
        self.login = login
        self.suggestions = suggestions
    }
}

/// A peer's profile over the panes: who they are, suggested peers (`m`) and their topics.
public struct ProfileOverlay: Equatable, Sendable {
    /// The selection in the peer's topics.
    public var cursor = ListCursor()
    /// Suggested peers for the profile shown (`m` on a profile).
    public var matches: MatchList?
    /// The suggested peer selected, while the keys move among them (Tab goes back to the topics).
    public var matchCursor: Int?
    /// Suggestions shown (and chosen among).
    static let shownMatches = 5

    static func show(_ state: inout AppState, login: String) {
        state.overlay = .profile(login: login)
        state.profile.cursor = ListCursor()
        state.profile.matchCursor = nil
    }

    /// The suggestions on screen for `login`'s profile.
    func suggestions(for login: String) -> [MatchSuggestion] {
        matches.flatMap { $0.login == login ? Array($0.suggestions.prefix(Self.shownMatches)) : nil } ?? []
    }

    /// A peer's topics, newest activity first.
    static func topics(_ topics: [TopicRow], by login: String) -> [TopicRow] {
        topics.filter { $0.topic.author == login }.sorted { $0.topic.lastActivity > $1.topic.lastActivity }
    }

    static func matches(_ state: inout AppState, login: String, _ list: [MatchSuggestion]) {
        state.profile.matches = MatchList(login: login, suggestions: list)
        if case .profile(login) = state.overlay {
            state.profile.matchCursor = list.isEmpty ? nil : 0
            TUI.setStatus(&state, list.isEmpty ? "nobody offers what \(Sanitizer.line(login)) wants to learn yet"
                                               : "\(list.count) suggested · Enter their profile, a asks them for help, Tab the topics")
        }
    }
}

extension ProfileOverlay: Controller {
    static let context = KeyContext.profile

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard case .profile(let login) = state.overlay else { return [] }
        let topics = state.profileTopics(login)
        let command = KeyBindings.command(for: key, in: .profile)
        switch command {
        case .back:
            state.overlay = nil
        case .open where state.profile.matchCursor != nil:
            let shown = state.profile.suggestions(for: login)
            guard let i = state.profile.matchCursor, shown.indices.contains(i) else { return [] }
            show(&state, login: shown[i].login)
        case .up where state.profile.matchCursor != nil, .down where state.profile.matchCursor != nil:
            let count = state.profile.suggestions(for: login).count
            state.profile.matchCursor = min(max(0, (state.profile.matchCursor ?? 0) + (command == .down ? 1 : -1)), max(0, count - 1))
        case .nextField where !state.profile.suggestions(for: login).isEmpty:
            state.profile.matchCursor = state.profile.matchCursor == nil ? 0 : nil
        case .nextField:
            // No suggestions to move to: Tab is the next pane, as everywhere.
            state.overlay = nil
            return TUI.paneController(state.pane).dispatch(.nextPane, &state)
        case .ask:
            let shown = state.profile.suggestions(for: login)
            if let i = state.profile.matchCursor, shown.indices.contains(i) { return ask(&state, shown[i].login, offers: shown[i].offers) }
            return ask(&state, login, offers: [])
        case .open:
            guard topics.indices.contains(state.profile.cursor.index) else { return [] }
            return ReaderPane.open(&state, topicId: topics[state.profile.cursor.index].id, from: state.pane == .reader ? .peers : state.pane)
        case .up, .down, .top, .bottom, .pageUp, .pageDown:
            let page = max(1, Layout.listHeight(state.size) - 1)
            let d = command!.scrollDelta(page: page, toTop: topics.count, toBottom: topics.count)
            state.profile.cursor.move(by: d, count: topics.count)
        case .help:
            state.overlay = .help
        case .match:
            return [.loadMatches(login: login)]
        case .editProfile:
            ProfileEditor.start(&state, login: login)
        case .changeRole:
            guard TUI.allowed(&state, .managePeers) else { return [] }
            let current = state.snapshot.peers.first { $0.login == login }?.role.rawValue ?? "peer"
            state.prompt = Prompt(purpose: .rolePick(login: login), field: TextField())
            state.prompt?.note = "now \(current); peer, champion or leader"
        case let command?:
            // The keys that work everywhere (another pane, next unread) leave the profile and do just that,
            // as the pane under it would.
            state.overlay = nil
            return TUI.paneController(state.pane).dispatch(command, &state)
        case nil:
            break
        }
        return []
    }
}

extension ProfileOverlay {
    /// `a`: a request topic addressed to `login` opens in the composer (its own draft slot, "ask:LOGIN"), titled
    /// with what they offer that I want when a suggestion says so. It is a topic like any other: everyone can read
    /// it, the queue counts it until someone answers.
    static func ask(_ state: inout AppState, _ login: String, offers: [String]) -> [Effect] {
        guard login != state.login else {
            TUI.setStatus(&state, "this is your own profile: ask someone else (m suggests who)", error: true)
            return []
        }
        let peer = state.snapshot.peers.first { $0.login == login }
        if peer?.isAlumni == true {
            TUI.setStatus(&state, "\(Sanitizer.line(login)) is alumni now; m suggests someone active", error: true)
            return []
        }
        let name = Sanitizer.line(peer.map { $0.name.isEmpty ? $0.login : $0.name } ?? login)
        var composer = ComposerState()
        composer.scopeOverride = DraftSlot.ask.scope(login)
        composer.kind = .request
        composer.body.setText("@\(login) ")
        if offers.isEmpty {
            composer.title.setText("For \(name): ")
            composer.field = .title
        } else {
            composer.title.setText("\(name), could you help me with \(offers.map(Sanitizer.line).joined(separator: ", "))?")
            composer.field = .body
        }
        let effects = ComposerPane.start(&state, composer)
        if state.composer != nil && state.status == nil {
            TUI.setStatus(&state, "a request to \(name); everyone in the program can read it and answer")
        }
        return effects
    }
}

// MARK: - Drawing

extension ProfileOverlay {
    /// `peer` nil: nobody by that login (any more). `peers` names the suggested peers.
    func draw(_ p: inout Painter, _ rect: Rect, login: String, peer: Peer?, topics: [TopicRow], peers: [Peer], now: Date) {
        guard let peer else {
            p.text("No peer \(Sanitizer.line(login)).", in: rect, row: 1, x: 2, role: .uiTextDim)
            return
        }
        var row = 0
        p.text(ReaderLayout.authorLabel(peer.login, peer), in: rect, row: row, x: 1, role: .uiTitle)
        row += 1
        let facts = [peer.isAlumni ? "alumni" : peer.role.rawValue, peer.unit, peer.region,
                     peer.generation.isEmpty ? "" : "generation \(peer.generation)"]
            .map(Sanitizer.line).filter { !$0.isEmpty }.joined(separator: " · ")
        p.text(facts, in: rect, row: row, x: 1, role: .topicMeta)
        row += 1
        for (label, text) in [("Offers", peer.offers), ("Wants", peer.goals), ("About", peer.bio)] where !text.isEmpty {
            let lines = DisplayWidth.wrap(Sanitizer.line(text), width: max(8, rect.width - 12))
            for (j, l) in lines.prefix(3).enumerated() {
                if j == 0 { p.text(label, in: rect, row: row, x: 1, role: .uiTextBold) }
                p.text(l, in: rect, row: row, x: 10, role: .uiText)
                row += 1
            }
        }
        if let m = matches, m.login == login {
            row += 1
            p.text(m.suggestions.isEmpty ? "Suggested peers: nobody offers this yet" : "Suggested peers", in: rect, row: row, x: 1, role: .uiTitle)
            row += 1
            for (i, s) in m.suggestions.prefix(Self.shownMatches).enumerated() {
                if matchCursor == i { p.text("▌", in: rect, row: row, x: 0, role: .uiSelection) }
                let who = ReaderLayout.authorLabel(s.login, peers.first { $0.login == s.login })
                let x = p.text(who, in: rect, row: row, x: 2, role: .postAuthor)
                p.text(DisplayWidth.truncate(Sanitizer.line(s.explanation), to: max(0, rect.width - 5 - x)), in: rect, row: row, x: 4 + x, role: .uiTextDim)
                row += 1
            }
        }
        row += 1
        let listRect = Rect(x: rect.x, y: rect.y + row, width: rect.width, height: max(0, rect.height - row))
        p.text("Topics by \(Sanitizer.line(peer.name.isEmpty ? peer.login : peer.name)) (\(topics.count))", in: listRect, row: 0, x: 1, role: .uiTitle)
        p.list(listRect, cursor: cursor, count: topics.count, focused: matchCursor == nil, empty: "No topics yet.") { p, line, i in
            let t = topics[i].topic
            p.columns([
                (t.kind.rawValue, 10, .topicKind),
                (Sanitizer.line(t.title), max(8, line.width - 2 - 10 - 5 - 2), .uiText),
                (RelativeAge.short(t.lastActivity, now: now), 4, .topicMeta),
            ], in: line, row: 0, x: 2, rightAligned: [2])
        }
    }
}
