// Generated from Themes/*.toml: keep in sync (a test compares them).
enum BuiltinThemes {
    static let `default` = #"""
# Agora default theme: dark background, 256 colours.
# Keys are roles (dotted scopes); a missing role falls back along its dots ("ui.text.dim" -> "ui.text" -> "ui").
# Values: a colour (= foreground) or { fg, bg, modifiers = ["bold", "dim", "italic", "underlined", "reversed"] }.
# Colours: a [palette] name, "#rrggbb", 0-255, or an ANSI name ("red", "light-blue", "gray").

"ui.text" = "text"
"ui.text.dim" = "muted"
"ui.text.bold" = { fg = "strong", modifiers = ["bold"] }
"ui.header" = { fg = "bright", bg = "bar", modifiers = ["bold"] }
"ui.footer" = { fg = "text", bg = "bar" }
"ui.footer.key" = { fg = "accent", bg = "bar", modifiers = ["bold"] }
"ui.selection" = { fg = "bright", bg = "select", modifiers = ["bold"] }
"ui.selection.unfocused" = { fg = "text", bg = "select-dim" }
"ui.border" = "frame"
"ui.title" = { fg = "accent", modifiers = ["bold"] }
"ui.tab" = { fg = "text", bg = "bar" }
"ui.tab.active" = { fg = "bright", bg = "select", modifiers = ["bold"] }
"ui.error" = { fg = "danger", modifiers = ["bold"] }
"ui.status" = "info"
"ui.input" = { fg = "bright", bg = "input" }
"ui.cursor" = { modifiers = ["reversed"] }
"ui.help.key" = { fg = "accent", modifiers = ["bold"] }
"ui.help.text" = "text"

"topic.unread" = { fg = "strong", modifiers = ["bold"] }
"topic.kind" = "kind"
"topic.meta" = "muted"

"post.author" = { fg = "author", modifiers = ["bold"] }
"post.meta" = "muted"
"post.body" = "text"
"post.gutter" = "frame"
"post.tree" = "frame"
"post.quote" = { fg = "quote", modifiers = ["italic"] }

"peer.role" = "kind"
"peer.alumni" = { fg = "muted", modifiers = ["italic"] }

"queue.fresh" = "ok"
"queue.due" = "warn"
"queue.overdue" = { fg = "danger", modifiers = ["bold"] }
"queue.claimed" = "info"

"chart.bar" = "accent"
"chart.axis" = "muted"

"replacement" = { fg = "warn", modifiers = ["reversed"] }

[palette]
# "strong": bold text on the terminal's background; "bright": text on the bars and the selection.
text = "252"
strong = "255"
bright = "255"
muted = "245"
frame = "242"
bar = "236"
select = "25"
select-dim = "238"
input = "235"
accent = "75"
author = "114"
kind = "176"
quote = "144"
info = "110"
ok = "114"
warn = "214"
danger = "203"
"""#

    static let mono = #"""
# Agora monochrome theme: no colours at all, only bold / reverse / underline / dim.
# Used automatically when NO_COLOR is set or the terminal has no colours.

"ui.text.dim" = { modifiers = ["dim"] }
"ui.text.bold" = { modifiers = ["bold"] }
"ui.header" = { modifiers = ["reversed", "bold"] }
"ui.footer" = { modifiers = ["reversed"] }
"ui.footer.key" = { modifiers = ["reversed", "bold"] }
"ui.selection" = { modifiers = ["reversed", "bold"] }
"ui.selection.unfocused" = { modifiers = ["reversed"] }
"ui.title" = { modifiers = ["bold"] }
"ui.tab" = { modifiers = ["reversed"] }
"ui.tab.active" = { modifiers = ["bold", "underlined"] }
"ui.error" = { modifiers = ["bold", "underlined"] }
"ui.input" = { modifiers = ["underlined"] }
"ui.cursor" = { modifiers = ["reversed"] }
"ui.help.key" = { modifiers = ["bold"] }

"topic.unread" = { modifiers = ["bold"] }
"topic.meta" = { modifiers = ["dim"] }

"post.author" = { modifiers = ["bold"] }
"post.meta" = { modifiers = ["dim"] }
"post.quote" = { modifiers = ["dim"] }

"peer.alumni" = { modifiers = ["dim"] }

"queue.overdue" = { modifiers = ["bold", "reversed"] }
"queue.claimed" = { modifiers = ["dim"] }
"queue.due" = { modifiers = ["bold"] }

"chart.bar" = { modifiers = ["reversed"] }

"replacement" = { modifiers = ["reversed"] }
"""#
}
