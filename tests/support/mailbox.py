"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the tests
of the services' account email (docs/contract.md, "Account email")."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

# The link's token: 32 random bytes, base64url without padding.
TOKEN_RE = re.compile(r"[?&]token=([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])")
# A recipient whose local part starts with this is refused with a temporary error at
# every attempt, as a mail server that is having trouble would.
REFUSED_PREFIX = "refused."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Mail:
    to: str
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype, self.message
        return str(body.get_content())

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")

    @property
    def token(self) -> str:
        """The token of the message's one link (the same in both parts)."""
        found = set(TOKEN_RE.findall(self.text)) | set(TOKEN_RE.findall(self.html))
        assert len(found) == 1, f"expected one token in {self.subject!r}: {self.text}"
        return found.pop()


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower().startswith(REFUSED_PREFIX):
            self.box.refusals.append(address.lower())
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.box.lock:
            for to in envelope.rcpt_tos:
                self.box.received.append(Mail(to.lower(), message))
        return "250 Message accepted for delivery"


class Mailbox:
    """An SMTP server on 127.0.0.1 that accepts every message and keeps it."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Mail] = []
        self.refusals: list[str] = []
        self.lock = threading.Lock()
        self._running = False
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> Mailbox:
        self._controller.start()
        self._running = True
        return self

    def stop(self) -> None:
        if self._running:
            self._controller.stop()
            self._running = False

    def to(self, address: str) -> list[Mail]:
        with self.lock:
            return [mail for mail in self.received if mail.to == address.lower()]

    def wait_for(self, address: str, count: int = 1, timeout: float = 15.0) -> list[Mail]:
        """The first `count` messages to `address`, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        while len(mails := self.to(address)) < count:
            assert time.monotonic() < deadline, (
                f"{len(mails)} of {count} messages to {address} after {timeout} s"
            )
            time.sleep(0.05)
        return mails[:count]


_shared: Mailbox | None = None


def shared_mailbox() -> Mailbox:
    """The test process's one mailbox, started on first use; every service started by the
    black-box suite sends to it unless told otherwise (recipients are unique per test)."""
    global _shared
    if _shared is None:
        _shared = Mailbox().start()
    return _shared
