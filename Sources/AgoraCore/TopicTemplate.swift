import Foundation

/// A shape for dialogues that need structure: the sections the opening post should answer and, for
/// those that must come back, how many days until the follow-up puts the topic in the champion queue.
public struct TopicTemplate: Codable, Equatable, Sendable {
    public var name: String
    public var sections: [String]
    public var followUpDays: Int?

    public init(name: String, sections: [String], followUpDays: Int? = nil) {
        self.name = name
        self.sections = sections
        self.followUpDays = followUpDays
    }

    /// The opening post to fill in: one heading per section, a blank line under each.
    public var skeleton: String {
        sections.map { "\($0):\n\n" }.joined()
    }

    public static let builtIn: [TopicTemplate] = [
        TopicTemplate(name: "problem-solving circle",
                      sections: ["Context", "What was tried", "The ask", "Follow-up date"], followUpDays: 14),
        TopicTemplate(name: "mentoring agreement",
                      sections: ["Goals", "Cadence", "Review date"], followUpDays: 42),
    ]

    public static func validated(name: String, sections: [String], followUpDays: Int?) throws -> TopicTemplate {
        let name = try Limits.name(name, field: "template name")
        let sections = try sections.map { try Limits.name($0, field: "section") }
        guard !sections.isEmpty else { throw AgoraError.invalid("a template needs at least one section", hint: "give --section, repeated") }
        if let d = followUpDays, !(1...365).contains(d) {
            throw AgoraError.invalid("a follow-up is 1 to 365 days away, not \(d)")
        }
        return TopicTemplate(name: name, sections: sections, followUpDays: followUpDays)
    }
}
