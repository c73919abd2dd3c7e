"""A program in a pseudo-terminal, seen through pyte, for scripts/bench.

`Term` spawns a full-screen program in a pty of a given size, keeps a pyte screen of what it
drew, counts every byte it wrote, and (for agora) reads the paint trace: with AGORA_TRACE_FD=N the
TUI writes "<CLOCK_MONOTONIC ns> <bytes written so far>" to descriptor N after every repaint, so
key -> screen latency is the time from just before the key is written to the end of the repaint
that answers it, on one clock shared by both processes.

A trace line may carry more fields: "<ns> <bytes> <reads> <writes>", decimal integers separated by
single spaces, one line per paint ending in "\n", where reads and writes are the session's cumulative
counts (since it started) of store reads (snapshot/thread loads) and store commits. They are kept in
`Term.counters` (one tuple per paint, empty when the binary writes only two fields); fields after the
fourth are ignored.
"""
import os
import select
import time

import ptyprocess
import pyte


def now_ns():
    return time.monotonic_ns()


class Term:
    def __init__(self, argv, env, cols, rows, trace=False):
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes = 0
        self.traces = []          # (monotonic ns, bytes written so far) per paint
        self.counters = []        # per paint: () or (store reads, store commits) so far, when the trace has them
        self._partial = b""
        self.trace_fd = -1
        pass_fds = ()
        env = dict(env)
        if trace:
            r, w = os.pipe()
            os.set_inheritable(w, True)
            env["AGORA_TRACE_FD"] = str(w)
            pass_fds = (w,)
        self.started = now_ns()
        self.proc = ptyprocess.PtyProcess.spawn(argv, env=env, dimensions=(rows, cols), pass_fds=pass_fds)
        if trace:
            os.close(w)
            self.trace_fd = r
        self.pid = self.proc.pid

    # -- reading ---------------------------------------------------------------------------
    def fds(self):
        return [self.proc.fd] + ([self.trace_fd] if self.trace_fd >= 0 else [])

    def pump(self, timeout):
        """Reads whatever arrives within `timeout` seconds (returns after the first batch)."""
        # poll, not select: a fan-out run holds hundreds of ptys and select stops at descriptor 1024.
        poller = select.poll()
        for fd in self.fds():
            poller.register(fd, select.POLLIN)
        ready = [fd for fd, ev in poller.poll(max(0, timeout) * 1000) if ev]
        got = False
        for fd in ready:
            got = self.handle(fd) or got
        return got

    def handle(self, fd):
        """Reads one batch from `fd` (the pty or the trace pipe) after poll said it is ready."""
        if fd == self.proc.fd:
            try:
                data = os.read(self.proc.fd, 1 << 16)
            except OSError:
                data = b""
            if data:
                self.bytes += len(data)
                self.stream.feed(data)
                return True
            return False
        if fd == self.trace_fd:
            try:
                data = os.read(self.trace_fd, 4096)
            except OSError:
                data = b""
            if data:
                self._partial += data
                *lines, self._partial = self._partial.split(b"\n")
                for line in lines:
                    fields = line.split()
                    if len(fields) < 2:
                        continue
                    self.traces.append((int(fields[0]), int(fields[1])))
                    self.counters.append(tuple(int(x) for x in fields[2:4]) if len(fields) >= 4 else ())
                return True
        return False

    def drain(self, quiet=0.0):
        """Reads until nothing arrives for `quiet` seconds (0: only what is already there)."""
        while self.pump(quiet):
            pass

    def wait_paint(self, after, timeout=10.0):
        """Waits for paint number `after` (0-based count of traces) and the bytes it wrote."""
        deadline = time.monotonic() + timeout
        while len(self.traces) <= after:
            if time.monotonic() > deadline:
                raise TimeoutError("no repaint within %.0f s" % timeout)
            self.pump(deadline - time.monotonic())
        # ncurses wrote the frame before the trace line: collect it for the screen model.
        self.drain(0.002)
        return self.traces[after]

    def wait_text(self, text, timeout=60.0):
        """Waits until `text` is on screen; returns the monotonic ns when it was first seen."""
        deadline = time.monotonic() + timeout
        while not self.contains(text):
            if time.monotonic() > deadline:
                raise TimeoutError("%r not on screen within %.0f s; screen:\n%s" % (text, timeout, self.text()))
            self.pump(min(0.05, max(0, deadline - time.monotonic())))
        return now_ns()

    # -- the screen ------------------------------------------------------------------------
    def lines(self):
        return list(self.screen.display)

    def text(self):
        return "\n".join(line.rstrip() for line in self.screen.display)

    def contains(self, text):
        return any(text in line for line in self.screen.display)

    # -- keys ------------------------------------------------------------------------------
    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        t = now_ns()
        os.write(self.proc.fd, data)
        return t

    def key(self, data, timeout=10.0):
        """Sends a key, waits for the repaint it causes; returns (latency ns, bytes of that paint)."""
        n = len(self.traces)
        before = self.traces[-1][1] if self.traces else 0
        t = self.send(data)
        ns, count = self.wait_paint(n, timeout)
        # Keys that arrive in one read are painted once; a stray extra paint is not ours to count.
        return ns - t, count - before

    # -- the process -----------------------------------------------------------------------
    def rss_kb(self):
        return proc_status(self.pid).get("VmRSS", 0)

    def cpu_ticks(self):
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])   # utime + stime

    def cpu_ns(self):
        """CPU time used so far in ns, summed over the process's threads (/proc/PID/task/*/schedstat, first
        field: sum_exec_runtime), precise where utime/stime are 10 ms ticks. None once the process is gone."""
        # The thread list is kept between calls (a fan-out reads hundreds of these per settle check) and
        # listed again when a thread has gone.
        for attempt in (0, 1):
            tids = getattr(self, "_tids", None)
            if tids is None or attempt:
                try:
                    tids = self._tids = os.listdir("/proc/%d/task" % self.pid)
                except OSError:
                    return None
            total = 0
            try:
                for tid in tids:
                    with open("/proc/%d/task/%s/schedstat" % (self.pid, tid)) as f:
                        total += int(f.read().split()[0])
                return total
            except (OSError, ValueError, IndexError):
                continue   # a thread ended (or the process): list them again
        return None

    def state(self):
        """The scheduler state letter of the main thread (R running or runnable, S sleeping, ...)."""
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                return f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return "X"

    def context_switches(self):
        total = 0
        for tid in os.listdir("/proc/%d/task" % self.pid):
            st = proc_status(self.pid, tid)
            total += st.get("voluntary_ctxt_switches", 0) + st.get("nonvoluntary_ctxt_switches", 0)
        return total

    def close(self):
        if self.trace_fd >= 0:
            os.close(self.trace_fd)
            self.trace_fd = -1
        if self.proc.isalive():
            self.proc.terminate(force=True)
        try:
            self.proc.close(force=True)
        except Exception:
            pass


def proc_status(pid, tid=None):
    path = "/proc/%d/status" % pid if tid is None else "/proc/%d/task/%s/status" % (pid, tid)
    out = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.partition(":")
            v = v.split()
            if v and v[0].isdigit():
                out[k] = int(v[0])
    return out


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
