import AgoraScreen

/// `?`: the focused pane's keys and the global ones, straight from the binding table.
public struct HelpOverlay: Equatable, Sendable {
    public var scroll = 0

    /// The overlay's rows for the keys of `context` in a pane `width` wide: (keys, what they do, is a heading). A
    /// description too long for its row wraps onto rows of its own under it, never cut.
    static func lines(_ context: KeyContext, width: Int) -> [(String, String, Bool)] {
        let textW = max(10, width - 4 - keyWidth(width))
        var lines: [(String, String, Bool)] = [("Keys: \(context.title)", "", true)]
        func add(_ b: KeyBinding) {
            for (i, row) in DisplayWidth.wrap(b.help, width: textW).enumerated() {
                lines.append((i == 0 ? KeyBindings.names(b.keys) : "", row, false))
            }
        }
        KeyBindings.bindings(in: context).forEach(add)
        // The pane's modes (a find in the thread) with the keys they add.
        for mode in KeyContext.allCases where mode.parent == context {
            lines.append(("", "", false))
            lines.append((mode.title, "", true))
            KeyBindings.bindings(in: mode).forEach(add)
        }
        lines.append(("", "", false))
        lines.append(("Everywhere", "", true))
        KeyBindings.bindings(in: .global).forEach(add)
        return lines
    }

    static func keyWidth(_ width: Int) -> Int { min(18, width / 3) }

    /// How far it scrolls: `update` stops there, so scrolling back up from the end starts moving at once.
    static func scrollLimit(_ state: AppState) -> Int {
        let body = Layout(state.size).body
        return max(0, lines(TUI.paneContext(state.pane), width: body.width).count - body.height)
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
        let lines = Self.lines(context, width: rect.width)
        let keyW = Self.keyWidth(rect.width)
        let top = min(scroll, max(0, lines.count - rect.height))
        for row in 0..<rect.height {
            let i = top + row
            guard i < lines.count else { break }
            let (keys, help, heading) = lines[i]
            if heading {
                p.text(keys, in: rect, row: row, x: 1, role: .uiTitle)
            } else {
                p.text(keys, in: rect, row: row, x: 2, role: .uiHelpKey, width: keyW)
                p.text(help, in: rect, row: row, x: 3 + keyW, role: .uiHelpText)
            }
        }
    }
}
