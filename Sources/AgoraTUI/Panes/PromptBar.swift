import Foundation
import AgoraCore
import AgoraScreen

/// A one-line question in the footer row.
public struct Prompt: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case search, tag, peerFilter, topicNumber, findInThread
        /// What made a topic (or one post in it) valuable.
        case highlightWhy(topicId: Int64, postId: Int64?)
        /// Why a post needs a champion's eye.
        case flagWhy(postId: Int64)
        /// A champion settles a flag: keep the post or hide it, with the reason on record.
        case flagDecision(flagId: Int64, hide: Bool)
        /// A champion passes a queue item to the leader, or puts it away until a date.
        case escalateNote(key: String)
        case snoozeDate(key: String)
        /// The leader's work: a CSV file to import, a peer's new role, where the export goes.
        case importPath
        case rolePick(login: String)
        case exportPath
        /// How much the open topic tells me.
        case watchLevel
        /// How much every topic with the tag tells me (`w` in the list filtered by a tag).
        case tagWatchLevel(tag: String)
        /// `d` on my post: y deletes it, anything else keeps it.
        case confirmDelete(postId: Int64, topicId: Int64)
    }
    public var purpose: Purpose
    public var field: TextField
    /// Said after the label, dim: what is in force now and what the keys do ("now: swift · Tab completes").
    public var note = ""

    public var label: String {
        switch purpose {
        case .search: "search: "
        case .tag: note.isEmpty ? "tag: " : "tag (\(note)): "
        case .peerFilter: "filter: "
        case .topicNumber: "open topic #"
        case .findInThread: "find in this thread: "
        case .highlightWhy: "what made it valuable: "
        case .flagWhy: "why flag this post: "
        case .flagDecision(_, let hide): hide ? "hide the post, because: " : "keep the post, because: "
        case .escalateNote: "escalate to the leader, because: "
        case .snoozeDate: "snooze until (+3d, 2026-12-24): "
        case .importPath: note.isEmpty ? "import peers from: " : "import peers (\(note)) from: "
        case .rolePick(let login): "role for \(Sanitizer.line(login)) (\(note)): "
        case .exportPath: "export to (\(note)): "
        case .watchLevel: "this topic: (\(note)) "
        case .tagWatchLevel(let tag): "every topic tagged \(Sanitizer.line(tag)): (\(note)) "
        case .confirmDelete(let post, _): "delete your post #\(post)? it shows as deleted by its author (y/n) "
        }
    }
}

