import Foundation
import AgoraCore
import AgoraScreen

/// The first run, when the database has no program: explore a demo or start one.
public struct WelcomeScreen: Equatable, Sendable {
    /// The "start a new program" form, while it is open.
    public var form: NewProgramForm?
}

extension WelcomeScreen: Controller {
    static let context = KeyContext.welcome

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        switch KeyBindings.command(for: key, in: .welcome) {
        case .demo:
            TUI.setStatus(&state, "filling the demo program…")
            return [.fillDemo]
        case .newProgram:
            state.welcome.form = NewProgramForm()
        case .back:
            return [.quit]
        case .help:
            // A newcomer's first key: the choices are on screen already; say what follows them.
            TUI.setStatus(&state, "d: a sample program you lead · n: start your own · later ? lists the keys")
        default:
            break
        }
        return []
    }
}

/// The welcome screen's "start a new program" form.
public struct NewProgramForm: Equatable, Sendable {
    public var name = TextField()
    public var purpose = TextField()
    public var onPurpose = false
    public init() {}
}

extension NewProgramForm: Controller {
    static let context = KeyContext.newProgram

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var form = state.welcome.form else { return [] }
        defer { if state.welcome.form != nil { state.welcome.form = form } }
        switch KeyBindings.command(for: key, in: .newProgram) {
        case .cancel:
            state.welcome.form = nil
        case .nextField where key == .tab, .nextField where !form.onPurpose:
            form.onPurpose.toggle()
        case .nextField, .send:
            do {
                let name = try Limits.name(form.name.text, field: "program name")
                let purpose = try Limits.shortText(form.purpose.text, field: "purpose")
                TUI.setStatus(&state, "creating \(Sanitizer.line(name))…")
                return [.createProgram(name: name, purpose: purpose)]
            } catch {
                TUI.setStatus(&state, "\(error)", error: true)
            }
        default:
            if form.onPurpose { _ = form.purpose.handle(key) } else { _ = form.name.handle(key) }
        }
        return []
    }
}

// MARK: - Drawing

extension WelcomeScreen {
    func draw(_ p: inout Painter, _ rect: Rect) {
        if let form {
            let top = max(0, rect.height / 2 - 4)
            let x = max(1, (rect.width - 60) / 2)
            let fields = Rect(x: 0, y: rect.y, width: min(rect.width, x + 70), height: rect.height)
            p.text("Start a new program", in: rect, row: top, x: x, role: .uiTitle)
            p.text("You become its leader; add peers later with 'agora peer add LOGIN'.", in: rect, row: top + 1, x: x, role: .uiTextDim)
            p.text("Name", in: rect, row: top + 3, x: x, role: form.onPurpose ? .uiTextDim : .uiTextBold)
            p.field(form.name, in: fields, row: top + 3, x: x + 9, role: form.onPurpose ? .uiText : .uiInput)
            p.text("Purpose", in: rect, row: top + 4, x: x, role: form.onPurpose ? .uiTextBold : .uiTextDim)
            p.field(form.purpose, in: fields, row: top + 4, x: x + 9, role: form.onPurpose ? .uiInput : .uiText)
            return
        }
        p.centeredBlock(rect, [
            ("Welcome to Agora", .uiTitle),
            ("Peers helping peers: ask, offer, learn from each other.", .uiText),
            ("", .uiText),
            ("This database has no program yet.", .uiTextDim),
            ("", .uiText),
            ("d  explore a demo program (sample peers and topics)", .uiText),
            ("n  start a new program: you become its leader", .uiText),
            ("q  quit", .uiText),
        ])
    }
}
