"""Node.js 24 for the NestJS template tests, from `scripts/install-node` (.tools/node24)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS = REPO_ROOT / ".tools"
NODE_HOME = TOOLS / "node24"


def ensure_node() -> None:
    """Install Node 24 into .tools/node24 unless it is already there (quiet, idempotent)."""
    subprocess.run([str(REPO_ROOT / "scripts" / "install-node")], check=True)


def node_env() -> dict[str, str]:
    """Environment overrides for running npm/node of a generated NestJS project.

    Node 24's bin comes first on PATH; node-gyp builds native modules (better-sqlite3,
    argon2) against Node 24's own headers instead of downloading them (`nodedir`, which
    also overrides a user ~/.npmrc pointing elsewhere); one npm cache is shared by every
    generated project so the test matrix downloads each tarball once.
    """
    ensure_node()
    return {
        "PATH": f"{NODE_HOME / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "npm_config_nodedir": str(NODE_HOME),
        "npm_config_cache": str(TOOLS / "npm-cache"),
        "npm_config_fund": "false",
        "npm_config_audit": "false",
        "npm_config_update_notifier": "false",
        "npm_config_prefer_offline": "true",
    }
