"""Copier task (graphql option): put the GraphiQL page's scripts and styles into the project.

Runs in the generated project with the folder to fill as its argument. No package on
PyPI carries a current GraphiQL build and the page must work offline, so both stacks
serve the same files, taken once from npm's registry at generation: GraphiQL's UMD
bundle and stylesheet (its fonts are inlined) and the React 18 UMD builds it runs on,
each with its licence. Each tarball is checked against the integrity npm published for
it and cached under the user's cache folder, so later generations need no network.
The folder is committed with the project; run again (on `scaffold update`), the task
leaves the files already there alone.
"""

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path
from typing import NoReturn

# name, version, npm's `dist.integrity`, {file in the tarball: file in the folder}
PACKAGES = [
    (
        "graphiql",
        "4.1.2",
        "sha512-rNlzQIAzm6i2KBXmVQWBgLvt0TloxFVB2d18bukvdsvjEuFDHsKx5IVOomL1W1o5WW+tE54+ioHb2AEKzO2cUg==",
        {
            "dist/index.umd.js": "graphiql.min.js",
            "graphiql.min.css": "graphiql.min.css",
            "LICENSE": "graphiql.LICENSE",
        },
    ),
    (
        "react",
        "18.3.1",
        "sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==",
        {"umd/react.production.min.js": "react.production.min.js", "LICENSE": "react.LICENSE"},
    ),
    (
        "react-dom",
        "18.3.1",
        "sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==",
        {
            "umd/react-dom.production.min.js": "react-dom.production.min.js",
            "LICENSE": "react-dom.LICENSE",
        },
    ),
]


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, version, integrity, files in PACKAGES:
        wanted = {folder / target: member for member, target in files.items()}
        if all(path.exists() for path in wanted):
            continue
        with tarfile.open(fileobj=io.BytesIO(tarball(name, version, integrity))) as archive:
            for path, member in wanted.items():
                source = archive.extractfile(f"package/{member}")
                if source is None:
                    fail(f"{name}@{version} has no {member}")
                path.write_bytes(source.read())


def tarball(name: str, version: str, integrity: str) -> bytes:
    """The package's tarball, from the cache or the registry, as npm published it."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scaffold" / "npm"
    cached = cache / f"{name}-{version}.tgz"
    if cached.exists() and matches(cached.read_bytes(), integrity):
        return cached.read_bytes()
    registry = os.environ.get("NPM_CONFIG_REGISTRY") or os.environ.get("npm_config_registry")  # noqa: SIM112 (npm writes it lower-case)
    url = f"{(registry or 'https://registry.npmjs.org').rstrip('/')}/{name}/-/{name}-{version}.tgz"
    print(f"Fetching {name}@{version} for the GraphiQL page from {url}", flush=True)
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data: bytes = response.read()
    except OSError as error:
        fail(f"could not fetch {url}: {error}")
    if not matches(data, integrity):
        fail(f"{url} does not match the integrity npm published for {name}@{version}")
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def matches(data: bytes, integrity: str) -> bool:
    algorithm, _, digest = integrity.partition("-")
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest


def fail(reason: str) -> NoReturn:
    sys.exit(f"GraphiQL assets: {reason}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
