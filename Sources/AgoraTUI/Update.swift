import Foundation
import AgoraCore
import AgoraScreen

/// The app's behaviour: `update` is pure (no clock, no I/O); the loop runs the effects it returns.
/// Events from the store go to the pane they are for; keys go to the controller `focus` names (Panes/).
public enum TUI {
    public static func update(_ state: inout AppState, _ event: Event) -> [Effect] {
        let view = state.viewSettings
        var effects = step(&state, event)
        state.refreshTopicView()
        effects += ReaderPane.fetchAhead(&state)
        effects += ReaderPane.markShown(&state)
        // The sort and filters are kept for the next session whenever they change, whatever changed them.
        if state.viewSettings != view { effects.append(.saveView(state.viewSettings)) }
        return effects
    }

    static func step(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(&state, KeyBindings.normalize(key))
        case .resize(let size):
            ReaderPane.resize(&state, to: size)
            reclamp(&state)
            return []
        case .tick(let now):
            state.now = now
            return []
        case .snapshot(let snapshot):
            return apply(&state, snapshot)
        case .topicsChanged(let rows, let news, let revised):
            return applyChanged(&state, rows, news: news, revised: revised)
        case .unreadCount(let n):
            state.snapshot.unreadCount = n
            return []
        case .queueChanged(let rows):
            var snapshot = state.snapshot
            snapshot.queue = rows
            snapshot.queueCount = rows.count
            return apply(&state, snapshot)
        case .thread(let thread):
            return ReaderPane.show(&state, thread)
        case .threadTail(let tail):
            return ReaderPane.showTail(&state, tail)
        case .inbox(let unread, let items):
            InboxPane.loaded(&state, unread: unread, items: items)
            return []
        case .formSaved:
            FormOverlay.saved(&state)
            return []
        case .templates(let list):
            TemplatesOverlay.loaded(&state, list)
            return []
        case .heldDone(let key):
            QueuePane.heldDone(&state, key: key)
            return []
        case .threadPosts(let posts, let asked):
            ReaderPane.fill(&state, posts, asked: asked)
            return []
        case .searchResults(let query, let rows):
            TopicsPane.searchResults(&state, query: query, rows: rows)
            return []
        case .draftLoaded(let scope, let draft):
            ComposerPane.draftLoaded(&state, scope: scope, draft)
            return []
        case .posted(let topicId, let scope):
            // The store cleared the draft with the post: nothing to delete here.
            let welcome = ComposerPane.posted(&state, scope: scope)
            setStatus(&state, "posted")
            state.reader.focusOwnNewestPost = true
            return welcome + ReaderPane.open(&state, topicId: topicId, from: state.pane == .reader ? state.reader.returnPane : state.pane)
        case .revised(let scope):
            ComposerPane.revised(&state, scope: scope)
            return []
        case .history(let postId, let revisions):
            HistoryOverlay.loaded(&state, postId: postId, revisions)
            return []
        case .editorFinished(let text):
            if state.rules.editing { return RulesScreen.edited(&state, text) }
            ComposerPane.editorFinished(&state, text)
            return []
        case .drafts(let drafts):
            DraftsOverlay.loaded(&state, drafts)
            return []
        case .bookmarks(let marks):
            BookmarksOverlay.loaded(&state, marks)
            return []
        case .bookmarked(let postId, let on):
            BookmarksOverlay.bookmarked(&state, postId: postId, on: on)
            return []
        case .profileSaved:
            ProfileEditor.saved(&state)
            setStatus(&state, "profile saved")
            return []
        case .failed(let message):
            state.composer?.sending = false
            state.profileForm?.saving = false
            state.form?.saving = false
            state.reader.opening = nil
            if state.overlay == .history && state.history.revisions == nil { state.overlay = nil }   // refused
            if state.reader.current?.asked.isEmpty == false {
                state.reader.current?.asked = []
                state.reader.current?.askAfterKey = true
            }
            setStatus(&state, message, error: true)
            return []
        case .info(let message):
            setStatus(&state, message)
            return []
        case .report(let report):
            state.report.report = report
            return []
        case .highlights(let rows):
            HighlightsPane.load(&state, rows)
            return []
        case .matches(let login, let list):
            ProfileOverlay.matches(&state, login: login, list)
            return []
        case .presence(let presence):
            state.presence = presence
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
        } else if snapshot.me != nil {
            RulesScreen.follow(&state, before: old.program)
            state.welcome.form = nil
        } else {
            state.stage = .nonMember
        }

