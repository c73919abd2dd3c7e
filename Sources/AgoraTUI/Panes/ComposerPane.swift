import Foundation
import AgoraCore
import AgoraScreen

/// The inline editor for a new topic or a reply.
public struct ComposerState: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable {
        case kind, title, tags, body
    }
    /// nil: a new topic; otherwise the topic answered.
    public var topicId: Int64?
    /// The post answered with `R`; nil answers the topic as a whole.
    public var parentId: Int64?
    /// Shown above the body for a reply: "Re: <title>" and who is answered.
    public var context: String
    public var kind: TopicKind = .discussion
    public var title = TextField()
    public var tags = TextField()
    public var body = TextField(multiline: true)
    public var field: Field
    /// Changed since the last draft save: the loop saves it within 2 s of the last keystroke.
    public var dirty = false
    /// Sent and waiting for the store: a second Ctrl-X does nothing.
    public var sending = false
    /// The body's `@logins` that tell nobody, already said once: the next Ctrl-X sends anyway.
    public var unknownMentionsSaid: [String]?
    /// The post answered (`R`), shown above the text; Ctrl-Q puts it in as a quote.
    public var quoted: String?
    /// A draft slot of its own ("welcome:bob"): a welcome topic must not overwrite the unsent new topic in "new".
    public var scopeOverride: String?
    /// A topic started from a template (`T`): its name, and when the follow-up puts it back in the queue.
    public var template: String?
    public var followUp: Date?
    /// `e` on my own post: the post whose text this replaces (the body starts as its text).
    public var editing: Int64?

    public init(topicId: Int64? = nil, parentId: Int64? = nil, context: String = "") {
        self.topicId = topicId
        self.parentId = parentId
        self.context = context
        self.field = topicId == nil ? .title : .body
    }

    public var isReply: Bool { topicId != nil }
    public var scope: String {
        if let editing, let topicId { return DraftSlot.edit.scope("\(topicId)/\(editing)") }
        return scopeOverride ?? Draft.scope(topic: topicId, parent: parentId)
    }

    /// The composer for a new text of my post `post` in topic `topic`, starting from `text` (nil: empty, for the draft
    /// kept for it to fill).
    public static func edit(topic: Int64, post: Int64, title: String, text: String?) -> ComposerState {
        var c = ComposerState(topicId: topic, context: "Editing your post #\(post) in “\(Sanitizer.line(title))”")
        c.editing = post
        if let text { c.body.setText(text) }
        return c
    }
    public var fields: [Field] { isReply ? [.body] : Field.allCases }
    public var isEmpty: Bool { title.isEmpty && tags.isEmpty && body.isEmpty }

    public func draft(login: String, now: Date) -> Draft {
        Draft(login: login, scope: scope, kind: isReply ? nil : kind, title: title.text, tags: tags.text,
              body: body.text, saved: now)
    }

    mutating func restore(_ d: Draft) {
        if let k = d.kind { kind = k }
        title.setText(d.title)
        tags.setText(d.tags)
        body.setText(d.body)
    }
}

/// The composer overlay. Its state is `AppState.composer` (the loop reads it to save drafts).
enum ComposerPane: Controller {
    static let context = KeyContext.composer

    /// Opens the composer if the policy lets me post (or reply), and asks for the draft kept for its slot.
    /// Rules that wait for my acceptance do not keep the composer shut: sending asks for them (`send`).
    static func start(_ state: inout AppState, _ composer: ComposerState) -> [Effect] {
        if let program = state.program {
            var actor = state.me
            let rulesWait = RulesScreen.pending(state)
            if rulesWait { actor?.rulesAckVersion = program.rulesVersion }
            do { try Policy.authorize(actor, composer.isReply ? .reply : .post, in: program) } catch {
                TUI.setStatus(&state, "\(error)", error: true)
                return []
            }
            if rulesWait, let me = state.me { TUI.setStatus(&state, "\(RulesScreen.short(me, program)); Ctrl-X shows them first") }
        }
        state.composer = composer
        state.overlay = .composer
        return [.loadDraft(scope: composer.scope)]
    }

