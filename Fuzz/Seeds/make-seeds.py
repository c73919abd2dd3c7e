#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs (Fuzz/Seeds/<Target>/), a few small realistic inputs each.

Each input is what the target reads: its first byte(s) are the target's choices (see the comment at the top of
Fuzz/Sources/<Target>/<Target>.swift), the rest the text or bytes. The wire seeds are encoded with
scripts/agora_wire.py (a second implementation of BinaryCoder's form, from its description). Run it again after
changing a target's input layout or the wire; the files are committed.

    python3 Fuzz/Seeds/make-seeds.py
"""
import os
import shutil
import struct
import sys
import json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import agora_wire as w  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1_795_687_200.0 - w.REFERENCE_DATE   # 2026-11-26T10:00:00Z as a Swift Date


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def frame(kind, ident, body):
    return struct.pack(">IBQ", 9 + len(body), kind, ident) + body


def main():
    for t in ["FuzzSanitizer", "FuzzCSV", "FuzzTheme", "FuzzConfig", "FuzzDate", "FuzzWire"]:
        shutil.rmtree(os.path.join(HERE, t), ignore_errors=True)

    # Choice byte: width in the low 5 bits, 0x40 raw text (else sanitised), 0x80 no ellipsis.
    s = "FuzzSanitizer"
    write(s, "plain", b"\x0a" + "Hello, world".encode())
    write(s, "scripts", b"\x10" + "Zoë Nguyễn — 李娜 写作 مرحبا café".encode())
    write(s, "escapes-raw", b"\x48" + "a\x1b[31mred\x1b]0;title\x07\r\nover\rwrite\ttab\x7f\u009b".encode())
    write(s, "emoji", b"\x07" + "hi 👨\u200d👩\u200d👧 👍🏽 🇵🇹 ❤️ 1️⃣ 🚀\u200da".encode())
    write(s, "zalgo-bidi", b"\x85" + ("Ze" + "\u0301" * 9 + "d if admin\u202e then\u2066x\u2069 ad\u200bmin\ufeff").encode())
    write(s, "cjk-narrow", b"\x03" + "日本語ｆｕｌｌｶﾀｶﾅ\u3000한국어".encode())
    # A joiner at the cap on marks (the invariant caught these on inputs made for it: SanitizerRulesTests).
    write(s, "zwj-at-the-cap", b"\x0a" + ("\U0001F600" + "\ufe0f" * 6 + "\u200d\U0001F3FB").encode())
    write(s, "zwj-after-the-cap", b"\x0a" + ("\U0001F600" + "\ufe0f" * 7 + "\u200d\U0001F600").encode())

    c = "FuzzCSV"
    write(c, "plain", "login,name\nana,Ana Lima\nbo,Bo\n")
    write(c, "quoted", 'login,name,goals\n"lima","Lima, Ana","she said ""hi"""\nbo,Bo,"learn\nSwift\nand SQL"\n')
    write(c, "crlf-bom", "\ufefflogin,name\r\nana,Ana\r\nbo,\"B\r\nO\"\r\ncy,Cy")
    write(c, "import", "login,name,unit,region,generation,role,goals,offers\n"
                       "ana,Ana Lima,Ops,EU,X,champion,public speaking,\"Swift, code review\"\n\n"
                       "li.na,李娜,R&D,APAC,Z,peer,,\n")

    # Choice byte: bit 0 set = `inherits` finds this same text again (else the built-ins only).
    t = "FuzzTheme"
    for name in ["default", "light", "mono"]:
        with open(os.path.join(ROOT, "Themes", name + ".toml"), "rb") as f:
            write(t, name, b"\x00" + f.read())
    write(t, "self-inheriting", b"\x01" + b'inherits = "me"\n"ui.text" = { fg = "#5f87d7", modifiers = ["bold"] }\n')
    write(t, "tables", b"\x00" + b'[ui]\ntext = "white"\n[ui.footer]\nkey = { fg = 12, bg = "gray" }\n[palette]\naccent = "25"\n')

    # Choice byte: which settings are known (0 the user's config, 1 the shared install's, 2 many, 3 none).
    g = "FuzzConfig"
    write(g, "user", b"\x00" + b'# Agora\ntheme = "light"   # a trailing comment\n')
    write(g, "shared", b"\x01" + b"# Written by agora admin install-shared.\n"
                                 b'database = "/srv/a\\"b/agora.db"\nsocket = \'/run/agora #1/agora.sock\'\n')
    write(g, "bad", b"\x00" + b'theme = light\n[theme]\nname = "x"\n')
    write(g, "unicode", b"\x02" + '"é" = "/tmp/née/ünïcode"\nkey = """multi\nline"""\n'.encode())

    # What toml++ aborted on, found by these targets (now refused first: TOMLGuard, ConfigFileTests, ThemeTests).
    for i, text in enumerate([b"[=\x7f", b"\xef\xbb\xbf[[[", b"A=[[}\x04", b"x=1572-93-w= 8 "]):
        write(t, "toml-abort-%d" % i, b"\x00" + text)
    for i, text in enumerate([b"[\r1", b"v2=[[}", b"a=1\x1516-10-0\x17 2 "]):
        write(g, "toml-abort-%d" % i, b"\x01" + text)
    write(g, "error-quoting-a-control", b"\x00" + b"T=n\x02")   # an error that was not one line

    # Choice byte: even = text to parse, odd = eight bytes of a Double (seconds since 1970).
    d = "FuzzDate"
    for i, text in enumerate(["3d", "+3d", "+12h", "+2w", "tomorrow", "2026-11-26T10:00:00Z", "2026-11-26",
                              "2026-11-26 09:05:07.250", "2026-11-26T10:05:07+01:00", "2024-02-29 23:59:60"]):
        write(d, "text-%02d" % i, b"\x00" + text.encode())
    write(d, "double-now", b"\x01" + struct.pack("<d", 1_795_687_200.25))
    write(d, "double-nan", b"\x01" + struct.pack("<d", float("nan")))

    # Choice byte: 0 a stream (then a byte: read size - 1), 1 a Call, 2 a hello (JSON), 3 a reply (then a byte: type).
    x = "FuzzWire"
    hello = json.dumps({"version": w.VERSION, "origin": "tui-4242"}).encode()
    post = w.enc({"post": {"kind": "idea", "title": "Pairing", "body": "Try it 😀\n", "tags": ["swift"], "by": "ana",
                           "now": T0, "template": None, "followUp": T0 + 86400, "draftScope": "new"}})
    reply = w.enc({"reply": {"topic": 7, "parent": None, "body": "Yes", "by": "ana", "now": T0}})
    opening = w.enc({"threadOpening": {"_0": 7, "reader": "ana", "window": {"focus": None, "more": 30}}})
    draft = w.enc({"saveDraft": {"_0": {"login": "ana", "scope": "new", "kind": "request", "title": "T", "tags": "a b",
                                        "body": "draft", "saved": T0}}})
    write(x, "stream", b"\x00\x07" + frame(w.HELLO, 0, hello) + frame(w.REQUEST, 1, post) + frame(w.REQUEST, 2, reply))
    write(x, "stream-bytewise", b"\x00\x00" + frame(w.HELLO, 0, hello) + frame(w.REQUEST, 1, opening))
    write(x, "call-post", b"\x01" + post)
    write(x, "call-draft", b"\x01" + draft)
    write(x, "call-program", b"\x01" + w.enc({"program": {}}))
    write(x, "call-present", b"\x01" + w.enc({"present": {"topic": 7, "hidden": False}}))
    write(x, "hello", b"\x02" + json.dumps({"version": w.VERSION, "origin": "cli", "actAs": "ana"}).encode())
    change = {"id": 9, "kind": "posted", "topicId": 7, "postId": 12, "login": "ana", "origin": "tui-1", "news": None}
    write(x, "reply-changes", b"\x03\x00" + w.enc({"changes": [change], "position": 9, "complete": True}))
    write(x, "reply-presence", b"\x03\x01" + w.enc({"here": 3, "topic": 7, "alsoReading": ["bo", "cy"]}))
    write(x, "reply-failure", b"\x03\x02" + w.enc({"message": "no such topic", "hint": None, "exitCode": 4}))
    topic = {"id": 7, "kind": "request", "title": "Help", "author": "ana", "status": "open", "created": T0,
             "lastActivity": T0, "postCount": 1, "answerCount": 0, "lastPostId": 12, "noAnswerNeeded": False}
    postv = {"id": 12, "topicId": 7, "parentId": None, "author": "ana", "body": "Hi", "created": T0, "edited": None,
             "hidden": False}
    write(x, "reply-thread", b"\x03\x03" + w.enc({"value": {"topic": topic, "tags": ["x"], "posts": [postv], "peers": {},
                                                            "lastReadPostId": 12, "withheld": [[13, 12, "bo", False, None]]}}))


if __name__ == "__main__":
    main()
