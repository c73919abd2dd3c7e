import AgoraScreen
import FuzzSupport

// Theme files (`Theme.parse(toml:name:parentLoader:)`: what `--theme NAME` reads from ~/.config/agora/themes), on any
// UTF-8 text.
//
// Input: one byte of choices, then the theme's text. The choice says what `inherits = "…"` finds: the built-in themes
// only (no loader, as for the embedded copies), or this same text again under any name (so inheritance recurses,
// as a theme that inherits itself would: the depth limit must stop it).
//
// Invariants: the text gives a theme or a `ThemeError`, never a crash or another error; a theme's every role has a
// style whose colours map into the palette of an 8-, 16- and 256-colour terminal; `withoutColours` has none.

/// `main` (SwiftPM links it as `FuzzTheme_main` on Linux): libFuzzer's driver over `fuzzTheme`.
@_cdecl("FuzzTheme_main")
public func fuzzThemeMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.run(argc, argv, fuzzTheme)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheme(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeBufferPointer(start: data, count: size))
    let choice = input.byte()
    guard let text = Fuzz.text(input.rest) else { return 0 }
    let loader: ((String) throws -> String)? = choice & 1 == 0 ? nil : { name in
        guard !name.isEmpty else { throw ThemeError(file: "fuzz.toml", key: "inherits", message: "empty name") }
        return text
    }
    let theme: Theme
    do {
        theme = try Theme.parse(toml: text, name: "fuzz", parentLoader: loader)
    } catch is ThemeError {
        return 0
    } catch {
        Fuzz.fail("Theme.parse threw \(type(of: error)), not ThemeError: \(error)")
    }
    let plain = theme.withoutColours
    for role in Role.allCases {
        let style = theme.style(for: role)
        for colour in [style.fg, style.bg].compactMap({ $0 }) {
            if case .indexed(let i) = colour { Fuzz.check((0...255).contains(i), "\(role): colour index \(i)") }
            for available in [8, 16, 256] {
                let i = colour.index(forColourCount: available)
                Fuzz.check((0..<available).contains(i), "\(role): \(colour) is index \(i) of \(available)")
            }
        }
        let bare = plain.style(for: role)
        Fuzz.check(bare.fg == nil && bare.bg == nil, "\(role): withoutColours kept a colour")
    }
    return 0
}
