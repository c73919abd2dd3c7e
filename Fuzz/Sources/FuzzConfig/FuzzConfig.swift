import AgoraScreen
import FuzzSupport

// Config files (`ConfigFile.parse`, `ConfigFile.render`: ~/.config/agora/config.toml and /etc/agora/config.toml), on
// any UTF-8 text.
//
// Input: one byte of choices (which settings are known), then the file's text.
//
// Invariants: the text gives settings or a `ConfigError`, never a crash or another error; the error's description is
// one line (no line break, no control character: it is printed as the one line of an error) and names the file; the
// line it gives is within the file; every setting parsed is a known one, and the settings rendered by
// `ConfigFile.render` (with a comment) parse back to the same settings, scalar for scalar.

private let knownSets: [[String]] = [
    ["theme"],                               // the user's config
    ["database", "socket"],                  // the shared install's
    ["theme", "database", "socket", "a", "b", "key", "x.y", "", " ", "\"", "=", "#", "[t]", "é", "e\u{301}"],
    [],
]

/// `main` (SwiftPM links it as `FuzzConfig_main` on Linux): libFuzzer's driver over `fuzzConfig`.
@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.run(argc, argv, fuzzConfig)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeBufferPointer(start: data, count: size))
    let known = knownSets[Int(input.byte()) % knownSets.count]
    guard let text = Fuzz.text(input.rest) else { return 0 }
    let file = "/home/u/.config/agora/config.toml"
    let settings: [String: String]
    do {
        settings = try ConfigFile.parse(text, file: file, known: known)
    } catch let e as ConfigError {
        checkError(e, file: file, text: text)
        return 0
    } catch {
        Fuzz.fail("ConfigFile.parse threw \(type(of: error)), not ConfigError: \(error)")
    }
    for key in settings.keys { Fuzz.check(known.contains(key), "the setting \(key.debugDescription) is not known") }

    let pairs = settings.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    let rendered = ConfigFile.render(pairs, comment: ["Written by the fuzzer.", ""])
    let back: [String: String]
    do { back = try ConfigFile.parse(rendered, file: "rendered.toml", known: known) } catch {
        Fuzz.fail("rendered settings \(settings) do not parse: \(error)\n\(rendered.debugDescription)")
    }
    Fuzz.check(back.count == settings.count && settings.allSatisfy { k, v in back[k].map { $0.unicodeScalars.elementsEqual(v.unicodeScalars) } ?? false },
               "settings \(settings) rendered as \(rendered.debugDescription) read back as \(back)")
    return 0
}

private func checkError(_ e: ConfigError, file: String, text: String) {
    let d = e.description
    Fuzz.check(d.hasPrefix(file), "the error does not start with the file: \(d.debugDescription)")
    Fuzz.check(!d.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" },
               "the error is not one clean line: \(d.debugDescription)")
    if let line = e.line {
        let lines = text.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        Fuzz.check(line >= 1 && line <= lines, "the error names line \(line) of \(lines): \(d.debugDescription)")
    }
}
