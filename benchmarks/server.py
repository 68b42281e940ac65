"""An app served on the server core, and its CPU time and memory, read from /proc."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.matrix import SERVER_CPU
from scaffold.smoke.project import Project, serve

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Server:
    base: str
    # The process listening on the port and its descendants (workers it forks); make,
    # uv or npm above it sit idle and are left out.
    pids: list[int]
    startup_seconds: float  # from launch to the first 200 on /health

    def cpu_seconds(self) -> float:
        return sum(map(process_cpu_seconds, self.pids))

    def rss_bytes(self) -> int:
        total = 0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        return total


@contextlib.contextmanager
def start(
    project: Project, cmd: Sequence[str], log: Path, env: Mapping[str, str]
) -> Iterator[Server]:
    """`cmd` served from the project with scaffold smoke's `serve`, pinned to the
    server core; stopped with its whole process group on exit."""
    started = time.perf_counter()
    with serve(
        project, log, env, ["taskset", "-c", SERVER_CPU, *cmd], timeout=180, poll=0.01
    ) as served:
        startup_seconds = time.perf_counter() - started
        base = served.url
        port = urllib.parse.urlsplit(base).port
        assert port is not None
        listener = _listener_pid(served.process.pid, port)
        if listener is None:
            raise SystemExit(f"bench: no process of {' '.join(cmd)} listens on {port}")
        yield Server(base, subtree(listener), startup_seconds)


def idle_rss(server: Server) -> int:
    time.sleep(1)  # let start-up work (imports, GC, JIT of the first request) settle
    return server.rss_bytes()


@contextlib.contextmanager
def peak_rss(server: Server) -> Iterator[list[int]]:
    """Samples the server's RSS every 100 ms while the block runs; yields [peak]."""
    peak = [server.rss_bytes()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], server.rss_bytes())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()
        peak[0] = max(peak[0], server.rss_bytes())


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads) and its reaped children; 0 for one
    that is gone."""
    try:
        fields = _stat_fields(pid)
    except OSError:
        return 0
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS  # utime stime cutime cstime


def parent(pid: int | str) -> int:
    return int(_stat_fields(pid)[1])


def _stat_fields(pid: int | str) -> list[str]:
    """/proc/<pid>/stat after the command name (which may hold spaces): state first."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()


def subtree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                children.setdefault(parent(entry.name), []).append(int(entry.name))
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(children.get(current, []))
    return pids


def _listener_pid(root: int, port: int) -> int | None:
    """The process (under `root`) holding the listening socket on `port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                    inodes.add(f"socket:[{fields[9]}]")
    for pid in subtree(root):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in inodes:
                        return pid
    return None
