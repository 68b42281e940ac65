"""Node.js 24 for the NestJS projects, from `scripts/install-node` (.tools/node24)."""

from __future__ import annotations

import os
import subprocess

from tests.support import REPO_ROOT

TOOLS = REPO_ROOT / ".tools"
NODE_HOME = TOOLS / "node24"


def ensure_node() -> None:
    """Install Node 24 into .tools/node24 unless it is already there (quiet, idempotent)."""
    subprocess.run([str(REPO_ROOT / "scripts" / "install-node")], check=True)


def with_node24() -> dict[str, str]:
    """This process's environment with Node 24 first on PATH (installed on first use),
    and one npm cache for every generated project, so that the test matrix downloads
    each tarball once. `scaffold.environment.project_env` does the rest."""
    ensure_node()
    return {
        **os.environ,
        "PATH": f"{NODE_HOME / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "npm_config_cache": str(TOOLS / "npm-cache"),
        "npm_config_prefer_offline": "true",
    }
