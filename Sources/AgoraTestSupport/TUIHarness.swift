import Foundation
import AgoraCore
import AgoraScreen
import AgoraTUI

/// A stand-in for the event loop: feeds events to `TUI.update`, answers the effects a test cares
/// about from fixtures (threads, search, drafts) and records the rest, then presents the frame.
public final class TUIHarness {
    public var state: AppState
    public let terminal: MemoryTerminal
    /// Every effect returned so far, in order (including the ones answered here).
    public private(set) var effects: [Effect] = []
    public var threads: [Int64: ThreadSnapshot]
    public var searchResults: [String: [TopicRow]] = [:]
    public var drafts: [String: Draft] = [:]
    public private(set) var quit = false

    public init(size: Size = Size(width: 80, height: 24), snapshot: Snapshot? = Fixtures.smallProgram(),
                threads: [Int64: ThreadSnapshot] = [1: Fixtures.thread(), 3: Fixtures.cjkThread()],
                login: String = "ana", now: Date = Fixtures.now) {
        state = AppState(login: login, size: size, now: now)
        terminal = MemoryTerminal(size: size)
        self.threads = threads
        if let snapshot { send(.snapshot(snapshot)) } else { present() }
    }

    public func send(_ event: Event) {
        var queue = [event]
        while !queue.isEmpty {
            let e = queue.removeFirst()
            for effect in TUI.update(&state, e) {
                effects.append(effect)
                switch effect {
                case .openThread(let id):
                    if let t = threads[id] { queue.append(.thread(t)) }
                case .search(let q):
                    queue.append(.searchResults(query: q, rows: searchResults[q] ?? []))
                case .loadDraft(let scope):
                    queue.append(.draftLoaded(scope: scope, draft: drafts[scope]))
                case .saveDraft(let d):
                    drafts[d.scope] = d
                case .deleteDraft(let scope):
                    drafts[scope] = nil
                case .quit:
                    quit = true
                default:
                    break
                }
            }
        }
        present()
    }

    public func press(_ keys: Key...) { for k in keys { send(.key(k)) } }

    /// Types text key by key (newlines as Enter).
    public func type(_ text: String) {
        for ch in text { send(.key(ch == "\n" ? .enter : .char(ch))) }
    }

    public func resize(_ size: Size) {
        terminal.resize(to: size)
        _ = terminal.readKeys()
        send(.resize(terminal.updateSize()))
    }

    public func present() { terminal.present(TUI.render(state)) }

    public var screen: [String] { terminal.screen }
    public var screenText: String { terminal.screenText() }

    /// Effects after the first `n`; handy with `let mark = effects.count`.
    public func effects(since n: Int) -> [Effect] { Array(effects.dropFirst(n)) }
}
