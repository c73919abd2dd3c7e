import AgoraScreen

/// Where a binding applies. A key is looked up in the focused context first, then in `.global`
/// (as tig looks in the view's keymap, then the generic one).
public enum KeyContext: String, CaseIterable, Sendable {
    case global, topics, reader, readerFind, peers, queue, highlights, report, inbox, profile, profileEditor, drafts, bookmarks, templates, form, history, help, composer, prompt, welcome, newProgram, rules, nonMember

    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .topics: "Topics"
        case .reader: "Reader"
        case .readerFind: "Reader, after / found something"
        case .peers: "Peers"
        case .queue: "Queue"
        case .highlights: "Highlights"
        case .report: "Report (leader)"
        case .inbox: "Inbox"
        case .profile: "Profile"
        case .profileEditor: "Editing your profile"
        case .drafts: "Your drafts"
        case .bookmarks: "Your bookmarks"
        case .templates: "Templates"
        case .form: "The leader's forms (a peer, a template, the thresholds)"
        case .history: "A post's history"
        case .help: "Help"
        case .composer: "Composer"
        case .prompt: "Prompts (search, tag, filter)"
        case .welcome: "Welcome (first run)"
        case .newProgram: "New program form"
        case .rules: "Rules of engagement"
        case .nonMember: "Not a member"
        }
    }

    /// Contexts whose keys also fall back to the global ones. Text-entry contexts do not:
    /// there `q` and `j` are letters.
    var inheritsGlobal: Bool {
        switch self {
        case .topics, .reader, .readerFind, .peers, .queue, .highlights, .report, .inbox, .profile: true
        default: false
        }
    }

    /// A context laid over another while a mode lasts (a find in the thread): its own keys first, then the
    /// parent's, then the global ones.
    var parent: KeyContext? { self == .readerFind ? .reader : nil }
}

/// Everything a key can ask for. Declared once; dispatch, hints, help and docs/KEYS.md read `KeyBindings.table`.
public enum Command: String, CaseIterable, Sendable {
    case help, back, redraw, nextPane, prevPane, paneTopics, panePeers, paneQueue, paneReader, paneHighlights, paneReport, paneInbox
    case up, down, pageUp, pageDown, top, bottom
    case open, search, filterKind, filterTag, clearFilter, toggleSort, compose, nextUnread
    case nextPost, prevPost, reply, replyToPost
    case filterPeers, claim, welcome, resolve, snooze, highlight, match, flag, hideFlagged
    case send, cancel, editor, nextField, prevField, kindNext, kindPrevious
    case accept, demo, newProgram, later, rules, jumpToTopic, escalate, snoozeUntil, editProfile, showDrafts, discard
    case findNext, findPrevious, undo, ask, templates, addPeer, importPeers, changeRole, export, settings, watch, quote
    case acceptAnswer, goToAnswer, markUnread, editPost, deletePost, postHistory, bookmark, showBookmarks
}

public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var command: Command
    public var context: KeyContext
    /// One line for the help overlay and docs/KEYS.md.
    public var help: String
    /// A word or two for the footer; nil keeps the binding out of the footer.
    public var hint: String?

    public init(_ keys: [Key], _ command: Command, _ context: KeyContext, _ help: String, hint: String? = nil) {
        self.keys = keys
        self.command = command
        self.context = context
        self.help = help
        self.hint = hint
    }
}

