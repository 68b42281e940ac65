"""Password reset and email verification through a real SMTP server, on every stack
(docs/contract.md, "Account email"): the links read out of the received messages, the
tokens single-use and expiring, no account enumeration, and the API unaffected by a mail
server that is slow, down or refusing."""

from __future__ import annotations

import re
import socket
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parseaddr
from typing import Any

import httpx
import pytest

from tests.blackbox.conftest import Stacks
from tests.blackbox.helpers import (
    PASSWORD,
    assert_invalid,
    assert_problem,
    assert_user,
    bearer,
    client,
    login,
    new_user,
    register,
    unique_email,
)
from tests.blackbox.services import FRONTEND_URL, MAIL_FROM, Project, Service
from tests.support.mailbox import REFUSED_PREFIX, TOKEN_RE, Mail, Mailbox, free_port, shared_mailbox

# The REST suite in depth on each stack's variant without GraphQL or WebSockets; the
# others run the REST contract (test_contract.py), their options' suites and their own
# projects' whole suites, and two pairs compare both stacks side by side (README.md,
# "Time budget").
pytestmark = pytest.mark.only(graphql=False, websockets=False)

RESET = "/api/v1/auth/password-reset"
CONFIRM = f"{RESET}/confirm"
VERIFY = "/api/v1/auth/verify-email"
RESEND = f"{VERIFY}/resend"
RESET_ACCEPTED = {
    "detail": "If an account with that email exists, a link to reset its password is on its way."
}
RESEND_ACCEPTED = {"detail": "A new verification link is on its way."}
INVALID_LINK = "The link is invalid or has expired."
RESET_SUBJECT = "Reset your svc-test password"
VERIFY_SUBJECT = "Verify your email address for svc-test"
NEW_PASSWORD = "a brand new passphrase"


def mails(address: str, subject: str, count: int = 1, box: Mailbox | None = None) -> list[Mail]:
    """The first `count` messages with `subject` to `address`, waiting for them."""
    box = box or shared_mailbox()
    deadline = time.monotonic() + 20
    while len(found := [m for m in box.to(address) if m.subject == subject]) < count:
        assert time.monotonic() < deadline, f"{len(found)} of {count} {subject!r} to {address}"
        time.sleep(0.05)
    return found[:count]


def accepted(response: httpx.Response, body: dict[str, str]) -> None:
    assert response.status_code == 202, response.text
    assert response.headers["content-type"].split(";")[0] == "application/json"
    assert response.json() == body


def me(http: httpx.Client, auth: dict[str, str]) -> dict[str, Any]:
    response = http.get("/api/v1/users/me", headers=auth)
    assert response.status_code == 200, response.text
    user = dict(response.json())
    assert_user(user)
    return user


def assert_link(mail: Mail, path: str, valid_for: str) -> None:
    """The message as the contract writes it: both parts, the link in each, From and To."""
    assert parseaddr(str(mail.message["From"]))[1] == MAIL_FROM
    assert parseaddr(str(mail.message["To"]))[1].lower() == mail.to
    assert mail.message.get_content_type() == "multipart/alternative"
    link = f"{FRONTEND_URL}/{path}?token={mail.token}"
    assert link in mail.text, mail.text
    assert f'href="{link}"' in mail.html, mail.html
    assert f"within {valid_for}" in mail.text, mail.text


def test_registration_mails_a_verification_link_that_works_once(
    http: httpx.Client, service: Service
) -> None:
    user, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    assert user["email_verified"] is False
    (mail,) = mails(user["email"], VERIFY_SUBJECT)
    assert_link(mail, "verify-email", "24 hours")

    assert http.post(VERIFY, json={"token": mail.token}).status_code == 204
    assert me(http, auth)["email_verified"] is True
    used = assert_problem(http.post(VERIFY, json={"token": mail.token}), 400)
    assert used["detail"] == INVALID_LINK
    verified = assert_problem(http.post(RESEND, headers=auth), 409)
    assert verified["detail"] == "The email address is already verified."


