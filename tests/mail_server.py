"""A real SMTP server for the tests (aiosmtpd, on a free local port), and what it received.

The app sends to it through its ordinary SMTP client (app/mail.py), so the
tests read exactly the messages a person would get.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd narrates every command at INFO

LINK_RE = re.compile(r"https?://[^\s<>\"]+")


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    #: The (user, password) the client signed in with, if it did.
    login: tuple[str, str] | None

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    def links(self) -> list[str]:
        return LINK_RE.findall(self.text)


@dataclass
class Mailbox:
    url: str
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Set to make the server refuse every message (a mail server that is down for a while).
    refuse: bool = False

    def clear(self) -> None:
        with self.lock:
            self.received.clear()
        self.refuse = False

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if address in r.recipients]

    def last_to(self, address: str) -> Received:
        found = self.to(address)
        assert found, f"no e-mail to {address}; received: {[r.recipients for r in self.received]}"
        return found[-1]

    def link(self, address: str, part: str) -> str:
        """The path (and query) of the link containing `part` in the latest e-mail to `address` that has one."""
        for received in reversed(self.to(address)):
            for link in received.links():
                if part in link:
                    return "/" + link.split("://", 1)[1].split("/", 1)[1]
        raise AssertionError(f"no link with {part!r} in the e-mails to {address}")


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.box.refuse:
            return "451 4.3.0 Try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        login = getattr(session, "auth_data", None)
        with self.box.lock:
            self.box.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message,  # type: ignore[arg-type]
                                              login if isinstance(login, tuple) else None))
        return "250 Message accepted"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    # Accepts any user and password, and keeps them, so that a test can see the client signed in.
    login = (auth_data.login.decode(), auth_data.password.decode())
    return AuthResult(success=True, auth_data=login)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    port = _free_port()
    box = Mailbox(url=f"smtp://127.0.0.1:{port}")
    controller = Controller(_Handler(box), hostname="127.0.0.1", port=port, enable_SMTPUTF8=True,
                            authenticator=_authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