/// The prompt in the footer (`AppState.prompt`). Enter hands the answer to whoever asked.
enum PromptBar: Controller {
    static let context = KeyContext.prompt

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var prompt = state.prompt else { return [] }
        if case .confirmDelete(let post, let topic) = prompt.purpose {
            // One key answers, as mutt's yes/no questions: y deletes, anything else keeps the post.
            state.prompt = nil
            guard key == .char("y") || key == .char("Y") else {
                TUI.setStatus(&state, "not deleted")
                return []
            }
            return [.deletePost(postId: post, topicId: topic)]
        }
        switch KeyBindings.command(for: key, in: .prompt) {
        case .accept:
            state.prompt = nil
            return accept(&state, prompt.purpose, prompt.field.text.trimmingCharacters(in: .whitespaces))
        case .cancel:
            state.prompt = nil
            if prompt.purpose == .peerFilter { PeersPane.setFilter(&state, "", fromTop: false) }
        case .nextField where prompt.purpose == .tag:
            prompt.field.setText(TopicsPane.completeTag(prompt.field.text, from: state.snapshot.topics))
            state.prompt = prompt
        default:
            _ = prompt.field.handle(key)
            state.prompt = prompt
            // The directory narrows as you type.
            if prompt.purpose == .peerFilter { PeersPane.setFilter(&state, prompt.field.text, fromTop: true) }
        }
        return []
    }

    static func accept(_ state: inout AppState, _ purpose: Prompt.Purpose, _ text: String) -> [Effect] {
        switch purpose {
        case .search:
            return TopicsPane.search(&state, text)
        case .findInThread:
            return ReaderPane.find(&state, text)
        case .tag:
            TopicsPane.filterTag(&state, text)
        case .peerFilter:
            PeersPane.setFilter(&state, text, fromTop: false)
        case .topicNumber:
            guard !text.isEmpty else { return [] }
            let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
            guard let id = Int64(digits), id > 0 else {
                TUI.setStatus(&state, "'\(Sanitizer.line(text))' is not a topic number (the list shows them as #12)", error: true)
                return []
            }
            return ReaderPane.open(&state, topicId: id, from: state.pane)
        case .highlightWhy(let topicId, let postId):
            if let why = requiredText(&state, text, field: "why", ifEmpty: "say in a sentence what made it valuable") {
                return [.highlight(topicId: topicId, postId: postId, why: why)]
            }
        case .flagWhy(let postId):
            if let reason = requiredText(&state, text, field: "reason", ifEmpty: "say why the post needs a champion's eye") {
                return [.flag(postId: postId, reason: reason)]
            }
        case .flagDecision(let flagId, let hide):
            if let reason = requiredText(&state, text, field: "reason",
                                         ifEmpty: "give a reason for the decision; it is kept with the flag") {
                return QueuePane.hold(&state, .resolveFlag(id: flagId, hide: hide, reason: reason), key: "flag:\(flagId)",
                                      said: hide ? "hid the flagged post" : "kept the flagged post")
            }
        case .escalateNote(let key):
            if let note = requiredText(&state, text, field: "note", ifEmpty: "say what the leader should know or decide") {
                return QueuePane.hold(&state, .escalate(key: key, note: note), key: key, said: "escalated \(key) to the leader", hides: false)
            }
        case .importPath:
            guard !text.isEmpty else { return [] }
            return [.importPeers(path: Self.expandingHome(text))]
        case .rolePick(let login):
            guard !text.isEmpty else { return [] }
            do { return [.changeRole(login: login, role: try PeerCSV.role(text))] } catch {
                TUI.setStatus(&state, "\(error)", error: true)
                return []
            }
        case .watchLevel, .tagWatchLevel:
            guard !text.isEmpty else { return [] }
            // A word's start is enough: w, n, m.
            guard let level = WatchLevel.allCases.first(where: { $0.rawValue.hasPrefix(text.lowercased()) }) else {
                TUI.setStatus(&state, "'\(Sanitizer.line(text))' is not a level: watching, normal or muted", error: true)
                return []
            }
            if case .tagWatchLevel(let tag) = purpose { return [.setTagWatch(tag: tag, level: level)] }
            guard let topic = state.reader.current?.thread.topic.id else { return [] }
            return [.setWatch(topicId: topic, level: level)]
        case .confirmDelete:
            return []   // answered by one key in `handle`
        case .exportPath:
            guard !text.isEmpty else { return [] }
            return [.export(path: Self.expandingHome(text))]
        case .snoozeDate(let key):
            guard let until = RelativeAge.parse(text, now: state.now), RelativeAge.isPlannable(until, now: state.now) else {
                TUI.setStatus(&state, "'\(Sanitizer.line(text))' is not a date ahead: +3d, +12h, tomorrow or 2026-12-24", error: true)
                return []
            }
            return QueuePane.hold(&state, .snooze(key: key, until: until), key: key, said: "snoozed \(key) until \(RelativeAge.day(until))")
        }
        return []
    }

    /// `~/x` as the shell would say it; anything else as typed (relative to where agora was started).
    static func expandingHome(_ path: String) -> String {
        path.hasPrefix("~/") ? homeDirectory() + path.dropFirst(1) : path
    }

    /// A sentence the store keeps (a highlight's why, a flag's reason): within limits and not empty, or nil
    /// with the reason on the status line.
    static func requiredText(_ state: inout AppState, _ text: String, field: String, ifEmpty: String) -> String? {
        do {
            let clean = try Limits.shortText(text, field: field)
            if clean.isEmpty { throw AgoraError.invalid(ifEmpty) }
            return clean
        } catch {
            TUI.setStatus(&state, "\(error)", error: true)
            return nil
        }
    }
}

// MARK: - Drawing

extension Prompt {
    /// In the footer row, in place of the hints.
    func draw(_ p: inout Painter, _ rect: Rect) {
        let x = p.text(label, in: rect, row: 0, x: 1, role: .uiFooterKey) + 1
        p.field(field, in: rect, row: 0, x: x, role: .uiInput)
    }
}
