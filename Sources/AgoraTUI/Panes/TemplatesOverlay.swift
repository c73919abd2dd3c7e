import Foundation
import AgoraCore
import AgoraScreen

/// `T` in the topic list: the program's templates for dialogues that need structure. Enter starts a topic from one
/// (its sections in the body, its follow-up date set); the leader's `a` adds one.
public struct TemplatesOverlay: Equatable, Sendable {
    public var cursor = ListCursor()
    /// Nil until the store answers.
    public var templates: [TopicTemplate]?
}

extension TemplatesOverlay: Controller {
    static let context = KeyContext.templates

    static func show(_ state: inout AppState) -> [Effect] {
        state.templates.cursor = ListCursor()
        state.overlay = .templates
        return [.loadTemplates]
    }

    static func loaded(_ state: inout AppState, _ list: [TopicTemplate]) {
        state.templates.templates = list
        state.templates.cursor.fit(count: list.count, height: Layout.listHeight(state.size))
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        let list = state.templates.templates ?? []
        let command = KeyBindings.command(for: key, in: .templates)
        switch command {
        case .back:
            state.overlay = nil
        case .up, .down:
            state.templates.cursor.move(command!, count: list.count, height: Layout.listHeight(state.size))
        case .open:
            guard list.indices.contains(state.templates.cursor.index) else { return [] }
            state.overlay = nil
            return start(&state, list[state.templates.cursor.index])
        case .compose:
            guard TUI.allowed(&state, .changeSettings) else { return [] }
            FormOverlay.open(&state, .addTemplate)
        default:
            break
        }
        return []
    }

    /// A new topic shaped by `t`: one heading per section in the body, the follow-up `followUpDays` from now. It has
    /// a draft slot of its own ("template:NAME"), so the unsent new topic in "new" is never replaced by a skeleton.
    static func start(_ state: inout AppState, _ t: TopicTemplate) -> [Effect] {
        var composer = ComposerState()
        composer.scopeOverride = DraftSlot.template.scope(t.name)
        composer.template = t.name
        composer.followUp = t.followUpDays.map { state.now.addingTimeInterval(Double($0) * 86400) }
        composer.body.setText(t.skeleton)
        return ComposerPane.start(&state, composer)
    }
}

// MARK: - Drawing

extension TemplatesOverlay {
    func draw(_ p: inout Painter, _ rect: Rect, canAdd: Bool) {
        guard let templates else {
            p.text("Loading…", in: rect, row: 1, x: 2, role: .uiTextDim)
            return
        }
        p.text("Templates (\(templates.count)) · Enter starts a topic from one\(canAdd ? ", a adds one" : "")", in: rect, row: 0, x: 1, role: .uiTitle)
        let nameW = min(28, max(22, rect.width / 4))
        p.list(rect, cursor: cursor, count: templates.count, focused: true, empty: "No templates yet.") { p, line, i in
            let t = templates[i]
            let follow = t.followUpDays.map { "follow-up in \($0) d" } ?? "no follow-up"
            p.columns([
                (Sanitizer.line(t.name), nameW, .uiTextBold),
                (t.sections.map(Sanitizer.line).joined(separator: " · "), max(8, line.width - 2 - nameW - 18 - 3), .uiText),
                (follow, 18, .topicMeta),
            ], in: line, row: 0, x: 2, rightAligned: [2])
        }
    }
}
