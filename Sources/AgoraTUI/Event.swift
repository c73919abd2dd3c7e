import Foundation
import AgoraCore
import AgoraScreen

/// Everything that can happen to the app. The loop turns keys, signals and store results into these.
public enum Event: Equatable, Sendable {
    case key(Key)
    case resize(Size)
    /// The clock moved: sent with whatever woke the loop. There is no timer for it (idle means asleep, zero
    /// wakeups), so relative ages and queue colours refresh with the next key or change, not on their own.
    case tick(Date)
    /// The database changed (or was first loaded): everything but the open thread.
    case snapshot(Snapshot)
    /// Some topics changed (new posts, status, claims): their rows as they are now. Rows not in the list yet are
    /// new topics (or old ones revived); the list keeps its order by activity. The unread count follows from the
    /// rows the list had; when it cannot (an old topic it did not hold), the TUI asks with `Effect.countUnread`.
    /// `news`: new posts the daemon's push brought with their rows (one tail per topic); an open thread they
    /// complete takes them without asking. `revised`: topics one of whose posts changed in place (a champion hid
    /// it): an open one among them is read again.
    case topicsChanged([TopicRow], news: [ThreadSnapshot] = [], revised: Set<Int64> = [])
    /// How many topics have posts I have not read, answering `Effect.countUnread`.
    case unreadCount(Int)
    /// The champion queue changed: all of it, as it is now.
    case queueChanged([QueueRow])
    /// A thread asked for with `Effect.openThread`, or reloaded because it changed.
    case thread(ThreadSnapshot)
    /// The posts an open thread is missing (`Effect.loadThreadTail`), with the topic as it is now.
    case threadTail(ThreadSnapshot)
    /// Withheld posts of the open thread, whole, answering `Effect.loadThreadPosts` for the ids `asked`.
    case threadPosts(ThreadSnapshot, asked: [Int64])
    case searchResults(query: String, rows: [TopicRow])
    /// The draft saved for a place, answering `Effect.loadDraft` (nil: none).
    case draftLoaded(scope: String, draft: Draft?)
    /// A post or reply was stored; the thread to show.
    case posted(topicId: Int64, scope: String)
    /// The store took my edit (`scope`: the composer's draft slot) or deletion (nil) of a post.
    case revised(scope: String?)
    /// A post's earlier texts, oldest first, answering `Effect.loadHistory`.
    case history(postId: Int64, [PostRevision])
    /// $EDITOR returned with this text (nil: it failed or was aborted).
    case editorFinished(String?)
    /// An effect failed; the message is shown in the status line.
    case failed(String)
    /// A held queue action was done (its 10 s for undo are over, or the session is ending).
    case heldDone(key: String)
    /// The leader's form was taken by the store.
    case formSaved
    case templates([TopicTemplate])
    /// My unread count, and my notifications when the inbox is on screen (nil: only the count changed).
    case inbox(unread: Int, items: [NotificationItem]?)
    /// Something worth a line in the status bar ("rules accepted").
    case info(String)
    /// The store took my profile's change.
    case profileSaved
    case drafts([Draft])
    /// My bookmarks, answering `Effect.loadBookmarks`.
    case bookmarks([Bookmark])
    /// The store took a bookmark (`on`) or let it go.
    case bookmarked(postId: Int64, on: Bool)
    /// The leader's report, answering `Effect.loadReport`.
    case report(LeaderReport)
    /// The Highlights view, answering `Effect.loadHighlights`.
    case highlights([HighlightRow])
    /// Suggested peers for `login`, answering `Effect.loadMatches`.
    case matches(login: String, [MatchSuggestion])
    /// Who else is here (the daemon's word; a program opened in-process never sends this).
    case presence(Presence)
}

