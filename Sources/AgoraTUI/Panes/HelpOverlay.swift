import AgoraScreen

/// `?`: the focused pane's keys and the global ones, straight from the binding table.
public struct HelpOverlay: Equatable, Sendable {
    public var scroll = 0

    /// The overlay's lines for the keys of `context`: (keys, what they do, is a heading).
    static func lines(_ context: KeyContext) -> [(String, String, Bool)] {
        var lines: [(String, String, Bool)] = [("Keys: \(context.title)", "", true)]
        for b in KeyBindings.bindings(in: context) { lines.append((KeyBindings.names(b.keys), b.help, false)) }
        lines.append(("", "", false))
        lines.append(("Everywhere", "", true))
        for b in KeyBindings.bindings(in: .global) { lines.append((KeyBindings.names(b.keys), b.help, false)) }
        return lines
    }

    /// How many lines `lines(context)` has, without making them: a heading, the context's bindings, a blank
    /// line, a heading and the global bindings.
    static func measure(_ context: KeyContext) -> Int {
        KeyBindings.bindings(in: context).count + KeyBindings.bindings(in: .global).count + 3
    }

    /// How far it scrolls: `update` stops there, so scrolling back up from the end starts moving at once.
    static func scrollLimit(_ state: AppState) -> Int {
        max(0, measure(TUI.paneContext(state.pane)) - Layout(state.size).body.height)
    }
}

extension HelpOverlay: Controller {
    static let context = KeyContext.help

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        switch KeyBindings.command(for: key, in: .help) {
        case .back: state.overlay = nil
        case .down: state.help.scroll = min(state.help.scroll + 1, scrollLimit(state))
        case .up: state.help.scroll = max(0, state.help.scroll - 1)
        default: break
        }
        return []
    }
}

// MARK: - Drawing

extension HelpOverlay {
    /// The keys of `context` (the pane under the overlay).
    func draw(_ p: inout Painter, _ rect: Rect, context: KeyContext) {
        let lines = Self.lines(context)
        let keyW = min(18, rect.width / 3)
        let top = min(scroll, max(0, lines.count - rect.height))
        for row in 0..<rect.height {
            let i = top + row
            guard i < lines.count else { break }
            let (keys, help, heading) = lines[i]
            if heading {
                p.text(keys, in: rect, row: row, x: 1, role: .uiTitle)
            } else {
                p.text(keys, in: rect, row: row, x: 2, role: .uiHelpKey, width: keyW)
                p.text(DisplayWidth.truncate(help, to: max(0, rect.width - 4 - keyW)), in: rect, row: row, x: 3 + keyW, role: .uiHelpText)
            }
        }
    }
}
