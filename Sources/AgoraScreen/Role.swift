/// What a piece of text *is*. Drawing code names roles only; a `Theme` maps each role to a style.
/// Raw values are the dotted scopes used as keys in theme files.
public enum Role: String, CaseIterable, Sendable, Hashable {
    case uiText = "ui.text"
    case uiTextDim = "ui.text.dim"
    case uiTextBold = "ui.text.bold"
    case uiHeader = "ui.header"
    case uiFooter = "ui.footer"
    case uiFooterKey = "ui.footer.key"
    case uiSelection = "ui.selection"
    case uiSelectionUnfocused = "ui.selection.unfocused"
    case uiBorder = "ui.border"
    case uiTitle = "ui.title"
    case uiTab = "ui.tab"
    case uiTabActive = "ui.tab.active"
    case uiError = "ui.error"
    case uiStatus = "ui.status"
    case uiInput = "ui.input"
    case uiCursor = "ui.cursor"
    case uiHelpKey = "ui.help.key"
    case uiHelpText = "ui.help.text"
    case topicUnread = "topic.unread"
    case topicKind = "topic.kind"
    case topicMeta = "topic.meta"
    case postAuthor = "post.author"
    case postMeta = "post.meta"
    case postBody = "post.body"
    case postGutter = "post.gutter"
    case postTree = "post.tree"
    case postQuote = "post.quote"
    case peerRole = "peer.role"
    case peerAlumni = "peer.alumni"
    case queueFresh = "queue.fresh"
    case queueDue = "queue.due"
    case queueOverdue = "queue.overdue"
    case queueClaimed = "queue.claimed"
    case chartBar = "chart.bar"
    case chartAxis = "chart.axis"
    /// Visible stand-ins for characters that were not safe to show (U+FFFD, ^[).
    case replacement = "replacement"

    /// Scopes tried in order when a theme has no entry for this role: "ui.text.dim", "ui.text", "ui".
    public var scopeChain: [String] {
        var parts = rawValue.split(separator: ".").map(String.init)
        var chain: [String] = []
        while !parts.isEmpty {
            chain.append(parts.joined(separator: "."))
            parts.removeLast()
        }
        return chain
    }

    /// Every key a theme file may use: each role plus each of its dotted prefixes ("ui", "ui.help", ...).
    public static let validScopes: Set<String> = Set(allCases.flatMap(\.scopeChain))
}