    /// Ctrl-X: the post or reply goes to the store, once what was typed passes the limits and the rules are
    /// accepted (while they wait, they are shown first; accepting there sends).
    static func send(_ state: inout AppState) -> [Effect] {
        guard var c = state.composer, !c.sending else { return [] }
        let unknown = unknownMentions(c.body.text, state)
        if !unknown.isEmpty && c.unknownMentionsSaid != unknown {
            c.unknownMentionsSaid = unknown
            state.composer = c
            TUI.setStatus(&state, unknown.map { "@\($0)" }.joined(separator: ", ") + (unknown.count == 1 ? " is" : " are")
                          + " not in the program: plain text, nobody is told. Ctrl-X again sends")
            return []
        }
        let effect: Effect
        do {
            let body = try Limits.body(c.body.text)
            if let postId = c.editing, let topicId = c.topicId {
                effect = .editPost(postId: postId, topicId: topicId, body: body, scope: c.scope)
            } else if let topicId = c.topicId {
                effect = .reply(topicId: topicId, parentId: c.parentId, body: body, scope: c.scope)
            } else {
                let (title, tags) = (try Limits.title(c.title.text), try Limits.tags([c.tags.text]))
                effect = c.template.map { .postFromTemplate(kind: c.kind, title: title, tags: tags, body: body, scope: c.scope,
                                                            template: $0, followUp: c.followUp) }
                    ?? .post(kind: c.kind, title: title, tags: tags, body: body, scope: c.scope)
            }
        } catch {
            TUI.setStatus(&state, "\(error)", error: true)
            return []
        }
        if RulesScreen.pending(state) {
            RulesScreen.show(&state, .beforeSending)
            return []
        }
        c.sending = true
        state.composer = c
        return [effect]
    }

    /// The draft kept for the open composer's slot comes back, unless something was typed meanwhile (a welcome
    /// composer opens with its title and tags filled in: the draft replaces those).
    static func draftLoaded(_ state: inout AppState, scope: String, _ draft: Draft?) {
        guard let draft, var composer = state.composer, composer.scope == scope, !composer.dirty else { return }
        composer.restore(draft)
        state.composer = composer
        TUI.setStatus(&state, "your draft from \(RelativeAge.long(draft.saved, now: state.now)) is back; Esc keeps it, Ctrl-X sends")
    }

    static func editorFinished(_ state: inout AppState, _ text: String?) {
        guard let text, state.composer != nil else {
            TUI.setStatus(&state, "the editor did not return any text", error: true)
            return
        }
        // Editors end the file with a newline; the post does not need it.
        var body = Substring(text)
        while body.last == "\n" { body = body.dropLast() }
        state.composer?.body.setText(String(body))
        state.composer?.field = .body
        state.composer?.dirty = true
    }


    /// The store took a post: the composer that sent it closes (the store cleared the draft with the post). A
    /// welcome topic, once it is in, marks its newcomer welcomed.
    static func posted(_ state: inout AppState, scope: String) -> [Effect] {
        if state.composer?.scope == scope || state.composer?.topicId == nil { close(&state) }
        return DraftSlot.welcome.name(inScope: scope).map { [.welcome(login: $0)] } ?? []
    }

    /// The store took an edit (`scope`: its draft slot) or a deletion (nil): the composer that sent the edit closes.
    static func revised(_ state: inout AppState, scope: String?) {
        if let scope, state.composer?.scope == scope { close(&state) }
        TUI.setStatus(&state, scope == nil ? "deleted: it shows as deleted by its author; replies stay" : "edited: the earlier text is kept (v shows it)")
    }

    static func close(_ state: inout AppState) {
        state.composer = nil
        if state.overlay == .composer { state.overlay = nil }
    }

