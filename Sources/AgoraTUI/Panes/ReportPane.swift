import Foundation
import AgoraCore
import AgoraScreen

/// Pane 6: the leader's report, computed when the pane opens (it reads the whole period).
public struct ReportPane: Equatable, Sendable {
    public var report: LeaderReport?
    /// First row of the report on screen.
    public var scroll = 0

    /// Rows the report can take at most (weeks, three group tables, trends).
    static let rowsMax = 200

    /// How many rows the report takes at `width`, counted by the same walk that draws it, with nothing drawn:
    /// scrolling needs the end, and painting a 200-row page per key to find it was most of a key's cost.
    static func measure(_ report: LeaderReport?, visible: Bool, width: Int) -> Int {
        var nothing: Painter? = nil
        return page(&nothing, report, visible: visible, width: width)
    }
}

extension ReportPane: PaneController {
    static let context = KeyContext.report

    static func run(_ command: Command, _ state: inout AppState) -> [Effect]? {
        switch command {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            // The report is taller than the screen: j/k and the page keys scroll it (render clamps the end too).
            let h = Layout.listHeight(state.size)
            let body = Layout(state.size).body
            let used = measure(state.report.report, visible: state.canSeeReport, width: body.width)
            let s = state.report.scroll
            let delta = command.scrollDelta(page: h, toTop: s, toBottom: rowsMax)
            state.report.scroll = min(max(0, s + delta), max(0, used - body.height))
            return []
        case .export:
            guard TUI.allowed(&state, .viewReport) else { return [] }
            state.prompt = Prompt(purpose: .exportPath, field: TextField("agora-export.json"))
            state.prompt?.note = ".md for Markdown"
            return []
        case .settings:
            guard TUI.allowed(&state, .changeSettings), let program = state.program else { return [] }
            FormOverlay.open(&state, .settings, values: ProgramSettings(program).values.map(String.init))
            return []
        default:
            return nil
        }
    }
}

// MARK: - Drawing

extension ReportPane {
    /// `visible`: the reader may see the report (the leader); others get a sentence instead.
    func draw(_ p: inout Painter, _ rect: Rect, visible: Bool) {
        // Drawn whole into a tall page, then the rows from `scroll` are shown.
        var page: Painter? = Painter(size: Size(width: rect.width, height: Self.rowsMax))
        let used = Self.page(&page, report, visible: visible, width: rect.width)
        let top = min(scroll, max(0, used - rect.height))
        for row in 0..<min(rect.height, max(0, used - top)) {
            for x in 0..<rect.width { p.buffer[rect.x + x, rect.y + row] = page!.buffer[x, top + row] }
        }
        if top + rect.height < used {
            p.right("more ↓ (j)", in: rect, row: rect.height - 1, role: .uiTextDim)
        }
    }

    /// Walks the report row by row from the top of a `width` x `rowsMax` page, drawing into `painter` if there is
    /// one; returns the rows used. One walk for drawing and measuring, so the two cannot disagree.
    static func page(_ painter: inout Painter?, _ report: LeaderReport?, visible: Bool, width: Int) -> Int {
        let rect = Rect(x: 0, y: 0, width: width, height: rowsMax)
        @discardableResult
        func text(_ s: String, row: Int, x: Int, role: Role, width: Int? = nil) -> Int {
            painter?.text(s, in: rect, row: row, x: x, role: role, width: width) ?? 0
        }
        guard visible else {
            text("The report is for the program leader.", row: 1, x: 2, role: .uiTextDim)
            return 2
        }
        guard let r = report else {
            text("Loading…", row: 1, x: 2, role: .uiTextDim)
            return 2
        }
        var row = 0
        text("Report \(RelativeAge.day(r.since)) to \(RelativeAge.day(r.until)) · groups under \(LeaderReport.minimumGroup) merged into \"other\"",
             row: row, x: 1, role: .uiTitle)
        row += 2
        let labelW = 28
        for (label, value) in r.headline where row < rect.height {
            text(label, row: row, x: 2, role: .uiTextDim, width: labelW)
            text(value, row: row, x: 3 + labelW, role: .uiTextBold)
            row += 1
        }
        row += 1
        let series: [(String, [Int])] = [("members", r.weeks.map(\.members)), ("active peers", r.weeks.map(\.activePeers)),
                                         ("topics", r.weeks.map(\.topics)), ("posts", r.weeks.map(\.posts))]
        if row < rect.height {
            text("Week by week (\(r.weeks.count) weeks)", row: row, x: 1, role: .uiTitle)
            row += 1
        }
        let room = max(4, rect.width - labelW - 16)
        for (label, values) in series where row < rect.height {
            text(label, row: row, x: 2, role: .uiTextDim, width: labelW)
            if painter != nil {
                let x = text(LeaderReport.sparkline(Array(values.suffix(room))), row: row, x: 3 + labelW, role: .queueFresh)
                text("last \(values.last ?? 0)", row: row, x: 5 + labelW + x, role: .uiText)
            }
            row += 1
        }
        row += 1
        if row < rect.height, !r.byUnit.isEmpty {
            text("Members by unit", row: row, x: 1, role: .uiTitle)
            row += 1
        }
        let top = r.byUnit.compactMap(\.members).max() ?? 0
        for g in r.byUnit where row < rect.height {
            text(Sanitizer.line(g.name), row: row, x: 2, role: .uiTextDim, width: labelW)
            if painter != nil {
                let count = g.members.map(String.init) ?? "<\(LeaderReport.minimumGroup)"
                let x = text(LeaderReport.bar(g.members ?? 0, of: top, width: max(4, rect.width - labelW - 14)), row: row, x: 3 + labelW, role: .queueDue)
                text(count, row: row, x: 4 + labelW + x, role: .uiText)
            }
            row += 1
        }
        if row + 1 < rect.height, !r.trends.isEmpty {
            row += 1
            text("Tags, last \(Trends.windowDays) days against the \(Trends.windowDays) before", row: row, x: 1, role: .uiTitle)
            row += 1
        }
        for t in r.trends where row < rect.height {
            if painter != nil {
                let x = text(t.arrow, row: row, x: 2, role: t.change > 0 ? .queueFresh : (t.change < 0 ? .queueOverdue : .uiTextDim))
                text(Sanitizer.line(t.tag), row: row, x: 3 + x, role: .uiText, width: labelW)
                text("\(t.recent) (\(t.change > 0 ? "+" : "")\(t.change))", row: row, x: 4 + x + labelW, role: .uiTextDim)
            }
            row += 1
        }
        return row
    }
}
