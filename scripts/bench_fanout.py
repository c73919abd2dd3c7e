"""Fan-out: what one foreign write costs every other live session (issue 11), for scripts/bench.

N TUI sessions (80x24, each in its own pty, each `--as` a different demo member, with AGORA_TRACE_FD)
sit on one copy of the program; then:

  A   all on the topic list (sorted by activity): one `agora reply` from the CLI into the third topic;
  B   all reading the same thread: one CLI reply into that thread;
  D   all on the topic list: session 0 opens the composer (`c`), types, and its draft autosaves (2 s).

For each event: the CPU the sessions spent because of it (sum of /proc/PID/task/*/schedstat first field,
ns, before and after), how many woke up (a trace line after the event: the loop paints after every wakeup)
and how many changed their screen (the trace's byte count moved), and the commits it caused, counted two
ways that do not depend on the TUI's internals:
  - rows: each session's rows in readState, draft and claim (count and a digest), read with a read-only
    connection before and after; a session whose rows changed made a commit;
  - WAL: commit frames in the -wal file (frame header's "database size after commit" != 0, salts matching
    the header), before and after, minus the commits of one CLI reply (calibrated on the fresh copy with
    no session running). A read transaction is held open across the event so the WAL cannot restart
    under the count.
If the trace lines carry "<ns> <bytes> <reads> <writes>" (cumulative store reads and commits of the
session), the per-session deltas are reported too; today's binary writes only "<ns> <bytes>".

An event is over when every session has woken since it (when a wakeup is expected), every session is
asleep (state S) and the sessions' total CPU has not moved for `quiet` seconds (0.3 s), or at a bound.
"""
import os
import resource
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time

from bench_pty import Term

KINDS = ("idea ", "concern ", "resource ", "request ", "discussion ")


def log(msg):
    print("bench: fanout: " + msg, file=sys.stderr, flush=True)


def ms(ns):
    return None if ns is None else ns / 1e6


def wal_commits(db):
    """(salt, commit frames, frames) of the valid part of db's -wal file; (None, 0, 0) if empty or absent."""
    try:
        with open(db + "-wal", "rb") as f:
            data = f.read()
    except OSError:
        return (None, 0, 0)
    if len(data) < 32:
        return (None, 0, 0)
    magic, _version, page_size, _seq, salt1, salt2 = struct.unpack(">IIIIII", data[:24])
    if magic not in (0x377F0682, 0x377F0683) or page_size < 512:
        return (None, 0, 0)
    commits = frames = 0
    off = 32
    while off + 24 + page_size <= len(data):
        _pgno, db_size, s1, s2 = struct.unpack(">IIII", data[off:off + 16])
        if (s1, s2) != (salt1, salt2):
            break
        frames += 1
        if db_size:
            commits += 1
        off += 24 + page_size
    return ((salt1, salt2), commits, frames)


class Session:
    def __init__(self, i, login, term):
        self.i, self.login, self.term = i, login, term


