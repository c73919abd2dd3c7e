/// An error a user can act on: what went wrong and how to fix it.
/// The CLI prints it as one line, `agora: error: MESSAGE (HINT)`; the TUI shows it in the status line.
public struct AgoraError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public var exitCode: Int32

    public init(_ message: String, hint: String? = nil, exitCode: Int32 = 1) {
        self.message = message
        self.hint = hint
        self.exitCode = exitCode
    }

    public var description: String {
        guard let hint, !hint.isEmpty else { return message }
        return "\(message) (\(hint))"
    }

    public static func notFound(_ what: String, _ id: String, hint: String? = nil) -> AgoraError {
        AgoraError("no \(what) \(id)", hint: hint, exitCode: 3)
    }

    public static func denied(_ message: String, hint: String? = nil) -> AgoraError {
        AgoraError(message, hint: hint, exitCode: 4)
    }

    public static func invalid(_ message: String, hint: String? = nil) -> AgoraError {
        AgoraError(message, hint: hint, exitCode: 2)
    }
}

extension AgoraError {
    /// A shared host with no program yet: only root starts one.
    public static let noProgramYet = AgoraError("Agora is installed on this host but no program has been started yet",
                                                hint: "ask the administrator to run 'sudo agora init --name NAME --as LEADER-LOGIN'")

    /// A uid without a password-database entry: nobody to act as.
    public static func unknownUser(_ uid: UInt32) -> AgoraError {
        AgoraError("your user id \(uid) has no entry in the password database", hint: "ask the host's administrator")
    }

    /// Someone who is not a member, told who leads and what would add them (the CLI and the daemon say it alike).
    public static func notMember(_ login: String, of program: Program, leaders: [Peer]) -> AgoraError {
        let names = leaders.map { "\(Sanitizer.line($0.name)) (\($0.login))" }
        let who = names.isEmpty ? "the program leader" : names.joined(separator: ", ")
        return .denied("you (\(login)) are not a member of \(Sanitizer.line(program.name)); it is led by \(who)",
                       hint: "to join, ask them to run 'agora peer add \(login) --name \"YOUR NAME\"'")
    }
}
