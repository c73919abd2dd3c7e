import Foundation
import AgoraCore
import AgoraScreen

/// One open thread: the selected post and the scroll, with its layout cached.
public struct ReaderState: Equatable, Sendable {
    public var thread: ThreadSnapshot
    /// Index into `thread.lines` of the post that `R` answers.
    public var selected: Int = 0
    /// First visible row of the laid-out thread.
    public var scroll: Int = 0
    /// The last layout and what it was made from. Laying out a 400-post thread costs milliseconds, and
    /// every key, tick and reload asked for it again; now only a new thread, width or minute does
    /// (ages in the reader are in minutes at their finest).
    private var cache: (width: Int, minute: Int, thread: ThreadSnapshot, layout: ReaderLayout)?
    /// Withheld posts asked for (`Effect.loadThreadPosts`) and not come yet: one request at a time.
    var asked: Set<Int64> = []
    /// The last request for them failed (the daemon is away): ask again only after the next key, never in a loop.
    var askAfterKey = false
    /// What to do once the posts asked for come: a move that the layout could not make yet.
    var pending: Pending?
    enum Pending: Sendable { case reveal, bottom, find }
    /// `/` in the reader: the text looked for and the posts that have it; n and N move between them.
    public var find: ThreadFind?
    /// The post the thread was opened for from the queue (a flagged post): "⚑" beside its header.
    public var marked: Int64?
    /// New posts this visit has shown (and marked read in the store): each is marked once.
    var shown: Set<Int64> = []
    /// Posts marked unread again this visit (`M`): never marked read again while the thread stays open.
    var unreadAgain: Set<Int64> = []
    public init(thread: ThreadSnapshot) { self.thread = thread }

    /// The thread laid out for `width` at least to row `rows` and post `post` (everything by default),
    /// from the cache when nothing it depends on changed, extending it when it does not reach far enough.
    public mutating func layout(width: Int, now: Date, rows: Int = .max, post: Int = .max) -> ReaderLayout {
        var l = cachedLayout(width: width, now: now) ?? unchangedPart(width: width, now: now)
            ?? ReaderLayout(thread: thread, width: width, now: now, rows: 0, post: -1)
        l.extend(thread: thread, width: width, now: now, rows: rows, post: post)
        cache = (width, Self.minute(now), thread, l)
        return l
    }

    /// The cached layout, if it is still right (for `render`, which cannot store one).
    public func cachedLayout(width: Int, now: Date) -> ReaderLayout? {
        guard let c = cache, c.width == width, c.minute == Self.minute(now), c.thread == thread else { return nil }
        return c.layout
    }

    /// After the thread changed (a reply came in, the thread was read again): the cached layout cut to the posts that
    /// would be laid out exactly as before. A reply at the end of a 267-post thread read from post 200 then costs the
    /// new post's rows, not 200 posts wrapped again in every session that has it open.
    private func unchangedPart(width: Int, now: Date) -> ReaderLayout? {
        guard let c = cache, c.width == width, c.minute == Self.minute(now),
              c.thread.lastReadPostId == thread.lastReadPostId, c.thread.readBeyond == thread.readBeyond,
              c.thread.bookmarked == thread.bookmarked else { return nil }
        let (old, new) = (c.thread.lines, thread.lines)
        let n = min(c.layout.laidOut, old.count, new.count)
        var same = 0
        while same < n, old[same] == new[same], c.thread.peers[old[same].post.author] == thread.peers[new[same].post.author] {
            same += 1
        }
        guard same > 1 else { return nil }
        // A post's last row (the gap before the next post) is drawn from the next line's guides: the last post kept
        // is laid out again.
        var l = c.layout
        l.keep(posts: same - 1)
        return l
    }

    static func minute(_ d: Date) -> Int { Int((d.timeIntervalSince1970 / 60).rounded(.down)) }

    public static func == (a: ReaderState, b: ReaderState) -> Bool {
        a.thread == b.thread && a.selected == b.selected && a.scroll == b.scroll && a.marked == b.marked && a.find == b.find
    }

    var selectedPost: Post? { thread.lines.indices.contains(selected) ? thread.lines[selected].post : nil }
    public var selectedPostId: Int64? { selectedPost?.id }
}

/// A find in the open thread (`/`, then n and N, as in less): the text and, in thread order, the posts whose text has
/// it. Matching ignores case and accents, as the list's search does.
public struct ThreadFind: Equatable, Sendable {
    public var text: String
    /// Indices into `ThreadSnapshot.lines`.
    public var matches: [Int] = []
    /// Posts not come yet when the find was made: it runs again when they come.
    public var incomplete = false