    /// The logins in the directory (active members) whose login or name starts with what follows the `@`; one is
    /// put in, several are named on the status line (their common start put in), none is said.
    static func completeMention(_ c: inout ComposerState, _ state: inout AppState) {
        let word = c.body.wordBeforeCursor
        let prefix = String(word.dropFirst()).lowercased()
        let active = state.snapshot.peers.filter { !$0.isAlumni }
        let found = active.filter { $0.login.lowercased().hasPrefix(prefix) || $0.name.lowercased().hasPrefix(prefix) }
            .map(\.login).sorted()
        guard !found.isEmpty else {
            TUI.setStatus(&state, active.isEmpty ? "the directory is not loaded yet: open Peers (2) once" : "nobody in the directory starts with '\(Sanitizer.line(prefix))'", error: true)
            return
        }
        if found.count == 1 {
            c.body.replaceBeforeCursor(word.count, with: "@\(found[0]) ")
        } else {
            var common = found[0]
            for f in found.dropFirst() { while !f.hasPrefix(common) { common.removeLast() } }
            if common.count > prefix.count { c.body.replaceBeforeCursor(word.count, with: "@\(common)") }
            TUI.setStatus(&state, found.prefix(6).map { "@\($0)" }.joined(separator: " ") + (found.count > 6 ? " …" : ""))
        }
        c.dirty = true
    }

    /// The body's mentions that tell nobody: not a login in the directory, or someone who has left.
    static func unknownMentions(_ body: String, _ state: AppState) -> [String] {
        guard !state.snapshot.peers.isEmpty else { return [] }   // the directory not loaded: the store decides alone
        let active = Set(state.snapshot.peers.filter { !$0.isAlumni }.map(\.login))
        return Notify.mentions(in: body).filter { !active.contains($0) }
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        let command = KeyBindings.command(for: key, in: .composer)
        if command == .send { return send(&state) }
        guard var c = state.composer else { state.overlay = nil; return [] }
        defer { if state.overlay == .composer { state.composer = c } }
        switch command {
        case .cancel:
            state.overlay = nil
            state.composer = nil
            if c.isEmpty { return [.deleteDraft(scope: c.scope)] }
            TUI.setStatus(&state, "draft kept; it comes back when you write here again")
            return [.saveDraft(c.draft(login: state.login, now: state.now))]
        case .editor:
            return [.runEditor(c.body.text)]
        case .quote:
            guard let quoted = c.quoted, c.field == .body else {
                TUI.setStatus(&state, "Ctrl-Q quotes the post you answer (R on a post in the reader)")
                return []
            }
            let lines = Sanitizer.text(quoted).split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
            let text = lines.joined(separator: "\n") + "\n\n"
            for ch in text { c.body.insert(ch) }
            c.dirty = true
            return []
        case .nextField where c.field == .body && c.body.wordBeforeCursor.hasPrefix("@"):
            // `@` and the start of a login or name: Tab completes it from the directory.
            completeMention(&c, &state)
            return []
        case .nextField, .prevField:
            let fields = c.fields
            let i = fields.firstIndex(of: c.field) ?? 0
            c.field = fields[(i + (command == .nextField ? 1 : fields.count - 1)) % fields.count]
            return []
        case .kindNext, .kindPrevious:
            // Only the kind field cycles; in the text fields the same keys move the cursor.
            guard c.field == .kind else { break }
            let kinds = TopicKind.allCases
            let i = kinds.firstIndex(of: c.kind)!
            c.kind = kinds[(i + (command == .kindNext ? 1 : kinds.count - 1)) % kinds.count]
            c.dirty = true
            return []
        default:
            break
        }
        var changed = false
        switch c.field {
        case .kind:
            // Typing the first letter of a kind picks it.
            if case .char(let ch) = key, let k = TopicKind.allCases.first(where: { $0.rawValue.first == Character(ch.lowercased()) }) {
                c.kind = k
                changed = true
            }
        case .title:
            if key == .enter { c.field = .tags } else { changed = c.title.handle(key) }
        case .tags:
            if key == .enter { c.field = .body } else { changed = c.tags.handle(key) }
        case .body:
            changed = c.body.handle(key)
        }
        if changed { c.dirty = true }
        return []
    }
}

