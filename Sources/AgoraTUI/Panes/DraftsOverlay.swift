import Foundation
import AgoraCore
import AgoraScreen

/// `D`: the drafts I have kept (a new topic, replies, welcomes, requests to someone), newest first: Enter writes on, `x` discards.
public struct DraftsOverlay: Equatable, Sendable {
    public var cursor = ListCursor()
    /// Nil until the store answers.
    public var drafts: [Draft]?

    /// What a draft's slot is for, parsed back from its scope ("new", "topic:12", "topic:12/post:340", "welcome:zoe",
    /// "ask:zoe").
    enum Slot: Equatable {
        case newTopic
        case reply(topic: Int64, parent: Int64?)
        case welcome(login: String)
        case ask(login: String)
        case template(name: String)
        case edit(topic: Int64, post: Int64)
    }

    static func slot(_ scope: String) -> Slot? {
        if scope == Draft.scope(topic: nil, parent: nil) { return .newTopic }
        if let login = DraftSlot.welcome.name(inScope: scope) { return .welcome(login: login) }
        if let login = DraftSlot.ask.name(inScope: scope) { return .ask(login: login) }
        if let name = DraftSlot.template.name(inScope: scope) { return .template(name: name) }
        if let ids = DraftSlot.edit.name(inScope: scope) {
            let parts = ids.split(separator: "/").compactMap { Int64($0) }
            return parts.count == 2 ? .edit(topic: parts[0], post: parts[1]) : nil
        }
        let parts = scope.split(separator: "/")
        guard let first = parts.first, first.hasPrefix("topic:"), let topic = Int64(first.dropFirst("topic:".count)) else { return nil }
        guard parts.count == 2 else { return parts.count == 1 ? .reply(topic: topic, parent: nil) : nil }
        guard parts[1].hasPrefix("post:"), let parent = Int64(parts[1].dropFirst("post:".count)) else { return nil }
        return .reply(topic: topic, parent: parent)
    }

    static func describe(_ draft: Draft, titles: (Int64) -> String?) -> String {
        switch slot(draft.scope) {
        case .newTopic: return "new topic"
        case .reply(let topic, let parent):
            let title = titles(topic).map { " “\(Sanitizer.line($0))”" } ?? ""
            return parent == nil ? "reply to #\(topic)\(title)" : "reply in #\(topic)\(title)"
        case .welcome(let login): return "welcome to \(Sanitizer.line(login))"
        case .ask(let login): return "request to \(Sanitizer.line(login))"
        case .template(let name): return "new topic from template \(Sanitizer.line(name))"
        case .edit(let topic, let post): return "edit of your post #\(post) in #\(topic)"
        case nil: return Sanitizer.line(draft.scope)
        }
    }
}

extension DraftsOverlay: Controller {
    static let context = KeyContext.drafts

    static func show(_ state: inout AppState) -> [Effect] {
        state.drafts = DraftsOverlay()
        state.overlay = .drafts
        return [.loadDrafts]
    }

    static func loaded(_ state: inout AppState, _ drafts: [Draft]) {
        guard state.overlay == .drafts else { return }
        state.drafts.drafts = drafts.sorted { $0.saved > $1.saved }
        state.drafts.cursor.fit(count: drafts.count, height: Layout.listHeight(state.size))
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        let rows = state.drafts.drafts ?? []
        let command = KeyBindings.command(for: key, in: .drafts)
        switch command {
        case .back:
            state.overlay = nil
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            state.drafts.cursor.move(command!, count: rows.count, height: Layout.listHeight(state.size))
        case .open:
            guard rows.indices.contains(state.drafts.cursor.index) else { return [] }
            return resume(&state, rows[state.drafts.cursor.index])
        case .discard:
            guard rows.indices.contains(state.drafts.cursor.index) else { return [] }
            let draft = rows[state.drafts.cursor.index]
            state.drafts.drafts?.remove(at: state.drafts.cursor.index)
            state.drafts.cursor.fit(count: rows.count - 1, height: Layout.listHeight(state.size))
            TUI.setStatus(&state, "discarded the draft: \(describe(draft) { _ in nil })")
            return [.deleteDraft(scope: draft.scope)]
        default:
            break
        }
        return []
    }

    /// Enter: the composer for the draft's slot, which loads the draft as it would on its own.
    static func resume(_ state: inout AppState, _ draft: Draft) -> [Effect] {
        state.overlay = nil
        func title(_ topic: Int64) -> String {
            state.snapshot.topics.first { $0.id == topic }.map { Sanitizer.line($0.topic.title) } ?? "topic #\(topic)"
        }
        switch slot(draft.scope) {
        case .newTopic:
            return ComposerPane.start(&state, ComposerState())
        case .reply(let topic, let parent):
            return ComposerPane.start(&state, ComposerState(topicId: topic, parentId: parent, context: "Re: \(title(topic))"))
        case .welcome, .ask:
            var composer = ComposerState()
            composer.scopeOverride = draft.scope
            return ComposerPane.start(&state, composer)
        case .template(let name):
            // Its follow-up again from the template, as when it was started (known once `T` has listed them).
            var composer = ComposerState()
            composer.scopeOverride = draft.scope
            composer.template = name
            let days = state.templates.templates?.first { $0.name == name }?.followUpDays
            composer.followUp = days.map { state.now.addingTimeInterval(Double($0) * 86400) }
            return ComposerPane.start(&state, composer)
        case .edit(let topic, let post):
            // The text to edit is the draft's: the composer opens empty and the draft fills it.
            return ComposerPane.start(&state, .edit(topic: topic, post: post, title: title(topic), text: nil))
        case nil:
            TUI.setStatus(&state, "this draft's slot is unknown to this version of agora; x discards it", error: true)
            state.overlay = .drafts
            return []
        }
    }
}

// MARK: - Drawing

extension DraftsOverlay {
    func draw(_ p: inout Painter, _ rect: Rect, topics: [TopicRow], now: Date) {
        guard let drafts else {
            p.text("Your drafts", in: rect, row: 0, x: 1, role: .uiTitle)
            p.text("Loading…", in: rect, row: 1, x: 2, role: .uiTextDim)
            return
        }
        p.text("Your drafts (\(drafts.count)) · newest first", in: rect, row: 0, x: 1, role: .uiTitle)
        let titles = Dictionary(topics.map { ($0.id, $0.topic.title) }) { a, _ in a }
        let whatW = max(12, min(44, rect.width / 2))
        p.list(rect, cursor: cursor, count: drafts.count, focused: true, empty: "No drafts. What you leave unsent is kept here.") { p, line, i in
            let d = drafts[i]
            let text = d.title.isEmpty ? d.body : d.title
            let firstLine = Sanitizer.line(String(text.split(separator: "\n").first ?? ""))
            p.columns([
                (RelativeAge.short(d.saved, now: now), 4, .topicMeta),
                (Self.describe(d) { titles[$0] }, whatW, .topicKind),
                (firstLine, max(4, line.width - 2 - 4 - 1 - whatW - 1), .uiText),
            ], in: line, row: 0, x: 1, rightAligned: [0])
        }
    }
}