class FanOut:
    def __init__(self, agora, env, workdir, base_db, sessions, quiet=0.3, daemon=False):
        self.agora = agora
        self.workdir = os.path.join(workdir, "fanout")   # a directory of its own: the sessions watch it with inotify
        os.makedirs(self.workdir, exist_ok=True)
        self.base_db = base_db
        self.db = os.path.join(self.workdir, "fanout.db")
        self.env = dict(env, AGORA_DB=self.db)
        self.ns = sessions
        self.quiet = quiet
        self.sessions = []
        self.inotify_saved = None
        self.pin_con = None   # the harness's own connection (keep_open); read transactions on it pin the WAL
        # --daemon: `agora serve` owns the copy; sessions and the replier are its clients (`--socket`), and its
        # own CPU is counted with theirs.
        self.socket = os.path.join(self.workdir, "agora.sock") if daemon else None
        self.daemon = None

    def where(self):
        """How a session or the replier reaches the program."""
        return ["--socket", self.socket] if self.socket else ["--db", self.db]

    def start_daemon(self):
        if not self.socket:
            return
        self.stop_daemon()
        self.daemon_log = open(os.path.join(self.workdir, "serve.log"), "ab")
        self.daemon = subprocess.Popen([self.agora, "serve", "--db", self.db, "--socket", self.socket, "--log-level", "warning"],
                                       env=self.env, stdout=self.daemon_log, stderr=self.daemon_log)
        deadline = time.monotonic() + 30
        import socket as so
        while True:
            try:
                c = so.socket(so.AF_UNIX, so.SOCK_STREAM)
                c.connect(self.socket)
                c.close()
                return
            except OSError:
                if self.daemon.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("agora serve did not start (see %s/serve.log)" % self.workdir)
                time.sleep(0.05)

    def stop_daemon(self):
        if self.daemon is not None:
            self.daemon.terminate()
            try:
                self.daemon.wait(15)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
            self.daemon = None

    def daemon_cpu(self):
        """The daemon's CPU so far (ns, all its threads), 0 without one."""
        if self.daemon is None:
            return 0
        total = 0
        try:
            for tid in os.listdir("/proc/%d/task" % self.daemon.pid):
                try:
                    with open("/proc/%d/task/%s/schedstat" % (self.daemon.pid, tid)) as f:
                        total += int(f.read().split()[0])
                except OSError:
                    pass
        except OSError:
            pass
        return total

    # ---------------------------------------------------------------------------------------------
    # Setup

    def fresh_copy(self):
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)
        con = sqlite3.connect(self.base_db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        shutil.copyfile(self.base_db, self.db)

    def members(self):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        rows = [r[0] for r in con.execute(
            "SELECT login FROM peer WHERE role IN ('peer', 'champion') AND left IS NULL ORDER BY login")]
        leader = con.execute("SELECT login FROM peer WHERE role = 'leader' ORDER BY joined LIMIT 1").fetchone()[0]
        con.close()
        return rows, leader

    def topics_by_activity(self, limit):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        rows = con.execute("SELECT id, title, lastActivity FROM topic ORDER BY lastActivity DESC, id DESC LIMIT ?",
                           (limit,)).fetchall()
        con.close()
        return rows

    INOTIFY = "/proc/sys/fs/inotify/max_user_instances"

    def raise_inotify_limit(self, n):
        """Every session holds an inotify instance, and they are all ours (one uid; on a shared host each person
        is a uid of their own): past fs.inotify.max_user_instances (128 by default) a session falls back to
        looking at the database once a second, which is not what is measured here. Raised for the run when we
        may (root), and put back at the end."""
        try:
            with open(self.INOTIFY) as f:
                limit = int(f.read())
        except (OSError, ValueError):
            return
        want = n + 256   # the sessions, and room for whatever else of ours holds one
        if limit >= want:
            return
        if os.geteuid() != 0:
            log("warning: %s is %d, and not root: sessions past it watch by polling once a second" % (self.INOTIFY, limit))
            return
        with open(self.INOTIFY, "w") as f:
            f.write(str(want))
        if self.inotify_saved is None:
            self.inotify_saved = limit
        log("raised %s from %d to %d for the run (put back at the end)" % (self.INOTIFY, limit, want))

    def restore_inotify_limit(self):
        if self.inotify_saved is not None:
            with open(self.INOTIFY, "w") as f:
                f.write(str(self.inotify_saved))
            log("put %s back to %d" % (self.INOTIFY, self.inotify_saved))
            self.inotify_saved = None

    @staticmethod
    def watches(pid):
        """Whether the process holds an inotify descriptor (the TUI's change watcher got one)."""
        try:
            for fd in os.listdir("/proc/%d/fd" % pid):
                try:
                    if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == "anon_inode:inotify":
                        return True
                except OSError:
                    pass
        except OSError:
            pass
        return False

    def raise_fd_limit(self, n):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = 8 * n + 256   # pty master, trace pipe and the spawn's passing pipes per session, and slack
        if soft != resource.RLIM_INFINITY and soft < want:
            new = want if hard == resource.RLIM_INFINITY else min(want, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
            log("raised the open-files limit from %d to %d" % (soft, new))
            if new < want:
                log("warning: the hard limit %d is below the %d wanted for %d sessions" % (hard, want, n))

    # ---------------------------------------------------------------------------------------------
    # Many sessions at once

    def pump(self, timeout):
        """Reads from every session's pty and trace pipe whatever arrives within `timeout` seconds."""
        poller = select.poll()
        owner = {}
        for s in self.sessions:
            for fd in s.term.fds():
                poller.register(fd, select.POLLIN)
                owner[fd] = s.term
        got = False
        for fd, ev in poller.poll(max(0, timeout) * 1000):
            if ev & (select.POLLIN | select.POLLHUP | select.POLLERR):
                got = owner[fd].handle(fd) or got
        return got

    def drain(self):
        while self.pump(0):
            pass

    def wait_for(self, what, ok, bound):
        """Pumps until ok(session) holds for every session; returns the ones it does not hold for at the bound."""
        deadline = time.monotonic() + bound
        while True:
            pending = [s for s in self.sessions if not ok(s)]
            if not pending:
                return []
            if time.monotonic() > deadline:
                log("%s: %d of %d sessions not there after %.0f s (session %d's screen:\n%s)"
                    % (what, len(pending), len(self.sessions), bound, pending[0].i, pending[0].term.text()))
                return pending
            dead = [s for s in pending if not s.term.proc.isalive()]
            if dead:
                raise RuntimeError("%s: session %d (%s) exited; screen:\n%s" % (what, dead[0].i, dead[0].login, dead[0].term.text()))
            self.pump(0.05)

    def cpu(self):
        return [s.term.cpu_ns() or 0 for s in self.sessions]

    def settle(self, since_ns, expect_wake, bound, min_wait=0.5, who=None):
        """Waits until the sessions (all, or `who`) are done with an event: see the module docstring.
        Returns (seconds waited, whether it hit the bound)."""
        group = self.sessions if who is None else who
        t0 = time.monotonic()
        last = None
        last_change = t0
        while True:
            self.pump(0.05)
            now = time.monotonic()
            cpu = sum(s.term.cpu_ns() or 0 for s in group) + self.daemon_cpu()
            if cpu != last:
                last, last_change = cpu, now
            if now - t0 >= min_wait and now - last_change >= self.quiet:
                woke = not expect_wake or all(s.term.traces and s.term.traces[-1][0] > since_ns for s in group)
                asleep = all(s.term.state() in ("S", "Z", "X") for s in group)
                if woke and asleep:
                    self.drain()
                    return now - t0, False
            if now - t0 > bound:
                log("settle: still busy after %.0f s; measuring anyway" % bound)
                self.drain()
                return now - t0, True

    def start_sessions(self, logins):
        batch = 10
        for k in range(0, len(logins), batch):
            fresh = []
            for i, login in enumerate(logins[k:k + batch], start=k):
                term = Term([self.agora] + self.where() + ["--as", login], self.env, 80, 24, trace=True)
                s = Session(i, login, term)
                self.sessions.append(s)
                fresh.append(s)
            self.wait_for("first paint (sessions %d-%d)" % (k, k + len(fresh) - 1), self.list_drawn, 60 + 2 * len(fresh))

    def list_drawn(self, s):
        lines = s.term.lines()
        if not s.term.traces or not any("Topics (" in line for line in lines):
            return False
        return sum(1 for line in lines if line[3:].startswith(KINDS)) >= 10

    def stop_sessions(self):
        """SIGTERM to every session (the TUI keeps drafts and leaves), SIGKILL to any left after 15 s."""
        if not self.sessions:
            return
        for s in self.sessions:
            try:
                os.kill(s.term.pid, signal.SIGTERM)
            except OSError:
                pass
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(s.term.proc.isalive() for s in self.sessions):
            try:
                self.pump(0.05)
            except Exception:
                time.sleep(0.05)
        left = [s for s in self.sessions if s.term.proc.isalive()]
        if left:
            log("%d sessions did not leave on SIGTERM within 15 s; killing them" % len(left))
        for s in left:
            try:
                os.kill(s.term.pid, signal.SIGKILL)
            except OSError:
                pass
        for s in self.sessions:
            try:
                s.term.close()
            except Exception:
                pass
        self.sessions = []

    # ---------------------------------------------------------------------------------------------
    # Commits

    def keep_open(self):
        """A connection of the harness's own, open from the fresh copy to the end: the -wal file is then never
        deleted by a last close, which matters because every process that opens the database while its -wal
        is empty or absent commits once (GRDB creates and drops a table, groue/GRDB.swift#102). It never
        writes; opening and closing it is outside every measured event."""
        self.pin_con = sqlite3.connect(self.db, isolation_level=None)

    def close_kept(self):
        if self.pin_con is not None:
            self.pin_con.close()
            self.pin_con = None

    def pin(self):
        """A read transaction held across an event, so the WAL is not restarted under the commit count."""
        self.pin_con.execute("BEGIN")
        self.pin_con.execute("SELECT count(*) FROM program").fetchone()

    def unpin(self):
        if self.pin_con is not None and self.pin_con.in_transaction:
            self.pin_con.execute("COMMIT")

    def rows(self):
        """Per session login: its readState, draft and claim rows as (count, digest) triples."""
        logins = [s.login for s in self.sessions]
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        q = ",".join("?" * len(logins))
        out = {login: {"readState": (0, 0), "draft": (0, ""), "claim": (0, "")} for login in logins}
        for login, n, digest in con.execute(
                "SELECT login, count(*), total(lastReadPostId) FROM readState WHERE login IN (%s) GROUP BY login" % q, logins):
            out[login]["readState"] = (n, digest)
        for login, n, digest in con.execute(
                "SELECT login, count(*), group_concat(scope || '|' || saved || '|' || length(body) || '|' || title) "
                "FROM draft WHERE login IN (%s) GROUP BY login" % q, logins):
            out[login]["draft"] = (n, digest)
        for login, n, digest in con.execute(
                "SELECT login, count(*), group_concat(itemKey || '|' || lastActed) FROM claim WHERE login IN (%s) GROUP BY login" % q,
                logins):
            out[login]["claim"] = (n, digest)
        con.close()
        return out

    def reply(self, topic, body, now_iso):
        """One CLI reply; pumps the sessions while it runs (their ptys must not fill up). Returns its wall ms."""
        env = dict(self.env, AGORA_NOW=now_iso)
        t = time.monotonic_ns()
        p = subprocess.Popen([self.agora] + self.where() + ["--as", self.replier, "reply", str(topic), "--body", body],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Its exit is timed by a thread of its own: the loop below may be busy feeding hundreds of screens.
        exited = []
        waiter = threading.Thread(target=lambda: (p.wait(), exited.append(time.monotonic_ns())), daemon=True)
        waiter.start()
        deadline = time.monotonic() + 60
        while not exited:
            if time.monotonic() > deadline:
                p.kill()
                p.wait()
                raise RuntimeError("agora reply did not finish within 60 s")
            if self.sessions:
                self.pump(0.005)
            else:
                time.sleep(0.005)
        waiter.join()
        out, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError("agora reply failed: " + err.decode().strip())
        return (exited[0] - t) / 1e6

    # ---------------------------------------------------------------------------------------------
    # One event

    def measure(self, label, action, expect_wake, bound, others_from=0):
        """Runs action() and reports what it cost the sessions (from index `others_from` on)."""
        group = self.sessions[others_from:]
        self.pin()
        try:
            self.settle(time.monotonic_ns(), False, bound)
            wal0 = wal_commits(self.db)
            rows0 = self.rows()
            cpu0 = self.cpu()
            daemon0 = self.daemon_cpu()
            paints0 = [len(s.term.traces) for s in self.sessions]
            bytes0 = [s.term.traces[-1][1] if s.term.traces else 0 for s in self.sessions]
            ctr0 = [s.term.counters[-1] if s.term.counters else () for s in self.sessions]
            screens0 = [s.term.lines() for s in self.sessions]
            t0 = time.monotonic_ns()
            extra = action() or {}
            waited, timed_out = self.settle(t0, expect_wake, bound, who=group)
            if others_from:
                # The acting session's own work (e.g. the draft save) is over too before the rows are read.
                self.settle(t0, False, bound)
            cpu1 = self.cpu()
            daemon1 = self.daemon_cpu()
            rows1 = self.rows()
            wal1 = wal_commits(self.db)
        finally:
            self.unpin()
        sel = range(others_from, len(self.sessions))
        dcpu = [cpu1[i] - cpu0[i] for i in sel]
        woke = sum(1 for i in sel if len(self.sessions[i].term.traces) > paints0[i])
        wakeups = [len(self.sessions[i].term.traces) - paints0[i] for i in sel]
        wrote = sum(1 for i in sel if self.sessions[i].term.traces and self.sessions[i].term.traces[-1][1] > bytes0[i])
        changed = {"readState": 0, "draft": 0, "claim": 0}
        committed = 0
        for i in sel:
            login = self.sessions[i].login
            any_change = False
            for table in changed:
                if rows0[login][table] != rows1[login][table]:
                    changed[table] += 1
                    any_change = True
            committed += any_change
        if wal0[0] is not None and wal1[0] != wal0[0]:
            wal_delta = None   # the WAL restarted despite the pin: the count is lost
        else:
            wal_delta = wal1[1] - wal0[1]
        # A session that wakes at all redraws relative ages that have moved on ("now" -> "1m" at a minute
        # boundary; the age is a row's last word): such a repaint is counted apart.
        age_only = 0
        for i in sel:
            t = self.sessions[i].term
            if t.traces and t.traces[-1][1] > bytes0[i]:
                diff = [(x, y) for x, y in zip(screens0[i], t.lines()) if x != y]
                if diff and all(x.rsplit(None, 1)[:1] == y.rsplit(None, 1)[:1] for x, y in diff):
                    age_only += 1
        # What changed on screen, in the first session that changed it (the rows before and after).
        example = []
        for i in sel:
            after = self.sessions[i].term.lines()
            example = [(row, x.rstrip(), y.rstrip()) for row, (x, y) in enumerate(zip(screens0[i], after)) if x != y]
            if example:
                example = {"session": i, "rows": example[:6]}
                break
        n = len(dcpu)
        out = {
            "screen_change_example": example,
            "sessions": n,
            "cpu_total_ms": ms(sum(dcpu)), "cpu_mean_ms": ms(sum(dcpu) / n), "cpu_max_ms": ms(max(dcpu)),
            "cpu_min_ms": ms(min(dcpu)),
            "daemon_cpu_ms": ms(daemon1 - daemon0) if self.daemon else None,
            "cpu_mean_with_daemon_ms": ms((sum(dcpu) + daemon1 - daemon0) / n),
            "woke": woke, "wakeups_mean": sum(wakeups) / n, "repainted": wrote, "repainted_ages_only": age_only,
            "sessions_committed": committed, "rows_changed": changed,
            "wal_commits": wal_delta, "settle_s": round(waited, 2), "settle_timed_out": timed_out,
        }
        if all(self.sessions[i].term.counters and self.sessions[i].term.counters[-1] for i in sel):
            reads = [self.sessions[i].term.counters[-1][0] - (ctr0[i][0] if ctr0[i] else 0) for i in sel]
            writes = [self.sessions[i].term.counters[-1][1] - (ctr0[i][1] if ctr0[i] else 0) for i in sel]
            out.update({"trace_reads_total": sum(reads), "trace_reads_mean": sum(reads) / n, "trace_reads_max": max(reads),
                        "trace_writes_total": sum(writes), "trace_writes_max": max(writes),
                        "trace_sessions_writing": sum(1 for w in writes if w)})
        out.update(extra)
        if example and not expect_wake:
            log("%s: session %d's screen changed: %s" % (label, example["session"], example["rows"][:3]))
        log("%s: %d sessions, CPU total %.1f ms, mean %.2f ms, max %.2f ms; %d woke, %d repainted; "
            "sessions with new rows %d %s; WAL commits %s; settled in %.1f s%s"
            % (label, n, out["cpu_total_ms"], out["cpu_mean_ms"], out["cpu_max_ms"], woke, wrote, committed,
               changed, wal_delta, waited, " (BOUND HIT)" if timed_out else ""))
        return out

    # ---------------------------------------------------------------------------------------------

    def run(self):
        results = {}
        try:
            self.raise_inotify_limit(max(self.ns))
            for n in self.ns:
                results[str(n)] = self.run_n(n)
                self.stop_sessions()
                self.stop_daemon()
        finally:
            self.stop_sessions()
            self.stop_daemon()
            self.close_kept()
            self.restore_inotify_limit()
        return results

    def run_n(self, n):
        import datetime
        self.raise_fd_limit(n)
        log("N=%d: fresh copy of the program" % n)
        self.close_kept()
        self.fresh_copy()
        self.keep_open()
        self.start_daemon()
        members, leader = self.members()
        if n > len(members):
            log("only %d members in this program: N=%d runs with %d sessions" % (len(members), n, len(members)))
            n = len(members)
        logins = members[:n]
        self.replier = members[n] if n < len(members) else leader
        top = self.topics_by_activity(3)
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        newest = con.execute("SELECT max(lastActivity) FROM topic").fetchone()[0]
        con.close()
        # The demo's threads have activity up to minutes ahead of the clock: post after them, so the reply tops the list.
        base = max(datetime.datetime.fromisoformat(newest[:19]), datetime.datetime.utcnow())
        stamp = lambda s: (base + datetime.timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out = {"sessions": n, "replier": self.replier, "over_daemon": bool(self.socket)}

        # Calibration: the commits of one CLI reply on its own (into the top topic, so the order stays). The
        # first process on the fresh copy finds the -wal empty and commits once more (keep_open): count the second.
        counts = []
        for i in range(2):
            self.pin()
            try:
                w0 = wal_commits(self.db)
                self.reply(top[0][0], "fan-out calibration %d" % i, stamp(60 + i))
                w1 = wal_commits(self.db)
            finally:
                self.unpin()
            counts.append((w1[1] - w0[1]) if (w0[0] is None or w0[0] == w1[0]) else None)
        self.cli_commits = counts[-1]
        out["cli_reply_commits"] = self.cli_commits
        out["cli_first_reply_commits"] = counts[0]
        log("N=%d: a CLI reply makes %s WAL commit(s) (the first one, on an empty -wal: %s)" % (n, counts[1], counts[0]))

        log("N=%d: starting %d sessions at 80x24" % (n, n))
        t = time.monotonic()
        self.start_sessions(logins)
        out["start_s"] = round(time.monotonic() - t, 1)
        out["sessions_watching"] = sum(1 for s in self.sessions if self.watches(s.term.pid))
        if out["sessions_watching"] != n and not self.socket:
            log("warning: only %d of %d sessions hold an inotify watch; the others poll once a second"
                % (out["sessions_watching"], n))
        big = 120 + 0.02 * n * n   # bound for events whose writes cascade through every session (before: N^2 reloads)
        self.settle(time.monotonic_ns(), False, big)
        # Sorted by activity, so every session shows the same rows and a reply moves its topic to the top.
        for s in self.sessions:
            s.term.send("s")
        self.wait_for("sort by activity", lambda s: s.term.contains("by activity"), 60 + n)
        for s in self.sessions:
            s.term.send("g")
        self.settle(time.monotonic_ns(), False, big)
        rss = [s.term.rss_kb() for s in self.sessions]
        out["rss_mean_mb"] = round(sum(rss) / len(rss) / 1024, 1)

        # Phase A: one foreign reply into the third topic of the list; everyone is on the list.
        target = top[2]
        log("N=%d: phase A, a reply into topic %d (row 3) with every session on the topic list" % (n, target[0]))
        a = self.measure("N=%d phase A" % n, lambda: {"cli_ms": self.reply(target[0], "fan-out phase A", stamp(120))},
                         expect_wake=True, bound=big)
        title = target[1][:20]
        a["target_on_top"] = sum(1 for s in self.sessions if title in s.term.lines()[3])
        if a["target_on_top"] != len(self.sessions):
            log("phase A: the replied topic is the first row in only %d of %d sessions" % (a["target_on_top"], len(self.sessions)))
        out["A"] = a

        # Phase B: everyone opens that topic (now first by activity), then a reply into it.
        log("N=%d: phase B, every session opens topic %d" % (n, target[0]))
        paints = [len(s.term.traces) for s in self.sessions]
        t = time.monotonic()
        for s in self.sessions:
            s.term.send("g\r")
        self.wait_for("open the thread", lambda s: len(s.term.traces) > paints[s.i] and title in s.term.lines()[2], 60 + n)
        self.settle(time.monotonic_ns(), False, big)
        out["open_all_s"] = round(time.monotonic() - t, 1)
        b = self.measure("N=%d phase B" % n, lambda: {"cli_ms": self.reply(target[0], "fan-out phase B", stamp(180))},
                         expect_wake=True, bound=big)
        b["reading"] = sum(1 for s in self.sessions if title in s.term.lines()[2])
        # The reply is at the end of a long thread, below the screen: the reader's header shows the new count.
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        count = con.execute("SELECT postCount FROM topic WHERE id = ?", (target[0],)).fetchone()[0]
        con.close()
        b["reader_shows_new_count"] = sum(1 for s in self.sessions if (" %d posts" % count) in s.term.lines()[3])
        if b["reader_shows_new_count"] != len(self.sessions):
            log("phase B: %d of %d readers show the thread's new post count (%d)"
                % (b["reader_shows_new_count"], len(self.sessions), count))
        out["B"] = b

        # Draft autosave: everyone back on the list; session 0 writes a new topic and waits for the autosave.
        log("N=%d: draft autosave in session 0, the others on the topic list" % n)
        for s in self.sessions:
            s.term.send("q")
        self.wait_for("back to the list", self.list_drawn, 60 + n)
        self.settle(time.monotonic_ns(), False, big)
        first = self.sessions[0]

        def draft():
            con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
            saved0 = con.execute("SELECT group_concat(saved) FROM draft WHERE login = ?", (first.login,)).fetchone()[0]
            first.term.send("c")
            self.wait_for("composer", lambda s: s is not first or s.term.contains("New topic"), 30)
            for ch in "fan-out draft check":
                first.term.send(ch)
                self.pump(0.01)
            typed = time.monotonic()
            saved = saved0
            while saved == saved0 and time.monotonic() < typed + 15:
                self.pump(0.05)
                saved = con.execute("SELECT group_concat(saved) FROM draft WHERE login = ?", (first.login,)).fetchone()[0]
            con.close()
            if saved == saved0:
                log("draft: no autosave within 15 s of the last keystroke")
            return {"autosaved": saved != saved0, "autosave_after_s": round(time.monotonic() - typed, 2)}

        d = self.measure("N=%d draft autosave (others)" % n, draft, expect_wake=False, bound=big, others_from=1)
        out["D"] = d
        first.term.send("\x1b")   # Esc keeps the draft
        self.settle(time.monotonic_ns(), False, big)
        self.stop_sessions()
        return out


def rows(results, row):
    """Adds the fan-out figures to the bench table via row(label, value, unit, neomutt=None, target=None).
    A: a CLI reply, every session on the topic list; B: a CLI reply into the thread every session reads;
    D: session 0's draft autosave, as the other sessions see it."""
    per_n = []
    for key, r in results.items():
        n = r["sessions"]
        a, b, d = r["A"], r["B"], r["D"]
        cli = r["cli_reply_commits"] or 0
        watching = r.get("sessions_watching", n)
        if r.get("over_daemon"):
            row("fan-out N=%d: sessions (80x24, distinct members)" % n, "%d, clients of agora serve" % n, "")
        else:
            row("fan-out N=%d: sessions (80x24, distinct members)" % n, "%d (%d with inotify)" % (n, watching), "", None,
                ("all with inotify", watching == n))
        for ph, name in (("A", "A list"), ("B", "B thread")):
            x = r[ph]
            row("N=%d %s: CPU total, all sessions" % (n, name), x["cpu_total_ms"], "ms")
            row("N=%d %s: CPU per session, mean (= total/N)" % (n, name), x["cpu_mean_ms"], "ms")
            row("N=%d %s: CPU per session, max" % (n, name), x["cpu_max_ms"], "ms", None,
                ("<= 2 ms", x["cpu_max_ms"] <= 2))
            if x.get("daemon_cpu_ms") is not None:
                row("N=%d %s: the daemon's CPU" % (n, name), x["daemon_cpu_ms"], "ms")
                row("N=%d %s: (daemon + all sessions) / N" % (n, name), x["cpu_mean_with_daemon_ms"], "ms", None,
                    ("< 2 ms", x["cpu_mean_with_daemon_ms"] < 2))
            row("N=%d %s: sessions woke / changed screen" % (n, name),
                "%d / %d (%.1f wakeups each)" % (x["woke"], x["repainted"], x["wakeups_mean"]), "")
            row("N=%d %s: the CLI reply's own wall time" % (n, name), x["cli_ms"], "ms")
            wal = None if x["wal_commits"] is None else x["wal_commits"] - cli
            if ph == "A":
                row("N=%d %s: commits by sessions (rows / WAL)" % (n, name),
                    "%d / %s" % (x["sessions_committed"], "?" if wal is None else wal), "",
                    None, ("0", x["sessions_committed"] == 0 and wal == 0))
            else:
                marks = x["rows_changed"]["readState"]
                other = x["rows_changed"]["draft"] + x["rows_changed"]["claim"]
                if "reader_shows_new_count" in x:
                    row("N=%d %s: readers showing the reply (post count)" % (n, name), x["reader_shows_new_count"], "")
                row("N=%d %s: read marks by readers (%d reading)" % (n, name, x["reading"]), marks, "", None,
                    ("<= 1 per reader", marks <= x["reading"]))
                if x.get("daemon_cpu_ms") is not None:
                    # Over the daemon the sessions never commit: the daemon writes their marks, gathered into a few
                    # commits (so the in-process rule "one WAL commit per mark" does not apply).
                    row("N=%d %s: other rows by sessions / daemon commits for the marks" % (n, name),
                        "%d / %s" % (other, "?" if wal is None else wal), "", None,
                        ("0 / <= marks", other == 0 and wal is not None and wal <= max(1, marks)))
                else:
                    row("N=%d %s: other commits by sessions (rows / WAL)" % (n, name),
                        "%d / %s" % (other, "?" if wal is None else wal - marks), "", None,
                        ("0", other == 0 and wal is not None and wal - marks == 0))
            if "trace_reads_mean" in x:
                row("N=%d %s: store reads per session mean / max" % (n, name),
                    "%.1f / %d" % (x["trace_reads_mean"], x["trace_reads_max"]), "")
                limit = 0 if ph == "A" else x.get("reading", n)
                row("N=%d %s: store commits by sessions (trace)" % (n, name), x["trace_writes_total"], "", None,
                    ("0" if ph == "A" else "<= 1 per reader", x["trace_writes_total"] <= limit and x["trace_writes_max"] <= 1))
        row("N=%d D draft: others' CPU total / max" % n, "%.1f / %.2f" % (d["cpu_total_ms"], d["cpu_max_ms"]), "ms",
            None, ("max <= 0.5 ms", d["cpu_max_ms"] <= 0.5))
        ages = d.get("repainted_ages_only", 0)
        row("N=%d D draft: others woke / changed screen / committed" % n,
            "%d / %d / %d" % (d["woke"], d["repainted"], d["sessions_committed"]), "", None,
            ("0 changed, 0 committed", d["repainted"] - ages == 0 and d["sessions_committed"] == 0 and d.get("autosaved", False)))
        if ages:
            row("N=%d D draft:   of those, only ages moved on" % n, ages, "")
        if "trace_writes_total" in d:
            row("N=%d D draft: others' store reads / commits (trace)" % n,
                "%d / %d" % (d["trace_reads_total"], d["trace_writes_total"]), "", None,
                ("0 commits", d["trace_writes_total"] == 0))
        per_n.append((n, a["cpu_total_ms"] / n, b["cpu_total_ms"] / n))
    if len(per_n) >= 2:
        per_n.sort()
        for k, name in ((1, "A list"), (2, "B thread")):
            lo, hi = per_n[0][k], per_n[-1][k]
            row("%s: total/N at N=%d over total/N at N=%d" % (name, per_n[-1][0], per_n[0][0]), hi / lo if lo else None, "x",
                None, ("linear: <= 1.5x", lo > 0 and hi / lo <= 1.5))
