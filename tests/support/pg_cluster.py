"""A private PostgreSQL cluster on a free loopback port, owned by the test.

For fault tests that stop and restart the database: the machine's shared PostgreSQL
(127.0.0.1:5432) is never touched. Uses the installed server binaries (initdb, pg_ctl);
as root they run as the `postgres` system user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from scaffold.smoke.project import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    path = found[0] if found else shutil.which(name)
    assert path, f"PostgreSQL server binary {name} not found"
    return path


@dataclass
class Cluster:
    data_dir: Path
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        cmd = [_bin("pg_ctl"), "-D", str(self.data_dir), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, (
            f"pg_ctl {' '.join(args)} failed:\n{result.stdout}{result.stderr}\n"
            + (self.log_path.read_text()[-4000:] if self.log_path.exists() else "")
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir}"
            " -c fsync=off -c full_page_writes=off"
        )
        self._pg_ctl("start", "-w", "-t", "60", "-l", str(self.log_path), "-o", options)

    def stop(self, mode: str = "immediate") -> None:
        """`immediate` is a crash as far as clients can tell: connections just drop."""
        self._pg_ctl("stop", "-w", "-m", mode)

    def _processes(self) -> list[int]:
        """The postmaster (from its pid file) and every process it started."""
        postmaster = int((self.data_dir / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        """SIGSTOP the whole cluster: connections are accepted by the kernel, never answered,
        as with a hung server or a network that drops packets."""
        for pid in self._processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._processes():
            os.kill(pid, signal.SIGCONT)

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """initdb + start on a free port; stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="scaffold-pg-"))
    data_dir = root / "data"
    data_dir.mkdir()
    initdb = [_bin("initdb"), "-D", str(data_dir), "-U", "postgres", "--auth=trust", "--no-sync"]
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data_dir, "postgres")
        initdb = ["runuser", "-u", "postgres", "--", *initdb]
    result = subprocess.run(initdb, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    cluster = Cluster(data_dir, free_port(), root / "postgres.log")
    if os.geteuid() == 0:
        cluster.log_path.touch()
        shutil.chown(cluster.log_path, "postgres")
    cluster.start()
    try:
        yield cluster
    finally:
        with contextlib.suppress(AssertionError):  # already stopped by the test
            cluster.stop("fast")
        shutil.rmtree(root, ignore_errors=True)
