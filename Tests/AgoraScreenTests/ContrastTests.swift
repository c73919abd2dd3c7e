import AgoraScreen
import Foundation
import Testing

/// Every role of every built-in colour theme is readable: the WCAG 2 contrast ratio of what the terminal shows
/// (foreground on background, swapped when reversed, the terminal's own colour where the theme leaves one unset)
/// is at least 4.5 for text and 3 for lines and bars (WCAG's non-text contrast).
///
/// A theme is made for one kind of terminal background, so each is checked against two backgrounds of that kind:
/// pure and a common shade (dark: black and #1e1e1e; light: white and #f0f0f0). Checking every theme against both
/// white and black is not possible for text: a colour 4.5 times brighter than black and 4.5 times darker than white
/// would need a relative luminance between 0.175 and 0.183.
@Suite struct ContrastTests {
    typealias RGB = (r: Int, g: Int, b: Int)

    static func luminance(_ c: RGB) -> Double {
        func channel(_ v: Int) -> Double {
            let s = Double(v) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }

    static func ratio(_ a: RGB, _ b: RGB) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    /// Roles drawn as lines, tree guides and bars rather than words.
    static let nonText: Set<Role> = [.uiBorder, .postGutter, .postTree, .chartBar, .chartAxis]

    struct Terminal {
        var name: String
        var fg: RGB
        var bg: RGB
    }

    static let dark = [Terminal(name: "black", fg: (229, 229, 229), bg: (0, 0, 0)),
                       Terminal(name: "#1e1e1e", fg: (212, 212, 212), bg: (30, 30, 30))]
    static let light = [Terminal(name: "white", fg: (0, 0, 0), bg: (255, 255, 255)),
                        Terminal(name: "#f0f0f0", fg: (30, 30, 30), bg: (240, 240, 240))]

    /// The roles whose colours are hard to read on `terminals`: "role: 2.1 on white".
    static func unreadable(_ theme: Theme, on terminals: [Terminal]) -> [String] {
        var out: [String] = []
        for terminal in terminals {
            for role in Role.allCases {
                let s = theme.style(for: role)
                guard s.fg != nil || s.bg != nil else { continue }   // the terminal's own colours
                var fg = s.fg?.rgbValue ?? terminal.fg
                var bg = s.bg?.rgbValue ?? terminal.bg
                if s.reverse { swap(&fg, &bg) }
                let r = ratio(fg, bg)
                let need = nonText.contains(role) ? 3.0 : 4.5
                if r < need { out.append("\(role.rawValue): \(String(format: "%.2f", r)) on \(terminal.name)") }
            }
        }
        return out
    }

    @Test func theRatioIsWCAGs() {
        #expect(abs(Self.ratio((0, 0, 0), (255, 255, 255)) - 21) < 0.01)
        #expect(abs(Self.ratio((119, 119, 119), (255, 255, 255)) - 4.48) < 0.01)   // #777 on white: just short
        #expect(Self.ratio((10, 20, 30), (10, 20, 30)) == 1)
    }

    @Test func theDefaultThemeIsReadableOnADarkTerminal() throws {
        let theme = try Theme.load(named: "default", searchPaths: [themesDirectory])
        #expect(Self.unreadable(theme, on: Self.dark) == [])
        #expect(Self.unreadable(Theme.builtinDefault, on: Self.dark) == [])
    }

    @Test func theLightThemeIsReadableOnALightTerminal() throws {
        let theme = try Theme.load(named: "light", searchPaths: [themesDirectory])
        #expect(Self.unreadable(theme, on: Self.light) == [])
    }
}