/// Work for the loop: everything that touches the store, the terminal or other processes.
public enum Effect: Equatable, Sendable {
    case quit
    /// Ctrl-L: repaint every cell.
    case redraw
    /// Load a snapshot again (after a filter change the TUI filters itself; this is for "refresh").
    case reload
    case openThread(Int64)
    /// Count the unread topics in the store (the list cannot tell); answered with `Event.unreadCount`.
    case countUnread
    /// The open thread grew: load only its posts after `after`; answered with `Event.threadTail`.
    case loadThreadTail(topicId: Int64, after: Int64)
    /// The open thread's reader got near posts that came without their bodies; answered with `Event.threadPosts`.
    /// `ahead`: nothing on screen waits for them (the loop reads them after the frame); otherwise a move does.
    case loadThreadPosts(topicId: Int64, ids: [Int64], ahead: Bool)
    /// The thread read up to `upTo` (0: no further than it was) and the posts `posts` beyond (what the screen showed).
    case markRead(topicId: Int64, upTo: Int64, posts: [Int64] = [])
    /// `M`: the post is unread again.
    case markUnread(postId: Int64)
    case search(String)
    case post(kind: TopicKind, title: String, tags: [String], body: String, scope: String)
    case reply(topicId: Int64, parentId: Int64?, body: String, scope: String)
    case loadDraft(scope: String)
    case saveDraft(Draft)
    case deleteDraft(scope: String)
    /// Suspend the terminal and edit this text in $VISUAL/$EDITOR; answer with `Event.editorFinished`.
    case runEditor(String)
    case createProgram(name: String, purpose: String)
    case fillDemo
    case acknowledgeRules
    case claim(key: String)
    case release(key: String)
    /// Mark a newcomer welcomed (once their welcome topic is posted).
    case welcome(login: String)
    case resolveTopic(Int64)
    case snooze(key: String, until: Date)
    /// My own profile's goals, offers and bio; answered with `Event.profileSaved`.
    case updateProfile(goals: String, offers: String, bio: String)
    /// The leader's new rules of engagement (a new version).
    case setRules(String)
    /// Pass a queue item to the leader with a note.
    case escalate(key: String, note: String)
    case highlight(topicId: Int64, postId: Int64?, why: String)
    case flag(postId: Int64, reason: String)
    case resolveFlag(id: Int64, hide: Bool, reason: String)
    case loadReport
    case loadHighlights
    case loadMatches(login: String)
    /// My drafts; answered with `Event.drafts`.
    case loadDrafts
    /// Keep the list's sort and filters for the next session (a file of mine, not the store).
    case saveView(ViewSettings)
    /// A champion's queue action, done only after `QueuePane.holdSeconds` unless `cancelHeld` comes first (undo);
    /// the loop answers with `Event.heldDone` once it is done. A new hold does the one before it at once.
    indirect case hold(Effect, key: String)
    case cancelHeld
    /// A new topic from a template: its follow-up puts it back in the queue on that date.
    case postFromTemplate(kind: TopicKind, title: String, tags: [String], body: String, scope: String, template: String, followUp: Date?)
    /// The leader's work; each answered with `Event.formSaved` (the forms) or a line on the status line.
    case addPeer(Peer)
    /// Peers from a CSV file the person running the session can read.
    case importPeers(path: String)
    case changeRole(login: String, role: PeerRole)
    case saveTemplate(TopicTemplate)
    case updateSettings(ProgramSettings)
    /// The whole program to a file: Markdown for `.md`/`.markdown`, else JSON.
    case export(path: String)
    /// The program's templates; answered with `Event.templates`.
    case loadTemplates
    /// My inbox; answered with `Event.inbox`.
    case loadInbox
    /// How much a topic tells me.
    case setWatch(topicId: Int64, level: WatchLevel)
    /// How much every topic with the tag tells me.
    case setTagWatch(tag: String, level: WatchLevel)
    /// Mark a reply as its topic's answer (or take the mark back).
    case acceptAnswer(topicId: Int64, postId: Int64)
    /// A new text for my post (its old one kept as history); answered with `Event.revised`.
    case editPost(postId: Int64, topicId: Int64, body: String, scope: String)
    /// My post deleted: "deleted by its author" in its place; answered with `Event.revised`.
    case deletePost(postId: Int64, topicId: Int64)
    /// A post's earlier texts; answered with `Event.history`.
    case loadHistory(postId: Int64)
    /// Keep a post for later (`on`) or let it go; answered with `Event.bookmarked`.
    case setBookmark(postId: Int64, on: Bool)
    /// My bookmarks; answered with `Event.bookmarks`.
    case loadBookmarks
    /// These notifications (nil: all of mine) read; answered with `Event.inbox`.
    case markNotificationsRead(ids: [Int64]?)
}

extension Effect {
    /// Whether the effect writes to the store (the benchmark's trace counts reads and writes apart).
    public var writes: Bool {
        switch self {
        case .quit, .redraw, .reload, .openThread, .loadThreadTail, .loadThreadPosts, .countUnread, .search, .loadDraft, .runEditor, .loadReport,
             .loadHighlights, .loadMatches, .loadDrafts, .saveView, .hold, .cancelHeld, .export, .loadTemplates, .loadInbox, .loadHistory, .loadBookmarks:
            return false
        case .markRead, .markUnread, .post, .reply, .saveDraft, .deleteDraft, .createProgram, .fillDemo, .acknowledgeRules, .claim,
             .release, .welcome, .resolveTopic, .snooze, .escalate, .highlight, .flag, .resolveFlag, .updateProfile, .setRules,
             .postFromTemplate, .addPeer, .importPeers, .changeRole, .saveTemplate, .updateSettings, .markNotificationsRead, .setWatch, .setTagWatch, .acceptAnswer, .editPost, .deletePost, .setBookmark:
            return true
        }
    }
}
