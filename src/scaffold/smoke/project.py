"""One variant as its team would have it: generated, installed, its make targets run,
and served on a loopback port. Commands run with their output in a log file, so a
failure can show it and a parallel run does not interleave it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scaffold import render, steps
from scaffold.errors import ScaffoldError
from scaffold.smoke.checks import fetch
from scaffold.smoke.matrix import Variant
from scaffold.stacks import get_stack
from scaffold.template import Source


@dataclass(frozen=True)
class Project:
    """A generated project and the environment its commands get."""

    variant: Variant
    path: Path
    env: dict[str, str]


def generate(source: Source, variant: Variant, dest: Path) -> Path:
    """Render `variant` into `dest` (its name is the project name) and commit it, as
    `scaffold new --no-install` does."""
    answers = {**variant.answers, "stack": variant.stack, "project_name": dest.name}
    render.render(source, dest, answers)
    steps.git_commit(dest, f"Generate {get_stack(variant.stack).label} service with scaffold")
    return dest


@dataclass(frozen=True)
class Finished:
    """A command that ran to its end (or its time limit)."""

    command: str
    returncode: int
    seconds: float
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output().splitlines()[-lines:])


def run(
    project: Project,
    cmd: Sequence[str],
    log: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 1800,
) -> Finished:
    """Run `cmd` in the project with its output (stdout and stderr, in order) in `log`.
    A command past `timeout` is stopped with its children and counts as failed."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log.open("w") as out, _started(project, cmd, out, env or {}) as proc:
        try:
            returncode = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_process_group(proc)
            out.write(f"\n(stopped after {timeout:.0f} s)\n")
            returncode = -1
    return Finished(" ".join(cmd), returncode, time.monotonic() - started, log)


@dataclass(frozen=True)
class Served:
    url: str  # http://127.0.0.1:PORT
    # The process started: the leader of the server's process group, for a caller that
    # watches the server's processes (the benchmarks).
    process: subprocess.Popen[bytes]


@contextmanager
def serve(
    project: Project,
    log: Path,
    env: Mapping[str, str] | None = None,
    cmd: Sequence[str] = ("make", "start"),
    ready_path: str = "/health",
    timeout: float = 240,
    poll: float = 0.25,
) -> Iterator[Served]:
    """Start `cmd` (`make start`) with HOST and PORT set to a free loopback port, wait
    until `ready_path` answers 200 (probing every `poll` seconds), and yield where it
    serves. The server runs in its own process group so that make, npm or uv and the
    server they start all stop at the end; a server that exits or never gets ready
    raises ScaffoldError with its log."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log.parent.mkdir(parents=True, exist_ok=True)
    listen = {"HOST": "127.0.0.1", "PORT": str(port), **(env or {})}
    with log.open("w") as out, _started(project, cmd, out, listen) as proc:
        _wait_ready(proc, url + ready_path, timeout, log, poll)
        yield Served(url, proc)


# Every process group started here and not yet stopped, so that an interrupted run
# (Ctrl-C reaches only scaffold: each command has a session of its own) stops them all,
# and once it has, no other thread starts a new one.
_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()
_stopping = threading.Event()


@contextmanager
def _started(
    project: Project, cmd: Sequence[str], out: IO[str], env: Mapping[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    """`cmd` running in the project in a process group of its own, stopped on exit."""
    with _live_lock:
        if _stopping.is_set():
            raise ScaffoldError("interrupted")
        try:
            proc = subprocess.Popen(
                list(cmd),
                cwd=project.path,
                env={**project.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            raise ScaffoldError(f"cannot run {cmd[0]}: {exc.strerror}") from None
        _live.add(proc)
    try:
        yield proc
    finally:
        stop_process_group(proc)
        with _live_lock:
            _live.discard(proc)


def stop_all() -> None:
    """Stop every command and server still running, and start no more in this process."""
    with _live_lock:
        _stopping.set()
        running = list(_live)
    for proc in running:
        stop_process_group(proc)


def _wait_ready(
    proc: subprocess.Popen[bytes], url: str, timeout: float, log: Path, poll: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ScaffoldError(f"the server exited {proc.returncode}:\n{_tail(log)}")
        try:
            if fetch(url, timeout=2)[0] == 200:
                return
        except OSError:  # not listening yet
            pass
        time.sleep(poll)
    raise ScaffoldError(f"the server was not ready at {url} after {timeout:.0f} s:\n{_tail(log)}")


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process's group, as a service manager stops a service; SIGKILL what
    is left after 15 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
