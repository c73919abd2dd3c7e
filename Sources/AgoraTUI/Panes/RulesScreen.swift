import Foundation
import AgoraCore
import AgoraScreen

/// The rules of engagement, full screen: at the start of a session when they wait for my acceptance, when I ask
/// (`E`), and when I send while they wait. It is never pushed in front of what I am doing: a change of rules
/// mid-session is a line in the status bar and the first hint in the footer, so no keystroke meant for the
/// composer can quit or accept.
public struct RulesScreen: Equatable, Sendable {
    /// Why the screen is up, which decides where `q` and Esc go.
    public enum Opened: Equatable, Sendable {
        /// The session's first screen: `q` quits.
        case atStart
        /// `E` from the program: `q` and Esc go back to it.
        case asked
        /// Ctrl-X in the composer while the rules wait: accepting sends, Esc goes back to the composer unsent.
        case beforeSending
    }
    public var scroll = 0
    /// "Later": read on without accepting (posting is refused until then).
    public var deferred = false
    public var opened = Opened.atStart
    /// The leader is editing them in $VISUAL/$EDITOR (`v`): the editor's text is for the rules, not the composer.
    public var editing = false

    static func lines(_ program: Program?, width: Int) -> [String] {
        guard let program else { return [] }
        var lines = DisplayWidth.wrap(Sanitizer.text(program.rulesText), width: max(10, width - 6))
        if !program.expectedReturn.isEmpty {
            lines += [""] + DisplayWidth.wrap("What you can expect in return: " + Sanitizer.text(program.expectedReturn), width: max(10, width - 6))
        }
        return lines
    }

    /// The rules text's rows: the whole screen but the title lines and the footer.
    static func area(_ size: Size) -> Rect {
        Rect(x: 0, y: 3, width: size.width, height: max(0, size.height - 1 - 3))
    }

    /// How far the text scrolls (wrapping is the measuring; nothing is drawn).
    static func scrollLimit(_ state: AppState) -> Int {
        max(0, lines(state.program, width: state.size.width).count - area(state.size).height)
    }
}

extension RulesScreen: Controller {
    static let context = KeyContext.rules

    /// Whether the rules wait for my acceptance (alumni read only: the rules govern what they can no longer do).
    static func pending(_ state: AppState) -> Bool {
        guard let me = state.me, let program = state.program else { return false }
        return !me.isAlumni && Policy.mustAcknowledgeRules(me, program)
    }

    /// Whether I may write the rules (the policy's answer: the leader, not alumni).
    static func canEdit(_ state: AppState) -> Bool {
        state.program.map { Policy.allows(state.me, .setRules, in: $0) } ?? false
    }

    static func show(_ state: inout AppState, _ opened: Opened) {
        state.rules.opened = opened
        state.rules.scroll = 0
        state.stage = .rules
    }

    /// What a change of program does to the screen: the first snapshot of a session shows the rules if they wait;
    /// later ones never put them up (a new version is announced in the status line instead), and take them down
    /// once accepted elsewhere when they were up only because they waited.
    static func follow(_ state: inout AppState, before: Program?) {
        let pending = pending(state)
        switch state.stage {
        case .rules:
            if !pending && state.rules.opened == .atStart { state.stage = .main }
        case .main:
            if pending, let before, let program = state.program, program.rulesVersion > before.rulesVersion {
                TUI.setStatus(&state, "the rules of engagement changed (version \(program.rulesVersion)); E reads them")
            }
        default:
            if pending && !state.rules.deferred { show(&state, .atStart) } else { state.stage = .main }
        }
    }

    /// Stops an action that adds words while the rules wait, with a line that says how to go on (the store's
    /// refusal names CLI commands); true when it was stopped.
    static func stops(_ state: inout AppState, _ action: Action) -> Bool {
        guard action.needsRulesAcknowledged, pending(state), let me = state.me, let program = state.program else { return false }
        TUI.setStatus(&state, "\(short(me, program)): E reads them", error: true)
        return true
    }

