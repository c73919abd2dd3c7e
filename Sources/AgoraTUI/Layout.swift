import AgoraScreen

/// Where things go on the screen; shared by drawing and by `update` (paging needs the list height).
public struct Layout: Equatable, Sendable {
    public static let minWidth = 40
    public static let minHeight = 10
    /// From this width on, the topic list and the reader sit side by side.
    public static let wideWidth = 140

    public var header: Rect
    public var tabs: Rect
    public var body: Rect
    public var footer: Rect

    public init(_ size: Size) {
        let full = Rect(x: 0, y: 0, width: size.width, height: size.height)
        let (header, rest) = full.splitRows(topHeight: 1)
        let (tabs, rest2) = rest.splitRows(topHeight: 1)
        let (body, footer) = rest2.splitRows(topHeight: max(0, rest2.height - 1))
        self.header = header
        self.tabs = tabs
        self.body = body
        self.footer = footer
    }

    public static func isTooSmall(_ size: Size) -> Bool {
        size.width < minWidth || size.height < minHeight
    }

    /// In wide mode: the list on the left, the reader on the right.
    public static func split(_ body: Rect) -> (list: Rect, reader: Rect) {
        let left = max(60, body.width * 9 / 20)
        let (l, r) = body.splitColumns(leftWidth: left)
        return (l, r)
    }

    /// Rows a list pane shows (its first row holds the column titles).
    public static func listHeight(_ size: Size) -> Int {
        max(1, Layout(size).body.height - 1)
    }
}

extension Layout {
    /// The reader's rectangle: the right half in wide mode, the whole body otherwise.
    public static func readerRect(_ size: Size) -> Rect {
        let body = Layout(size).body
        guard size.width >= wideWidth else { return body }
        let r = split(body).reader
        return Rect(x: r.x + 1, y: r.y, width: r.width - 1, height: r.height)   // a border column first
    }

    /// Rows above the thread in the reader: the title and a line of facts.
    public static let readerTitleRows = 2

    public static func readerContentHeight(_ size: Size) -> Int {
        max(1, readerRect(size).height - readerTitleRows)
    }

    public static func readerWidth(_ size: Size) -> Int { readerRect(size).width }
}
