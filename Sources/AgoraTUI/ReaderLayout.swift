import Foundation
import AgoraCore
import AgoraScreen

/// A piece of text on a row, at a column relative to the pane.
public struct Span: Equatable, Sendable {
    public var x: Int
    public var text: String
    public var role: Role
    public init(x: Int, _ text: String, _ role: Role) {
        self.x = x
        self.text = text
        self.role = role
    }
}

/// A thread laid out for a width: one entry per screen row, so scrolling and n/p are arithmetic.
///
/// Column 0 holds only the selection marker; post text starts behind the tree guides and a gutter,
/// so a body made of spaces and newlines can never draw something that looks like Agora's own lines.
public struct ReaderLayout: Equatable, Sendable {
    public var rows: [[Span]] = []
    /// The row each post's header is on.
    public var postStarts: [Int] = []

    /// Posts of the thread laid out so far (a layout is built lazily, as far as the reader looks).
    public private(set) var laidOut = 0
    public private(set) var isComplete = false

    /// Lays out the whole thread.
    public init(thread: ThreadSnapshot, width: Int, now: Date) {
        self.init(thread: thread, width: width, now: now, rows: .max, post: .max)
    }

    /// Lays out at least `rows` rows and the header of post `post` (or the whole thread if shorter).
    /// Opening a 400-post thread then costs one screen, not the thread.
    public init(thread: ThreadSnapshot, width: Int, now: Date, rows: Int, post: Int) {
        extend(thread: thread, width: width, now: now, rows: rows, post: post)
    }

    /// Continues the layout until it covers `rows` rows and post `post`, or reaches a post that has not come whole
    /// yet (`ThreadSnapshot.withheld`: `waits` then, and `isComplete` stays false).
    public mutating func extend(thread: ThreadSnapshot, width: Int, now: Date, rows wanted: Int, post wantedPost: Int) {
        while laidOut < thread.lines.count && thread.isWhole(laidOut) && (rows.count < wanted || laidOut <= wantedPost) {
            let index = laidOut
            let line = thread.lines[index]
            laidOut += 1
            postStarts.append(rows.count)
            let post = line.post
            var header: [Span] = []
            var x = 1
            let guides = Sanitizer.line(line.guides)
            if !guides.isEmpty {
                header.append(Span(x: x, guides, .postTree))
                x += DisplayWidth.of(guides)
            }
            let author = Self.authorLabel(post.author, thread.peers[post.author])
            header.append(Span(x: x, author, .postAuthor))
            x += DisplayWidth.of(author)
            var meta = ""
            if let p = thread.peers[post.author] {
                let place = [p.unit, p.region].map(Sanitizer.line).filter { !$0.isEmpty }.joined(separator: "/")
                if !place.isEmpty { meta += " · " + place }
            }
            meta += " · " + RelativeAge.long(post.created, now: now)
            if post.edited != nil { meta += " (edited)" }
            header.append(Span(x: x, meta, .postMeta))
            x += DisplayWidth.of(meta)
            if thread.isNew(post) {
                header.append(Span(x: x + 1, "new", .topicUnread))
                x += 4
            }
            if let id = post.id, thread.bookmarked.contains(id) {
                header.append(Span(x: x + 1, "bookmarked", .topicKind))
            }
            rows.append(header)

            // Body: under the guides, behind a gutter.
            let continuation = String(line.guides.map { $0 == "├" ? "│" : ($0 == "└" || $0 == "─") ? " " : $0 })
            let indent = 1 + DisplayWidth.of(continuation)
            let textX = indent + 2
            let wrapWidth = max(8, width - textX - 1)
            let body = post.hidden ? "(hidden by a champion)" : post.deleted ? "(deleted by its author)" : Sanitizer.text(post.body)
            for text in DisplayWidth.wrap(body, width: wrapWidth) {
                var row: [Span] = []
                if continuation.contains(where: { $0 != " " }) {
                    row.append(Span(x: 1, continuation, .postTree))
                }
                row.append(Span(x: indent, "│", .postGutter))
                let role: Role = post.hidden || post.deleted ? .uiTextDim : (text.hasPrefix(">") ? .postQuote : .postBody)
                row.append(Span(x: textX, text, role))
                rows.append(row)
            }
            // The gap before the next post keeps the tree's vertical lines running into it.
            let next = index + 1 < thread.lines.count ? Sanitizer.line(thread.lines[index + 1].guides) : ""
            let gap = String(next.map { $0 == "├" || $0 == "└" ? "│" : ($0 == "─" ? " " : $0) })
            rows.append(gap.contains(where: { $0 != " " }) ? [Span(x: 1, gap, .postTree)] : [])
        }
        isComplete = laidOut == thread.lines.count
        waits = !isComplete && !thread.isWhole(laidOut)
    }

    /// The layout stopped at a post whose body has not come.
    public private(set) var waits = false

    /// Keeps the first `posts` posts' rows and forgets the rest (they are laid out again by `extend`).
    public mutating func keep(posts: Int) {
        guard posts < laidOut else { return }
        rows.removeSubrange(postStarts[posts]...)
        postStarts.removeSubrange(posts...)
        laidOut = posts
        isComplete = false
        waits = false
    }

    static func authorLabel(_ login: String, _ peer: Peer?) -> String {
        let login = Sanitizer.line(login)
        guard let peer, !peer.name.isEmpty, peer.name != peer.login else { return login }
        let name = Sanitizer.line(peer.name)
        // A name made apart from a namesake already carries the login ("Bo Berg (bo2)", DisplayNames.admit).
        if DisplayNames.Index.carriesLogin(name, login) { return name }
        return "\(name) (\(login))"
    }

    /// The label in at most `width` columns: the name gives way first and the login stays whole while it can, so
    /// that two namesakes stay apart on a narrow row ("Maria San… (maria2)").
    static func authorLabel(_ login: String, _ peer: Peer?, width: Int) -> String {
        let full = authorLabel(login, peer)
        guard DisplayWidth.of(full) > width else { return full }
        let suffix = " (\(Sanitizer.line(login)))"
        let room = width - DisplayWidth.of(suffix)
        guard full.hasSuffix(suffix), room >= 4 else { return DisplayWidth.truncate(full, to: width) }
        return DisplayWidth.truncate(String(full.dropLast(suffix.count)), to: room) + suffix
    }

    /// The post whose rows include `row`.
    public func post(at row: Int) -> Int {
        var found = 0
        for (i, start) in postStarts.enumerated() where start <= row { found = i }
        return found
    }
}