    static let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]

    init(_ text: String, in thread: ThreadSnapshot) {
        self.text = text
        matches = thread.lines.indices.filter { thread.isWhole($0) && thread.lines[$0].post.body.range(of: text, options: Self.options) != nil }
        incomplete = !thread.withheld.isEmpty
    }

    /// The ranges of `text` in `line`, for marking them on screen.
    func ranges(in line: String) -> [Range<String.Index>] {
        var out: [Range<String.Index>] = []
        var from = line.startIndex
        while from < line.endIndex, let r = line.range(of: text, options: Self.options, range: from..<line.endIndex), !r.isEmpty {
            out.append(r)
            from = r.upperBound
        }
        return out
    }
}

/// Pane 4: the open thread, and what opening one involves (the request, where `q` goes back to).
public struct ReaderPane: Equatable, Sendable {
    /// The thread on screen, if one is open.
    public var current: ReaderState?
    /// A topic asked for and not loaded yet.
    public var opening: Int64?
    /// After sending, the thread opens on the sender's newest post rather than the first unread.
    var focusOwnNewestPost = false
    /// The thread being opened opens on this post, rather than the first unread; marked ⚑ when `markFocus` (a flag
    /// from the queue), not for a post the inbox points at.
    var focusPost: Int64?
    var markFocus = true
    /// Where `q` in the reader goes back to.
    public var returnPane: Pane = .topics

    /// Asks for a thread and shows the reader; every pane opens topics through here. `post`: open on that post and
    /// mark it.
    static func open(_ state: inout AppState, topicId: Int64, from pane: Pane, at post: Int64? = nil, mark: Bool = true) -> [Effect] {
        state.reader.markFocus = mark
        state.reader.returnPane = pane == .reader ? .topics : pane
        state.pane = .reader
        state.overlay = nil
        state.reader.focusPost = post
        // Opened again at a post: laid out afresh, so the post is selected and marked.
        if state.reader.current?.thread.topic.id != topicId || post != nil { state.reader.current = nil }
        state.reader.current?.marked = nil   // opened again from a list: the mark was for the queue's visit
        state.reader.opening = topicId
        return [.openThread(topicId)]
    }

    /// A thread arrived: a reload of the one open, or the one asked for.
    static func show(_ state: inout AppState, _ thread: ThreadSnapshot) -> [Effect] {
        guard let id = thread.topic.id else { return [] }
        var thread = thread
        thread.viewer = state.login
        if var reader = state.reader.current, reader.thread.topic.id == id, state.reader.opening != id {
            // A reload: keep the selected post and the scroll; posts new to me stay marked.
            let selectedId = reader.selectedPost?.id
            var t = thread.keeping(reader.thread)
            // The marks as they were when it opened (what was new stays marked for the visit), unless the store's are
            // lower (a post marked unread in another session).
            if thread.lastReadPostId >= reader.thread.lastReadPostId {
                (t.lastReadPostId, t.readBeyond) = (reader.thread.lastReadPostId, reader.thread.readBeyond)
            }
            reader.thread = t
            reader.selected = t.lines.firstIndex(where: { $0.post.id == selectedId }) ?? min(reader.selected, max(0, t.lines.count - 1))
            if let find = reader.find { reader.find = ThreadFind(find.text, in: t) }
            state.reader.current = reader
        } else {
            guard state.reader.opening == id else { return [] }   // the user moved on meanwhile
            var reader = ReaderState(thread: thread)
            reader.selected = thread.lines.firstIndex(where: { thread.isNew($0.post) }) ?? 0
            if state.reader.focusOwnNewestPost {
                let mine = thread.lines.indices.filter { thread.lines[$0].post.author == state.login }
                if let newest = mine.max(by: { (thread.lines[$0].post.id ?? 0) < (thread.lines[$1].post.id ?? 0) }) {
                    reader.selected = newest
                }
                state.reader.focusOwnNewestPost = false
            }
            if let post = state.reader.focusPost {
                if let i = thread.lines.firstIndex(where: { $0.post.id == post }) { reader.selected = i }
                if state.reader.markFocus { reader.marked = post }
                state.reader.focusPost = nil
            }
            if reader.selected > 0 { scroll(&reader, toPost: reader.selected, state) }
            state.reader.current = reader
            state.reader.opening = nil
        }
        clampScroll(&state)
        // What it shows is read: `markShown`, after this event.
        return []
    }

