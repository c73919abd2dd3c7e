import Foundation
import AgoraCore
import AgoraScreen

/// The app's behaviour: `update` is pure (no clock, no I/O); the loop runs the effects it returns.
public enum TUI {
    public static func update(_ state: inout AppState, _ event: Event) -> [Effect] {
        let effects = step(&state, event)
        state.refreshTopicView()
        return effects
    }

    static func step(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(&state, KeyBindings.normalize(key))
        case .resize(let size):
            // A new reader width re-wraps the thread: keep the post at the top of the reader there.
            let (oldWidth, newWidth) = (Layout.readerWidth(state.size), Layout.readerWidth(size))
            var topPost: Int?
            if oldWidth != newWidth, var reader = state.reader {
                topPost = reader.layout(width: oldWidth, now: state.now, rows: reader.scroll + 1).post(at: reader.scroll)
                state.reader = reader
            }
            state.size = size
            if let topPost, var reader = state.reader {
                reader.scroll = reader.layout(width: newWidth, now: state.now, rows: 0, post: topPost).postStarts[topPost]
                state.reader = reader
            }
            reclamp(&state)
            return []
        case .tick(let now):
            state.now = now
            return []
        case .snapshot(let snapshot):
            return apply(&state, snapshot)
        case .topicsChanged(let rows):
            var snapshot = state.snapshot
            let known = snapshot.unreadDelta(rows)
            snapshot.merge(rows, limit: AppState.topicLimit)
            if let delta = known { snapshot.unreadCount = max(0, snapshot.unreadCount + delta) }
            return apply(&state, snapshot) + (known == nil ? [.countUnread] : [])
        case .unreadCount(let n):
            state.snapshot.unreadCount = n
            return []
        case .queueChanged(let rows):
            var snapshot = state.snapshot
            snapshot.queue = rows
            snapshot.queueCount = rows.count
            return apply(&state, snapshot)
        case .thread(let thread):
            return apply(&state, thread)
        case .threadTail(let tail):
            // Only for the thread still open; anything else arrived too late to matter.
            guard let reader = state.reader, let id = tail.topic.id, reader.thread.topic.id == id else { return [] }
            return apply(&state, reader.thread.appending(tail))
        case .searchResults(let query, let rows):
            guard state.searchQuery == query else { return [] }
            state.searchRows = rows
            state.topicCursor = ListCursor()
            setStatus(&state, rows.isEmpty ? "no topic matches '\(Sanitizer.line(query))'" : "\(rows.count) found; Esc clears the search")
            return []
        case .draftLoaded(let scope, let draft):
            guard let draft, var composer = state.composer, composer.scope == scope, composer.isEmpty else { return [] }
            composer.restore(draft)
            state.composer = composer
            setStatus(&state, "your draft from \(RelativeAge.long(draft.saved, now: state.now)) is back; Esc keeps it, Ctrl-X sends")
            return []
        case .posted(let topicId, let scope):
            // The store cleared the draft with the post: nothing to delete here.
            var effects: [Effect] = []
            if state.composer?.scope == scope || state.composer?.topicId == nil {
                state.composer = nil
                if state.overlay == .composer { state.overlay = nil }
            }
            setStatus(&state, "posted")
            state.focusOwnNewestPost = true
            effects += open(&state, topicId: topicId, from: state.pane == .reader ? state.readerReturn : state.pane)
            return effects
        case .editorFinished(let text):
            guard let text, state.composer != nil else {
                setStatus(&state, "the editor did not return any text", error: true)
                return []
            }
            // Editors end the file with a newline; the post does not need it.
            var body = Substring(text)
            while body.last == "\n" { body = body.dropLast() }
            state.composer?.body.setText(String(body))
            state.composer?.field = .body
            state.composer?.dirty = true
            return []
        case .failed(let message):
            state.composer?.sending = false
            state.openingTopic = nil
            setStatus(&state, message, error: true)
            return []
        case .info(let message):
            setStatus(&state, message)
            return []
        case .report(let report):
            state.report = report
            return []
        case .highlights(let rows):
            if rows.first?.id != state.highlights.first?.id { state.highlightCursor = ListCursor() }
            state.highlights = rows
            reclamp(&state)
            return []
        case .matches(let login, let list):
            state.matches = MatchList(login: login, suggestions: list)
            if case .profile(login) = state.overlay {
                setStatus(&state, list.isEmpty ? "nobody offers what \(Sanitizer.line(login)) wants to learn yet" : "\(list.count) suggested")
            }
            return []
        }
    }

    /// The draft to save now, if the composer changed since the last save. The loop calls this
    /// 2 s after the last keystroke, and before it exits for any reason.
    public static func flushDraft(_ state: inout AppState) -> [Effect] {
        guard var composer = state.composer, composer.dirty else { return [] }
        composer.dirty = false
        state.composer = composer
        if composer.isEmpty { return [.deleteDraft(scope: composer.scope)] }
        return [.saveDraft(composer.draft(login: state.login, now: state.now))]
    }

    // MARK: - Data

    static func apply(_ state: inout AppState, _ snapshot: Snapshot) -> [Effect] {
        let topicId = state.selectedTopic?.id
        let peerLogin = state.selectedPeer?.login
        let queueKey = state.selectedQueueRow?.key
        let old = state.snapshot
        state.snapshot = snapshot
        state.refreshDirectory()

        if snapshot.program == nil {
            state.stage = .welcome
        } else if let me = snapshot.me {
            // Alumni read only: the rules govern what they can no longer do.
            if !me.isAlumni && Policy.mustAcknowledgeRules(me, snapshot.program!) && !state.rulesDeferred {
                if state.stage != .rules { state.helpScroll = 0 }
                state.stage = .rules
            } else {
                state.stage = .main
            }
            state.newProgram = nil
        } else {
            state.stage = .nonMember
        }

        // The selection stays on the same item, wherever it moved in the list.
        if let topicId, let i = state.visibleTopics.firstIndex(where: { $0.id == topicId }) { state.topicCursor.index = i }
        if let peerLogin, let i = state.visiblePeers.firstIndex(where: { $0.login == peerLogin }) { state.peerCursor.index = i }
        if let queueKey, let i = state.visibleQueue.firstIndex(where: { $0.key == queueKey }) { state.queueCursor.index = i }
        reclamp(&state)

        // The open thread grew (a reply from another session): load what it is missing. Not while it is being
        // opened anyway (after our own reply the thread is on its way).
        if let reader = state.reader, let id = reader.thread.topic.id, state.openingTopic != id,
           let row = snapshot.topics.first(where: { $0.id == id }),
           row.topic.lastPostId > reader.thread.lastPostId || row.topic.postCount != reader.thread.lines.count,
           old.topics.first(where: { $0.id == id }) != row {
            if row.topic.lastPostId > reader.thread.lastPostId && row.topic.postCount > reader.thread.lines.count {
                return [.loadThreadTail(topicId: id, after: reader.thread.lastPostId)]
            }
            return [.openThread(id)]
        }
        return []
    }

    static func apply(_ state: inout AppState, _ thread: ThreadSnapshot) -> [Effect] {
        guard let id = thread.topic.id else { return [] }
        let height = Layout.readerContentHeight(state.size)
        if var reader = state.reader, reader.thread.topic.id == id, state.openingTopic != id {
            // A reload: keep the selected post and the scroll; posts new to me stay marked.
            let selectedId = reader.thread.lines.indices.contains(reader.selected) ? reader.thread.lines[reader.selected].post.id : nil
            var t = thread
            t.lastReadPostId = min(reader.thread.lastReadPostId, thread.lastReadPostId)
            reader.thread = t
            reader.selected = t.lines.firstIndex(where: { $0.post.id == selectedId }) ?? min(reader.selected, max(0, t.lines.count - 1))
            state.reader = reader
        } else {
            guard state.openingTopic == id else { return [] }   // the user moved on meanwhile
            var reader = ReaderState(thread: thread)
            reader.selected = thread.lines.firstIndex(where: { ($0.post.id ?? 0) > thread.lastReadPostId }) ?? 0
            if state.focusOwnNewestPost {
                let mine = thread.lines.indices.filter { thread.lines[$0].post.author == state.login }
                if let newest = mine.max(by: { (thread.lines[$0].post.id ?? 0) < (thread.lines[$1].post.id ?? 0) }) {
                    reader.selected = newest
                }
                state.focusOwnNewestPost = false
            }
            if reader.selected > 0 {
                let layout = reader.layout(width: Layout.readerWidth(state.size), now: state.now, rows: 0, post: reader.selected)
                reader.scroll = layout.postStarts[reader.selected]
            }
            state.reader = reader
            state.openingTopic = nil
        }
        clampReaderScroll(&state, height: height)
        // Reading it is what marks it read (the store hears of it through `markRead`).
        if let i = state.snapshot.topics.firstIndex(where: { $0.id == id }), state.snapshot.topics[i].unread {
            let selected = state.selectedTopic?.id
            state.snapshot.topics[i].unread = false
            state.snapshot.unreadCount = max(0, state.snapshot.unreadCount - 1)
            if let selected, let j = state.visibleTopics.firstIndex(where: { $0.id == selected }) {
                state.topicCursor.index = j
                state.topicCursor.reveal(height: Layout.listHeight(state.size))
            }
        }
        let last = thread.lastPostId
        return last > thread.lastReadPostId ? [.markRead(topicId: id, upTo: last)] : []
    }

    /// After the list is re-ordered or unfiltered, the cursor stays on the topic it was on.
    static func keepTopicSelected(_ state: inout AppState, _ id: Int64?) {
        guard let id, let i = state.visibleTopics.firstIndex(where: { $0.id == id }) else { return }
        state.topicCursor.index = i
        state.topicCursor.reveal(height: Layout.listHeight(state.size))
    }

    static func reclamp(_ state: inout AppState) {
        let h = Layout.listHeight(state.size)
        state.topicCursor.clamp(count: state.visibleTopics.count)
        state.topicCursor.reveal(height: h)
        state.peerCursor.clamp(count: state.visiblePeers.count)
        state.peerCursor.reveal(height: h)
        state.queueCursor.clamp(count: state.visibleQueue.count)
        state.queueCursor.reveal(height: h)
        state.highlightCursor.clamp(count: state.highlights.count)
        state.highlightCursor.reveal(height: h)
        clampReaderScroll(&state, height: Layout.readerContentHeight(state.size))
    }

    static func clampReaderScroll(_ state: inout AppState, height: Int) {
        guard var reader = state.reader else { return }
        let layout = reader.layout(width: Layout.readerWidth(state.size), now: state.now,
                                   rows: max(0, reader.scroll) + height + 1, post: reader.selected)
        // An unfinished layout already reaches past the screen; only a finished one limits the scroll.
        if layout.isComplete { reader.scroll = min(max(0, reader.scroll), max(0, layout.rows.count - height)) }
        reader.selected = min(max(0, reader.selected), max(0, reader.thread.lines.count - 1))
        state.reader = reader
    }

    static func setStatus(_ state: inout AppState, _ text: String, error: Bool = false) {
        state.status = text
        state.statusIsError = error
    }

    // MARK: - Keys

    static func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key == .resize { return [] }
        state.status = nil
        state.statusIsError = false
        if key == .ctrl("l") { return [.redraw] }
        if key == .ctrl("c") { return flushDraft(&state) + [.quit] }

        switch state.stage {
        case .loading:
            return key == .char("q") ? [.quit] : []
        case .welcome:
            return welcomeKey(&state, key)
        case .nonMember:
            return KeyBindings.command(for: key, in: .nonMember) == .back ? [.quit] : []
        case .rules:
            return rulesKey(&state, key)
        case .main:
            break
        }
        if Layout.isTooSmall(state.size) {
            return key == .char("q") ? flushDraft(&state) + [.quit] : []
        }
        if state.prompt != nil { return promptKey(&state, key) }
        switch state.overlay {
        case .help:
            return helpKey(&state, key)
        case .composer:
            return composerKey(&state, key)
        case .profile(let login):
            return profileKey(&state, key, login: login)
        case nil:
            break
        }
        let context = paneContext(state.pane)
        guard let command = KeyBindings.command(for: key, in: context) else { return [] }
        return run(&state, command)
    }

    public static func paneContext(_ pane: Pane) -> KeyContext {
        switch pane {
        case .topics: .topics
        case .peers: .peers
        case .queue: .queue
        case .reader: .reader
        case .highlights: .highlights
        case .report: .report
        }
    }

    /// The context whose keys are live now: for the footer and the help overlay.
    public static func focusedContext(_ state: AppState) -> KeyContext {
        switch state.stage {
        case .loading, .main: break
        case .welcome: return state.newProgram == nil ? .welcome : .newProgram
        case .nonMember: return .nonMember
        case .rules: return .rules
        }
        if state.prompt != nil { return .prompt }
        switch state.overlay {
        case .help: return .help
        case .composer: return .composer
        case .profile: return .profile
        case nil: return paneContext(state.pane)
        }
    }

    static func run(_ state: inout AppState, _ command: Command) -> [Effect] {
        let before = state.pane
        var effects = runCommand(&state, command)
        // The report is computed when its pane opens (it reads the whole period).
        if state.pane == .report && before != .report && state.canSeeReport { effects.append(.loadReport) }
        if state.pane == .highlights && before != .highlights { effects.append(.loadHighlights) }
        return effects
    }

    static func runCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
        let h = Layout.listHeight(state.size)
        switch command {
        case .help:
            state.overlay = .help
            state.helpScroll = 0
        case .back:
            if state.pane == .reader {
                state.pane = state.readerReturn
                return []
            }
            return flushDraft(&state) + [.quit]
        case .redraw:
            return [.redraw]
        case .nextPane, .prevPane:
            let all = Pane.allCases
            let i = all.firstIndex(of: state.pane)!
            state.pane = all[(i + (command == .nextPane ? 1 : all.count - 1)) % all.count]
        case .paneTopics: state.pane = .topics
        case .panePeers: state.pane = .peers
        case .paneQueue: state.pane = .queue
        case .paneReader: state.pane = .reader
        case .paneHighlights: state.pane = .highlights
        case .paneReport: state.pane = .report
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            move(&state, command, height: h)
        case .open:
            return openSelected(&state)
        case .search:
            state.prompt = Prompt(purpose: .search, field: TextField(state.searchQuery ?? ""))
        case .filterKind:
            let kinds: [TopicKind?] = [nil] + TopicKind.allCases
            let i = kinds.firstIndex(of: state.filter.kind) ?? 0
            state.filter.kind = kinds[(i + 1) % kinds.count]
            state.topicCursor = ListCursor()
            setStatus(&state, state.filter.kind.map { "showing \($0.rawValue) topics; f for the next kind" } ?? "showing every kind")
        case .filterTag:
            state.prompt = Prompt(purpose: .tag, field: TextField(state.filter.tag ?? ""))
        case .clearFilter:
            if state.pane == .peers {
                state.peerFilter = ""
            } else {
                let selected = state.selectedTopic?.id
                state.filter = TopicFilter()
                state.searchQuery = nil
                state.searchRows = []
                keepTopicSelected(&state, selected)
            }
            reclamp(&state)
        case .toggleSort:
            let selected = state.selectedTopic?.id
            state.topicSort = state.topicSort == .unreadFirst ? .activity : .unreadFirst
            setStatus(&state, state.topicSort == .unreadFirst ? "unread topics first" : "most recent activity first")
            keepTopicSelected(&state, selected)
            reclamp(&state)
        case .compose:
            return startComposer(&state, ComposerState())
        case .nextUnread:
            return nextUnread(&state)
        case .nextPost, .prevPost:
            guard var reader = state.reader else { break }
            let next = reader.selected + (command == .nextPost ? 1 : -1)
            guard reader.thread.lines.indices.contains(next) else {
                setStatus(&state, command == .nextPost ? "last post; N for the next unread" : "first post")
                break
            }
            reader.selected = next
            state.reader = reader
            revealPost(&state)
        case .reply, .replyToPost:
            guard let reader = state.reader, let topicId = reader.thread.topic.id else {
                setStatus(&state, "open a topic first", error: true)
                break
            }
            let title = Sanitizer.line(reader.thread.topic.title)
            var parent: Int64? = nil
            var context = "Re: \(title)"
            if command == .replyToPost, reader.selected > 0 {
                let post = reader.thread.lines[reader.selected].post
                parent = post.id
                context += " · answering \(state.displayName(post.author))"
            }
            return startComposer(&state, ComposerState(topicId: topicId, parentId: parent, context: context))
        case .filterPeers:
            state.prompt = Prompt(purpose: .peerFilter, field: TextField(state.peerFilter))
        case .claim:
            guard let row = state.selectedQueueRow else { break }
            if let program = state.program {
                do { try Policy.authorize(state.me, .claim, in: program) } catch {
                    setStatus(&state, "\(error)", error: true)
                    break
                }
            }
            if row.claimedBy == state.login {
                setStatus(&state, "released \(row.key)")
                return [.release(key: row.key)]
            }
            if let by = row.claimedBy {
                let since = row.claimedAt.map { ", \(RelativeAge.short($0, now: state.now))" } ?? ""
                setStatus(&state, "already claimed by \(state.displayName(by))\(since)", error: true)
                break
            }
            setStatus(&state, "claimed \(row.key); c again releases it")
            return [.claim(key: row.key)]
        case .welcome:
            guard let row = state.selectedQueueRow else { break }
            guard row.kind == .newcomer, let login = row.login else {
                setStatus(&state, "w welcomes newcomers; this item is \(row.kind.rawValue)", error: true)
                break
            }
            guard allowed(&state, .welcome) else { break }
            let name = state.snapshot.peers.first { $0.login == login }?.name ?? login
            var composer = ComposerState()
            composer.scopeOverride = "welcome:\(login)"
            composer.title.setText("Welcome, \(name)!")
            composer.tags.setText("welcome")
            composer.field = .body
            let compose = startComposer(&state, composer)
            if state.composer != nil {
                setStatus(&state, "\(Sanitizer.line(login)) is welcomed; write them a few words (Esc keeps a draft)")
            }
            return [.welcome(login: login)] + compose
        case .resolve, .hideFlagged:
            guard let row = state.selectedQueueRow else { break }
            if row.kind == .flagged, let flagId = Int64(row.key.dropFirst("flag:".count)) {
                guard allowed(&state, .resolveFlag) else { break }
                state.prompt = Prompt(purpose: .flagDecision(flagId: flagId, hide: command == .hideFlagged), field: TextField())
                break
            }
            guard command == .resolve, let topic = row.topicId else {
                setStatus(&state, command == .hideFlagged ? "X hides flagged posts; this item is \(row.kind.rawValue)"
                                                          : "x resolves topics and flags; this item is \(row.kind.rawValue)", error: true)
                break
            }
            guard allowed(&state, .markResolved) else { break }
            return [.resolveTopic(topic)]
        case .flag:
            guard let reader = state.reader, reader.thread.lines.indices.contains(reader.selected),
                  let postId = reader.thread.lines[reader.selected].post.id, allowed(&state, .flag) else { break }
            state.prompt = Prompt(purpose: .flagWhy(postId: postId), field: TextField())
        case .snooze:
            guard let row = state.selectedQueueRow, allowed(&state, .snooze) else { break }
            return [.snooze(key: row.key, until: state.now.addingTimeInterval(86400))]
        case .highlight:
            guard allowed(&state, .highlight) else { break }
            if state.pane == .reader, let reader = state.reader, let topic = reader.thread.topic.id {
                let post = reader.thread.lines.indices.contains(reader.selected) ? reader.thread.lines[reader.selected].post.id : nil
                state.prompt = Prompt(purpose: .highlightWhy(topicId: topic, postId: post), field: TextField())
            } else if let row = state.selectedTopic {
                state.prompt = Prompt(purpose: .highlightWhy(topicId: row.id, postId: nil), field: TextField())
            }
        default:
            break
        }
        return []
    }

    /// Asks the policy; a refusal goes to the status line.
    static func allowed(_ state: inout AppState, _ action: Action) -> Bool {
        guard let program = state.program else { return false }
        do { try Policy.authorize(state.me, action, in: program) } catch {
            setStatus(&state, "\(error)", error: true)
            return false
        }
        return true
    }

    static func move(_ state: inout AppState, _ command: Command, height h: Int) {
        func delta(_ count: Int, _ index: Int) -> Int {
            switch command {
            case .up: -1
            case .down: 1
            case .pageUp: -h
            case .pageDown: h
            case .top: -index
            default: count
            }
        }
        switch state.pane {
        case .topics:
            state.topicCursor.move(by: delta(state.visibleTopics.count, state.topicCursor.index), count: state.visibleTopics.count)
            state.topicCursor.reveal(height: h)
        case .peers:
            state.peerCursor.move(by: delta(state.visiblePeers.count, state.peerCursor.index), count: state.visiblePeers.count)
            state.peerCursor.reveal(height: h)
        case .queue:
            state.queueCursor.move(by: delta(state.visibleQueue.count, state.queueCursor.index), count: state.visibleQueue.count)
            state.queueCursor.reveal(height: h)
        case .highlights:
            let n = state.highlights.count
            state.highlightCursor.move(by: delta(n, state.highlightCursor.index), count: n)
            state.highlightCursor.reveal(height: h)
        case .report:
            // The report is taller than 24 rows: j/k and the page keys scroll it (render clamps the end).
            let body = Layout(state.size).body
            var page = Painter(size: Size(width: body.width, height: reportRowsMax))
            let used = drawReportPage(&page, state, Rect(x: 0, y: 0, width: body.width, height: reportRowsMax))
            state.reportScroll = min(max(0, state.reportScroll + delta(reportRowsMax, state.reportScroll)), max(0, used - body.height))
        case .reader:
            guard var reader = state.reader else { return }
            let rh = Layout.readerContentHeight(state.size)
            let step: Int
            switch command {
            case .up: step = -1
            case .down: step = 1
            case .pageUp: step = -max(1, rh - 1)
            case .pageDown: step = max(1, rh - 1)
            case .top: step = -reader.scroll
            default: step = .max / 2   // the end: the whole thread is laid out
            }
            let reach = step >= .max / 2 ? Int.max : reader.scroll + max(0, step) + rh + 1
            let layout = reader.layout(width: Layout.readerWidth(state.size), now: state.now, rows: reach, post: reader.selected)
            reader.scroll = min(max(0, reader.scroll + step), max(0, layout.rows.count - rh))
            // The selected post is the one at the top, or the last one once the end shows.
            reader.selected = reader.scroll + rh >= layout.rows.count && step > 0
                ? max(reader.selected, layout.post(at: reader.scroll))
                : layout.post(at: reader.scroll)
            if command == .bottom { reader.selected = max(0, reader.thread.lines.count - 1) }
            state.reader = reader
        }
    }

    static func revealPost(_ state: inout AppState) {
        guard var reader = state.reader else { return }
        let layout = reader.layout(width: Layout.readerWidth(state.size), now: state.now, rows: 0, post: reader.selected)
        reader.scroll = layout.postStarts[reader.selected]
        state.reader = reader
        clampReaderScroll(&state, height: Layout.readerContentHeight(state.size))
    }

    static func openSelected(_ state: inout AppState) -> [Effect] {
        switch state.pane {
        case .topics:
            guard let row = state.selectedTopic else { return [] }
            return open(&state, topicId: row.id, from: .topics)
        case .peers:
            guard let peer = state.selectedPeer else { return [] }
            state.overlay = .profile(login: peer.login)
            state.profileCursor = ListCursor()
        case .queue:
            guard let row = state.selectedQueueRow else { return [] }
            if let id = row.topicId { return open(&state, topicId: id, from: .queue) }
            if let login = row.login {
                state.overlay = .profile(login: login)
                state.profileCursor = ListCursor()
            }
        case .highlights:
            guard let row = state.selectedHighlight else { return [] }
            return open(&state, topicId: row.topicId, from: .highlights)
        case .reader, .report:
            break
        }
        return []
    }

    static func open(_ state: inout AppState, topicId: Int64, from pane: Pane) -> [Effect] {
        state.readerReturn = pane == .reader ? .topics : pane
        state.pane = .reader
        state.overlay = nil
        if state.reader?.thread.topic.id != topicId { state.reader = nil }
        state.openingTopic = topicId
        return [.openThread(topicId)]
    }

    static func nextUnread(_ state: inout AppState) -> [Effect] {
        if state.pane == .reader, var reader = state.reader {
            let lines = reader.thread.lines
            if let i = lines.indices.first(where: { $0 > reader.selected && (lines[$0].post.id ?? 0) > reader.thread.lastReadPostId }) {
                reader.selected = i
                state.reader = reader
                revealPost(&state)
                return []
            }
        }
        let current = state.reader?.thread.topic.id
        let rows = state.visibleTopics.isEmpty ? state.snapshot.topics : state.visibleTopics
        guard let next = rows.first(where: { $0.unread && $0.id != current }) else {
            setStatus(&state, "no unread posts")
            return []
        }
        if let i = state.visibleTopics.firstIndex(where: { $0.id == next.id }) {
            state.topicCursor.index = i
            state.topicCursor.reveal(height: Layout.listHeight(state.size))
        }
        return open(&state, topicId: next.id, from: state.pane == .reader ? state.readerReturn : state.pane)
    }

    // MARK: Composer

    static func startComposer(_ state: inout AppState, _ composer: ComposerState) -> [Effect] {
        if let program = state.program {
            do { try Policy.authorize(state.me, composer.isReply ? .reply : .post, in: program) } catch {
                setStatus(&state, "\(error)", error: true)
                return []
            }
        }
        state.composer = composer
        state.overlay = .composer
        return [.loadDraft(scope: composer.scope)]
    }

    static func composerKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var c = state.composer else { state.overlay = nil; return [] }
        defer { if state.overlay == .composer { state.composer = c } }
        let command = KeyBindings.command(for: key, in: .composer)
        switch command {
        case .send:
            guard !c.sending else { return [] }
            do {
                let body = try Limits.body(c.body.text)
                if let topicId = c.topicId {
                    c.sending = true
                    return [.reply(topicId: topicId, parentId: c.parentId, body: body, scope: c.scope)]
                }
                let title = try Limits.title(c.title.text)
                let tags = try Limits.tags([c.tags.text])
                c.sending = true
                return [.post(kind: c.kind, title: title, tags: tags, body: body, scope: c.scope)]
            } catch {
                setStatus(&state, "\(error)", error: true)
                return []
            }
        case .cancel:
            state.overlay = nil
            state.composer = nil
            if c.isEmpty { return [.deleteDraft(scope: c.scope)] }
            setStatus(&state, "draft kept; it comes back when you write here again")
            return [.saveDraft(c.draft(login: state.login, now: state.now))]
        case .editor:
            return [.runEditor(c.body.text)]
        case .nextField, .prevField:
            let fields = c.fields
            let i = fields.firstIndex(of: c.field) ?? 0
            c.field = fields[(i + (command == .nextField ? 1 : fields.count - 1)) % fields.count]
            return []
        case .kindNext, .kindPrevious:
            // Only the kind field cycles; in the text fields the same keys move the cursor.
            guard c.field == .kind else { break }
            let kinds = TopicKind.allCases
            let i = kinds.firstIndex(of: c.kind)!
            c.kind = kinds[(i + (command == .kindNext ? 1 : kinds.count - 1)) % kinds.count]
            c.dirty = true
            return []
        default:
            break
        }
        var changed = false
        switch c.field {
        case .kind:
            // Typing the first letter of a kind picks it.
            if case .char(let ch) = key, let k = TopicKind.allCases.first(where: { $0.rawValue.first == Character(ch.lowercased()) }) {
                c.kind = k
                changed = true
            }
        case .title:
            if key == .enter { c.field = .tags } else { changed = c.title.handle(key) }
        case .tags:
            if key == .enter { c.field = .body } else { changed = c.tags.handle(key) }
        case .body:
            changed = c.body.handle(key)
        }
        if changed { c.dirty = true }
        return []
    }

    // MARK: Overlays, prompts, full screens

    static func helpKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch KeyBindings.command(for: key, in: .help) {
        case .back: state.overlay = nil
        case .down: state.helpScroll = min(state.helpScroll + 1, TUI.helpScrollLimit(state))
        case .up: state.helpScroll = max(0, state.helpScroll - 1)
        default: break
        }
        return []
    }

    static func profileKey(_ state: inout AppState, _ key: Key, login: String) -> [Effect] {
        let topics = state.profileTopics(login)
        let command = KeyBindings.command(for: key, in: .profile)
        switch command {
        case .back:
            state.overlay = nil
        case .open:
            guard topics.indices.contains(state.profileCursor.index) else { return [] }
            return open(&state, topicId: topics[state.profileCursor.index].id, from: state.pane == .reader ? .peers : state.pane)
        case .up, .down, .top, .bottom, .pageUp, .pageDown:
            let page = max(1, Layout.listHeight(state.size) - 1)
            let d: Int
            switch command {
            case .up: d = -1
            case .down: d = 1
            case .pageUp: d = -page
            case .pageDown: d = page
            case .top: d = -topics.count
            default: d = topics.count
            }
            state.profileCursor.move(by: d, count: topics.count)
        case .help:
            state.overlay = .help
        case .match:
            return [.loadMatches(login: login)]
        case let command?:
            // The keys that work everywhere (another pane, next unread) leave the profile and do just that.
            state.overlay = nil
            return run(&state, command)
        case nil:
            break
        }
        return []
    }

    /// A sentence the store keeps (a highlight's why, a flag's reason): within limits and not empty, or nil
    /// with the reason on the status line.
    static func requiredText(_ state: inout AppState, _ text: String, field: String, ifEmpty: String) -> String? {
        do {
            let clean = try Limits.shortText(text, field: field)
            if clean.isEmpty { throw AgoraError.invalid(ifEmpty) }
            return clean
        } catch {
            setStatus(&state, "\(error)", error: true)
            return nil
        }
    }

    static func promptKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var prompt = state.prompt else { return [] }
        switch KeyBindings.command(for: key, in: .prompt) {
        case .accept:
            state.prompt = nil
            let text = prompt.field.text.trimmingCharacters(in: .whitespaces)
            switch prompt.purpose {
            case .search:
                state.topicCursor = ListCursor()
                if text.isEmpty {
                    state.searchQuery = nil
                    state.searchRows = []
                    return []
                }
                state.searchQuery = text
                state.searchRows = []
                state.pane = .topics
                setStatus(&state, "searching…")
                return [.search(text)]
            case .tag:
                state.filter.tag = text.isEmpty ? nil : text.lowercased()
                state.topicCursor = ListCursor()
                reclamp(&state)
            case .peerFilter:
                state.peerFilter = text
                reclamp(&state)
            case .highlightWhy(let topicId, let postId):
                if let why = requiredText(&state, text, field: "why", ifEmpty: "say in a sentence what made it valuable") {
                    return [.highlight(topicId: topicId, postId: postId, why: why)]
                }
            case .flagWhy(let postId):
                if let reason = requiredText(&state, text, field: "reason", ifEmpty: "say why the post needs a champion's eye") {
                    return [.flag(postId: postId, reason: reason)]
                }
            case .flagDecision(let flagId, let hide):
                if let reason = requiredText(&state, text, field: "reason",
                                             ifEmpty: "give a reason for the decision; it is kept with the flag") {
                    return [.resolveFlag(id: flagId, hide: hide, reason: reason)]
                }
            }
        case .cancel:
            state.prompt = nil
            if prompt.purpose == .peerFilter {
                state.peerFilter = ""
                reclamp(&state)
            }
        default:
            _ = prompt.field.handle(key)
            state.prompt = prompt
            if prompt.purpose == .peerFilter {
                // The directory narrows as you type.
                state.peerFilter = prompt.field.text
                state.peerCursor = ListCursor()
                reclamp(&state)
            }
        }
        return []
    }

    static func welcomeKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if var form = state.newProgram {
            defer { if state.newProgram != nil { state.newProgram = form } }
            let command = KeyBindings.command(for: key, in: .newProgram)
            switch command {
            case .cancel:
                state.newProgram = nil
                return []
            case .nextField where key == .tab, .nextField where !form.onPurpose:
                form.onPurpose.toggle()
                return []
            case .nextField, .send:
                do {
                    let name = try Limits.name(form.name.text, field: "program name")
                    let purpose = try Limits.shortText(form.purpose.text, field: "purpose")
                    setStatus(&state, "creating \(Sanitizer.line(name))…")
                    return [.createProgram(name: name, purpose: purpose)]
                } catch {
                    setStatus(&state, "\(error)", error: true)
                    return []
                }
            default:
                if form.onPurpose { _ = form.purpose.handle(key) } else { _ = form.name.handle(key) }
                return []
            }
        }
        switch KeyBindings.command(for: key, in: .welcome) {
        case .demo:
            setStatus(&state, "filling the demo program…")
            return [.fillDemo]
        case .newProgram:
            state.newProgram = NewProgramForm()
        case .back:
            return [.quit]
        default:
            break
        }
        return []
    }

    static func rulesKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch KeyBindings.command(for: key, in: .rules) {
        case .accept:
            if var me = state.snapshot.me, let program = state.program {
                me.rulesAckVersion = program.rulesVersion
                state.snapshot.me = me
            }
            state.stage = .main
            setStatus(&state, "rules accepted; thank you")
            return [.acknowledgeRules]
        case .later:
            state.rulesDeferred = true
            state.stage = .main
            setStatus(&state, "posting waits until you accept the rules")
        case .back:
            return [.quit]
        case .down:
            state.helpScroll = min(state.helpScroll + 1, TUI.helpScrollLimit(state))
        case .up:
            state.helpScroll = max(0, state.helpScroll - 1)
        default:
            break
        }
        return []
    }
}
