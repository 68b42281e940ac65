"""Copier task: create `.env` from `.env.example` with a fresh JWT secret.

Runs in the generated project. An existing `.env` is left alone, so `copier update`
and `scaffold update` never replace a team's secret or settings.
"""

import secrets
from pathlib import Path

env, example = Path(".env"), Path(".env.example")
if not env.exists() and example.exists():
    lines = [
        f"JWT_SECRET={secrets.token_hex(32)}" if line.startswith("JWT_SECRET=") else line
        for line in example.read_text().splitlines()
    ]
    env.write_text("\n".join(lines) + "\n")
    env.chmod(0o600)