    /// After every event: the new posts on screen now are read (the store hears of it through `markRead`), each once
    /// a visit; what was never on screen stays unread. When nothing new is left unshown, the topic is read to its
    /// last post in one mark (and the list no longer shows it unread).
    static func markShown(_ state: inout AppState) -> [Effect] {
        guard state.pane == .reader, var reader = state.reader.current, let id = reader.thread.topic.id,
              state.reader.opening != id else { return [] }
        let height = Layout.readerContentHeight(state.size)
        guard let layout = reader.cachedLayout(width: Layout.readerWidth(state.size), now: state.now),
              !layout.postStarts.isEmpty, reader.scroll < layout.rows.count else { return [] }
        let lines = reader.thread.lines
        let first = layout.post(at: max(0, reader.scroll))
        let last = layout.post(at: min(layout.rows.count, reader.scroll + height) - 1)
        var shown: [Int64] = []
        for i in first...max(first, last) where i < lines.count && reader.thread.isWhole(i) {
            let post = lines[i].post
            guard let pid = post.id, reader.thread.isNew(post), !reader.shown.contains(pid), !reader.unreadAgain.contains(pid) else { continue }
            shown.append(pid)
        }
        guard !shown.isEmpty else { return [] }
        reader.shown.formUnion(shown)
        let left = lines.contains { l in
            reader.thread.isNew(l.post) && !reader.shown.contains(l.post.id ?? 0)
        }
        state.reader.current = reader
        guard !left && reader.unreadAgain.isEmpty else { return [.markRead(topicId: id, upTo: 0, posts: shown)] }
        setListUnread(&state, topic: id, false)
        return [.markRead(topicId: id, upTo: reader.thread.lastPostId)]
    }

    /// The list's row for `topic` bold or not, and the header's count with it; the cursor stays on the topic it was
    /// on when the order changes.
    static func setListUnread(_ state: inout AppState, topic id: Int64, _ unread: Bool) {
        if let i = state.topics.searchRows.firstIndex(where: { $0.id == id }) { state.topics.searchRows[i].unread = unread }
        guard let i = state.snapshot.topics.firstIndex(where: { $0.id == id }), state.snapshot.topics[i].unread != unread else { return }
        let selected = state.selectedTopic?.id
        state.snapshot.topics[i].unread = unread
        if !unread { state.snapshot.topics[i].keepsPlace = true }
        state.snapshot.unreadCount = max(0, state.snapshot.unreadCount + (unread ? 1 : -1))
        if let selected, let j = state.visibleTopics.firstIndex(where: { $0.id == selected }) {
            state.topics.cursor.index = j
            state.topics.cursor.reveal(height: Layout.listHeight(state.size))
        }
    }

    /// The posts after the last one shown, for the thread still open; anything else arrived too late to matter.
    static func showTail(_ state: inout AppState, _ tail: ThreadSnapshot) -> [Effect] {
        guard let reader = state.reader.current, let id = tail.topic.id, reader.thread.topic.id == id else { return [] }
        return show(&state, reader.thread.appending(tail))
    }

    /// The open thread grew in the snapshot (a reply from another session): what to load. Not while it is being
    /// opened anyway (after our own reply the thread is on its way).
    /// `before`: the open topic's row before the change. `news`: posts that came with the change (the daemon's
    /// push); when they are exactly the posts the open thread is missing they are shown at once, without a request.
    static func growth(_ state: inout AppState, before: TopicRow?, news: [ThreadSnapshot] = []) -> [Effect] {
        guard let reader = state.reader.current, let id = reader.thread.topic.id, state.reader.opening != id,
              let at = state.snapshot.topics.index(ofTopic: id), case let row = state.snapshot.topics[at],
              row.topic.lastPostId > reader.thread.lastPostId || row.topic.postCount != reader.thread.lines.count,
              before != row else { return [] }
        if row.topic.lastPostId > reader.thread.lastPostId && row.topic.postCount > reader.thread.lines.count {
            let have = reader.thread.lastPostId
            if let tail = news.first(where: { $0.topic.id == id }),
               tail.lines.allSatisfy({ ($0.post.id ?? 0) > have }),
               reader.thread.lines.count + tail.lines.count == row.topic.postCount,
               tail.lastPostId == row.topic.lastPostId {
                // The push cannot know how far this person had read: the thread's own mark stands (and the read mark
                // for the new posts follows from it, as after a requested tail).
                var t = tail
                t.lastReadPostId = reader.thread.lastReadPostId
                return showTail(&state, t)
            }
            return [.loadThreadTail(topicId: id, after: have)]
        }
        return [.openThread(id)]
    }