        // The selection stays on the same item, wherever it moved in the list.
        if let topicId, let i = state.visibleTopics.index(ofTopic: topicId) { state.topics.cursor.index = i }
        if let peerLogin, let i = state.visiblePeers.firstIndex(where: { $0.login == peerLogin }) { state.peers.cursor.index = i }
        if let queueKey, let i = state.visibleQueue.firstIndex(where: { $0.key == queueKey }) { state.queue.cursor.index = i }
        reclamp(&state)
        ReaderPane.followTopic(&state)
        let id = state.reader.current?.thread.topic.id
        return ReaderPane.growth(&state, before: id.flatMap { id in old.topics.first { $0.id == id } })
    }

    /// Changed topic rows from the feed, applied in place: the list and its shown order move just those rows (a copy
    /// of the thousand-row list, its filtering and its sorting, per change, was most of what a foreign post cost).
    static func applyChanged(_ state: inout AppState, _ rows: [TopicRow], news: [ThreadSnapshot] = [],
                             revised: Set<Int64> = []) -> [Effect] {
        let selected = state.selectedTopic?.id
        let anchor = TopicsPane.Anchor(state)
        let openId = state.reader.current?.thread.topic.id
        let openBefore = openId.flatMap { id in state.snapshot.topics.index(ofTopic: id).map { state.snapshot.topics[$0] } }
        let known = state.snapshot.unreadDelta(rows)
        let wasCurrent = state.topics.view.isCurrent(state.snapshot.topics, state.topics.filter, state.topics.sort)
        // The view holds the list it was made from (and, unfiltered by activity, *is* that list): let go of it so
        // the list is changed in place, not copied first.
        var view = state.topics.view
        state.topics.view = TopicView()
        view.release()
        let dropped = state.snapshot.merge(rows, limit: AppState.topicLimit)
        state.topics.refreshSearchRows(rows)
        if let delta = known { state.snapshot.unreadCount = max(0, state.snapshot.unreadCount + delta) }
        if wasCurrent {
            view.merge(rows, dropped: dropped, source: state.snapshot.topics)
            state.topics.view = view
        } else {
            state.refreshTopicView()
        }
        if let selected, let i = state.visibleTopics.index(ofTopic: selected) { state.topics.cursor.index = i }
        anchor?.hold(&state)
        reclamp(&state)
        ReaderPane.followTopic(&state)
        let count: [Effect] = known == nil ? [.countUnread] : []
        if let openId, revised.contains(openId), state.reader.opening != openId {
            return [.openThread(openId)] + count   // read again: a post the reader holds is not what it was
        }
        return ReaderPane.growth(&state, before: openBefore, news: news) + count
    }

    /// After the lists or the size changed: every cursor back inside its list, every selection on screen.
    static func reclamp(_ state: inout AppState) {
        let h = Layout.listHeight(state.size)
        state.topics.cursor.fit(count: state.visibleTopics.count, height: h)
        state.peers.cursor.fit(count: state.visiblePeers.count, height: h)
        state.queue.cursor.fit(count: state.queue.count(state.snapshot.queue), height: QueuePane.height(state.size))   // no need to sort 3,935 rows
        state.highlights.cursor.fit(count: state.highlights.rows.count, height: h)
        ReaderPane.clampScroll(&state)
    }

    static func setStatus(_ state: inout AppState, _ text: String, error: Bool = false) {
        state.status = text
        state.statusIsError = error
    }

    /// Asks the policy; a refusal goes to the status line.
    static func allowed(_ state: inout AppState, _ action: Action) -> Bool {
        guard let program = state.program, !RulesScreen.stops(&state, action) else { return false }
        do { try Policy.authorize(state.me, action, in: program) } catch {
            setStatus(&state, "\(error)", error: true)
            return false
        }
        return true
    }

    // MARK: - Keys

    /// The keys that work whatever has focus, then the focused controller (`focus`).
    static func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key == .resize { return [] }
        if state.reader.current?.askAfterKey == true { state.reader.current?.askAfterKey = false }
        state.status = nil
        state.statusIsError = false
        if key == .ctrl("l") { return [.redraw] }
        if key == .ctrl("c") { return flushDraft(&state) + [.quit] }

        let before = state.pane
        var effects: [Effect]
        if case .mouse(let x, let y, let button) = key {
            effects = Mouse.handle(&state, x: x, y: y, button)
        } else {
            effects = focus(state).handle(key, &state)
        }
        // The report is computed when its pane opens (it reads the whole period); highlights are read afresh.
        if state.pane == .report && before != .report && state.canSeeReport { effects.append(.loadReport) }
        if state.pane == .highlights && before != .highlights { effects.append(.loadHighlights) }
        if state.pane == .inbox && before != .inbox { effects.append(.loadInbox) }
        return effects
    }
}