public enum KeyBindings {
    public static let table: [KeyBinding] = [
        // Everywhere (in the panes)
        KeyBinding([.char("?")], .help, .global, "every key of the focused pane (the footer shows the most used)", hint: "more"),
        KeyBinding([.char("q")], .back, .global, "go back; quit from the top (unsent drafts are kept)", hint: "quit"),
        KeyBinding([.ctrl("l")], .redraw, .global, "redraw the screen"),
        KeyBinding([.tab], .nextPane, .global, "next pane"),
        KeyBinding([.backTab], .prevPane, .global, "previous pane"),
        KeyBinding([.char("1")], .paneTopics, .global, "topics"),
        KeyBinding([.char("2")], .panePeers, .global, "peer directory"),
        KeyBinding([.char("3")], .paneQueue, .global, "champion queue"),
        KeyBinding([.char("4")], .paneReader, .global, "reader (the open thread)"),
        KeyBinding([.char("5")], .paneHighlights, .global, "highlights: what people found valuable"),
        KeyBinding([.char("6")], .paneReport, .global, "the leader's report"),
        KeyBinding([.char("7")], .paneInbox, .global, "your inbox: mentions, replies to you, welcomes"),
        KeyBinding([.char("j"), .down], .down, .global, "move down"),
        KeyBinding([.char("k"), .up], .up, .global, "move up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, .global, "page down (at the end of a thread: the next unread post)"),
        KeyBinding([.pageUp, .char("b")], .pageUp, .global, "page up"),
        KeyBinding([.char("g"), .home], .top, .global, "go to the top"),
        KeyBinding([.char("G"), .end], .bottom, .global, "go to the bottom"),
        KeyBinding([.char("N")], .nextUnread, .global, "open the next unread post, in any topic", hint: "next unread"),
        KeyBinding([.char("E")], .rules, .global, "the rules of engagement: read them again, or accept them"),
        KeyBinding([.char("#")], .jumpToTopic, .global, "open a topic by its number"),
        KeyBinding([.char("D")], .showDrafts, .global, "your drafts: write on, or discard"),
        KeyBinding([.char("B")], .showBookmarks, .global, "your bookmarks: open one, or remove it"),

        // Topics
        KeyBinding([.enter, .right, .char("l")], .open, .topics, "open the selected topic", hint: "open"),
        KeyBinding([.char("c")], .compose, .topics, "start a new topic", hint: "new"),
        KeyBinding([.char("w")], .watch, .topics, "with a tag filter (t): how much every topic with the tag tells you (watching, normal, muted)"),
        KeyBinding([.char("/")], .search, .topics, "full-text search in titles and posts", hint: "search"),
        KeyBinding([.char("f")], .filterKind, .topics, "filter by kind (cycles idea, concern, resource, request, discussion, all)", hint: "kind"),
        KeyBinding([.char("t")], .filterTag, .topics, "filter by tag", hint: "tag"),
        KeyBinding([.escape, .char("F")], .clearFilter, .topics, "clear the search and filters"),
        KeyBinding([.char("s")], .toggleSort, .topics, "sort: unread first, or by last activity", hint: "sort"),
        KeyBinding([.char("h")], .highlight, .topics, "highlight the topic: say what made it valuable"),
        KeyBinding([.char("T")], .templates, .topics, "start a topic from a template (sections, a follow-up)"),

        // Reader
        KeyBinding([.char("n")], .nextPost, .reader, "next post", hint: "next"),
        KeyBinding([.char("p")], .prevPost, .reader, "previous post", hint: "prev"),
        KeyBinding([.char("N")], .nextUnread, .reader, "next unread post, in this topic or the next", hint: "unread"),
        KeyBinding([.char("r")], .reply, .reader, "reply to the topic", hint: "reply"),
        KeyBinding([.char("R")], .replyToPost, .reader, "reply to the selected post", hint: "reply here"),
        KeyBinding([.char("H")], .highlight, .reader, "highlight the selected post: say what made it valuable"),
        KeyBinding([.char("!")], .flag, .reader, "flag the selected post for the champions (say why)"),
        KeyBinding([.char("q"), .escape, .left, .char("h")], .back, .reader, "back to the list", hint: "back"),
        KeyBinding([.char("a")], .acceptAnswer, .reader, "mark the selected reply as the answer (the topic's author or a champion); again takes it back"),
        KeyBinding([.char("A")], .goToAnswer, .reader, "go to the topic's answer"),
        KeyBinding([.char("e")], .editPost, .reader, "edit your own selected post (its earlier text is kept as history)"),
        KeyBinding([.char("d")], .deletePost, .reader, "delete your own selected post, after a y to confirm (replies stay in place)"),
        KeyBinding([.char("v")], .postHistory, .reader, "the selected post's earlier texts, when it was edited"),
        KeyBinding([.char("*")], .bookmark, .reader, "bookmark the selected post (B lists them); again: remove the bookmark"),
        KeyBinding([.char("M")], .markUnread, .reader, "mark the selected post unread again (as in mutt)"),
        KeyBinding([.char("w")], .watch, .reader, "how much this topic tells you: watching (every post), normal (replies to you, mentions), muted (nothing; it stays read)"),
        KeyBinding([.char("/")], .search, .reader, "find text in this thread's posts (then n and N: next and previous match)", hint: "find"),
        KeyBinding([.char("n")], .findNext, .readerFind, "the next post with the text found (as in less)", hint: "next match"),
        KeyBinding([.char("N")], .findPrevious, .readerFind, "the previous post with the text found", hint: "prev match"),
        KeyBinding([.escape], .clearFilter, .readerFind, "end the find: n and N move by post and unread again", hint: "end find"),

        // Peers
        KeyBinding([.enter], .open, .peers, "show the peer's profile and topics", hint: "profile"),
        KeyBinding([.char("/")], .filterPeers, .peers, "filter by name, login, unit, region, goals, offers", hint: "filter"),
        KeyBinding([.char("a")], .addPeer, .peers, "the leader: add a peer"),
        KeyBinding([.char("i")], .importPeers, .peers, "the leader: import peers from a CSV file (login,name,unit,region,generation,role,goals,offers)"),
        KeyBinding([.escape], .clearFilter, .peers, "clear the filter"),

        // Queue
        KeyBinding([.enter], .open, .queue, "open the item (its topic or newcomer)", hint: "open"),
        KeyBinding([.char("c")], .claim, .queue, "claim the item, so other champions leave it to you; again to release it", hint: "claim"),
        KeyBinding([.char("w")], .welcome, .queue, "welcome the newcomer and write them a welcome topic", hint: "welcome"),
        KeyBinding([.char("x")], .resolve, .queue, "mark the item's topic resolved; on a flagged post, keep it (say why)", hint: "resolve"),
        KeyBinding([.char("X")], .hideFlagged, .queue, "hide a flagged post from everyone, kept for the record (say why)"),
        KeyBinding([.char("z")], .snooze, .queue, "snooze the item for a day", hint: "snooze"),
        KeyBinding([.char("Z")], .snoozeUntil, .queue, "snooze the item until a date you give (+3d, 2026-12-24)"),
        KeyBinding([.char("e")], .escalate, .queue, "pass the item to the leader with a note (it stays in the queue)"),
        KeyBinding([.char("u")], .undo, .queue, "undo the last resolve, snooze, escalation or flag decision (for 10 s; the status line offers it)"),
        KeyBinding([.char("f")], .filterKind, .queue, "show one kind of item (cycles unanswered, newcomer, flagged, stalled, follow-up, all)"),

        // Highlights
        KeyBinding([.enter], .open, .highlights, "open the highlighted topic", hint: "open"),

        // Inbox
        KeyBinding([.enter], .open, .inbox, "open the post it is about (and mark it read)", hint: "open"),
        KeyBinding([.char("a")], .accept, .inbox, "mark every notification read", hint: "all read"),

        // Report
        KeyBinding([.char("x")], .export, .report, "export the whole program to a file (.json, or .md for Markdown)", hint: "export"),
        KeyBinding([.char("S")], .settings, .report, "the queue thresholds: when items enter the champion queue", hint: "settings"),

        // Profile
        KeyBinding([.enter], .open, .profile, "open the selected topic (in the suggested peers: their profile)", hint: "open"),
        KeyBinding([.char("m")], .match, .profile, "suggest peers who offer what this peer wants to learn", hint: "match"),
        KeyBinding([.char("a")], .ask, .profile, "ask this peer (or the suggested peer selected) for help: a request addressed to them", hint: "ask"),
        KeyBinding([.char("r")], .changeRole, .profile, "the leader: change this peer's role (peer, champion, leader)"),
        KeyBinding([.tab], .nextField, .profile, "between the suggested peers and the topics (with none: the next pane)"),
        KeyBinding([.escape, .char("q")], .back, .profile, "close the profile", hint: "close"),
        KeyBinding([.char("e")], .editProfile, .profile, "edit your own profile: what you want to learn and offer", hint: "edit"),

        // Templates
        KeyBinding([.enter], .open, .templates, "start a topic from the template", hint: "start"),
        KeyBinding([.char("a")], .compose, .templates, "the leader: add a template", hint: "add"),
        KeyBinding([.escape, .char("q")], .back, .templates, "close", hint: "close"),
        KeyBinding([.char("j"), .down], .down, .templates, "move down"),
        KeyBinding([.char("k"), .up], .up, .templates, "move up"),

        // The leader's forms
        KeyBinding([.ctrl("x")], .send, .form, "save", hint: "save"),
        KeyBinding([.escape], .cancel, .form, "close without saving", hint: "cancel"),
        KeyBinding([.tab, .down], .nextField, .form, "next field (Enter too)", hint: "field"),
        KeyBinding([.backTab, .up], .prevField, .form, "previous field"),

        // A post's history
        KeyBinding([.escape, .char("q"), .char("v")], .back, .history, "close", hint: "close"),
        KeyBinding([.char("j"), .down], .down, .history, "scroll down"),
        KeyBinding([.char("k"), .up], .up, .history, "scroll up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, .history, "page down"),
        KeyBinding([.pageUp, .char("b")], .pageUp, .history, "page up"),

        // Drafts
        KeyBinding([.enter], .open, .drafts, "write on in the composer", hint: "write on"),
        KeyBinding([.char("x"), .delete], .discard, .drafts, "discard the draft", hint: "discard"),
        KeyBinding([.escape, .char("q")], .back, .drafts, "close", hint: "close"),
        KeyBinding([.char("j"), .down], .down, .drafts, "move down"),
        KeyBinding([.char("k"), .up], .up, .drafts, "move up"),

        // Bookmarks
        KeyBinding([.enter], .open, .bookmarks, "open the post in its thread", hint: "open"),
        KeyBinding([.char("x"), .delete], .discard, .bookmarks, "remove the bookmark", hint: "remove"),
        KeyBinding([.escape, .char("q")], .back, .bookmarks, "close", hint: "close"),
        KeyBinding([.char("j"), .down], .down, .bookmarks, "move down"),
        KeyBinding([.char("k"), .up], .up, .bookmarks, "move up"),

        // Profile form
        KeyBinding([.ctrl("x")], .send, .profileEditor, "save the profile", hint: "save"),
        KeyBinding([.escape], .cancel, .profileEditor, "close without saving", hint: "cancel"),
        KeyBinding([.tab, .down], .nextField, .profileEditor, "next field (Enter too)", hint: "field"),
        KeyBinding([.backTab, .up], .prevField, .profileEditor, "previous field"),

        // Help
        KeyBinding([.escape, .char("q"), .char("?")], .back, .help, "close help", hint: "close"),
        KeyBinding([.char("j"), .down], .down, .help, "scroll down"),
        KeyBinding([.char("k"), .up], .up, .help, "scroll up"),

        // Composer
        KeyBinding([.ctrl("x")], .send, .composer, "send", hint: "send"),
        KeyBinding([.escape], .cancel, .composer, "close; the text is kept as a draft", hint: "keep draft"),
        KeyBinding([.ctrl("e")], .editor, .composer, "continue in $VISUAL or $EDITOR", hint: "editor"),
        KeyBinding([.ctrl("q")], .quote, .composer, "in a reply to a post: put that post in as a quote"),
        KeyBinding([.tab], .nextField, .composer, "next field; in the body after @ and the start of a login or name: complete it from the directory", hint: "field"),
        KeyBinding([.backTab], .prevField, .composer, "previous field"),
        KeyBinding([.right, .char(" ")], .kindNext, .composer, "on the kind field: next kind"),
        KeyBinding([.left], .kindPrevious, .composer, "on the kind field: previous kind"),

        // Prompts
        KeyBinding([.enter], .accept, .prompt, "apply", hint: "apply"),
        KeyBinding([.escape], .cancel, .prompt, "cancel", hint: "cancel"),
        KeyBinding([.tab], .nextField, .prompt, "in the tag prompt: complete from the tags in use"),

        // First run
        KeyBinding([.char("d")], .demo, .welcome, "explore a demo program", hint: "demo"),
        KeyBinding([.char("n")], .newProgram, .welcome, "start a new program (you become its leader)", hint: "new program"),
        KeyBinding([.char("q")], .back, .welcome, "quit", hint: "quit"),
        KeyBinding([.char("?")], .help, .welcome, "what the choices do"),
        KeyBinding([.tab, .enter], .nextField, .newProgram, "next field (Enter on the purpose creates the program)", hint: "next"),
        KeyBinding([.ctrl("x")], .send, .newProgram, "create the program", hint: "create"),
        KeyBinding([.escape], .cancel, .newProgram, "back to the welcome screen", hint: "back"),

        // Rules
        KeyBinding([.char("a")], .accept, .rules, "accept the rules of engagement", hint: "accept"),
        KeyBinding([.escape], .later, .rules, "read the program without accepting (posting waits)", hint: "later"),
        KeyBinding([.char("q")], .back, .rules, "quit when they are the first screen; otherwise back to the program", hint: "quit"),
        KeyBinding([.char("?")], .help, .rules, "what the keys do"),
        KeyBinding([.char("v")], .editor, .rules, "the leader: edit the rules in $VISUAL or $EDITOR (a new version)", hint: "edit"),
        KeyBinding([.char("j"), .down], .down, .rules, "scroll down"),
        KeyBinding([.char("k"), .up], .up, .rules, "scroll up"),

        KeyBinding([.char("q"), .escape], .back, .nonMember, "quit", hint: "quit"),
    ]

    /// The command a key triggers in a context, falling back to the global bindings.
    public static func command(for key: Key, in context: KeyContext) -> Command? {
        let key = normalize(key)
        if let b = table.first(where: { $0.context == context && $0.keys.contains(key) }) { return b.command }
        if let parent = context.parent, let b = table.first(where: { $0.context == parent && $0.keys.contains(key) }) { return b.command }
        guard context.inheritsGlobal else { return nil }
        return table.first(where: { $0.context == .global && $0.keys.contains(key) })?.command
    }

    public static func bindings(in context: KeyContext) -> [KeyBinding] {
        table.filter { $0.context == context }
    }

    /// Footer hints: the context's own first, then the global ones it inherits. A global binding
    /// shadowed in the context (same key, other command) is left out.
    public static func hints(for context: KeyContext) -> [(keys: String, hint: String)] {
        var out = bindings(in: context).compactMap { b in b.hint.map { (name(b.keys.first!), $0) } }
        if let parent = context.parent {
            for b in bindings(in: parent) {
                guard let hint = b.hint, command(for: b.keys[0], in: context) == b.command else { continue }
                out.append((name(b.keys[0]), hint))
            }
        }
        if context.inheritsGlobal {
            for b in bindings(in: .global) {
                guard let hint = b.hint, command(for: b.keys[0], in: context) == b.command else { continue }
                if (bindings(in: context) + (context.parent.map { bindings(in: $0) } ?? [])).contains(where: { $0.command == b.command }) { continue }
                out.append((name(b.keys[0]), hint))
            }
        }
        return out
    }

    /// Keys as a person types them; ctrl keys and control characters as one spelling.
    public static func normalize(_ key: Key) -> Key {
        switch key {
        case .ctrl(let c):
            return .ctrl(Character(c.lowercased()))
        case .char(let c):
            guard let u = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return key }
            switch u.value {
            case 0x0D, 0x0A: return .enter
            case 0x09: return .tab
            case 0x1B: return .escape
            case 0x7F, 0x08: return .backspace
            case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(u.value + 0x60)!))
            default: return key
            }
        default:
            return key
        }
    }

    public static func name(_ key: Key) -> String {
        switch key {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .ctrl(let c): "Ctrl-" + c.uppercased()
        case .alt(let c): "Alt-" + String(c)
        case .function(let n): "F\(n)"
        case .resize: "resize"
        case .mouse: "the mouse"
        case .unknown: "?"
        }
    }

    public static func names(_ keys: [Key]) -> String { keys.map(name).joined(separator: " ") }

    /// docs/KEYS.md, generated from the table so it cannot go stale.
    public static func markdown() -> String {
        var out = "# Agora keys\n\n"
        out += "Generated from the binding table (`KeyBindings.table` in Sources/AgoraTUI); do not edit by hand.\n"
        out += "The focused pane's keys come first; the keys under *Everywhere* work in every pane unless the pane uses the key itself.\n"
        for context in KeyContext.allCases {
            let rows = bindings(in: context)
            guard !rows.isEmpty else { continue }
            out += "\n## \(context.title)\n\n| Keys | Action |\n|---|---|\n"
            for b in rows {
                let keys = b.keys.map { "`\(name($0) == "`" ? "``" : name($0))`" }.joined(separator: " ")
                out += "| \(keys) | \(b.help) |\n"
            }
            if context == .composer {
                out += "| (other keys) | edit the focused field: arrows, Home/End, Backspace, Delete, Ctrl-U, Ctrl-W; Enter adds a line in the body |\n"
            }
        }
        return out
    }
}