    /// The open thread's topic as the list's row has it now, for what a change can alter without touching a post (its
    /// status, its answer marked in another session): the facts row and the ✓ follow at once, without a reload.
    static func followTopic(_ state: inout AppState) {
        guard let id = state.reader.current?.thread.topic.id, state.reader.opening != id,
              let i = state.snapshot.topics.index(ofTopic: id) else { return }
        let row = state.snapshot.topics[i].topic
        guard var topic = state.reader.current?.thread.topic,
              topic.acceptedPostId != row.acceptedPostId || topic.status != row.status else { return }
        (topic.acceptedPostId, topic.status) = (row.acceptedPostId, row.status)
        state.reader.current?.thread.topic = topic
    }

    /// The terminal is now `size`. A new reader width re-wraps the thread: the post at the top stays at the top.
    static func resize(_ state: inout AppState, to size: Size) {
        let (oldWidth, newWidth) = (Layout.readerWidth(state.size), Layout.readerWidth(size))
        var topPost: Int?
        if oldWidth != newWidth, var reader = state.reader.current {
            topPost = reader.layout(width: oldWidth, now: state.now, rows: reader.scroll + 1).post(at: reader.scroll)
            state.reader.current = reader
        }
        state.size = size
        if let topPost, var reader = state.reader.current {
            reader.scroll = reader.layout(width: newWidth, now: state.now, rows: 0, post: topPost).postStarts[topPost]
            state.reader.current = reader
        }
    }

    /// Keeps the scroll inside the laid-out thread and the selection on a post. The layout is extended only a
    /// screen past the scroll: an unfinished layout already reaches past the screen, and only a finished one
    /// limits the scroll.
    static func clampScroll(_ state: inout AppState) {
        guard var reader = state.reader.current else { return }
        let height = Layout.readerContentHeight(state.size)
        let layout = reader.layout(width: Layout.readerWidth(state.size), now: state.now,
                                   rows: max(0, reader.scroll) + height + 1, post: reader.selected)
        if layout.isComplete { reader.scroll = min(max(0, reader.scroll), max(0, layout.rows.count - height)) }
        reader.selected = min(max(0, reader.selected), max(0, reader.thread.lines.count - 1))
        state.reader.current = reader
    }

    /// Scrolls so the selected post's header is at the top.
    static func revealPost(_ state: inout AppState) {
        guard var reader = state.reader.current else { return }
        scroll(&reader, toPost: reader.selected, state)
        state.reader.current = reader
        clampScroll(&state)
    }

    /// Scrolls so post `i`'s header is at the top. A post beyond one that has not come whole cannot be laid out yet:
    /// the reader goes as far as it can and finishes the move when the posts come (`pending`).
    static func scroll(_ reader: inout ReaderState, toPost i: Int, _ state: AppState) {
        let layout = reader.layout(width: Layout.readerWidth(state.size), now: state.now, rows: 0, post: i)
        if layout.postStarts.indices.contains(i) {
            reader.scroll = layout.postStarts[i]
            reader.pending = nil
        } else {
            reader.scroll = max(0, layout.rows.count - Layout.readerContentHeight(state.size))
            reader.pending = .reveal
        }
    }

    /// Posts asked for ahead (`fetchAhead`) are this many lines at a time; never more than `maxAsked` in one request.
    static let fetchChunk = 64
    static let maxAsked = 2_000

