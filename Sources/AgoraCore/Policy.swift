/// Everything a person can try to do. The store and the interfaces ask `Policy`; they never decide themselves.
public enum Action: String, CaseIterable, Sendable {
    case read
    case post
    case reply
    case editOwnProfile
    case flag
    case highlight
    case writeTestimonial
    case acknowledgeRules
    // champions
    case viewQueue
    case claim
    case welcome
    case resolveFlag
    case markResolved
    case snooze
    case escalate
    case editTemplates
    // leader
    case managePeers
    case setRules
    case changeSettings
    case viewReport
    case readDeletedPosts

    /// The least role that may take this action.
    public var minimumRole: PeerRole {
        switch self {
        case .read, .post, .reply, .editOwnProfile, .flag, .highlight, .writeTestimonial, .acknowledgeRules:
            return .peer
        case .viewQueue, .claim, .welcome, .resolveFlag, .markResolved, .snooze, .escalate, .editTemplates:
            return .champion
        case .managePeers, .setRules, .changeSettings, .viewReport, .readDeletedPosts:
            return .leader
        }
    }

    /// Actions that add words to the program: they need the current rules acknowledged.
    public var needsRulesAcknowledged: Bool {
        switch self {
        case .post, .reply, .flag, .highlight, .writeTestimonial: return true
        default: return false
        }
    }

    var phrase: String {
        switch self {
        case .read: "read the program"
        case .post: "start a topic"
        case .reply: "reply"
        case .editOwnProfile: "edit your profile"
        case .flag: "flag a post"
        case .highlight: "highlight a discussion"
        case .writeTestimonial: "write a testimonial"
        case .acknowledgeRules: "acknowledge the rules"
        case .viewQueue: "see the champion queue"
        case .claim: "claim queue items"
        case .welcome: "welcome newcomers"
        case .resolveFlag: "resolve flags"
        case .markResolved: "mark topics resolved"
        case .snooze: "snooze queue items"
        case .escalate: "escalate queue items to the leader"
        case .editTemplates: "edit templates"
        case .managePeers: "manage peers"
        case .setRules: "set the rules of engagement"
        case .changeSettings: "change program settings"
        case .viewReport: "see the leader's report"
        case .readDeletedPosts: "read what a deleted post said"
        }
    }
}

public enum Policy {
    /// Whether `actor` (nil: not a member) may take `action` in `program`.
    /// Throws an `AgoraError` that says why not and what to do about it.
    public static func authorize(_ actor: Peer?, _ action: Action, in program: Program) throws {
        guard let actor else {
            throw AgoraError.denied("you are not a member of \(program.name)",
                                    hint: "ask the program leader to run 'agora peer add YOUR-LOGIN'")
        }
        if actor.isAlumni {
            if action == .read { return }
            throw AgoraError.denied("\(actor.login) has left the program (alumni can read, not \(action.phrase))",
                                    hint: "ask the program leader to run 'agora peer rejoin \(actor.login)'")
        }
        if actor.role < action.minimumRole {
            throw AgoraError.denied("only a \(action.minimumRole.rawValue) can \(action.phrase); \(actor.login) is a \(actor.role.rawValue)")
        }
        if action.needsRulesAcknowledged && mustAcknowledgeRules(actor, program) {
            throw AgoraError.denied("\(rulesPending(actor, program)); accept them before you \(action.phrase)",
                                    hint: "read them with 'agora rules show', accept with 'agora rules ack'")
        }
    }

    public static func allows(_ actor: Peer?, _ action: Action, in program: Program) -> Bool {
        (try? authorize(actor, action, in: program)) != nil
    }

    /// Why the rules wait for `peer`, in a few words: they changed since the peer accepted them, or the peer never did.
    public static func rulesPending(_ peer: Peer, _ program: Program) -> String {
        peer.rulesAckVersion == 0 ? "you have not accepted the rules of engagement yet (version \(program.rulesVersion))"
                                  : "the rules of engagement changed (version \(program.rulesVersion))"
    }

    /// A program whose rules were never set (version 0) asks for nothing.
    public static func mustAcknowledgeRules(_ peer: Peer, _ program: Program) -> Bool {
        program.rulesVersion > 0 && peer.rulesAckVersion < program.rulesVersion
    }

    /// A peer may edit their own profile; the leader anyone's.
    public static func authorizeProfileEdit(_ actor: Peer?, target: String, in program: Program) throws {
        if let actor, actor.login == target {
            try authorize(actor, .editOwnProfile, in: program)
        } else {
            try authorize(actor, .managePeers, in: program)
        }
    }
}
