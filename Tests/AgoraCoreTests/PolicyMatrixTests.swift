import Foundation
import Testing
@testable import AgoraCore

/// Who may do what: each role against each action, written out as a table a leader could read.
@Suite struct PolicyMatrixTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func program(rulesVersion: Int = 0) -> Program {
        var p = Program(name: "Circle", created: now)
        p.rulesVersion = rulesVersion
        p.rulesText = rulesVersion > 0 ? "Be kind." : ""
        return p
    }

    static func peer(_ role: PeerRole, ack: Int = 0, left: Bool = false) -> Peer {
        Peer(login: "p-\(role.rawValue)", name: "Someone", role: role, joined: now, left: left ? now : nil, rulesAckVersion: ack)
    }

    /// A peer reads and adds words; nothing else.
    static let peerActions: Set<Action> = [.read, .post, .reply, .editOwnProfile, .flag, .highlight, .writeTestimonial, .acknowledgeRules]
    static let leaderOnly: Set<Action> = [.managePeers, .setRules, .changeSettings, .viewReport, .readDeletedPosts]

    @Test(arguments: Action.allCases)
    func peerMayDoOnlyPeerThings(_ action: Action) {
        #expect(Policy.allows(Self.peer(.peer), action, in: Self.program()) == Self.peerActions.contains(action))
    }

    /// Champions may do everything but the leader's work (queue, claims, welcomes, flags, ...).
    @Test(arguments: Action.allCases)
    func championAlsoTriages(_ action: Action) {
        #expect(Policy.allows(Self.peer(.champion), action, in: Self.program()) == !Self.leaderOnly.contains(action))
    }

    @Test(arguments: Action.allCases)
    func leaderMayDoEverything(_ action: Action) {
        #expect(Policy.allows(Self.peer(.leader), action, in: Self.program()) == true)
    }

    @Test(arguments: Action.allCases, PeerRole.allCases)
    func alumniOnlyRead(_ action: Action, _ role: PeerRole) {
        #expect(Policy.allows(Self.peer(role, left: true), action, in: Self.program()) == (action == .read))
    }

    @Test(arguments: Action.allCases)
    func nonMemberMayDoNothing(_ action: Action) throws {
        #expect(!Policy.allows(nil, action, in: Self.program()))
        let error = #expect(throws: AgoraError.self) { try Policy.authorize(nil, action, in: Self.program()) }
        #expect(error?.message == "you are not a member of Circle")
        #expect(error?.hint?.contains("agora peer add") == true)
        #expect(error?.exitCode == 4)
    }

    @Test func refusalNamesTheRoleNeeded() {
        let error = #expect(throws: AgoraError.self) { try Policy.authorize(Self.peer(.peer), .managePeers, in: Self.program()) }
        #expect(error?.message == "only a leader can manage peers; p-peer is a peer")
        let alumni = #expect(throws: AgoraError.self) { try Policy.authorize(Self.peer(.peer, left: true), .post, in: Self.program()) }
        #expect(alumni?.message.contains("has left the program") == true)
    }

    @Test(arguments: PeerRole.allCases)
    func changedRulesMustBeAcknowledgedBeforeAddingWords(_ role: PeerRole) {
        let program = Self.program(rulesVersion: 2)
        let behind = Self.peer(role, ack: 1)
        for action in [Action.post, .reply, .flag, .highlight, .writeTestimonial] {
            #expect(!Policy.allows(behind, action, in: program), "\(role) \(action) before accepting the rules")
            #expect(Policy.allows(Self.peer(role, ack: 2), action, in: program), "\(role) \(action) after accepting")
        }
        // Reading and accepting the rules never need the rules accepted first.
        #expect(Policy.allows(behind, .read, in: program))
        #expect(Policy.allows(behind, .acknowledgeRules, in: program))
        #expect(Policy.allows(behind, .editOwnProfile, in: program))
        #expect(Policy.allows(behind, .viewQueue, in: program) == (role != .peer))
        #expect(Policy.allows(behind, .managePeers, in: program) == (role == .leader))
        let error = #expect(throws: AgoraError.self) { try Policy.authorize(behind, .post, in: program) }
        #expect(error?.hint?.contains("agora rules ack") == true)
    }

    @Test func rulesNeverSetAskForNothing() {
        #expect(!Policy.mustAcknowledgeRules(Self.peer(.peer, ack: 0), Self.program(rulesVersion: 0)))
        #expect(Policy.mustAcknowledgeRules(Self.peer(.peer, ack: 0), Self.program(rulesVersion: 1)))
        #expect(!Policy.mustAcknowledgeRules(Self.peer(.peer, ack: 3), Self.program(rulesVersion: 2)))
    }

    @Test func peersEditTheirOwnProfileAndTheLeaderAnyones() {
        let program = Self.program()
        let peer = Self.peer(.peer)
        #expect(throws: Never.self) { try Policy.authorizeProfileEdit(peer, target: peer.login, in: program) }
        #expect(throws: AgoraError.self) { try Policy.authorizeProfileEdit(peer, target: "someone-else", in: program) }
        #expect(throws: AgoraError.self) { try Policy.authorizeProfileEdit(Self.peer(.champion), target: "someone-else", in: program) }
        #expect(throws: Never.self) { try Policy.authorizeProfileEdit(Self.peer(.leader), target: "someone-else", in: program) }
        #expect(throws: AgoraError.self) { try Policy.authorizeProfileEdit(nil, target: "x", in: program) }
        #expect(throws: AgoraError.self) { try Policy.authorizeProfileEdit(Self.peer(.peer, left: true), target: "p-peer", in: program) }
    }
}