    /// After every event: the withheld posts to ask for, when the reader is within about two screens of the first of
    /// them (or a move waits for them). Nothing for a thread that came whole: that test is the whole cost then. The
    /// layout is not extended to find out (that would lay out a screen more before every frame): the whole posts not
    /// laid out yet count as three rows each, the fewest a post takes.
    static func fetchAhead(_ state: inout AppState) -> [Effect] {
        guard state.pane == .reader, var reader = state.reader.current, !reader.thread.withheld.isEmpty, reader.asked.isEmpty,
              !reader.askAfterKey, let id = reader.thread.topic.id, state.reader.opening != id else { return [] }
        let height = Layout.readerContentHeight(state.size)
        let layout = reader.layout(width: Layout.readerWidth(state.size), now: state.now, rows: 0, post: -1)
        let lines = reader.thread.lines
        var firstWithheld = layout.laidOut
        while firstWithheld < lines.count && reader.thread.isWhole(firstWithheld) { firstWithheld += 1 }
        let rowsAhead = layout.rows.count - reader.scroll + 3 * (firstWithheld - layout.laidOut)
        let waiting = reader.pending != nil || reader.selected >= firstWithheld
        guard waiting || rowsAhead < 2 * height else {
            state.reader.current = reader
            return []
        }
        let through = reader.pending == .bottom || reader.pending == .find ? lines.count : max(reader.selected + 1, firstWithheld + fetchChunk)
        // At most `maxAsked` at a time (a request has a size limit): `G` on a huge thread asks again until the end.
        let ids = Array((firstWithheld..<min(lines.count, through)).lazy.compactMap { i in reader.thread.isWhole(i) ? nil : lines[i].post.id }
            .prefix(maxAsked))
        reader.asked = Set(ids)
        state.reader.current = reader
        // Ahead: the screen is laid out without them, so they can wait for the frame.
        let ahead = !waiting && layout.rows.count >= reader.scroll + height
        return ids.isEmpty ? [] : [.loadThreadPosts(topicId: id, ids: ids, ahead: ahead)]
    }

    /// Withheld posts came: the reader lays them out and finishes the move that waited for them. Posts asked for
    /// that did not come (none should: posts are never deleted) stop being withheld, so nothing asks for them again.
    /// An answer to an earlier request (the thread was opened again meanwhile) fills what it brought and changes
    /// nothing else.
    static func fill(_ state: inout AppState, _ posts: ThreadSnapshot, asked: [Int64]) {
        guard var reader = state.reader.current, reader.thread.topic.id == posts.topic.id else { return }
        reader.thread = reader.thread.filling(posts)
        guard Set(asked) == reader.asked else {
            state.reader.current = reader
            clampScroll(&state)
            return
        }
        reader.thread.withheld.subtract(reader.asked)
        reader.asked = []
        if let find = reader.find { reader.find = ThreadFind(find.text, in: reader.thread) }
        let pending = reader.pending
        state.reader.current = reader
        switch pending {
        case .bottom?: scroll(&state, .bottom)
        case .reveal?: revealPost(&state)
        case .find?:
            // The rest of the thread came: the find goes on from where it was asked.
            guard state.reader.current?.find?.incomplete == false else { return }
            state.reader.current?.pending = nil
            findMove(&state, from: state.reader.current?.selected ?? 0, forward: true, including: true)
        case nil: clampScroll(&state)
        }
    }
}

extension ReaderPane: PaneController {
    static let context = KeyContext.reader

