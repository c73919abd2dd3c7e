import Foundation
import AgoraCore
import AgoraScreen

/// Pane 3: the champion queue (for champions), or my own open requests (for everyone else).
public struct QueuePane: Equatable, Sendable {
    public var cursor = ListCursor()
    /// Only items of this kind (`f` cycles).
    public var kind: QueueKind?
    /// The last action, not done yet: `u` undoes it while it is held (`holdSeconds`).
    public var held: HeldAction?

    /// How long a queue action can be undone: it is done only after this (as a mail client's "undo send").
    public static let holdSeconds = 10

    /// Oldest first: the item waiting longest is at the top. An item whose resolve or snooze is held is gone already.
    func rows(_ queue: [QueueRow]) -> [QueueRow] {
        (kind.map { k in queue.filter { $0.kind == k } } ?? queue).filter { !isHidden($0) }
            .sorted { ($0.since, $0.key) < ($1.since, $1.key) }
    }

    /// How many rows `rows` gives, without sorting them (3,935 of them in a big program).
    func count(_ queue: [QueueRow]) -> Int {
        guard kind != nil || held?.hides == true else { return queue.count }
        return queue.lazy.filter { (kind == nil || $0.kind == kind) && !isHidden($0) }.count
    }

    func isHidden(_ row: QueueRow) -> Bool { held.map { $0.hides && $0.key == row.key } ?? false }

    /// Rows of items on screen: the list's rows but the last, which tells more about the selected item.
    static func height(_ size: Size) -> Int { max(1, Layout.listHeight(size) - 1) }
}

/// A queue action waiting out its time for undo.
public struct HeldAction: Equatable, Sendable {
    public var key: String
    /// What the status line said was done ("resolved topic #4").
    public var said: String
    /// The item leaves the queue with it (resolve, snooze, a flag decision; an escalation leaves it there).
    public var hides: Bool
}

extension QueuePane: PaneController {
    static let context = KeyContext.queue

    static func run(_ command: Command, _ state: inout AppState) -> [Effect]? {
        switch command {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            state.queue.cursor.move(command, count: state.queue.count(state.snapshot.queue), height: height(state.size))
        case .filterKind:
            let kinds: [QueueKind?] = [nil] + QueueKind.allCases
            state.queue.kind = kinds[((kinds.firstIndex(of: state.queue.kind) ?? 0) + 1) % kinds.count]
            state.queue.cursor = ListCursor()
            TUI.setStatus(&state, state.queue.kind.map { "showing \($0.label) items; f for the next kind" } ?? "showing every item")
        case .escalate:
            guard let row = state.selectedQueueRow, TUI.allowed(&state, .escalate) else { return [] }
            state.prompt = Prompt(purpose: .escalateNote(key: row.key), field: TextField())
        case .snoozeUntil:
            guard let row = state.selectedQueueRow, TUI.allowed(&state, .snooze) else { return [] }
            state.prompt = Prompt(purpose: .snoozeDate(key: row.key), field: TextField())
        case .open:
            guard let row = state.selectedQueueRow else { return [] }
            if let id = row.topicId {
                if row.kind == .flagged, let post = row.postId {
                    TUI.setStatus(&state, "⚑ flagged: \(Sanitizer.line(row.reason ?? "")) · in the queue x keeps it, X hides it")
                    return ReaderPane.open(&state, topicId: id, from: .queue, at: post)
                }
                return ReaderPane.open(&state, topicId: id, from: .queue)
            }
            if let login = row.login { ProfileOverlay.show(&state, login: login) }
        case .claim:
            guard let row = state.selectedQueueRow else { return [] }
            return claim(&state, row)
        case .welcome:
            guard let row = state.selectedQueueRow else { return [] }
            return welcome(&state, row)
        case .resolve, .hideFlagged:
            guard let row = state.selectedQueueRow else { return [] }
            if row.kind == .flagged, let flagId = Int64(row.key.dropFirst("flag:".count)) {
                guard TUI.allowed(&state, .resolveFlag) else { return [] }
                state.prompt = Prompt(purpose: .flagDecision(flagId: flagId, hide: command == .hideFlagged), field: TextField())
                return []
            }
            guard command == .resolve, let topic = row.topicId else {
                TUI.setStatus(&state, command == .hideFlagged ? "X hides flagged posts; this item is \(row.kind.rawValue)"
                                                              : "x resolves topics and flags; this item is \(row.kind.rawValue)", error: true)
                return []
            }
            guard TUI.allowed(&state, .markResolved) else { return [] }
            return hold(&state, .resolveTopic(topic), key: row.key, said: "resolved topic #\(topic)")
        case .snooze:
            guard let row = state.selectedQueueRow, TUI.allowed(&state, .snooze) else { return [] }
            return hold(&state, .snooze(key: row.key, until: state.now.addingTimeInterval(86400)), key: row.key,
                        said: "snoozed \(row.key) until tomorrow")
        case .undo:
            guard let held = state.queue.held else {
                TUI.setStatus(&state, "nothing to undo: u takes back a resolve, snooze, escalation or flag decision for \(Self.holdSeconds) s")
                return []
            }
            state.queue.held = nil
            TUI.setStatus(&state, "undone: \(held.said)")
            return [.cancelHeld]
        default:
            return nil
        }
        return []
    }

