"""Mentions and the inbox (issue 14), for scripts/bench.

  M   N TUI sessions (80x24, each in its own pty, each `--as` a different demo member) sit on the topic list;
      another member replies from the CLI with one post that mentions all N of them. For each session: the time
      from the reply's acknowledgement (its process exited: the commit is in) until that session's header shows
      one more "for you". A screen the harness saw change while the reply was still running counts as 0 from the
      acknowledgement; the time from the reply's start is reported beside it. The time is when the harness saw
      the screen (it reads N ptys in turn): an upper bound.
  S   `agora status` for a member with 1,000 unread notifications (written straight into the copy with sqlite3:
      the setup, not the figure), whole process, p50 of 20; the < 20 ms target applies with --daemon, as for the
      session section's status figure.

Both run on a fresh copy of the bench program, with the fan-out's session machinery (bench_fanout.FanOut).
"""
import datetime
import re
import sqlite3
import subprocess
import sys
import time

import bench_fanout
from bench_pty import percentile

FOR_YOU = re.compile(r"(\d+) for you")


def log(msg):
    print("bench: mentions: " + msg, file=sys.stderr, flush=True)


def for_you(session):
    """The header's "N for you" (0 when it is not shown)."""
    lines = session.term.lines()
    m = FOR_YOU.search(lines[0]) if lines else None
    return int(m.group(1)) if m else 0


class Mentions(bench_fanout.FanOut):
    def __init__(self, agora, env, workdir, base_db, n=50, daemon=False):
        super().__init__(agora, env, workdir, base_db, [n], daemon=daemon)
        self.n = n

    def run(self):
        try:
            self.raise_inotify_limit(self.n)
            self.raise_fd_limit(self.n)
            self.fresh_copy()
            self.keep_open()
            self.start_daemon()
            out = {"status": self.status_with_notifications(1000), "over_daemon": bool(self.socket)}
            out["mention"] = self.mention_fanout()
            return out
        finally:
            self.stop_sessions()
            self.stop_daemon()
            self.close_kept()
            self.restore_inotify_limit()

    def status_with_notifications(self, count):
        members, _leader = self.members()
        me, actor = members[0], members[1]
        con = sqlite3.connect(self.db)
        topic, post = con.execute("SELECT topicId, id FROM post ORDER BY id DESC LIMIT 1").fetchone()
        now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.000")
        con.executemany("INSERT INTO notification(login, kind, topicId, postId, actor, created) VALUES (?, 'mention', ?, ?, ?, ?)",
                        [(me, topic, post, actor, now)] * count)
        con.commit()
        con.close()
        times = []
        line = ""
        for _ in range(20):
            t = time.monotonic_ns()
            r = subprocess.run([self.agora] + self.where() + ["--as", me, "status"], env=self.env, capture_output=True, text=True)
            times.append(time.monotonic_ns() - t)
            if r.returncode != 0 or not r.stdout.strip():
                raise RuntimeError("agora status failed: %s" % (r.stderr.strip() or "printed nothing"))
            line = r.stdout.strip()
        log("status with %d notifications: %s" % (count, line))
        return {"notifications": count, "p50_ms": times and percentile(times, 50) / 1e6, "max_ms": max(times) / 1e6,
                "line": line}

    def mention_fanout(self):
        members, leader = self.members()
        n = min(self.n, len(members) - 1)
        logins = members[1:n + 1]   # members[0] has the 1,000 notifications of the status figure
        self.replier = members[n + 1] if n + 1 < len(members) else leader
        log("%d sessions, one reply from %s mentioning each of them" % (n, self.replier))
        self.start_sessions(logins)
        self.settle(time.monotonic_ns(), False, 60)
        before = {s.i: for_you(s) for s in self.sessions}
        top = self.topics_by_activity(1)[0][0]
        body = "Thoughts, all of you? " + " ".join("@" + s.login for s in self.sessions)
        stamp = (datetime.datetime.utcnow() + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        start = time.monotonic_ns()
        wall_ms = self.reply(top, body, stamp)
        acked = start + int(wall_ms * 1e6)
        seen = {}
        for s in self.sessions:
            if for_you(s) > before[s.i]:
                seen[s.i] = acked   # changed while the reply ran: at most its acknowledgement
        deadline = time.monotonic() + 30
        while len(seen) < len(self.sessions) and time.monotonic() < deadline:
            self.pump(0.002)
            t = time.monotonic_ns()
            for s in self.sessions:
                if s.i not in seen and for_you(s) > before[s.i]:
                    seen[s.i] = t
        missing = [s.login for s in self.sessions if s.i not in seen]
        if missing:
            log("%d sessions never showed the mention within 30 s (first: %s; screen:\n%s)"
                % (len(missing), missing[0], self.sessions[[s.login for s in self.sessions].index(missing[0])].term.text()))
        from_ack = sorted(max(0, t - acked) for t in seen.values())
        from_start = sorted(t - start for t in seen.values())
        out = {"sessions": len(self.sessions), "updated": len(seen), "reply_ms": wall_ms,
               "from_ack_p50_ms": from_ack and percentile(from_ack, 50) / 1e6,
               "from_ack_p99_ms": from_ack and percentile(from_ack, 99) / 1e6,
               "from_ack_max_ms": from_ack and from_ack[-1] / 1e6,
               "from_start_p99_ms": from_start and percentile(from_start, 99) / 1e6}
        inbox = subprocess.run([self.agora] + self.where() + ["--as", self.sessions[0].login, "inbox", "--unread", "--json"],
                               env=self.env, capture_output=True, text=True)
        out["inbox_has_it"] = inbox.returncode == 0 and self.replier in inbox.stdout
        self.stop_sessions()
        return out


def rows(results, row):
    st, m = results["status"], results["mention"]
    daemon = results.get("over_daemon", False)
    # As the session section's status figure: the < 20 ms target is the daemon's (in-process, the process opens the
    # database and counts the queue itself: ~60 ms at 1M posts with or without the notifications).
    row("agora status with %d unread notifications (p50 of 20%s)" % (st["notifications"], ", over agora serve" if daemon else ""),
        st["p50_ms"], "ms", None, ("< 20 ms", st["p50_ms"] is not None and st["p50_ms"] < 20) if daemon else None)
    row("mention of %d people: screens showing it / sessions" % m["sessions"], "%d / %d" % (m["updated"], m["sessions"]), "",
        None, ("all", m["updated"] == m["sessions"] and m["inbox_has_it"]))
    row("  the reply's own wall time", m["reply_ms"], "ms")
    row("  acknowledged -> each recipient's header, p50", m["from_ack_p50_ms"], "ms")
    row("  acknowledged -> each recipient's header, p99", m["from_ack_p99_ms"], "ms", None,
        ("< 100 ms", m["from_ack_p99_ms"] is not None and m["from_ack_p99_ms"] < 100 and m["updated"] == m["sessions"]))
    row("  reply started -> each recipient's header, p99", m["from_start_p99_ms"], "ms")
