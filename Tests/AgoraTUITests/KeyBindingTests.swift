import Testing
import AgoraScreen
import AgoraTUI

@Test func everyCommandIsBoundSomewhere() {
    let bound = Set(KeyBindings.table.map(\.command))
    for c in Command.allCases { #expect(bound.contains(c), "\(c) has no key") }
}

@Test func noKeyIsBoundTwiceInOneContext() {
    for context in KeyContext.allCases {
        var seen: [Key: Command] = [:]
        for b in KeyBindings.bindings(in: context) {
            for k in b.keys {
                #expect(seen[k] == nil, "\(k) bound twice in \(context)")
                seen[k] = b.command
            }
        }
    }
}

@Test func contextKeysShadowGlobalOnes() {
    #expect(KeyBindings.command(for: .tab, in: .topics) == .nextPane)
    #expect(KeyBindings.command(for: .tab, in: .reader) == .nextPane)   // one meaning everywhere (16.11)
    #expect(KeyBindings.command(for: .char("N"), in: .reader) == .nextUnread)
    #expect(KeyBindings.command(for: .char("q"), in: .composer) == nil)   // a letter there
    #expect(KeyBindings.command(for: .char("j"), in: .prompt) == nil)
}

@Test func footerHintsComeFromTheTable() {
    let hints = KeyBindings.hints(for: .reader).map { "\($0.keys) \($0.hint)" }
    #expect(hints == ["n next", "p prev", "N unread", "r reply", "R reply here", "q back", "/ find", "? more"])
    // While a find lasts, n and N are its own; the reader's other keys follow, and the global ones.
    #expect(KeyBindings.hints(for: .readerFind).map { "\($0.keys) \($0.hint)" }
            == ["n next match", "N prev match", "Esc end find", "p prev", "r reply", "R reply here", "q back", "/ find", "? more"])
}

@Test func keysMarkdownListsEveryBinding() {
    let md = KeyBindings.markdown()
    #expect(md.hasPrefix("# Agora keys"))
    for b in KeyBindings.table { #expect(md.contains(b.help)) }
    #expect(md.contains("## Reader"))
    #expect(md.contains("| `Ctrl-X` | send |"))
}

@Test func controlCharactersNormalise() {
    #expect(KeyBindings.normalize(.char("\u{18}")) == .ctrl("x"))
    #expect(KeyBindings.normalize(.ctrl("X")) == .ctrl("x"))
    #expect(KeyBindings.normalize(.char("\r")) == .enter)
    #expect(KeyBindings.normalize(.char("\u{7F}")) == .backspace)
}

@Test func textFieldEditsByGrapheme() {
    var f = TextField("a王👍🏽", multiline: true)
    f.backspace()
    #expect(f.text == "a王")
    f.left()
    f.insert("\n")
    #expect(f.text == "a\n王")
    f.end()
    f.up()
    #expect(f.cursor == 1)      // end of "a"
    f.down()
    #expect(f.cursor == 3)      // end of "王"
    f.insert(" ")
    f.insert("x")
    _ = f.handle(.ctrl("w"))
    #expect(f.text == "a\n王 ")
}
