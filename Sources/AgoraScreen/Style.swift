/// A terminal colour: an index into the 256-colour palette (0–15 are the named ANSI colours) or an
/// exact RGB value (`#rrggbb` in a theme), which terminals without true colour map to the nearest index.
public enum Colour: Equatable, Hashable, Sendable {
    case indexed(Int)
    case rgb(UInt8, UInt8, UInt8)

    /// The 16 ANSI names accepted in theme files, in index order. "gray" is bright black.
    public static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "gray": 8, "grey": 8, "light-black": 8, "light-red": 9, "light-green": 10, "light-yellow": 11,
        "light-blue": 12, "light-magenta": 13, "light-cyan": 14, "light-white": 15,
        "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses "#rrggbb", "0".."255" or an ANSI name; nil when it is none of these.
    public init?(parsing text: String) {
        let t = text.lowercased()
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
        } else if let n = Int(t), (0...255).contains(n) {
            self = .indexed(n)
        } else if let n = Colour.names[t] {
            self = .indexed(n)
        } else {
            return nil
        }
    }

    /// The approximate RGB value (xterm's default palette for indices).
    public var rgbValue: (r: Int, g: Int, b: Int) {
        switch self {
        case let .rgb(r, g, b): return (Int(r), Int(g), Int(b))
        case let .indexed(i): return Colour.xtermRGB(i)
        }
    }

    /// The nearest palette index on a terminal with `available` colours (8, 16 or 256).
    public func index(forColourCount available: Int) -> Int {
        if case let .indexed(i) = self, i < available { return i }
        if available >= 256 {
            let (r, g, b) = rgbValue
            return Colour.nearest(r, g, b, in: 16..<256)
        }
        let (r, g, b) = rgbValue
        return Colour.nearest(r, g, b, in: 0..<(available >= 16 ? 16 : 8))
    }

    static func nearest(_ r: Int, _ g: Int, _ b: Int, in range: Range<Int>) -> Int {
        var best = range.lowerBound, bestDistance = Int.max
        for i in range {
            let c = xtermRGB(i)
            let d = (c.r - r) * (c.r - r) * 3 + (c.g - g) * (c.g - g) * 4 + (c.b - b) * (c.b - b) * 2
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    static func xtermRGB(_ i: Int) -> (r: Int, g: Int, b: Int) {
        let base16: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        switch i {
        case 0..<16: return base16[i]
        case 16..<232:
            let n = i - 16
            let level = [0, 95, 135, 175, 215, 255]
            return (level[n / 36], level[(n / 6) % 6], level[n % 6])
        case 232..<256:
            let v = 8 + (i - 232) * 10
            return (v, v, v)
        default: return (0, 0, 0)
        }
    }
}

/// How a role looks, fully resolved. `nil` colours mean the terminal's default.
public struct ResolvedStyle: Equatable, Hashable, Sendable {
    public var fg: Colour?
    public var bg: Colour?
    public var bold: Bool
    public var dim: Bool
    public var underline: Bool
    public var reverse: Bool
    public var italic: Bool

    public init(fg: Colour? = nil, bg: Colour? = nil, bold: Bool = false, dim: Bool = false,
                underline: Bool = false, reverse: Bool = false, italic: Bool = false) {
        self.fg = fg; self.bg = bg
        self.bold = bold; self.dim = dim; self.underline = underline; self.reverse = reverse; self.italic = italic
    }

    public static let plain = ResolvedStyle()

    /// The same attributes without any colour (for a colourless terminal).
    public var withoutColours: ResolvedStyle {
        var s = self; s.fg = nil; s.bg = nil; return s
    }
}
