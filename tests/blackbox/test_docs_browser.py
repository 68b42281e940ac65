"""The Swagger UI page rendered by a real headless Chromium that cannot reach the internet.

Network cut-off: Chromium is confined rather than the whole test put in a network
namespace (`unshare -n` needs privileges and would also hide the service on the host's
loopback unless the service ran inside it too). Two independent switches do it: every
host name resolves to NOTFOUND except 127.0.0.1, and every connection that is not to
127.0.0.1 goes to a proxy on the discard port, where nothing listens. A control page
proves the confinement: its loopback script runs and its CDN script does not.
"""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from tests.blackbox.services import Service

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE_FLAGS = [
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def dump_dom(url: str, profile: Path) -> str:
    """The page's DOM after its scripts ran (10 s of virtual time), from headless Chromium."""
    assert CHROMIUM, "chromium is not installed: run scripts/install-test-deps"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # tests may run as root, where the sandbox refuses to start
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *OFFLINE_FLAGS,
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


@contextmanager
def control_site(root: Path) -> Iterator[str]:
    """A loopback page loading one script from loopback and one from a public CDN."""
    (root / "local.js").write_text("document.body.dataset.local = 'ran';\n")
    (root / "index.html").write_text(
        "<!doctype html><html><body>"
        '<script src="/local.js"></script>'
        '<script src="https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js"></script>'
        "<script>document.body.dataset.remote = typeof jQuery;</script>"
        "</body></html>"
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def test_chromium_is_cut_off_from_everything_but_loopback(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with control_site(site) as url:
        dom = dump_dom(url, tmp_path / "profile")
    assert 'data-local="ran"' in dom, dom
    assert 'data-remote="undefined"' in dom, dom


def test_swagger_ui_lists_the_operations_offline(service: Service, tmp_path: Path) -> None:
    dom = dump_dom(f"{service.base_url}/docs", tmp_path / "profile")
    paths = set(re.findall(r'class="opblock-summary-path"[^>]*data-path="([^"]+)"', dom))
    if not paths:  # older Swagger UI releases put the path in the element's text only
        paths = set(re.findall(r'class="opblock-summary-path"[^>]*>\s*<a[^>]*><span>([^<]+)', dom))
    assert "/api/v1/auth/login" in paths, dom[-3000:]
    assert {"/api/v1/items", "/api/v1/users/me"} <= paths, sorted(paths)
    assert len(re.findall(r'class="opblock opblock-', dom)) >= 18, "operations missing"
    # The Authorize button of the OAuth2 password flow is there (Swagger UI renders it
    # only for an API that declares a security scheme).
    assert re.search(r'<button[^>]*class="btn authorize', dom), dom[-3000:]
