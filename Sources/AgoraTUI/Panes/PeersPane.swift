import Foundation
import AgoraCore
import AgoraScreen

struct PeerDirectory: Equatable, Sendable {
    var source: [Peer] = []
    /// Display order as positions in `source`: a sorted copy of 10,000 peers was 3.3 MB more.
    var order: [Int32] = []
}

/// Peers in display order, as positions into the directory they come from (no copies of the peers).
public struct PeerRows: RandomAccessCollection, Sendable {
    let source: [Peer]
    let order: [Int32]
    public var startIndex: Int { 0 }
    public var endIndex: Int { order.count }
    public subscript(i: Int) -> Peer { source[Int(order[i])] }
}

/// Pane 2: the peer directory, narrowed by a filter as it is typed.
public struct PeersPane: Equatable, Sendable {
    public var cursor = ListCursor()
    public var filter = ""
    /// The directory in display order, kept with the peers it was sorted from: with 10,000 peers, sorting on
    /// every access (several per event) was half of a reload's CPU. `update` refreshes it when peers change.
    var directory = PeerDirectory()

    /// The peers shown, filtered, in directory order.
    func rows(_ peers: [Peer]) -> PeerRows {
        let needle = filter.lowercased()
        let order = directory.source == peers ? directory.order : Self.directoryOrder(peers)
        guard !needle.isEmpty else { return PeerRows(source: peers, order: order) }
        return PeerRows(source: peers, order: order.filter { i in
            let p = peers[Int(i)]
            return [p.login, p.name, p.unit, p.region, p.generation, p.role.rawValue, p.goals, p.offers]
                .contains { $0.lowercased().contains(needle) }
        })
    }

    /// Current members by name, then alumni; as positions in `peers`.
    static func directoryOrder(_ peers: [Peer]) -> [Int32] {
        let keys = peers.map { ($0.isAlumni ? 1 : 0, $0.name.lowercased()) }
        return (0..<Int32(peers.count)).sorted { a, b in
            let (ka, kb) = (keys[Int(a)], keys[Int(b)])
            if ka != kb { return ka < kb }
            return peers[Int(a)].login < peers[Int(b)].login
        }
    }

    mutating func refreshDirectory(_ peers: [Peer]) {
        if directory.source != peers { directory = PeerDirectory(source: peers, order: Self.directoryOrder(peers)) }
    }

    /// The filter prompt narrows the directory with every key, and Esc on it shows everyone again.
    static func setFilter(_ state: inout AppState, _ text: String, fromTop: Bool) {
        state.peers.filter = text
        if fromTop { state.peers.cursor = ListCursor() }
        TUI.reclamp(&state)
    }
}

extension PeersPane: PaneController {
    static let context = KeyContext.peers

    static func run(_ command: Command, _ state: inout AppState) -> [Effect]? {
        switch command {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            state.peers.cursor.move(command, count: state.visiblePeers.count, height: Layout.listHeight(state.size))
        case .open:
            guard let peer = state.selectedPeer else { return [] }
            ProfileOverlay.show(&state, login: peer.login)
        case .filterPeers:
            state.prompt = Prompt(purpose: .peerFilter, field: TextField(state.peers.filter))
        case .addPeer:
            guard TUI.allowed(&state, .managePeers) else { return [] }
            FormOverlay.open(&state, .addPeer)
        case .importPeers:
            guard TUI.allowed(&state, .managePeers) else { return [] }
            state.prompt = Prompt(purpose: .importPath, field: TextField())
            state.prompt?.note = "CSV with a header row; nothing is added if a row is bad"
        case .clearFilter:
            state.peers.filter = ""
            TUI.reclamp(&state)
        default:
            return nil
        }
        return []
    }
}

// MARK: - Drawing

extension PeersPane {
    func draw(_ p: inout Painter, _ rect: Rect, peers: PeerRows) {
        var title = "Peers (\(peers.count))"
        if !filter.isEmpty { title += " · filter: \(Sanitizer.line(filter))" }
        p.text(title, in: rect, row: 0, x: 1, role: .uiTitle)
        let w = rect.width
        let nameW = w >= 120 ? 32 : 24
        let roleW = 8, unitW = w >= 120 ? 16 : 10, regionW = w >= 120 ? 12 : 8, genW = 5
        let restW = max(4, w - 1 - nameW - roleW - unitW - regionW - genW - 5)
        p.list(rect, cursor: cursor, count: peers.count, focused: true,
               empty: filter.isEmpty ? "No peers yet." : "Nobody matches. Esc clears the filter.") { p, line, i in
            let peer = peers[i]
            let wants = [peer.offers.isEmpty ? "" : "offers: " + peer.offers, peer.goals.isEmpty ? "" : "wants: " + peer.goals]
                .filter { !$0.isEmpty }.joined(separator: " · ")
            p.columns([
                (ReaderLayout.authorLabel(peer.login, peer, width: nameW), nameW, .postAuthor),
                (peer.isAlumni ? "alumni" : peer.role.rawValue, roleW, peer.isAlumni ? .peerAlumni : .peerRole),
                (Sanitizer.line(peer.unit), unitW, .uiText),
                (Sanitizer.line(peer.region), regionW, .uiText),
                (Sanitizer.line(peer.generation), genW, .uiText),
                (Sanitizer.line(wants), restW, .uiTextDim),
            ], in: line, row: 0, x: 1)
        }
    }
}