    /// Holds a queue action for `holdSeconds` so that `u` can take it back; the item leaves the list at once.
    static func hold(_ state: inout AppState, _ effect: Effect, key: String, said: String, hides: Bool = true) -> [Effect] {
        state.queue.held = HeldAction(key: key, said: said, hides: hides)
        state.queue.cursor.clamp(count: state.queue.count(state.snapshot.queue))
        TUI.setStatus(&state, "\(said) · u undoes it (\(holdSeconds) s)")
        return [.hold(effect, key: key)]
    }

    /// A held action was done: nothing is left to undo.
    static func heldDone(_ state: inout AppState, key: String) {
        if state.queue.held?.key == key { state.queue.held = nil }
    }

    /// `c` claims the item, or releases my own claim.
    static func claim(_ state: inout AppState, _ row: QueueRow) -> [Effect] {
        if let program = state.program {
            do { try Policy.authorize(state.me, .claim, in: program) } catch {
                TUI.setStatus(&state, "\(error)", error: true)
                return []
            }
        }
        if row.claimedBy == state.login {
            TUI.setStatus(&state, "released \(row.key)")
            return [.release(key: row.key)]
        }
        if let by = row.claimedBy {
            let since = row.claimedAt.map { ", \(RelativeAge.short($0, now: state.now))" } ?? ""
            TUI.setStatus(&state, "already claimed by \(state.displayName(by))\(since)", error: true)
            return []
        }
        TUI.setStatus(&state, "claimed \(row.key); c again releases it")
        return [.claim(key: row.key)]
    }

    /// `w` on a newcomer: a welcome topic to them opens in the composer (its own draft slot, "welcome:LOGIN"); they
    /// are marked welcomed when it is sent (`ComposerPane.posted`), so Esc leaves them waiting for a welcome.
    static func welcome(_ state: inout AppState, _ row: QueueRow) -> [Effect] {
        guard row.kind == .newcomer, let login = row.login else {
            TUI.setStatus(&state, "w welcomes newcomers; this item is \(row.kind.rawValue)", error: true)
            return []
        }
        guard TUI.allowed(&state, .welcome) else { return [] }
        let name = state.snapshot.peers.first { $0.login == login }?.name ?? login
        var composer = ComposerState()
        composer.scopeOverride = DraftSlot.welcome.scope(login)
        composer.title.setText("Welcome, \(name)!")
        composer.tags.setText("welcome")
        composer.field = .body
        let compose = ComposerPane.start(&state, composer)
        if state.composer != nil && state.status == nil {
            TUI.setStatus(&state, "write \(Sanitizer.line(login)) a welcome; sending marks them welcomed")
        }
        return compose
    }
}

// MARK: - Drawing