    static func run(_ command: Command, _ state: inout AppState) -> [Effect]? {
        switch command {
        case .back:
            state.pane = state.reader.returnPane
        case .search:
            guard state.reader.current != nil else { return nil }
            state.prompt = Prompt(purpose: .findInThread, field: TextField(state.reader.current?.find?.text ?? ""))
        case .acceptAnswer:
            guard let reader = state.reader.current, let post = reader.selectedPost, let postId = post.id else { return nil }
            guard reader.selected > 0 else {
                TUI.setStatus(&state, "the opening post asks; choose a reply (n, j) and press a", error: true)
                return []
            }
            let topic = reader.thread.topic
            if topic.author != state.login { guard TUI.allowed(&state, .markResolved) else { return [] } }
            return [.acceptAnswer(topicId: topic.id ?? post.topicId, postId: postId)]
        case .goToAnswer:
            guard var reader = state.reader.current else { return nil }
            guard let answer = reader.thread.topic.acceptedPostId,
                  let i = reader.thread.lines.firstIndex(where: { $0.post.id == answer }) else {
                TUI.setStatus(&state, "this topic has no answer marked yet (a on a reply marks one)")
                return []
            }
            reader.selected = i
            state.reader.current = reader
            revealPost(&state)
        case .markUnread:
            guard var reader = state.reader.current, let post = reader.selectedPost, let postId = post.id,
                  let topicId = reader.thread.topic.id else { return nil }
            guard post.author != state.login else {
                TUI.setStatus(&state, "your own posts are never unread to you", error: true)
                return []
            }
            reader.unreadAgain.insert(postId)
            reader.shown.remove(postId)
            // New again on screen: beyond the mark, and not among the posts read beyond it.
            if postId <= reader.thread.lastReadPostId {
                let between = reader.thread.lines.compactMap(\.post.id).filter { $0 > postId && $0 <= reader.thread.lastReadPostId }
                reader.thread.readBeyond.formUnion(between)
                reader.thread.lastReadPostId = postId - 1
            }
            reader.thread.readBeyond.remove(postId)
            state.reader.current = reader
            setListUnread(&state, topic: topicId, true)
            TUI.setStatus(&state, "marked unread: it stays new until you open the topic again")
            return [.markUnread(postId: postId)]
        case .editPost, .deletePost:
            guard let reader = state.reader.current, let post = reader.selectedPost, let postId = post.id else { return nil }
            guard post.author == state.login else {
                TUI.setStatus(&state, "only its author edits or deletes a post; ! flags it for the champions", error: true)
                return []
            }
            guard !post.deleted, !post.hidden else {
                TUI.setStatus(&state, post.deleted ? "this post is deleted" : "a champion hid this post: it cannot be changed now", error: true)
                return []
            }
            if command == .deletePost {
                state.prompt = Prompt(purpose: .confirmDelete(postId: postId, topicId: post.topicId), field: TextField())
                return []
            }
            return ComposerPane.start(&state, .edit(topic: post.topicId, post: postId, title: reader.thread.topic.title, text: post.body))
        case .bookmark:
            guard let post = state.reader.current?.selectedPost, let postId = post.id else { return nil }
            let on = state.reader.current?.thread.bookmarked.contains(postId) != true
            return [.setBookmark(postId: postId, on: on)]
        case .postHistory:
            guard let post = state.reader.current?.selectedPost else { return nil }
            guard post.edited != nil || post.deleted else {
                TUI.setStatus(&state, "this post was never edited: it has no history")
                return []
            }
            return HistoryOverlay.show(&state, post)
        case .watch:
            guard state.reader.current?.thread.topic.id != nil else { return nil }
            state.prompt = Prompt(purpose: .watchLevel, field: TextField())
            state.prompt?.note = "watching, normal or muted"
        case .findNext, .findPrevious:
            guard let reader = state.reader.current, reader.find != nil else { return nil }
            findMove(&state, from: reader.selected, forward: command == .findNext, including: false)
        case .clearFilter:
            guard state.reader.current?.find != nil else { return nil }
            state.reader.current?.find = nil
            if state.reader.current?.pending == .find { state.reader.current?.pending = nil }
            TUI.setStatus(&state, "find ended")
        case .pageDown where atEnd(state):
            // Space (or PgDn) at the end of a thread reads on: the next unread post, in this topic or the next (slrn, tin).
            return run(.nextUnread, &state) ?? GlobalCommands.run(.nextUnread, &state)
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            scroll(&state, command)
        case .nextUnread:
            // Further down this thread first; past its end, the next topic with unread posts.
            guard var reader = state.reader.current else { return nil }
            let lines = reader.thread.lines
            guard let i = lines.indices.first(where: { $0 > reader.selected && reader.thread.isNew(lines[$0].post) })
            else { return nil }
            reader.selected = i
            state.reader.current = reader
            revealPost(&state)
        case .nextPost, .prevPost:
            guard var reader = state.reader.current else { return [] }
            let next = reader.selected + (command == .nextPost ? 1 : -1)
            guard reader.thread.lines.indices.contains(next) else {
                TUI.setStatus(&state, command == .nextPost ? "last post; N for the next unread" : "first post")
                return []
            }
            reader.selected = next
            state.reader.current = reader
            revealPost(&state)
        case .reply, .replyToPost:
            guard let reader = state.reader.current, let topicId = reader.thread.topic.id else {
                TUI.setStatus(&state, "open a topic first", error: true)
                return []
            }
            let title = Sanitizer.line(reader.thread.topic.title)
            var parent: Int64? = nil
            var context = "Re: \(title)"
            if command == .replyToPost, reader.selected > 0 {
                let post = reader.thread.lines[reader.selected].post
                parent = post.id
                context += " · answering \(state.displayName(post.author))"
            }
            var composer = ComposerState(topicId: topicId, parentId: parent, context: context)
            if parent != nil { composer.quoted = reader.thread.lines[reader.selected].post.body }
            return ComposerPane.start(&state, composer)
        case .highlight:
            guard TUI.allowed(&state, .highlight) else { return [] }
            if let reader = state.reader.current, let topic = reader.thread.topic.id {
                state.prompt = Prompt(purpose: .highlightWhy(topicId: topic, postId: reader.selectedPost?.id), field: TextField())
            } else if let row = state.selectedTopic {
                // Nothing open: the topic selected in the list, as `h` there would.
                state.prompt = Prompt(purpose: .highlightWhy(topicId: row.id, postId: nil), field: TextField())
            }
        case .flag:
            guard let postId = state.reader.current?.selectedPost?.id, TUI.allowed(&state, .flag) else { return [] }
            state.prompt = Prompt(purpose: .flagWhy(postId: postId), field: TextField())
        default:
            return nil
        }
        return []
    }

