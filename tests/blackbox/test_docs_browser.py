"""Swagger UI used as a person would, in a real headless Chromium that cannot reach the
internet: the operations render, Authorize signs in with the OAuth2 password flow, and
"Try it out" calls an operation with the token it got; ReDoc renders the same document.
Neither page sends a request anywhere but the service.

Playwright drives Debian's chromium (`executable_path`), not a browser build of its own.

Network cut-off: Chromium is confined rather than the whole test put in a network
namespace (`unshare -n` needs privileges and would also hide the service on the host's
loopback unless the service ran inside it too). Two independent switches do it: every
host name resolves to NOTFOUND except 127.0.0.1, and every connection that is not to
127.0.0.1 goes to a proxy on the discard port, where nothing listens. A control page
proves the confinement: its loopback script runs and its CDN script does not.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, expect, sync_playwright

from tests.blackbox.helpers import PASSWORD, client, new_user, register
from tests.blackbox.services import Service

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE_FLAGS = [
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
# Every launch, navigation, wait and assertion gives up after this long.
TIMEOUT_MS = 30_000
CDN_SCRIPT = "https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js"


# Session scope: one launch per worker (seconds each) rather than one per variant, whose
# tests pytest runs apart from each other's.
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM, "chromium is not installed: run scripts/install-test-deps"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=OFFLINE_FLAGS, timeout=TIMEOUT_MS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context: no cookies, no stored authorization."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def unanswered(page: Page) -> list[str]:
    """The URLs of the page's requests that got no answer at all (a network error)."""
    urls: list[str] = []
    page.on("requestfailed", lambda request: urls.append(request.url))
    return urls


@pytest.fixture
def sent(page: Page) -> list[Request]:
    """Every request the page makes."""
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    return requests


def elsewhere(requests: list[Request], service: Service) -> list[str]:
    """The requests for anything but the service's own assets (or inline data), even
    those that the page's Content-Security-Policy then refuses."""
    own = (f"{service.base_url}/", "data:", "blob:")
    return [request.url for request in requests if not request.url.startswith(own)]


@contextmanager
def control_site(root: Path) -> Iterator[str]:
    """A loopback page loading one script from loopback and one from a public CDN."""
    (root / "local.js").write_text("document.body.dataset.local = 'ran';\n")
    (root / "index.html").write_text(
        "<!doctype html><html><body>"
        '<script src="/local.js"></script>'
        f'<script src="{CDN_SCRIPT}"></script>'
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


def test_chromium_is_cut_off_from_everything_but_loopback(
    page: Page, unanswered: list[str], tmp_path: Path
) -> None:
    with control_site(tmp_path) as url:
        page.goto(url)
        body = page.locator("body")
        expect(body).to_have_attribute("data-local", "ran", timeout=TIMEOUT_MS)
        expect(body).to_have_attribute("data-remote", "undefined", timeout=TIMEOUT_MS)
    # The browser did ask for the CDN script and got no answer.
    assert unanswered == [CDN_SCRIPT]


@pytest.mark.only(graphql=False, websockets=False)
def test_swagger_ui_lists_the_operations_offline(
    service: Service, page: Page, unanswered: list[str], sent: list[Request]
) -> None:
    page.goto(f"{service.base_url}/docs")
    operations = page.locator(".opblock")
    operations.first.wait_for()
    summaries = page.locator(".opblock-summary-path")
    paths = set(summaries.evaluate_all("all => all.map(summary => summary.dataset.path)"))
    assert {"/api/v1/auth/login", "/api/v1/items", "/api/v1/users/me"} <= paths, sorted(paths)
    assert operations.count() >= 18, "operations missing"
    page.wait_for_load_state("networkidle")
    assert unanswered == [], "the page needs more than the service"
    assert elsewhere(sent, service) == [], "the page asks more than the service"


@pytest.mark.only(graphql=False, websockets=False)
def test_redoc_renders_the_operations_offline(
    service: Service, page: Page, unanswered: list[str], sent: list[Request]
) -> None:
    page.goto(f"{service.base_url}/redoc")
    # An operation's summary (the document's, the same in every stack) as its heading.
    heading = page.get_by_role("heading", name="Sign in with the OAuth2 password grant")
    expect(heading.first).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    assert unanswered == [], "the page needs more than the service"
    assert elsewhere(sent, service) == [], "the page asks more than the service"


@pytest.mark.only(graphql=False, websockets=False)
def test_swagger_ui_signs_in_with_authorize_and_tries_an_operation_offline(
    service: Service, page: Page, unanswered: list[str], sent: list[Request]
) -> None:
    with client(service) as http:
        user = register(http)
    page.goto(f"{service.base_url}/docs")

    # The page's Authorize button opens the dialog; its OAuth2 password flow form posts
    # to the login route, as any OAuth2 client does.
    page.get_by_role("button", name="Authorize", exact=True).click()
    dialog = page.locator(".modal-ux")
    dialog.get_by_label("username:").fill(user["email"])
    dialog.get_by_label("password:", exact=True).fill(PASSWORD)
    dialog.get_by_role("button", name="Apply given OAuth2 credentials").click()
    signed_in = dialog.get_by_role("button", name="Remove authorization")
    signed_in.or_(dialog.locator(".errors")).wait_for()
    assert signed_in.is_visible(), dialog.inner_text()  # e.g. "Auth Error: Unprocessable Entity"
    dialog.get_by_role("button", name="Close").first.click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT_MS)

    operation = page.locator(".opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/api/v1/users/me"]')
    )
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()

    response = operation.locator(".live-responses-table tr.response")
    expect(response.locator(".response-col_status")).to_have_text("200", timeout=TIMEOUT_MS)
    shown = response.locator(".highlight-code code").inner_text()
    assert json.loads(shown) == user, shown
    assert unanswered == [], "the page needs more than the service"
    assert elsewhere(sent, service) == [], "the page asks more than the service"


@pytest.mark.only(graphql=True, database="sqlite")  # one variant of each stack
def test_graphiql_runs_a_signed_in_query_offline(
    service: Service, page: Page, unanswered: list[str], sent: list[Request]
) -> None:
    with client(service) as http:
        user, tokens = new_user(http)
    page.goto(f"{service.base_url}/graphql")
    editors = page.locator(".graphiql-container .CodeMirror")
    editors.first.wait_for()
    # The query and headers editors are CodeMirror 5 instances: set their text as a
    # paste would (typing would race the editor's own bracket closing).
    page.evaluate(
        "query => document.querySelector('.graphiql-query-editor .CodeMirror')"
        ".CodeMirror.setValue(query)",
        "{ me { email fullName } }",
    )
    page.get_by_role("button", name="Headers").click()
    headers = json.dumps({"Authorization": f"Bearer {tokens['access_token']}"})
    page.evaluate(
        "headers => [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')]"
        ".filter(e => e.offsetParent !== null).forEach(e => e.CodeMirror.setValue(headers))",
        headers,
    )
    page.locator(".graphiql-execute-button").click()
    result = page.locator(".graphiql-response .CodeMirror")
    expect(result).to_contain_text(user["email"], timeout=TIMEOUT_MS)
    shown = result.evaluate("e => e.CodeMirror.getValue()")
    assert json.loads(shown) == {"data": {"me": {"email": user["email"], "fullName": None}}}
    page.wait_for_load_state("networkidle")
    assert unanswered == [], "the page needs more than the service"
    assert elsewhere(sent, service) == [], "the page asks more than the service"
