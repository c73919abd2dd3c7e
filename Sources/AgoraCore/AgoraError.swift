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