def test_a_new_email_is_verified_again_and_the_old_link_stops_working(
    http: httpx.Client, service: Service
) -> None:
    user, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    (first,) = mails(user["email"], VERIFY_SUBJECT)
    moved = unique_email("moved").lower()
    changed = http.patch("/api/v1/users/me", json={"email": moved}, headers=auth)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["email"], changed.json()["email_verified"]) == (moved, False)
    # The link sent to the old address no longer proves anything.
    assert assert_problem(http.post(VERIFY, json={"token": first.token}), 400)["detail"] == (
        INVALID_LINK
    )
    (second,) = mails(moved, VERIFY_SUBJECT)
    assert http.post(VERIFY, json={"token": second.token}).status_code == 204
    assert me(http, auth)["email_verified"] is True

    # Verified, then changed again: unverified, and a new link goes to the newest address.
    newest = unique_email("newest").lower()
    again = http.patch("/api/v1/users/me", json={"email": newest}, headers=auth)
    assert (again.json()["email"], again.json()["email_verified"]) == (newest, False)
    (third,) = mails(newest, VERIFY_SUBJECT)
    accepted(http.post(RESEND, headers=auth), RESEND_ACCEPTED)
    resent = mails(newest, VERIFY_SUBJECT, count=2)[1]
    assert resent.token != third.token
    assert http.post(VERIFY, json={"token": resent.token}).status_code == 204
    assert me(http, auth)["email_verified"] is True
    # Renaming alone keeps the address verified and sends nothing.
    renamed = http.patch("/api/v1/users/me", json={"full_name": "Renamed"}, headers=auth)
    assert renamed.json()["email_verified"] is True


def test_password_reset_sets_the_password_and_signs_out_every_session(
    http: httpx.Client, service: Service
) -> None:
    email = unique_email("forgetful")
    user, tokens = new_user(http, email=email)
    # Asked for with the address as typed at registration, in its original case.
    accepted(http.post(RESET, json={"email": email}), RESET_ACCEPTED)
    (mail,) = mails(user["email"], RESET_SUBJECT)
    assert_link(mail, "reset-password", "1 hour")

    confirm = {"token": mail.token, "new_password": NEW_PASSWORD}
    assert http.post(CONFIRM, json=confirm).status_code == 204
    # Every refresh token of the user is revoked; only the new password signs in.
    assert_problem(
        http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401
    )
    wrong = {"username": user["email"], "password": PASSWORD}
    assert_problem(http.post("/api/v1/auth/login", data=wrong), 401)
    fresh = login(http, user["email"], NEW_PASSWORD)
    # Opening the link proved the address.
    assert me(http, bearer(fresh["access_token"]))["email_verified"] is True
    reused = assert_problem(http.post(CONFIRM, json={**confirm, "new_password": "x" * 12}), 400)
    assert reused["detail"] == INVALID_LINK
    login(http, user["email"], NEW_PASSWORD)


def test_links_are_refused_when_unknown_or_of_the_other_purpose(
    http: httpx.Client, service: Service
) -> None:
    user, _ = new_user(http)
    (verification,) = mails(user["email"], VERIFY_SUBJECT)
    accepted(http.post(RESET, json={"email": user["email"]}), RESET_ACCEPTED)
    (reset,) = mails(user["email"], RESET_SUBJECT)

    unknown = "A" * 43
    for path, body in (
        (CONFIRM, {"token": unknown, "new_password": NEW_PASSWORD}),
        (VERIFY, {"token": unknown}),
        (VERIFY, {"token": reset.token}),
        (CONFIRM, {"token": verification.token, "new_password": NEW_PASSWORD}),
    ):
        assert assert_problem(http.post(path, json=body), 400)["detail"] == INVALID_LINK, body
    # A refused attempt spends nothing: both links still do their own job.
    assert http.post(VERIFY, json={"token": verification.token}).status_code == 204
    confirmed = http.post(CONFIRM, json={"token": reset.token, "new_password": NEW_PASSWORD})
    assert confirmed.status_code == 204
    login(http, user["email"], NEW_PASSWORD)


def test_account_email_routes_validate_their_bodies(http: httpx.Client, service: Service) -> None:
    ok, t = NEW_PASSWORD, "t" * 43
    cases = [
        (CONFIRM, {"token": "", "new_password": ok}, "token", "Must be at least 1 character"),
        (CONFIRM, {"token": t * 3, "new_password": ok}, "token", "Must be at most 128 characters"),
        (CONFIRM, {"token": t, "new_password": "short"}, "new_password",
         "Must be at least 8 characters"),
        (CONFIRM, {"token": t}, "new_password", "Field required"),
        (VERIFY, {"token": t, "extra": 1}, "extra", "Unknown field"),
        (VERIFY, {"token": 5}, "token", "Must be a string"),
        (RESET, {"email": "not-an-email"}, "email", "Must be a valid email address"),
        (RESET, {}, "email", "Field required"),
    ]  # fmt: skip
    for path, body, field, message in cases:
        assert_invalid(http.post(path, json=body), "body", field, message)
    for path in (RESET, CONFIRM, VERIFY):
        assert_problem(
            http.post(path, content=b"{", headers={"Content-Type": "application/json"}), 400
        )
    assert_problem(http.post(RESEND), 401)


