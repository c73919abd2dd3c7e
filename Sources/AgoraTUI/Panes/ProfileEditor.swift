import Foundation
import AgoraCore
import AgoraScreen

/// `e` on my own profile: what I want to learn, what I offer and a few words about me, edited in place.
public struct ProfileForm: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable { case goals, offers, bio }
    public var goals: TextField
    public var offers: TextField
    public var bio: TextField
    public var field = Field.goals
    /// Sent and waiting for the store.
    public var saving = false

    public init(_ peer: Peer) {
        goals = TextField(peer.goals)
        offers = TextField(peer.offers)
        bio = TextField(peer.bio)
    }

    subscript(_ f: Field) -> TextField {
        get { [goals, offers, bio][f.rawValue] }
        set {
            switch f {
            case .goals: goals = newValue
            case .offers: offers = newValue
            case .bio: bio = newValue
            }
        }
    }
}

enum ProfileEditor: Controller {
    static let context = KeyContext.profileEditor

    /// Opens the form on my own profile; anyone else's is theirs to edit (or the leader's, from the CLI).
    static func start(_ state: inout AppState, login: String) {
        guard let me = state.me, me.login == login else {
            TUI.setStatus(&state, "only \(Sanitizer.line(login)) edits their profile here ('agora profile edit' for the leader)", error: true)
            return
        }
        guard TUI.allowed(&state, .editOwnProfile) else { return }
        state.profileForm = ProfileForm(me)
        state.overlay = .profileEditor
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var form = state.profileForm else { state.overlay = nil; return [] }
        switch KeyBindings.command(for: key, in: .profileEditor) {
        case .send:
            guard !form.saving else { return [] }
            form.saving = true
            state.profileForm = form
            return [.updateProfile(goals: form.goals.text, offers: form.offers.text, bio: form.bio.text)]
        case .cancel:
            state.profileForm = nil
            state.overlay = state.me.map { .profile(login: $0.login) }
            TUI.setStatus(&state, "profile unchanged")
        case .nextField, .prevField:
            let all = ProfileForm.Field.allCases
            let step = KeyBindings.command(for: key, in: .profileEditor) == .nextField ? 1 : all.count - 1
            form.field = all[(form.field.rawValue + step) % all.count]
            state.profileForm = form
        default:
            var field = form[form.field]
            if key == .enter {
                let all = ProfileForm.Field.allCases
                form.field = all[min(all.count - 1, form.field.rawValue + 1)]
            } else if field.handle(key) {
                form[form.field] = field
            }
            state.profileForm = form
        }
        return []
    }

    /// The store took the change (the snapshot that follows shows it): back to the profile.
    static func saved(_ state: inout AppState) {
        guard state.profileForm != nil else { return }
        state.profileForm = nil
        if state.overlay == .profileEditor { state.overlay = state.me.map { .profile(login: $0.login) } }
    }
}

// MARK: - Drawing

extension ProfileForm {
    func draw(_ p: inout Painter, _ rect: Rect) {
        p.text("Your profile", in: rect, row: 0, x: 1, role: .uiTitle)
        p.text("Others find you by these in the directory and in suggested matches.", in: rect, row: 1, x: 1, role: .uiTextDim)
        let rows: [(Field, String, String)] = [
            (.goals, "Wants", "what you want to learn, separated by commas"),
            (.offers, "Offers", "what you can help with, separated by commas"),
            (.bio, "About", "a few words about you"),
        ]
        for (i, (f, label, hint)) in rows.enumerated() {
            let row = 3 + i * 2
            p.text(label, in: rect, row: row, x: 1, role: field == f ? .uiTextBold : .uiTextDim)
            let value = self[f]
            if value.isEmpty && field != f {
                p.text(hint, in: rect, row: row, x: 9, role: .uiTextDim)
            } else {
                p.field(value, in: rect, row: row, x: 9, role: field == f ? .uiInput : .uiText, focused: field == f)
            }
        }
    }
}
