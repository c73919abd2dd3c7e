import AgoraCore
import AgoraScreen

/// The rows around the panes: the header, the pane tabs and the footer.
enum Chrome {
    /// The program's name on the left; who I am, how many are here (through the daemon), the unread count and
    /// (when `queued` is given) the queue on the right.
    static func header(_ p: inout Painter, _ rect: Rect, program: Program?, me: Peer?, here: Int? = nil, forYou: Int = 0, unread: Int, queued: Int?) {
        p.fill(rect, role: .uiHeader)
        // Budgeted left to right: the program's name keeps at least a third of the row, the figures stay whole, and
        // the person's name gives way first (its login last). Two spaces always part the two sides.
        var figures = ""
        if let me { figures = " · \(me.isAlumni ? "alumni" : me.role.rawValue)" }
        if let here { figures += " · \(here) here" }
        if forYou > 0 { figures += " · \(forYou) for you" }
        figures += " · \(unread) unread"
        if let queued { figures += " · \(queued) in queue" }
        let person = me.map { ReaderLayout.authorLabel($0.login, $0) } ?? ""
        let name = Sanitizer.line(program?.name ?? "Agora")
        let usable = max(0, rect.width - 2 - 2)   // a margin on each side, the gap between
        let wantedRight = DisplayWidth.of(person) + DisplayWidth.of(figures)
        let nameW = min(DisplayWidth.of(name), max(usable / 3, usable - wantedRight))
        let rightRoom = usable - nameW
        var right = person + figures
        if DisplayWidth.of(right) > rightRoom {
            let personRoom = rightRoom - DisplayWidth.of(figures)
            right = personRoom >= 8 ? (me.map { ReaderLayout.authorLabel($0.login, $0, width: personRoom) } ?? "") + figures
                                    : DisplayWidth.truncate(String(figures.dropFirst(3)), to: rightRoom)
        }
        p.right(right, in: rect, row: 0, role: .uiHeader, margin: 1)
        p.text(DisplayWidth.truncate(name, to: nameW), in: rect, row: 0, x: 1, role: .uiHeader)
    }

    /// `topicsBesideReader`: in wide mode the list shows beside the reader, so its tab is lit too. `counts`: what
    /// waits in a pane (unread topics, queue items), shown on its tab when every tab still fits.
    static func tabs(_ p: inout Painter, _ rect: Rect, active: Pane, topicsBesideReader: Bool, counts: [Pane: Int] = [:]) {
        p.fill(rect, role: .uiTab)
        for (pane, label, x) in tabLabels(width: rect.width, counts: counts) {
            let lit = pane == active || (topicsBesideReader && pane == .topics)
            p.text(label, in: rect, row: 0, x: x, role: lit ? .uiTabActive : .uiTab)
        }
    }

    /// Each tab's label and column in a row `width` wide: for drawing them and for a click on one.
    static func tabLabels(width: Int, counts: [Pane: Int]) -> [(pane: Pane, label: String, x: Int)] {
        func label(_ pane: Pane, counted: Set<Pane>) -> String {
            let n = counted.contains(pane) ? counts[pane].flatMap { $0 > 0 ? " (\($0))" : nil } ?? "" : ""
            return " \(pane.rawValue) \(pane.title)\(n) "
        }
        // The counts that fit, the inbox's first (it is for me alone), then the unread topics, then the queue.
        var counted = Set(counts.keys)
        for dropped in [Pane.queue, .topics, .inbox] {
            if 1 + Pane.allCases.reduce(0, { $0 + DisplayWidth.of(label($1, counted: counted)) + 1 }) <= width { break }
            counted.remove(dropped)
        }
        var x = 1
        return Pane.allCases.map { pane in
            let text = label(pane, counted: counted)
            defer { x += DisplayWidth.of(text) + 1 }
            return (pane, text, x)
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
