import AgoraScreen

/// One pane, overlay or full screen of the TUI (lazygit's context and controller in one): it answers the keys of
/// one context of the binding table, keeps what only it needs in its own struct inside `AppState`, and is drawn by
/// widgets that are handed the data they show. `TUI.focus` decides which controller a key goes to.
///
/// Controllers are types with static functions over the whole `AppState` rather than methods on their own state:
/// opening a topic from the queue changes the reader and the pane too, and a mutating method on `state.queue` could
/// not also take `&state` (Swift's exclusive access). Each one still changes only its own struct and the shared part
/// (pane, overlay, status), and reaches another pane through that pane's named entry points (`ReaderPane.open`).
protocol Controller {
    /// The context of `KeyBindings.table` whose keys this controller answers; the footer shows its hints.
    static var context: KeyContext { get }
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect]
}

/// A pane of the main screen. A command is offered to the pane first; what it does not take (pane switching,
/// quit, help, next unread) goes to `GlobalCommands`, as a key is looked up in the pane's bindings and then the
/// global ones.
protocol PaneController: Controller {
    /// Runs one of the pane's commands; nil passes the command on to `GlobalCommands`.
    static func run(_ command: Command, _ state: inout AppState) -> [Effect]?
}

extension PaneController {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let command = KeyBindings.command(for: key, in: context) else {
            // Said, not swallowed: a newcomer learns that the key did nothing, and where the keys are.
            if key != .unknown { TUI.setStatus(&state, "\(KeyBindings.name(key)): not a key here; ? for help") }
            return []
        }
        return dispatch(command, &state)
    }

    static func dispatch(_ command: Command, _ state: inout AppState) -> [Effect] {
        run(command, &state) ?? GlobalCommands.run(command, &state)
    }
}

extension TUI {
    /// Who gets a key, decided here and nowhere else: the full screens first (they are the whole screen), then on
    /// the main screen the prompt in the footer, the overlay (help, composer, profile), and last the pane.
    static func focus(_ state: AppState) -> any Controller.Type {
        switch state.stage {
        case .loading: return LoadingScreen.self
        case .welcome: return state.welcome.form == nil ? WelcomeScreen.self : NewProgramForm.self
        case .nonMember: return NonMemberScreen.self
        case .rules: return RulesScreen.self
        case .main: break
        }
        if Layout.isTooSmall(state.size) { return TooSmallScreen.self }
        if state.prompt != nil { return PromptBar.self }
        switch state.overlay {
        case .help: return HelpOverlay.self
        case .composer: return ComposerPane.self
        case .profile: return ProfileOverlay.self
        case .profileEditor: return ProfileEditor.self
        case .drafts: return DraftsOverlay.self
        case .bookmarks: return BookmarksOverlay.self
        case .templates: return TemplatesOverlay.self
        case .form: return FormOverlay.self
        case .history: return HistoryOverlay.self
        case nil:
            if state.pane == .reader, state.reader.current?.find != nil { return ReaderFindMode.self }
            return paneController(state.pane)
        }
    }

    static func paneController(_ pane: Pane) -> any PaneController.Type {
        switch pane {
        case .topics: TopicsPane.self
        case .peers: PeersPane.self
        case .queue: QueuePane.self
        case .reader: ReaderPane.self
        case .highlights: HighlightsPane.self
        case .report: ReportPane.self
        case .inbox: InboxPane.self
        }
    }

    public static func paneContext(_ pane: Pane) -> KeyContext { paneController(pane).context }

    /// The context whose keys are live now: for the footer and the help overlay.
    public static func focusedContext(_ state: AppState) -> KeyContext { focus(state).context }
}

/// Before the first snapshot: only `q` does anything. The footer already shows the topic list's keys.
enum LoadingScreen: Controller {
    static let context = KeyContext.topics
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        key == .char("q") ? [.quit] : []
    }
}

/// A terminal below the minimum size shows only how big it must be; `q` still quits, keeping the draft.
enum TooSmallScreen: Controller {
    /// Nothing is drawn but the size message; the footer (and so this context) is never shown.
    static let context = KeyContext.global
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        key == .char("q") ? TUI.flushDraft(&state) + [.quit] : []
    }
}
