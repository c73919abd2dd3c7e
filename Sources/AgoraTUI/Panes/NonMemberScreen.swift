import AgoraCore
import AgoraScreen

/// A program exists and I am not in it: who can add me, and `q`.
enum NonMemberScreen: Controller {
    static let context = KeyContext.nonMember

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        KeyBindings.command(for: key, in: .nonMember) == .back ? [.quit] : []
    }

    static func draw(_ p: inout Painter, _ rect: Rect, program: Program?, peers: [Peer], login: String) {
        let name = Sanitizer.line(program?.name ?? "this program")
        let leaders = peers.filter { $0.role == .leader && !$0.isAlumni }.map { ReaderLayout.authorLabel($0.login, $0) }
        let who = leaders.isEmpty ? "The program leader" : leaders.joined(separator: ", ")
        let login = Sanitizer.line(login)
        p.centeredBlock(rect, [
            (name, .uiTitle),
            ("", .uiText),
            ("You (\(login)) are not a member of this program yet.", .uiText),
            ("\(who) \(leaders.count > 1 ? "lead" : "leads") it; ask them to run:", .uiText),
            ("", .uiText),
            ("    agora peer add \(login)", .uiTextBold),
            ("", .uiText),
            ("q  quit", .uiTextDim),
        ])
    }
}