def test_password_reset_does_not_tell_whether_an_account_exists(
    http: httpx.Client, service: Service, admin: dict[str, str]
) -> None:
    known, _ = new_user(http)
    inactive, _ = new_user(http)
    off = http.patch(f"/api/v1/users/{inactive['id']}", json={"is_active": False}, headers=admin)
    assert off.status_code == 200, off.text
    unknown = unique_email("nobody").lower()

    answers = {}
    for address in (known["email"], inactive["email"], unknown):
        response = http.post(RESET, json={"email": address})
        answers[address] = (response.status_code, response.json())
    assert all(answer == (202, RESET_ACCEPTED) for answer in answers.values()), answers

    # The same cost, on one kept-alive connection (so work left running after the response
    # on that connection would show in the next request's time too).
    timings: dict[str, list[float]] = {known["email"]: [], unknown: []}
    for _ in range(12):
        for address, spent in timings.items():
            started = time.perf_counter()
            accepted(http.post(RESET, json={"email": address}), RESET_ACCEPTED)
            spent.append(time.perf_counter() - started)
    fast, slow = sorted(statistics.median(spent) for spent in timings.values())
    assert slow - fast <= max(0.015, 0.5 * fast), timings

    # 13 links to the known address; none to the inactive or unknown one.
    mails(known["email"], RESET_SUBJECT, count=13)
    time.sleep(1)
    assert [m for m in shared_mailbox().to(inactive["email"]) if m.subject == RESET_SUBJECT] == []
    assert shared_mailbox().to(unknown) == []


@contextmanager
def from_address(service: Service, host: str) -> Iterator[httpx.Client]:
    """A client whose requests come from another loopback address (another "client")."""
    transport = httpx.HTTPTransport(local_address=host)
    with client(service, transport=transport) as http:
        yield http


def logged_mails(
    service: Service, address: str, subject: str, count: int = 1
) -> list[dict[str, Any]]:
    """The log lines of messages not sent for want of SMTP_URL, waiting for them."""
    deadline = time.monotonic() + 10
    while True:
        lines = [
            line
            for line in service.json_log()
            if line["message"] == "mail not sent: SMTP_URL is not set"
            and line.get("to", "").lower() == address.lower()
            and line.get("subject") == subject
        ]
        if len(lines) >= count:
            return lines[:count]
        assert time.monotonic() < deadline, f"no {subject!r} to {address} logged"
        time.sleep(0.1)


def logged_token(line: dict[str, Any]) -> str:
    found = TOKEN_RE.findall(line["text"])
    assert len(found) == 1, line
    return str(found[0])


def test_limits_expiry_required_verification_and_mail_in_the_log(project: Project) -> None:
    # No SMTP_URL: each message is logged, link included, outside production.
    with project.serve(
        SMTP_URL="",
        EMAIL_RATE_LIMIT="2/hour",
        PASSWORD_RESET_TTL_SECONDS="2",
        EMAIL_VERIFICATION_TTL_SECONDS="2",
        REQUIRE_VERIFIED_EMAIL="true",
    ) as service:
        with client(service) as http:
            user = register(http)
            assert user["email_verified"] is False
            (line,) = logged_mails(service, user["email"], VERIFY_SUBJECT)
            assert "within 2 seconds" in line["text"], line
            verification = logged_token(line)
            # Unverified: the right password is refused with its own 403; a wrong one is
            # still the usual 401.
            refused = http.post(
                "/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD}
            )
            assert assert_problem(refused, 403)["detail"] == "The email address is not verified."
            wrong = {"username": user["email"], "password": "not the password"}
            assert_problem(http.post("/api/v1/auth/login", data=wrong), 401)

        # EMAIL_RATE_LIMIT counts per client address and per target address.
        target = user["email"]
        with (
            from_address(service, "127.0.0.2") as first,
            from_address(service, "127.0.0.3") as second,
        ):
            for _ in range(2):
                accepted(first.post(RESET, json={"email": target}), RESET_ACCEPTED)
            refusal = second.post(RESET, json={"email": target})
            limited = assert_problem(refusal, 429)
            assert limited["detail"] == (
                "Too many email requests; try again after Retry-After seconds."
            )
            assert int(refusal.headers["retry-after"]) >= 1
            # The second client has used at most two of its own: a third target is its last.
            others = [second.post(RESET, json={"email": unique_email("other")}) for _ in range(3)]
            assert others[0].status_code == 202, [r.text for r in others]
            assert_problem(others[-1], 429)
        reset = logged_token(logged_mails(service, target, RESET_SUBJECT)[0])

        time.sleep(2.5)
        with client(service) as http:
            for path, body in (
                (VERIFY, {"token": verification}),
                (CONFIRM, {"token": reset, "new_password": NEW_PASSWORD}),
            ):
                expired = assert_problem(http.post(path, json=body), 400)
                assert expired["detail"] == INVALID_LINK
            # The first admin is created verified, so it signs in.
            login(http, service.admin_email, service.admin_password)
    lines = service.json_log()
    assert not any(line["message"] == "mail sent" for line in lines), lines[-5:]