    /// Why the rules wait, short enough for the status line at 80 columns with a hint after it.
    static func short(_ me: Peer, _ program: Program) -> String {
        me.rulesAckVersion == 0 ? "rules of engagement not yet accepted" : "rules of engagement changed (version \(program.rulesVersion))"
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        let opened = state.rules.opened
        switch KeyBindings.command(for: key, in: .rules) {
        case .accept:
            guard pending(state) else {
                state.stage = .main   // already accepted: reading them again
                return []
            }
            if var me = state.me, let program = state.program {
                me.rulesAckVersion = program.rulesVersion
                state.snapshot.me = me
            }
            state.stage = .main
            TUI.setStatus(&state, "rules accepted; thank you")
            // Sending is what the peer asked for: it goes on now, after the acceptance.
            return [.acknowledgeRules] + (opened == .beforeSending ? ComposerPane.send(&state) : [])
        case .later:
            state.rules.deferred = true
            state.stage = .main
            if pending(state) {
                TUI.setStatus(&state, opened == .beforeSending ? "not sent; it waits until you accept the rules (E reads them)"
                                                               : "posting waits until you accept the rules; E reads them")
            }
        case .back:
            if opened == .atStart { return [.quit] }
            return handle(.escape, &state)
        case .help:
            TUI.setStatus(&state, "a: accept (then you can post) · Esc: read on without posting · E: these rules again")
        case .editor:
            guard TUI.allowed(&state, .setRules) else { return [] }
            state.rules.editing = true
            return [.runEditor(state.program?.rulesText ?? "")]
        case .down:
            state.rules.scroll = min(state.rules.scroll + 1, scrollLimit(state))
        case .up:
            state.rules.scroll = max(0, state.rules.scroll - 1)
        default:
            break
        }
        return []
    }

    /// The leader's text back from the editor: a new version when it changed (everyone else accepts it before they
    /// next post; the leader has, by writing it).
    static func edited(_ state: inout AppState, _ text: String?) -> [Effect] {
        state.rules.editing = false
        guard var text else {
            TUI.setStatus(&state, "the editor did not return any text; the rules are unchanged", error: true)
            return []
        }
        while text.last == "\n" { text.removeLast() }
        guard text != state.program?.rulesText else {
            TUI.setStatus(&state, "the rules are unchanged")
            return []
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            TUI.setStatus(&state, "rules cannot be empty; they are unchanged", error: true)
            return []
        }
        return [.setRules(text)]
    }

    /// The footer's keys: `q` goes back unless the rules are the session's first screen; `v` is the leader's.
    static func hints(_ state: AppState) -> [(keys: String, hint: String)] {
        var hints = KeyBindings.hints(for: .rules)
        if !canEdit(state) { hints.removeAll { $0.keys == "v" } }
        guard state.rules.opened != .atStart else { return hints }
        return hints.map { $0.keys == "q" ? ("q", "back") : $0 }
    }
}

// MARK: - Drawing

extension RulesScreen {
    /// `size`: the terminal's (the text's area is laid out from it).
    func draw(_ p: inout Painter, _ rect: Rect, program: Program?, me: Peer?, size: Size) {
        guard let program else { return }
        if program.rulesVersion == 0 {
            p.text("\(Sanitizer.line(program.name)): rules of engagement", in: rect, row: 0, x: 1, role: .uiTitle)
            p.text("No rules yet. v writes them in your editor; everyone accepts them before they next post.",
                   in: rect, row: 1, x: 1, role: .uiTextDim)
            return
        }
        p.text("\(Sanitizer.line(program.name)): rules of engagement (version \(program.rulesVersion))", in: rect, row: 0, x: 1, role: .uiTitle)
        p.text(Self.why(me, program), in: rect, row: 1, x: 1, role: .uiTextDim)
        let lines = Self.lines(program, width: rect.width)
        let area = Self.area(size)
        let top = min(scroll, max(0, lines.count - area.height))
        for row in 0..<area.height where top + row < lines.count {
            p.text("│", in: area, row: row, x: 1, role: .postGutter)
            p.text(lines[top + row], in: area, row: row, x: 3, role: .postBody)
        }
    }

    /// The line under the title: why these rules are shown.
    static func why(_ me: Peer?, _ program: Program) -> String {
        guard let me, Policy.mustAcknowledgeRules(me, program) else {
            return Policy.allows(me, .setRules, in: program)
                ? "Version \(program.rulesVersion), yours to change: v edits them in your editor."
                : "You accepted these rules (version \(program.rulesVersion))."
        }
        if me.rulesAckVersion == 0 { return "Please read them and accept them to post." }
        return "The rules changed since you accepted version \(me.rulesAckVersion). Please read them."
    }
}
