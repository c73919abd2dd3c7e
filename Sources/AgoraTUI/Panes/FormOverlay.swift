import Foundation
import AgoraCore
import AgoraScreen

/// The leader's forms over the panes: a new peer, a new template, the queue thresholds. Labelled one-line fields;
/// Tab (or Enter) moves on, Ctrl-X saves, Esc leaves everything as it was. What is typed is checked by the same Core
/// rules the CLI uses before anything goes to the store, and the store checks again.
public struct FormState: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable { case addPeer, addTemplate, settings }
    public var purpose: Purpose
    public var fields: [TextField]
    public var focus = 0
    /// Sent and waiting for the store.
    public var saving = false

    init(_ purpose: Purpose, values: [String] = []) {
        self.purpose = purpose
        let n = Self.rows(purpose).count
        fields = (0..<n).map { TextField($0 < values.count ? values[$0] : "") }
    }

    /// Each field's label and the hint shown while it is empty.
    static func rows(_ purpose: Purpose) -> [(label: String, hint: String)] {
        switch purpose {
        case .addPeer:
            [("Login", "their Unix login on this host"), ("Name", "as the program shows it"),
             ("Role", "peer, champion or leader (default peer)"), ("Unit", "business unit"), ("Region", "where they work")]
        case .addTemplate:
            [("Name", "what peers pick it by"), ("Sections", "the headings the opening post answers, separated by commas"),
             ("Follow-up", "days until it comes back to the queue (empty: none)")]
        case .settings:
            ProgramSettings.ranges.map { ($0.field.prefix(1).uppercased() + $0.field.dropFirst(), "\($0.unit), \($0.range.lowerBound) to \($0.range.upperBound)") }
        }
    }

    var title: String {
        switch purpose {
        case .addPeer: "Add a peer"
        case .addTemplate: "New template"
        case .settings: "Queue thresholds"
        }
    }

    var note: String {
        switch purpose {
        case .addPeer: "They join as a newcomer: the queue asks the champions to welcome them."
        case .addTemplate: "A structured dialogue: the composer starts from its sections (T in Topics)."
        case .settings: "When items enter the champion queue, and how long a claim holds."
        }
    }

    func text(_ i: Int) -> String { fields[i].text.trimmingCharacters(in: .whitespaces) }
}

enum FormOverlay: Controller {
    static let context = KeyContext.form

    static func open(_ state: inout AppState, _ purpose: FormState.Purpose, values: [String] = []) {
        state.form = FormState(purpose, values: values)
        state.overlay = .form
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var form = state.form else { state.overlay = nil; return [] }
        switch KeyBindings.command(for: key, in: .form) {
        case .send:
            guard !form.saving else { return [] }
            guard let effect = submit(&state, form) else { return [] }
            form.saving = true
            state.form = form
            return [effect]
        case .cancel:
            state.form = nil
            state.overlay = nil
            TUI.setStatus(&state, "nothing saved")
        case .nextField, .prevField:
            let step = KeyBindings.command(for: key, in: .form) == .nextField ? 1 : form.fields.count - 1
            form.focus = (form.focus + step) % form.fields.count
            state.form = form
        default:
            if key == .enter {
                form.focus = min(form.fields.count - 1, form.focus + 1)
            } else {
                _ = form.fields[form.focus].handle(key)
            }
            state.form = form
        }
        return []
    }

    /// The store's work for the form, or nil with the first problem on the status line.
    static func submit(_ state: inout AppState, _ form: FormState) -> Effect? {
        do {
            switch form.purpose {
            case .addPeer:
                let role = form.text(2).isEmpty ? PeerRole.peer : try PeerCSV.role(form.text(2))
                let peer = try Peer(login: form.text(0), name: form.text(1), unit: form.text(3), region: form.text(4),
                                    role: role, joined: state.now).validated()
                return .addPeer(peer)
            case .addTemplate:
                let sections = form.text(1).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                var days: Int?
                if !form.text(2).isEmpty {
                    guard let d = Int(form.text(2)) else { throw AgoraError.invalid("the follow-up is a number of days, not '\(Sanitizer.line(form.text(2)))'") }
                    days = d
                }
                return .saveTemplate(try TopicTemplate.validated(name: form.text(0), sections: sections, followUpDays: days))
            case .settings:
                var values: [Int] = []
                for (i, r) in ProgramSettings.ranges.enumerated() {
                    guard let v = Int(form.text(i)) else { throw AgoraError.invalid("\(r.field) is a number of \(r.unit), not '\(Sanitizer.line(form.text(i)))'") }
                    values.append(v)
                }
                return .updateSettings(try ProgramSettings(unansweredHours: values[0], welcomeHours: values[1], stalledDays: values[2],
                                                           claimMinutes: values[3]).validated())
            }
        } catch {
            TUI.setStatus(&state, "\(error)", error: true)
            return nil
        }
    }

    /// The store took it: the form closes.
    static func saved(_ state: inout AppState) {
        guard state.form != nil else { return }
        state.form = nil
        if state.overlay == .form { state.overlay = nil }
    }
}

// MARK: - Drawing

extension FormState {
    func draw(_ p: inout Painter, _ rect: Rect) {
        p.text(title, in: rect, row: 0, x: 1, role: .uiTitle)
        p.text(DisplayWidth.truncate(note, to: max(0, rect.width - 2)), in: rect, row: 1, x: 1, role: .uiTextDim)
        let rows = Self.rows(purpose)
        let labelW = min(18, rows.map { DisplayWidth.of($0.label) }.max() ?? 8) + 2
        for (i, r) in rows.enumerated() {
            let row = 3 + i * 2
            guard row < rect.height else { break }
            p.text(r.label, in: rect, row: row, x: 1, role: focus == i ? .uiTextBold : .uiTextDim, width: labelW - 1)
            if fields[i].isEmpty && focus != i {
                p.text(DisplayWidth.truncate(r.hint, to: max(0, rect.width - labelW - 2)), in: rect, row: row, x: labelW + 1, role: .uiTextDim)
            } else {
                p.field(fields[i], in: rect, row: row, x: labelW + 1, role: focus == i ? .uiInput : .uiText, focused: focus == i)
            }
        }
    }
}
