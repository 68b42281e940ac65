"""Run commands and servers the way a user would, with their output kept for failures."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx


def run(
    cmd: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `cmd` in `cwd`; with `check`, fail the test with the command's output when
    it fails."""
    result = subprocess.run(
        list(cmd),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        tail = (result.stdout + result.stderr)[-8000:]
        raise AssertionError(f"{' '.join(cmd)} exited {result.returncode} in {cwd}:\n{tail}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    cwd: Path,
    env: Mapping[str, str] | None = None,
    cmd: Sequence[str] = ("make", "start"),
    ready_path: str = "/health",
    timeout: float = 120,
) -> Iterator[str]:
    """Start `cmd` (by default `make start`) on a free loopback port and yield its base URL.

    The server runs in its own process group so that make, npm or uv and the server
    they start are all stopped at the end; its log is attached to any failure.
    """
    port = free_port()
    log_path = cwd / f"server-{port}.log"
    full_env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), **(env or {})}
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_ready(proc, base_url + ready_path, timeout, log_path)
            yield base_url
        finally:
            stop_process_group(proc)


def _wait_ready(proc: subprocess.Popen[bytes], url: str, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited {proc.returncode}:\n{log_path.read_text()[-8000:]}"
            )
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError(
        f"server not ready at {url} after {timeout}s:\n{log_path.read_text()[-8000:]}"
    )


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