    /// `/` answered: finds `text` in the thread's posts and goes to the first post with it from the selected one on.
    /// Posts of a long thread that have not come yet are asked for first; the find finishes when they come.
    static func find(_ state: inout AppState, _ text: String) -> [Effect] {
        guard var reader = state.reader.current else { return [] }
        guard !text.isEmpty else {
            reader.find = nil
            state.reader.current = reader
            return []
        }
        let find = ThreadFind(text, in: reader.thread)
        reader.find = find
        if find.incomplete {
            reader.pending = .find
            state.reader.current = reader
            TUI.setStatus(&state, "looking through all \(reader.thread.lines.count) posts…")
            return []
        }
        state.reader.current = reader
        findMove(&state, from: reader.selected, forward: true, including: true)
        return []
    }

    /// To the next (or previous) post with the text found, wrapping round the thread as less does, and says where.
    /// `including`: the post `from` itself counts (a new find starts on the post being read).
    static func findMove(_ state: inout AppState, from: Int, forward: Bool, including: Bool) {
        guard var reader = state.reader.current, let find = reader.find else { return }
        let quoted = "'\(Sanitizer.line(find.text))'"
        guard !find.matches.isEmpty else {
            TUI.setStatus(&state, "\(quoted) is in no post of this thread", error: true)
            return
        }
        let after = forward ? find.matches.first { including ? $0 >= from : $0 > from }
                            : find.matches.last { including ? $0 <= from : $0 < from }
        let target = after ?? (forward ? find.matches[0] : find.matches[find.matches.count - 1])
        reader.selected = target
        state.reader.current = reader
        revealPost(&state)
        let n = find.matches.firstIndex(of: target)! + 1
        let wrapped = after == nil ? (forward ? " · from the top again" : " · from the end again") : ""
        let sofar = find.incomplete ? " (of the posts come so far)" : ""
        TUI.setStatus(&state, "\(quoted): post \(n) of \(find.matches.count)\(sofar) that have it\(wrapped) · n next, N previous, Esc ends")
    }

    /// Whether the whole end of the open thread is on screen (paging further would not move it).
    static func atEnd(_ state: AppState) -> Bool {
        guard var reader = state.reader.current else { return false }
        let rh = Layout.readerContentHeight(state.size)
        let layout = reader.layout(width: Layout.readerWidth(state.size), now: state.now, rows: reader.scroll + rh + 1, post: reader.selected)
        return layout.isComplete && reader.scroll + rh >= layout.rows.count
    }

    /// j/k and the page keys scroll the thread; the selected post follows the top of the screen.
    static func scroll(_ state: inout AppState, _ command: Command) {
        guard var reader = state.reader.current else { return }
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
        reader.pending = command == .bottom && layout.waits ? .bottom : nil
        // The selected post is the one at the top, or the last one once the end shows.
        reader.selected = reader.scroll + rh >= layout.rows.count && step > 0
            ? max(reader.selected, layout.post(at: reader.scroll))
            : layout.post(at: reader.scroll)
        if command == .bottom { reader.selected = max(0, reader.thread.lines.count - 1) }
        state.reader.current = reader
    }
}

/// The reader while a find lasts: n and N go to the next and previous match, Esc ends it; every other key is the
/// reader's.
enum ReaderFindMode: PaneController {
    static let context = KeyContext.readerFind
    static func run(_ command: Command, _ state: inout AppState) -> [Effect]? { ReaderPane.run(command, &state) }
}

// MARK: - Drawing