extension QueuePane {
    /// `champion`: the whole queue is shown (otherwise only my own requests are in it). `name`: a login as shown.
    func draw(_ p: inout Painter, _ rect: Rect, rows: [QueueRow], champion: Bool, program: Program?, now: Date,
              name: (String) -> String) {
        var title = champion ? "Champion queue (\(rows.count)) · oldest first" : "Your open requests (\(rows.count))"
        if let kind { title += " · \(kind.label) only" }
        p.text(title, in: rect, row: 0, x: 1, role: .uiTitle)
        let claimW = rect.width >= 100 ? 24 : 20
        let titleW = max(8, rect.width - 1 - 4 - 10 - claimW - 4)
        let listRect = Rect(x: rect.x, y: rect.y, width: rect.width, height: max(1, rect.height - 1))
        p.list(listRect, cursor: cursor, count: rows.count, focused: true,
               empty: kind == nil ? "Nothing waits. Thank you." : "No \(kind!.label) items. f shows the next kind.") { p, line, i in
            let r = rows[i]
            var claim = ""
            if let by = r.claimedBy {
                claim = "claimed by \(Sanitizer.line(by))"
                if let at = r.claimedAt { claim += " \(RelativeAge.short(at, now: now))" }
            }
            // A flag's reason first: the topic's title is what the thread says, the reason is why it waits.
            let what = r.reason.map { "⚑ \(Sanitizer.line($0)) — \(Sanitizer.line(r.title))" } ?? Sanitizer.line(r.title)
            // An unclaimed item's title takes the claim column's room too.
            p.columns([
                (RelativeAge.short(r.since, now: now), 4, Self.role(r, program: program, now: now)),
                (r.kind.label, 10, .topicKind),
                (what, claim.isEmpty ? titleW + 1 + claimW : titleW, .uiText),
                (claim, claim.isEmpty ? 0 : claimW, .queueClaimed),
            ], in: line, row: 0, x: 1, rightAligned: [0])
        }
        if rows.indices.contains(cursor.index), rect.height > 2 {
            let r = rows[cursor.index]
            p.text(DisplayWidth.truncate(Self.detail(r, program: program, now: now, name: name), to: rect.width - 2),
                   in: rect, row: rect.height - 1, x: 1, role: .uiTextDim)
        }
    }

    /// The selected item in a line: its key, who it is about, why (a flag's reason), how late it is, and what
    /// champions escalated about it.
    static func detail(_ r: QueueRow, program: Program?, now: Date, name: (String) -> String) -> String {
        var parts = [r.key]
        let since = RelativeAge.short(r.since, now: now)
        switch r.kind {
        case .flagged:
            parts.append("flagged by \(r.who.map(name) ?? "someone") \(since) ago")
            if let reason = r.reason { parts.append("“\(Sanitizer.line(reason))”") }
        case .newcomer:
            parts.append("joined \(since) ago")
        default:
            if let who = r.who { parts.append("by \(name(who))") }
            parts.append("waiting \(since)")
        }
        switch role(r, program: program, now: now) {
        case .queueOverdue: parts.append("overdue")
        case .queueDue: parts.append("due")
        case .queueClaimed: parts.append("claimed by \(r.claimedBy.map(name) ?? "someone")")
        default: parts.append("fresh")
        }
        if !r.escalated.isEmpty { parts.append("escalated: " + r.escalated.map(Sanitizer.line).joined(separator: "; ")) }
        return parts.joined(separator: " · ")
    }

    /// The age's colour: the store's verdict when it gave one, else the program's thresholds.
    static func role(_ row: QueueRow, program: Program?, now: Date) -> Role {
        if row.claimedBy != nil { return .queueClaimed }
        switch row.age {
        case .fresh: return .queueFresh
        case .due: return .queueDue
        case .overdue: return .queueOverdue
        case nil: break
        }
        let hours = now.timeIntervalSince(row.since) / 3600
        let limit: Double
        switch row.kind {
        case .unanswered: limit = Double(program?.unansweredHours ?? 24)
        case .newcomer: limit = Double(program?.welcomeHours ?? 48)
        case .stalled: limit = Double((program?.stalledDays ?? 7) * 24)
        case .flagged: limit = 24
        case .followUp: limit = 0.001   // `since` is when it fell due
        }
        if hours >= limit { return .queueOverdue }
        return hours >= limit / 2 ? .queueDue : .queueFresh
    }
}
