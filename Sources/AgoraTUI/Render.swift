import Foundation
import AgoraCore
import AgoraScreen

extension TUI {
    /// The whole screen for a state. Pure: the same state always gives the same cells.
    public static func render(_ state: AppState) -> Buffer {
        var p = Painter(size: state.size)
        let size = state.size
        if Layout.isTooSmall(size) {
            // The longest message that fits whole: a cut-off sentence would hide the size it asks for.
            let need = "\(Layout.minWidth)x\(Layout.minHeight)"
            let message = ["enlarge the window (at least \(need))", "enlarge the window to \(need)", "too small: \(need)", need]
                .first { DisplayWidth.of($0) <= size.width } ?? ""
            p.text(message,
                   in: Rect(x: 0, y: 0, width: size.width, height: size.height), row: 0, role: .uiError)
            return p.buffer
        }
        let layout = Layout(size)
        switch state.stage {
        case .loading:
            p.text("Loading…", in: layout.body, row: 0, x: 2, role: .uiTextDim)
        case .welcome:
            drawWelcome(&p, state, Rect(x: 0, y: 0, width: size.width, height: size.height - 1))
        case .nonMember:
            drawNonMember(&p, state, Rect(x: 0, y: 0, width: size.width, height: size.height - 1))
        case .rules:
            drawRules(&p, state, Rect(x: 0, y: 0, width: size.width, height: size.height - 1))
        case .main:
            drawHeader(&p, state, layout.header)
            drawTabs(&p, state, layout.tabs)
            drawMain(&p, state, layout.body)
        }
        drawFooter(&p, state, layout.footer)
        return p.buffer
    }

    // MARK: Chrome

    static func drawHeader(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        p.fill(rect, role: .uiHeader)
        var right = ""
        if let me = state.me {
            right = "\(ReaderLayout.authorLabel(me.login, me)) · \(me.isAlumni ? "alumni" : me.role.rawValue)"
        }
        right += " · \(state.snapshot.unreadCount) unread"
        if state.canSeeQueue || state.snapshot.queueCount > 0 { right += " · \(state.snapshot.queueCount) in queue" }
        let rightWidth = min(DisplayWidth.of(right), max(0, rect.width - 20))
        p.right(right, in: rect, row: 0, role: .uiHeader, margin: 1)
        let name = Sanitizer.line(state.program?.name ?? "Agora")
        p.text(DisplayWidth.truncate(name, to: max(0, rect.width - rightWidth - 4)), in: rect, row: 0, x: 1, role: .uiHeader)
    }

    static func drawTabs(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        p.fill(rect, role: .uiTab)
        var x = 1
        for pane in Pane.allCases {
            let active = pane == state.pane || (state.isWide && state.pane == .reader && pane == .topics)
            let label = " \(pane.rawValue) \(pane.title) "
            x += p.text(label, in: rect, row: 0, x: x, role: active ? .uiTabActive : .uiTab) + 1
        }
    }

    static func drawFooter(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        p.fill(rect, role: .uiFooter)
        if let prompt = state.prompt {
            let x = p.text(prompt.label, in: rect, row: 0, x: 1, role: .uiFooterKey) + 1
            drawField(&p, prompt.field, in: rect, row: 0, x: x, role: .uiInput)
            return
        }
        if let status = state.status {
            p.text(Sanitizer.line(status), in: rect, row: 0, x: 1, role: state.statusIsError ? .uiError : .uiStatus)
            return
        }
        var x = 1
        for (keys, hint) in KeyBindings.hints(for: focusedContext(state)) {
            let need = DisplayWidth.of(keys) + 1 + DisplayWidth.of(hint)
            if x + need > rect.width { break }
            x += p.text(keys, in: rect, row: 0, x: x, role: .uiFooterKey) + 1
            x += p.text(hint, in: rect, row: 0, x: x, role: .uiFooter) + 2
        }
    }

