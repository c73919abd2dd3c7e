"""A client of `agora serve` in Python, written from the wire's description (Sources/AgoraWire/Frames.swift and
BinaryCoder.swift), for scripts/bench's connected writers and scripts/daemon-test's hand-made attacker.

    frame = u32 length (big-endian) . u8 kind . u64 id (big-endian) . body
    body  = JSON for hello (1), welcome (2), refused (3); the binary form for every other frame.
"""
import json
import socket
import struct

VERSION = 8          # Wire.version (a test checks they agree)
HELLO, WELCOME, REFUSED, REQUEST, REPLY, FAILURE, CHANGES, PRESENCE = range(1, 9)
REFERENCE_DATE = 978307200.0   # Swift's Date is seconds since 2001-01-01


def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([n & 0x7f | 0x80])
        n >>= 7
    return out + bytes([n])


def enc(v):
    if v is None:
        return b"\x00"
    if v is False or v is True:
        return bytes([2 if v else 1])
    if isinstance(v, int):
        return b"\x03" + varint(((v << 1) ^ (v >> 63)) & (2 ** 64 - 1))
    if isinstance(v, float):
        return b"\x05" + struct.pack("<d", v)
    if isinstance(v, str):
        b = v.encode()
        return b"\x06" + varint(len(b)) + b
    if isinstance(v, dict):
        body = b"".join(varint(len(k.encode())) + k.encode() + enc(x) for k, x in v.items())
        return b"\x07" + struct.pack("<II", 4 + len(body), len(v)) + body
    body = b"".join(enc(x) for x in v)
    return b"\x08" + struct.pack("<II", 4 + len(body), len(v)) + body


def dec(b, i=0):
    """The value at b[i:] and where it ends."""
    t = b[i]
    i += 1

    def vint(i):
        n = shift = 0
        while True:
            c = b[i]
            i += 1
            n |= (c & 0x7f) << shift
            shift += 7
            if c < 0x80:
                return n, i
    if t in (0, 1, 2):
        return [None, False, True][t], i
    if t == 3:
        z, i = vint(i)
        return (z >> 1) ^ -(z & 1), i
    if t == 4:
        return vint(i)
    if t == 5:
        return struct.unpack("<d", b[i:i + 8])[0], i + 8
    if t == 6:
        n, i = vint(i)
        return b[i:i + n].decode(), i + n
    n = struct.unpack("<I", b[i + 4:i + 8])[0]
    i += 8
    if t == 8:
        out = []
        for _ in range(n):
            v, i = dec(b, i)
            out.append(v)
        return out, i
    out = {}
    for _ in range(n):
        k, i = vint(i)
        key = b[i:i + k].decode()
        i += k
        out[key], i = dec(b, i)
    return out, i


class Client:
    def __init__(self, path, origin="python", act_as=None, version=VERSION):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.next_id = 1
        hello = {"version": version, "origin": origin}
        if act_as:
            hello["actAs"] = act_as
        self.send(HELLO, 0, hello)
        kind, self.welcome = self.recv()
        if kind != WELCOME:
            raise RuntimeError("refused: %s" % self.welcome)

    def send(self, kind, ident, value):
        body = json.dumps(value).encode() if kind == HELLO else enc(value)
        self.s.sendall(struct.pack(">IBQ", 9 + len(body), kind, ident) + body)

    def recv(self, pushes=True):
        """The next frame as (kind, value); with pushes=False a push's body is left undecoded (None): a writer that
        only waits for its answer need not read every change the daemon sends it."""
        head = b""
        while len(head) < 4:
            chunk = self.s.recv(4 - len(head))
            if not chunk:
                raise EOFError("the daemon closed the connection")
            head += chunk
        n = struct.unpack(">I", head)[0]
        rest = b""
        while len(rest) < n:
            chunk = self.s.recv(n - len(rest))
            if not chunk:
                raise EOFError("the daemon closed the connection")
            rest += chunk
        kind, body = rest[0], rest[9:]
        if not pushes and kind in (CHANGES, PRESENCE):
            return kind, None
        if kind in (WELCOME, REFUSED):
            return kind, json.loads(body or b"null")
        return kind, dec(body)[0] if body else None

    def call(self, call):
        """Sends one request and waits for its answer (pushes in between are skipped): (kind, value)."""
        ident = self.next_id
        self.next_id += 1
        self.send(REQUEST, ident, call)
        while True:
            kind, value = self.recv(pushes=False)
            if kind in (REPLY, FAILURE):
                return kind, value

    def post(self, title, body, by, now, kind="discussion"):
        return self.call({"post": {"kind": kind, "title": title, "body": body, "tags": [], "by": by,
                                   "now": now - REFERENCE_DATE, "template": None, "followUp": None,
                                   "draftScope": "new"}})

    def close(self):
        self.s.close()