extension ReaderPane {
    /// `alsoReading`: who else has this topic open (the daemon's presence), named on the facts row.
    func draw(_ p: inout Painter, _ rect: Rect, focused: Bool, now: Date, alsoReading: [String] = []) {
        guard let reader = current else {
            let text = opening != nil ? "Loading…" : "No topic open. Press 1 for the topic list, then Enter on one."
            p.text(text, in: rect, row: 1, x: 2, role: .uiTextDim)
            return
        }
        let thread = reader.thread
        let t = thread.topic
        let kind = "[\(t.kind.rawValue)] #\(t.id ?? 0) "
        let kx = p.text(kind, in: rect, row: 0, x: 1, role: .topicKind)
        p.text(Sanitizer.line(t.title), in: rect, row: 0, x: 1 + kx, role: .uiTitle)
        var facts = "\(t.status.rawValue) · \(thread.lines.count) post\(thread.lines.count == 1 ? "" : "s")"
        // The answer, reachable from the top: who gave it, and the key that goes there.
        if let answer = t.acceptedPostId, let line = thread.lines.first(where: { $0.post.id == answer }) {
            let who = thread.peers[line.post.author].map { $0.name.isEmpty ? $0.login : $0.name } ?? line.post.author
            facts += " · ✓ answer by \(Sanitizer.line(who)) (A)"
        }
        if !thread.tags.isEmpty { facts += " · tags: " + thread.tags.map(Sanitizer.line).joined(separator: ", ") }

        let content = Rect(x: rect.x, y: rect.y + Layout.readerTitleRows, width: rect.width, height: rect.height - Layout.readerTitleRows)
        // `update` keeps the cached layout reaching past the screen; lay out afresh only if it does not.
        let needed = reader.scroll + content.height + 1
        let cached = reader.cachedLayout(width: rect.width, now: now)
        let layout = cached.flatMap { $0.isComplete || $0.rows.count >= needed ? $0 : nil }
            ?? ReaderLayout(thread: thread, width: rect.width, now: now, rows: needed, post: reader.selected)
        // "more ↓" goes on the last row when that row leaves it room, else at the end of the facts row: never over text.
        let more = "more ↓"
        var moreOnFacts = false
        if !layout.isComplete || layout.rows.count > reader.scroll + content.height {
            let last = reader.scroll + content.height - 1
            let end = layout.rows.indices.contains(last) ? layout.rows[last].map { $0.x + DisplayWidth.of($0.text) }.max() ?? 0 : 0
            if end + 1 + DisplayWidth.of(more) <= content.width {
                p.right(more, in: content, row: content.height - 1, role: .uiTextDim)
            } else {
                moreOnFacts = true
                p.right(more, in: rect, row: 1, role: .uiTextDim)
            }
        }
        let factsRoom = rect.width - 2 - (moreOnFacts ? DisplayWidth.of(more) + 2 : 0)
        let factsWidth = p.text(DisplayWidth.truncate(facts, to: max(0, factsRoom)), in: rect, row: 1, x: 1, role: .topicMeta)
        if !alsoReading.isEmpty {
            // Right-aligned after the facts, cut (never over them, nor over "more ↓") when the row is narrow.
            let margin = moreOnFacts ? DisplayWidth.of(more) + 2 : 1
            let room = rect.width - factsWidth - 3 - margin
            let names = "also reading: " + alsoReading.map(Sanitizer.line).joined(separator: ", ")
            if room >= 16 { p.right(DisplayWidth.truncate(names, to: room), in: rect, row: 1, role: .uiTextDim, margin: margin) }
        }
        let selectedRow = layout.postStarts.indices.contains(reader.selected) ? layout.postStarts[reader.selected] : -1
        func row(of id: Int64?) -> Int {
            id.flatMap { id in thread.lines.firstIndex { $0.post.id == id } }
                .flatMap { layout.postStarts.indices.contains($0) ? layout.postStarts[$0] : nil } ?? -1
        }
        let markedRow = row(of: reader.marked)
        let answerRow = row(of: t.acceptedPostId)
        for row in 0..<content.height {
            let i = reader.scroll + row
            guard i < layout.rows.count else { break }
            if i == markedRow {
                p.text("⚑", in: content, row: row, x: 0, role: .queueOverdue)
            } else if i == answerRow && i != selectedRow {
                p.text("✓", in: content, row: row, x: 0, role: .queueFresh)
            } else if i == selectedRow {
                p.text("▌", in: content, row: row, x: 0, role: focused ? .uiSelection : .uiSelectionUnfocused)
            }
            for span in layout.rows[i] {
                p.text(span.text, in: content, row: row, x: span.x, role: span.role)
                // What `/` found, marked where it stands whole on a row.
                if let find = reader.find, span.role == .postBody || span.role == .postQuote {
                    for r in find.ranges(in: span.text) {
                        let x = span.x + DisplayWidth.of(String(span.text[..<r.lowerBound]))
                        p.text(String(span.text[r]), in: content, row: row, x: x, role: .uiSelection)
                    }
                }
            }
        }
    }
}