    /// One line of editable text with the cursor shown as a reversed cell; scrolls horizontally.
    static func drawField(_ p: inout Painter, _ field: TextField, in rect: Rect, row: Int, x: Int, role: Role) {
        let room = max(1, rect.width - x - 1)
        let chars = field.chars.map(shownCharacter)
        // Start far enough right that the cursor is visible.
        var start = 0
        while DisplayWidth.of(String(chars[start..<field.cursor])) >= room { start += 1 }
        var cx = x
        for i in start...chars.count {
            let isCursor = i == field.cursor
            let ch: Character = i < chars.count ? chars[i] : " "
            let w = max(1, DisplayWidth.of(ch))
            if cx + w > x + room { break }
            p.text(String(ch), in: rect, row: row, x: cx, role: isCursor ? .uiCursor : role)
            cx += w
        }
    }

    /// What a typed character shows as: itself, or one stand-in (the cursor maps one-to-one).
    static func shownCharacter(_ ch: Character) -> Character {
        let clean = Sanitizer.line(String(ch))
        return clean.count == 1 && clean.first == ch ? ch : Sanitizer.replacement
    }

    // MARK: Main screen

    static func drawMain(_ p: inout Painter, _ state: AppState, _ body: Rect) {
        switch state.overlay {
        case .help:
            drawHelp(&p, state, body)
            return
        case .composer:
            drawComposer(&p, state, body)
            return
        case .profile(let login):
            drawProfile(&p, state, body, login: login)
            return
        case nil:
            break
        }
        switch state.pane {
        case .topics, .reader:
            if state.isWide {
                let (list, _) = Layout.split(body)
                let reader = Layout.readerRect(state.size)
                drawTopics(&p, state, list, focused: state.pane == .topics)
                for y in 0..<body.height { p.text("│", in: body, row: y, x: reader.x - 1 - body.x, role: .uiBorder) }
                drawReader(&p, state, reader)
            } else if state.pane == .topics {
                drawTopics(&p, state, body, focused: true)
            } else {
                drawReader(&p, state, body)
            }
        case .peers:
            drawPeers(&p, state, body)
        case .queue:
            drawQueue(&p, state, body)
        case .highlights:
            drawHighlights(&p, state, body)
        case .report:
            drawReport(&p, state, body)
        }
    }

    /// Draws the visible rows of a list. Column 0 is the selection column: the selected row shows "▌" there,
    /// as the reader marks its selected post. A full-width bar would make every move rewrite two whole rows of
    /// colour codes; the marker costs two cells (under 120 bytes per move at 80x24, docs/PERFORMANCE.md).
    static func drawList(_ p: inout Painter, _ rect: Rect, cursor: ListCursor, count: Int, focused: Bool,
                         empty: String, row draw: (inout Painter, Rect, Int) -> Void) {
        let listRect = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        if count == 0 {
            p.text(empty, in: listRect, row: 0, x: 2, role: .uiTextDim)
            return
        }
        // The offset is kept by `update`; clamp here too so a stale state still draws sanely.
        var offset = min(cursor.offset, max(0, count - 1))
        if cursor.index >= offset + listRect.height { offset = cursor.index - listRect.height + 1 }
        if cursor.index < offset { offset = cursor.index }
        for row in 0..<listRect.height {
            let i = offset + row
            guard i < count else { break }
            let line = listRect.row(row)
            draw(&p, line, i)
            if i == cursor.index {
                p.text("▌", in: line, row: 0, x: 0, role: focused ? .uiSelection : .uiSelectionUnfocused)
            }
        }
    }

