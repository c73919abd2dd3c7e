/// A decoded key press (or a resize notification) as the app sees it, independent of ncurses.
public enum Key: Equatable, Hashable, Sendable {
    case char(Character)
    case enter, escape, backspace, delete, tab, backTab
    case up, down, left, right, home, end, pageUp, pageDown
    /// Control plus a lowercase letter: `.ctrl("l")` for Ctrl-L.
    case ctrl(Character)
    case alt(Character)
    case function(Int)
    case resize
    /// A mouse button or the wheel at a cell (from 0, 0 at the top left), when the mouse is on.
    case mouse(x: Int, y: Int, MouseButton)
    case unknown
}

public enum MouseButton: Hashable, Sendable {
    /// The left button pressed: select, or open what is already selected.
    case left
    case wheelUp, wheelDown
}