/// A new topic's draft slot of its own, so it never overwrites the unsent topic in "new": a prefix and a name, and
/// back ("welcome:bob" welcomes bob, "ask:zoe" asks zoe, "template:retro" starts from the retro template).
struct DraftSlot {
    let prefix: String
    static let welcome = DraftSlot(prefix: "welcome:")
    static let ask = DraftSlot(prefix: "ask:")
    static let template = DraftSlot(prefix: "template:")
    /// "edit:12/340": a new text for post 340 in topic 12.
    static let edit = DraftSlot(prefix: "edit:")

    func scope(_ name: String) -> String { prefix + name }
    func name(inScope scope: String) -> String? { scope.hasPrefix(prefix) ? String(scope.dropFirst(prefix.count)) : nil }
}

// MARK: - Drawing

extension ComposerState {
    func draw(_ p: inout Painter, _ rect: Rect) {
        var row = 0
        var heading = isReply ? context : "New topic"
        if let template {
            heading += " · template: \(Sanitizer.line(template))"
            if let followUp { heading += " · follow-up \(RelativeAge.day(followUp))" }
        }
        p.text(DisplayWidth.truncate(heading, to: max(0, rect.width - 2)), in: rect, row: row, x: 1, role: .uiTitle)
        row += 1
        let labelW = 7
        func label(_ text: String, _ f: Field) {
            p.text(text, in: rect, row: row, x: 1, role: field == f ? .uiTextBold : .uiTextDim)
        }
        if !isReply {
            label("Kind", .kind)
            var x = labelW + 1
            for k in TopicKind.allCases {
                let chosen = k == kind
                let role: Role = chosen ? (field == .kind ? .uiCursor : .uiSelectionUnfocused) : .uiTextDim
                x += p.text(chosen ? "[\(k.rawValue)]" : " \(k.rawValue) ", in: rect, row: row, x: x, role: role)
            }
            row += 1
            label("Title", .title)
            p.field(title, in: rect, row: row, x: labelW + 1, role: field == .title ? .uiInput : .uiText, focused: field == .title)
            row += 1
            label("Tags", .tags)
            if field == .tags || !tags.isEmpty {
                p.field(tags, in: rect, row: row, x: labelW + 1, role: field == .tags ? .uiInput : .uiText, focused: field == .tags)
            } else {
                p.text("words, separated by spaces or commas", in: rect, row: row, x: labelW + 1, role: .uiTextDim)
            }
            row += 1
        }
        if let quoted, isReply {
            // What is answered, dim, a few lines: the text field stays the larger part.
            let lines = Sanitizer.text(quoted).split(separator: "\n", omittingEmptySubsequences: false).flatMap {
                DisplayWidth.wrap(String($0), width: max(8, rect.width - 4))
            }
            for l in lines.prefix(3) {
                p.text("> " + l, in: rect, row: row, x: 1, role: .postQuote)
                row += 1
            }
            if lines.count > 3 { p.text("> …  (Ctrl-Q quotes it)", in: rect, row: row, x: 1, role: .uiTextDim); row += 1 }
            else { p.right("Ctrl-Q quotes it", in: rect, row: row - 1, role: .uiTextDim) }
        }
        p.text(String(repeating: "─", count: rect.width), in: rect, row: row, x: 0, role: .uiBorder)
        row += 1
        let bodyRect = Rect(x: rect.x, y: rect.y + row, width: rect.width, height: rect.height - row)
        p.textBody(body, in: bodyRect, focused: field == .body)
    }
}