    static func drawTopics(_ p: inout Painter, _ state: AppState, _ rect: Rect, focused: Bool) {
        let rows = state.visibleTopics
        var title = "Topics (\(rows.count))"
        if let q = state.searchQuery { title = "Search '\(Sanitizer.line(q))' (\(rows.count))" }
        title += state.topicSort == .unreadFirst ? " · unread first" : " · by activity"
        if let k = state.filter.kind { title += " · kind: \(k.rawValue)" }
        if let t = state.filter.tag { title += " · tag: \(Sanitizer.line(t))" }
        p.text(title, in: rect, row: 0, x: 1, role: .uiTitle)
        let w = rect.width
        let authorW = w >= 100 ? 20 : 12
        let kindW = 10
        let titleW = max(8, w - 3 - kindW - authorW - 4 - 4 - 4 - 1)
        let empty = state.searchQuery != nil ? "Nothing found. Esc shows every topic again." :
            state.filter.isEmpty ? "No topics yet. Press c to start one." : "No topic matches the filter. Esc clears it."
        drawList(&p, rect, cursor: state.topicCursor, count: rows.count, focused: focused, empty: empty) { p, line, i in
            let r = rows[i]
            let t = r.topic
            var titleText = Sanitizer.line(t.title)
            if t.status != .open { titleText += " [\(t.status.rawValue)]" }
            p.text(r.unread ? "●" : " ", in: line, row: 0, x: 1, role: .topicUnread)
            p.columns([
                (t.kind.rawValue, kindW, .topicKind),
                (titleText, titleW, r.unread ? .uiTextBold : .uiText),
                (Sanitizer.line(r.authorName.isEmpty ? t.author : r.authorName), authorW, .topicMeta),
                ("\(max(0, t.postCount - 1))", 4, .topicMeta),
                (RelativeAge.short(t.lastActivity, now: state.now), 4, .topicMeta),
            ], in: line, row: 0, x: 3, rightAligned: [3, 4])
        }
    }

    static func drawReader(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        guard let reader = state.reader else {
            let text = state.openingTopic != nil ? "Loading…" : "No topic open. Choose one in Topics (1) and press Enter."
            p.text(text, in: rect, row: 1, x: 2, role: .uiTextDim)
            return
        }
        let thread = reader.thread
        let t = thread.topic
        let kind = "[\(t.kind.rawValue)] "
        let kx = p.text(kind, in: rect, row: 0, x: 1, role: .topicKind)
        p.text(Sanitizer.line(t.title), in: rect, row: 0, x: 1 + kx, role: .uiTitle)
        var facts = "\(t.status.rawValue) · \(thread.lines.count) post\(thread.lines.count == 1 ? "" : "s")"
        if !thread.tags.isEmpty { facts += " · tags: " + thread.tags.map(Sanitizer.line).joined(separator: ", ") }
        p.text(facts, in: rect, row: 1, x: 1, role: .topicMeta)

        let content = Rect(x: rect.x, y: rect.y + Layout.readerTitleRows, width: rect.width, height: rect.height - Layout.readerTitleRows)
        // `update` keeps the cached layout reaching past the screen; lay out afresh only if it does not.
        let needed = reader.scroll + content.height + 1
        let cached = reader.cachedLayout(width: rect.width, now: state.now)
        let layout = cached.flatMap { $0.isComplete || $0.rows.count >= needed ? $0 : nil }
            ?? ReaderLayout(thread: thread, width: rect.width, now: state.now, rows: needed, post: reader.selected)
        let selectedRow = layout.postStarts.indices.contains(reader.selected) ? layout.postStarts[reader.selected] : -1
        for row in 0..<content.height {
            let i = reader.scroll + row
            guard i < layout.rows.count else { break }
            if i == selectedRow {
                p.text("▌", in: content, row: row, x: 0, role: state.pane == .reader ? .uiSelection : .uiSelectionUnfocused)
            }
            for span in layout.rows[i] {
                p.text(span.text, in: content, row: row, x: span.x, role: span.role)
            }
        }
        if !layout.isComplete || layout.rows.count > reader.scroll + content.height {
            p.right("more ↓", in: content, row: content.height - 1, role: .uiTextDim)
        }
    }