def test_a_slow_down_or_refusing_mail_server_never_holds_a_request_or_loses_mail(
    project: Project,
) -> None:
    port = free_port()
    # A server that takes the connection and never greets: the slowest mail server.
    stall = socket.socket()
    stall.bind(("127.0.0.1", port))
    stall.listen(16)
    box = Mailbox(port)
    try:
        with project.serve(SMTP_URL=box.url) as service, client(service) as http:
            user, _ = new_user(http)
            refused = register(http, email=f"{REFUSED_PREFIX}{unique_email()}")
            started = time.perf_counter()
            accepted(http.post(RESET, json={"email": user["email"]}), RESET_ACCEPTED)
            assert time.perf_counter() - started < 2.0
            assert http.get("/health/ready").status_code == 200
            # The server comes back: what waited is delivered by a later attempt.
            time.sleep(1)
            stall.close()
            box.start()
            mails(user["email"], VERIFY_SUBJECT, box=box)
            mails(user["email"], RESET_SUBJECT, box=box)
            # One that the server refuses at every attempt ends as a logged failure.
            deadline = time.monotonic() + 20
            while not (failed := failures(service, refused["email"])):
                assert time.monotonic() < deadline, "no 'mail not delivered' line"
                time.sleep(0.2)
            assert failed[0]["subject"] == VERIFY_SUBJECT
            # Every attempt after the stalled first reached the server and was refused.
            assert set(box.refusals) == {refused["email"]}, box.refusals
            assert 3 <= len(box.refusals) <= 4, box.refusals
        lines = service.json_log()
        attempts = [
            line
            for line in lines
            if line["message"] == "mail attempt failed" and line.get("to") == user["email"]
        ]
        assert attempts, "the failed first attempts were not logged"
        assert not any(TOKEN_RE.search(str(line)) for line in lines), "a link in the log"
    finally:
        stall.close()
        box.stop()


def failures(service: Service, address: str) -> list[dict[str, Any]]:
    return [
        line
        for line in service.json_log()
        if line["message"] == "mail not delivered"
        and line.get("to", "").lower() == address.lower()
        and str(line["level"]).lower() == "error"
    ]


def normalised(mail: Mail) -> dict[str, str]:
    def blank(text: str) -> str:
        return re.sub(TOKEN_RE, "?token=TOKEN", text.replace("\r\n", "\n"))

    return {
        "from": parseaddr(str(mail.message["From"]))[1],
        "subject": mail.subject,
        "text": blank(mail.text),
        "html": blank(mail.html),
    }


def test_both_stacks_send_the_same_messages(stacks: Stacks) -> None:
    sent: dict[str, list[dict[str, str]]] = {}
    email = unique_email("twin").lower()
    for service in stacks:
        with client(service) as http:
            register(http, email=email)
            accepted(http.post(RESET, json={"email": email}), RESET_ACCEPTED)
        # Each stack's service has a database of its own: the address is new to each.
        got = mails(email, VERIFY_SUBJECT, count=len(sent) + 1)[-1:]
        got += mails(email, RESET_SUBJECT, count=len(sent) + 1)[-1:]
        sent[service.variant.id] = [normalised(mail) for mail in got]
    fastapi, nestjs = sent.values()
    assert fastapi == nestjs
