/// A thread laid out as a tree: depth-first, replies under the post they answer, oldest first.
public struct ThreadLine: Equatable, Sendable {
    public var post: Post
    public var depth: Int
    /// Box-drawing guides for this line, e.g. "│  ├─ " (empty for the opening post).
    public var guides: String
    public init(post: Post, depth: Int, guides: String) {
        self.post = post
        self.depth = depth
        self.guides = guides
    }
}

public enum ThreadTree {
    /// Deepest level that still indents; deeper replies line up under it.
    public static let maxIndent = 16

    /// Posts in any order → lines in reading order. A reply whose parent is missing hangs off the opening post.
    public static func layout(_ posts: [Post]) -> [ThreadLine] {
        var lines: [ThreadLine] = []
        lines.reserveCapacity(posts.count)
        walk(posts) { i, depth, guides in lines.append(ThreadLine(post: posts[i], depth: depth, guides: guides())) }
        return lines
    }

    /// The positions in `posts` in reading order: the order `layout` gives, without building its guides (the store
    /// needs only the order, to know which lines a window holds).
    public static func readingOrder(_ posts: [Post]) -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(posts.count)
        walk(posts, guides: false) { i, _, _ in order.append(i) }
        return order
    }

    /// Depth-first, oldest reply first: `visit(position in posts, depth, its guides)`. Iterative, so a 10,000-deep
    /// chain of replies cannot overflow the stack; posts are handled by position, never copied.
    private static func walk(_ posts: [Post], guides wanted: Bool = true, _ visit: (Int, Int, () -> String) -> Void) {
        guard !posts.isEmpty else { return }
        var sorted = Array(posts.indices)
        if !zip(posts, posts.dropFirst()).allSatisfy({ ($0.id ?? 0) < ($1.id ?? 0) }) {
            sorted.sort { (posts[$0].id ?? 0) < (posts[$1].id ?? 0) }
        }
        let root = sorted[0]
        let rootId = posts[root].id ?? 0
        var ids = Set<Int64>(minimumCapacity: posts.count)
        for p in posts { if let id = p.id { ids.insert(id) } }
        var children: [Int64: [Int]] = [:]
        for i in sorted.dropFirst() {
            let p = posts[i]
            let parent = p.parentId.flatMap { ids.contains($0) && $0 != p.id ? $0 : nil } ?? rootId
            children[parent, default: []].append(i)
        }
        visit(root, 0, { "" })
        var stack: [(post: Int, depth: Int, prefix: String, last: Bool)] = []
        let top = children[rootId] ?? []
        for (n, c) in top.enumerated().reversed() { stack.append((c, 1, "", n == top.count - 1)) }
        while let (i, depth, prefix, last) = stack.popLast() {
            visit(i, depth, { prefix + (last ? "└─ " : "├─ ") })
            guard let kids = children[posts[i].id ?? -1] else { continue }
            // Past `maxIndent` levels the guides stop growing: a 10,000-deep chain of replies would
            // otherwise carry 30,000 columns of guides per line (and megabytes per thread).
            let childPrefix = !wanted || depth >= maxIndent ? prefix : prefix + (last ? "   " : "│  ")
            for (n, c) in kids.enumerated().reversed() { stack.append((c, depth + 1, childPrefix, n == kids.count - 1)) }
        }
    }
}
