import Foundation
import AgoraCore
import AgoraScreen

/// Shown when the rules changed since I last accepted them: accept, or read on without posting ("later").
public struct RulesScreen: Equatable, Sendable {
    public var scroll = 0
    /// "Later": read on without accepting (posting is refused until then).
    public var deferred = false

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

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        switch KeyBindings.command(for: key, in: .rules) {
        case .accept:
            if var me = state.snapshot.me, let program = state.program {
                me.rulesAckVersion = program.rulesVersion
                state.snapshot.me = me
            }
            state.stage = .main
            TUI.setStatus(&state, "rules accepted; thank you")
            return [.acknowledgeRules]
        case .later:
            state.rules.deferred = true
            state.stage = .main
            TUI.setStatus(&state, "posting waits until you accept the rules")
        case .back:
            return [.quit]
        case .down:
            state.rules.scroll = min(state.rules.scroll + 1, scrollLimit(state))
        case .up:
            state.rules.scroll = max(0, state.rules.scroll - 1)
        default:
            break
        }
        return []
    }
}

// MARK: - Drawing

extension RulesScreen {
    /// `size`: the terminal's (the text's area is laid out from it).
    func draw(_ p: inout Painter, _ rect: Rect, program: Program?, size: Size) {
        guard let program else { return }
        p.text("\(Sanitizer.line(program.name)): rules of engagement (version \(program.rulesVersion))", in: rect, row: 0, x: 1, role: .uiTitle)
        p.text("The rules changed since you last accepted them. Please read them.", in: rect, row: 1, x: 1, role: .uiTextDim)
        let lines = Self.lines(program, width: rect.width)
        let area = Self.area(size)
        let top = min(scroll, max(0, lines.count - area.height))
        for row in 0..<area.height where top + row < lines.count {
            p.text("│", in: area, row: row, x: 1, role: .postGutter)
            p.text(lines[top + row], in: area, row: row, x: 3, role: .postBody)
        }
    }
}