    static func drawPeers(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        let peers = state.visiblePeers
        var title = "Peers (\(peers.count))"
        if !state.peerFilter.isEmpty { title += " · filter: \(Sanitizer.line(state.peerFilter))" }
        p.text(title, in: rect, row: 0, x: 1, role: .uiTitle)
        let w = rect.width
        let nameW = w >= 120 ? 32 : 24
        let roleW = 8, unitW = w >= 120 ? 16 : 10, regionW = w >= 120 ? 12 : 8, genW = 5
        let restW = max(4, w - 1 - nameW - roleW - unitW - regionW - genW - 5)
        drawList(&p, rect, cursor: state.peerCursor, count: peers.count, focused: true,
                 empty: state.peerFilter.isEmpty ? "No peers yet." : "Nobody matches. Esc clears the filter.") { p, line, i in
            let peer = peers[i]
            let wants = [peer.offers.isEmpty ? "" : "offers: " + peer.offers, peer.goals.isEmpty ? "" : "wants: " + peer.goals]
                .filter { !$0.isEmpty }.joined(separator: " · ")
            p.columns([
                (ReaderLayout.authorLabel(peer.login, peer), nameW, .postAuthor),
                (peer.isAlumni ? "alumni" : peer.role.rawValue, roleW, peer.isAlumni ? .peerAlumni : .peerRole),
                (Sanitizer.line(peer.unit), unitW, .uiText),
                (Sanitizer.line(peer.region), regionW, .uiText),
                (Sanitizer.line(peer.generation), genW, .uiText),
                (Sanitizer.line(wants), restW, .uiTextDim),
            ], in: line, row: 0, x: 1)
        }
    }

    static func queueRole(_ row: QueueRow, _ state: AppState) -> Role {
        if row.claimedBy != nil { return .queueClaimed }
        switch row.age {
        case .fresh: return .queueFresh
        case .due: return .queueDue
        case .overdue: return .queueOverdue
        case nil: break
        }
        let hours = state.now.timeIntervalSince(row.since) / 3600
        let limit: Double
        switch row.kind {
        case .unanswered: limit = Double(state.program?.unansweredHours ?? 24)
        case .newcomer: limit = Double(state.program?.welcomeHours ?? 48)
        case .stalled: limit = Double((state.program?.stalledDays ?? 7) * 24)
        case .flagged: limit = 24
        case .followUp: limit = 0.001   // `since` is when it fell due
        }
        if hours >= limit { return .queueOverdue }
        return hours >= limit / 2 ? .queueDue : .queueFresh
    }

    static func drawQueue(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        let rows = state.visibleQueue
        let title = state.canSeeQueue ? "Champion queue (\(rows.count)) · oldest first" : "Your open requests (\(rows.count))"
        p.text(title, in: rect, row: 0, x: 1, role: .uiTitle)
        let claimW = rect.width >= 100 ? 24 : 20
        let titleW = max(8, rect.width - 1 - 4 - 10 - claimW - 4)
        drawList(&p, rect, cursor: state.queueCursor, count: rows.count, focused: true,
                 empty: "Nothing waits. Thank you.") { p, line, i in
            let r = rows[i]
            var claim = ""
            if let by = r.claimedBy {
                claim = "claimed by \(Sanitizer.line(by))"
                if let at = r.claimedAt { claim += " \(RelativeAge.short(at, now: state.now))" }
            }
            p.columns([
                (RelativeAge.short(r.since, now: state.now), 4, queueRole(r, state)),
                (r.kind.rawValue, 10, .topicKind),
                (Sanitizer.line(r.title), titleW, .uiText),
                (claim, claimW, .queueClaimed),
            ], in: line, row: 0, x: 1, rightAligned: [0])
        }
    }

