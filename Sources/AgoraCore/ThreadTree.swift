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
        let sorted = posts.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        guard let root = sorted.first else { return [] }
        let ids = Set(sorted.compactMap(\.id))
        var children: [Int64: [Post]] = [:]
        for p in sorted.dropFirst() {
            let parent = p.parentId.flatMap { ids.contains($0) && $0 != p.id ? $0 : nil } ?? root.id ?? 0
            children[parent, default: []].append(p)
        }
        var lines: [ThreadLine] = [ThreadLine(post: root, depth: 0, guides: "")]
        // Iterative, so a 10,000-deep chain of replies cannot overflow the stack.
        var stack: [(post: Post, depth: Int, prefix: String, last: Bool)] = []
        for (i, c) in (children[root.id ?? 0] ?? []).enumerated().reversed() {
            stack.append((c, 1, "", i == (children[root.id ?? 0]?.count ?? 0) - 1))
        }
        while let (post, depth, prefix, last) = stack.popLast() {
            lines.append(ThreadLine(post: post, depth: depth, guides: prefix + (last ? "└─ " : "├─ ")))
            let kids = children[post.id ?? -1] ?? []
            // Past `maxIndent` levels the guides stop growing: a 10,000-deep chain of replies would
            // otherwise carry 30,000 columns of guides per line (and megabytes per thread).
            let childPrefix = depth >= maxIndent ? prefix : prefix + (last ? "   " : "│  ")
            for (i, c) in kids.enumerated().reversed() {
                stack.append((c, depth + 1, childPrefix, i == kids.count - 1))
            }
        }
        return lines
    }
}
