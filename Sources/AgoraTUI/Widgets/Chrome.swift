import AgoraCore
import AgoraScreen

/// The rows around the panes: the header, the pane tabs and the footer.
enum Chrome {
    /// The program's name on the left; who I am, how many are here (through the daemon), the unread count and
    /// (when `queued` is given) the queue on the right.
    static func header(_ p: inout Painter, _ rect: Rect, program: Program?, me: Peer?, here: Int? = nil, unread: Int, queued: Int?) {
        p.fill(rect, role: .uiHeader)
        var right = ""
        if let me {
            right = "\(ReaderLayout.authorLabel(me.login, me)) · \(me.isAlumni ? "alumni" : me.role.rawValue)"
        }
        if let here { right += " · \(here) here" }
        right += " · \(unread) unread"
        if let queued { right += " · \(queued) in queue" }
        let rightWidth = min(DisplayWidth.of(right), max(0, rect.width - 20))
        p.right(right, in: rect, row: 0, role: .uiHeader, margin: 1)
        let name = Sanitizer.line(program?.name ?? "Agora")
        p.text(DisplayWidth.truncate(name, to: max(0, rect.width - rightWidth - 4)), in: rect, row: 0, x: 1, role: .uiHeader)
    }

    /// `topicsBesideReader`: in wide mode the list shows beside the reader, so its tab is lit too.
    static func tabs(_ p: inout Painter, _ rect: Rect, active: Pane, topicsBesideReader: Bool) {
        p.fill(rect, role: .uiTab)
        var x = 1
        for pane in Pane.allCases {
            let lit = pane == active || (topicsBesideReader && pane == .topics)
            let label = " \(pane.rawValue) \(pane.title) "
            x += p.text(label, in: rect, row: 0, x: x, role: lit ? .uiTabActive : .uiTab) + 1
        }
    }

    /// The status line if there is one, otherwise as many of the focused context's hints as fit.
    static func footer(_ p: inout Painter, _ rect: Rect, status: String? = nil, isError: Bool = false,
                       hints: [(keys: String, hint: String)] = []) {
        p.fill(rect, role: .uiFooter)
        if let status {
            p.text(Sanitizer.line(status), in: rect, row: 0, x: 1, role: isError ? .uiError : .uiStatus)
            return
        }
        var x = 1
        for (keys, hint) in hints {
            let need = DisplayWidth.of(keys) + 1 + DisplayWidth.of(hint)
            if x + need > rect.width { break }
            x += p.text(keys, in: rect, row: 0, x: x, role: .uiFooterKey) + 1
            x += p.text(hint, in: rect, row: 0, x: x, role: .uiFooter) + 2
        }
    }
}