    static func drawProfile(_ p: inout Painter, _ state: AppState, _ rect: Rect, login: String) {
        guard let peer = state.snapshot.peers.first(where: { $0.login == login }) else {
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
        if let m = state.matches, m.login == login {
            row += 1
            p.text(m.suggestions.isEmpty ? "Suggested peers: nobody offers this yet" : "Suggested peers", in: rect, row: row, x: 1, role: .uiTitle)
            row += 1
            for s in m.suggestions.prefix(5) {
                let who = ReaderLayout.authorLabel(s.login, state.snapshot.peers.first { $0.login == s.login })
                let x = p.text(who, in: rect, row: row, x: 2, role: .postAuthor)
                p.text(DisplayWidth.truncate(Sanitizer.line(s.explanation), to: max(0, rect.width - 5 - x)), in: rect, row: row, x: 4 + x, role: .uiTextDim)
                row += 1
            }
        }
        row += 1
        let topics = state.profileTopics(login)
        let listRect = Rect(x: rect.x, y: rect.y + row, width: rect.width, height: max(0, rect.height - row))
        p.text("Topics by \(Sanitizer.line(peer.name.isEmpty ? peer.login : peer.name)) (\(topics.count))", in: listRect, row: 0, x: 1, role: .uiTitle)
        drawList(&p, listRect, cursor: state.profileCursor, count: topics.count, focused: true, empty: "No topics yet.") { p, line, i in
            let t = topics[i].topic
            p.columns([
                (t.kind.rawValue, 10, .topicKind),
                (Sanitizer.line(t.title), max(8, line.width - 2 - 10 - 5 - 2), .uiText),
                (RelativeAge.short(t.lastActivity, now: state.now), 4, .topicMeta),
            ], in: line, row: 0, x: 2, rightAligned: [2])
        }
    }

    static func drawHighlights(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        let rows = state.highlights
        p.text("Highlights (\(rows.count)) · newest first", in: rect, row: 0, x: 1, role: .uiTitle)
        let byW = rect.width >= 120 ? 24 : 14
        let titleW = max(8, (rect.width - 1 - 4 - byW - 3) * 2 / 5)
        let whyW = max(8, rect.width - 1 - 4 - byW - titleW - 4)
        drawList(&p, rect, cursor: state.highlightCursor, count: rows.count, focused: true,
                 empty: "Nothing highlighted yet. Press h on a topic (H on a post) to say what made it valuable.") { p, line, i in
            let h = rows[i]
            p.columns([
                (RelativeAge.short(h.created, now: state.now), 4, .topicMeta),
                (Sanitizer.line(h.topicTitle), titleW, .uiTextBold),
                ("“" + Sanitizer.line(h.why) + "”", whyW, .uiText),
                (Sanitizer.line(state.snapshot.peers.first { $0.login == h.by }?.name ?? h.by), byW, .postAuthor),
            ], in: line, row: 0, x: 1, rightAligned: [0])
        }
    }

    /// Rows the report can take at most (weeks, three group tables, trends).
    static let reportRowsMax = 200

    /// The report is drawn whole into a tall page, then the rows from `reportScroll` are shown.
    static func drawReport(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        var page = Painter(size: Size(width: rect.width, height: reportRowsMax))
        let used = drawReportPage(&page, state, Rect(x: 0, y: 0, width: rect.width, height: reportRowsMax))
        let top = min(state.reportScroll, max(0, used - rect.height))
        for row in 0..<min(rect.height, max(0, used - top)) {
            for x in 0..<rect.width { p.buffer[rect.x + x, rect.y + row] = page.buffer[x, top + row] }
        }
        if top + rect.height < used {
            p.right("more ↓ (j)", in: rect, row: rect.height - 1, role: .uiTextDim)
        }
    }

    /// Draws the report from row 0 of `rect`; returns the rows used.
    @discardableResult
    static func drawReportPage(_ p: inout Painter, _ state: AppState, _ rect: Rect) -> Int {
        guard state.canSeeReport else {
            p.text("The report is for the program leader.", in: rect, row: 1, x: 2, role: .uiTextDim)
            return 2
        }
        guard let r = state.report else {
            p.text("Loading…", in: rect, row: 1, x: 2, role: .uiTextDim)
            return 2
        }
        var row = 0
        p.text("Report \(RelativeAge.day(r.since)) to \(RelativeAge.day(r.until)) · groups under \(LeaderReport.minimumGroup) merged into \"other\"",
               in: rect, row: row, x: 1, role: .uiTitle)
        row += 2
        let labelW = 28
        for (label, value) in r.headline where row < rect.height {
            p.text(label, in: rect, row: row, x: 2, role: .uiTextDim, width: labelW)
            p.text(value, in: rect, row: row, x: 3 + labelW, role: .uiTextBold)
            row += 1
        }
        row += 1
        let series: [(String, [Int])] = [("members", r.weeks.map(\.members)), ("active peers", r.weeks.map(\.activePeers)),
                                         ("topics", r.weeks.map(\.topics)), ("posts", r.weeks.map(\.posts))]
        if row < rect.height {
            p.text("Week by week (\(r.weeks.count) weeks)", in: rect, row: row, x: 1, role: .uiTitle)
            row += 1
        }
        let room = max(4, rect.width - labelW - 16)
        for (label, values) in series where row < rect.height {
            p.text(label, in: rect, row: row, x: 2, role: .uiTextDim, width: labelW)
            let x = p.text(LeaderReport.sparkline(Array(values.suffix(room))), in: rect, row: row, x: 3 + labelW, role: .queueFresh)
            p.text("last \(values.last ?? 0)", in: rect, row: row, x: 5 + labelW + x, role: .uiText)
            row += 1
        }
        row += 1
        if row < rect.height, !r.byUnit.isEmpty {
            p.text("Members by unit", in: rect, row: row, x: 1, role: .uiTitle)
            row += 1
        }
        let top = r.byUnit.compactMap(\.members).max() ?? 0
        for g in r.byUnit where row < rect.height {
            p.text(Sanitizer.line(g.name), in: rect, row: row, x: 2, role: .uiTextDim, width: labelW)
            let count = g.members.map(String.init) ?? "<\(LeaderReport.minimumGroup)"
            let x = p.text(LeaderReport.bar(g.members ?? 0, of: top, width: max(4, rect.width - labelW - 14)), in: rect, row: row, x: 3 + labelW, role: .queueDue)
            p.text(count, in: rect, row: row, x: 4 + labelW + x, role: .uiText)
            row += 1
        }
        if row + 1 < rect.height, !r.trends.isEmpty {
            row += 1
            p.text("Tags, last \(Trends.windowDays) days against the \(Trends.windowDays) before", in: rect, row: row, x: 1, role: .uiTitle)
            row += 1
        }
        for t in r.trends where row < rect.height {
            let x = p.text(t.arrow, in: rect, row: row, x: 2, role: t.change > 0 ? .queueFresh : (t.change < 0 ? .queueOverdue : .uiTextDim))
            p.text(Sanitizer.line(t.tag), in: rect, row: row, x: 3 + x, role: .uiText, width: labelW)
            p.text("\(t.recent) (\(t.change > 0 ? "+" : "")\(t.change))", in: rect, row: row, x: 4 + x + labelW, role: .uiTextDim)
            row += 1
        }
        return row
    }

    // MARK: Overlays

    /// The help overlay's lines: (keys, what they do, is a heading).
    static func helpLines(_ state: AppState) -> [(String, String, Bool)] {
        let context = state.pane == .reader && state.reader == nil ? .reader : paneContext(state.pane)
        var lines: [(String, String, Bool)] = [("Keys: \(context.title)", "", true)]
        for b in KeyBindings.bindings(in: context) { lines.append((KeyBindings.names(b.keys), b.help, false)) }
        lines.append(("", "", false))
        lines.append(("Everywhere", "", true))
        for b in KeyBindings.bindings(in: .global) { lines.append((KeyBindings.names(b.keys), b.help, false)) }
        return lines
    }

    /// How far the help overlay or the rules screen (whichever is up) can scroll: `update` stops there, so
    /// scrolling back up from the end starts moving at once.
    static func helpScrollLimit(_ state: AppState) -> Int {
        if state.stage == .rules {
            return max(0, rulesLines(state, width: state.size.width).count - rulesArea(state.size).height)
        }
        return max(0, helpLines(state).count - Layout(state.size).body.height)
    }

    static func drawHelp(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        let lines = helpLines(state)
        let keyW = min(18, rect.width / 3)
        let scroll = min(state.helpScroll, max(0, lines.count - rect.height))
        for row in 0..<rect.height {
            let i = scroll + row
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

    static func drawComposer(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        guard let c = state.composer else { return }
        var row = 0
        p.text(c.isReply ? c.context : "New topic", in: rect, row: row, x: 1, role: .uiTitle)
        row += 1
        let labelW = 7
        func label(_ text: String, _ field: ComposerState.Field) {
            p.text(text, in: rect, row: row, x: 1, role: c.field == field ? .uiTextBold : .uiTextDim)
        }
        if !c.isReply {
            label("Kind", .kind)
            var x = labelW + 1
            for k in TopicKind.allCases {
                let chosen = k == c.kind
                let role: Role = chosen ? (c.field == .kind ? .uiCursor : .uiSelectionUnfocused) : .uiTextDim
                x += p.text(chosen ? "[\(k.rawValue)]" : " \(k.rawValue) ", in: rect, row: row, x: x, role: role)
            }
            row += 1
            label("Title", .title)
            drawField(&p, c.title, in: rect, row: row, x: labelW + 1, role: c.field == .title ? .uiInput : .uiText)
            if c.field != .title { p.text(String(repeating: " ", count: 1), in: rect, row: row, x: labelW + 1 + DisplayWidth.of(c.title.text), role: .uiText) }
            row += 1
            label("Tags", .tags)
            if c.field == .tags || !c.tags.isEmpty {
                drawField(&p, c.tags, in: rect, row: row, x: labelW + 1, role: c.field == .tags ? .uiInput : .uiText)
            } else {
                p.text("words, separated by spaces or commas", in: rect, row: row, x: labelW + 1, role: .uiTextDim)
            }
            row += 1
        }
        p.text(String(repeating: "─", count: rect.width), in: rect, row: row, x: 0, role: .uiBorder)
        row += 1
        let bodyRect = Rect(x: rect.x, y: rect.y + row, width: rect.width, height: rect.height - row)
        drawBody(&p, c.body, in: bodyRect, focused: c.field == .body)
    }

    /// The composer body: logical lines cut at the width (no word wrap, so the cursor maps
    /// one-to-one), scrolled to keep the cursor in view, behind the same gutter as posts.
    static func drawBody(_ p: inout Painter, _ field: TextField, in rect: Rect, focused: Bool) {
        let width = max(4, rect.width - 4)
        var rows: [[(Character, Int)]] = [[]]   // (character, index in the text)
        var w = 0
        var cursorRow = 0
        for (i, ch) in field.chars.enumerated() {
            if i == field.cursor { cursorRow = rows.count - 1 }
            if ch == "\n" {
                rows[rows.count - 1].append((" ", i))
                rows.append([])
                w = 0
                continue
            }
            let shown = shownCharacter(ch)
            let cw = DisplayWidth.of(shown)
            if w + cw > width { rows.append([]); w = 0 }
            rows[rows.count - 1].append((shown, i))
            w += cw
        }
        if field.cursor == field.chars.count {
            if w + 1 > width { rows.append([]) }
            rows[rows.count - 1].append((" ", field.chars.count))
            cursorRow = rows.count - 1
        }
        let scroll = max(0, cursorRow - rect.height + 1)
        for row in 0..<rect.height {
            let r = scroll + row
            p.text("│", in: rect, row: row, x: 1, role: .postGutter)
            guard r < rows.count else { continue }
            var x = 3
            for (ch, i) in rows[r] {
                x += p.text(String(ch), in: rect, row: row, x: x, role: focused && i == field.cursor ? .uiCursor : .postBody)
            }
        }
        if field.isEmpty && !focused {
            p.text("(write here: Tab to this field)", in: rect, row: 0, x: 4, role: .uiTextDim)
        }
    }

    // MARK: Full screens

    static func centeredBlock(_ p: inout Painter, _ rect: Rect, _ lines: [(String, Role)]) {
        let top = max(0, (rect.height - lines.count) / 2)
        let blockW = min(rect.width - 2, max(40, lines.map { DisplayWidth.of($0.0) }.max() ?? 0))
        let x = max(1, (rect.width - blockW) / 2)
        for (i, (text, role)) in lines.enumerated() {
            p.text(text, in: rect, row: top + i, x: x, role: role)
        }
    }

    static func drawWelcome(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        if let form = state.newProgram {
            let top = max(0, rect.height / 2 - 4)
            let x = max(1, (rect.width - 60) / 2)
            p.text("Start a new program", in: rect, row: top, x: x, role: .uiTitle)
            p.text("You become its leader; add peers later with 'agora peer add LOGIN'.", in: rect, row: top + 1, x: x, role: .uiTextDim)
            p.text("Name", in: rect, row: top + 3, x: x, role: form.onPurpose ? .uiTextDim : .uiTextBold)
            drawField(&p, form.name, in: Rect(x: 0, y: rect.y, width: min(rect.width, x + 70), height: rect.height), row: top + 3, x: x + 9, role: form.onPurpose ? .uiText : .uiInput)
            p.text("Purpose", in: rect, row: top + 4, x: x, role: form.onPurpose ? .uiTextBold : .uiTextDim)
            drawField(&p, form.purpose, in: Rect(x: 0, y: rect.y, width: min(rect.width, x + 70), height: rect.height), row: top + 4, x: x + 9, role: form.onPurpose ? .uiInput : .uiText)
            return
        }
        centeredBlock(&p, rect, [
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

    static func drawNonMember(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        let program = Sanitizer.line(state.program?.name ?? "this program")
        let leaders = state.snapshot.peers.filter { $0.role == .leader && !$0.isAlumni }
            .map { ReaderLayout.authorLabel($0.login, $0) }
        let who = leaders.isEmpty ? "The program leader" : leaders.joined(separator: ", ")
        let login = Sanitizer.line(state.login)
        centeredBlock(&p, rect, [
            (program, .uiTitle),
            ("", .uiText),
            ("You (\(login)) are not a member of this program yet.", .uiText),
            ("\(who) \(leaders.count > 1 ? "lead" : "leads") it; ask them to run:", .uiText),
            ("", .uiText),
            ("    agora peer add \(login)", .uiTextBold),
            ("", .uiText),
            ("q  quit", .uiTextDim),
        ])
    }

    static func rulesLines(_ state: AppState, width: Int) -> [String] {
        guard let program = state.program else { return [] }
        var lines = DisplayWidth.wrap(Sanitizer.text(program.rulesText), width: max(10, width - 6))
        if !program.expectedReturn.isEmpty {
            lines += [""] + DisplayWidth.wrap("What you can expect in return: " + Sanitizer.text(program.expectedReturn), width: max(10, width - 6))
        }
        return lines
    }

    /// The rules text's rows: the whole screen but the title lines and the footer.
    static func rulesArea(_ size: Size) -> Rect {
        Rect(x: 0, y: 3, width: size.width, height: max(0, size.height - 1 - 3))
    }

    static func drawRules(_ p: inout Painter, _ state: AppState, _ rect: Rect) {
        guard let program = state.program else { return }
        p.text("\(Sanitizer.line(program.name)): rules of engagement (version \(program.rulesVersion))", in: rect, row: 0, x: 1, role: .uiTitle)
        p.text("The rules changed since you last accepted them. Please read them.", in: rect, row: 1, x: 1, role: .uiTextDim)
        let lines = rulesLines(state, width: rect.width)
        let area = rulesArea(state.size)
        let scroll = min(state.helpScroll, max(0, lines.count - area.height))
        for row in 0..<area.height where scroll + row < lines.count {
            p.text("│", in: area, row: row, x: 1, role: .postGutter)
            p.text(lines[scroll + row], in: area, row: row, x: 3, role: .postBody)
        }
    }
}
