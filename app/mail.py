"""Sending e-mail: one function, the standard library's SMTP client, a plain-text and an HTML part.

Configured by GROUNDWORK_SMTP_URL:

    smtp://host:port                   plain SMTP (a relay on the same network)
    smtp://user:password@host:587?starttls=1   upgraded to TLS before signing in
    smtps://user:password@host:465     TLS from the start

User and password are percent-decoded. Without a URL each message is written
to the log instead (INFO, logger "app.mail"), so that on one machine the
links in it can still be followed.

Callers send after their transaction has committed (no database work waits
on a mail server) and tell the person plainly when `send` returns False; a
mail server that is down is logged, never a 500. Both parts come from
templates/mail/<name>.txt and .html; the HTML one is autoescaped like every
page, and the plain one carries no markup to escape.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, render_template

log = logging.getLogger(__name__)

#: Seconds to wait for the mail server before giving up (and telling the person).
TIMEOUT = 15


def _header(value: str) -> str:
    """Header text on one line: a name typed with a line break cannot add headers."""
    return " ".join(value.replace("\x00", " ").split())


def build(*, to: str, subject: str, template: str, **context: Any) -> EmailMessage:
    message = EmailMessage()
    message["From"] = _header(current_app.config["MAIL_FROM"])
    message["To"] = _header(to)
    message["Subject"] = _header(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="groundwork")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(render_template(f"mail/{template}.txt", subject=subject, **context))
    message.add_alternative(render_template(f"mail/{template}.html", subject=subject, **context), subtype="html")
    return message


def _deliver(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = parts.hostname or "localhost"
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, parts.port or 465, timeout=TIMEOUT, context=context)
    elif parts.scheme == "smtp":
        client = smtplib.SMTP(host, parts.port or 25, timeout=TIMEOUT)
    else:
        raise ValueError(f"GROUNDWORK_SMTP_URL must start with smtp:// or smtps://, not {parts.scheme}://")
    with client:
        if options.get("starttls") in ("1", "true", "yes"):
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


def send(*, to: str, subject: str, template: str, **context: Any) -> bool:
    """Send one message; True when the mail server accepted it (or, unconfigured, it was logged)."""
    message = build(to=to, subject=subject, template=template, **context)
    url = current_app.config.get("SMTP_URL")
    if not url:
        body = message.get_body(("plain",))
        log.info("E-mail not sent (GROUNDWORK_SMTP_URL is not set). To: %s\nSubject: %s\n\n%s",
                 message["To"], message["Subject"], body.get_content() if body is not None else "")
        return True
    try:
        _deliver(url, message)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.error("E-mail %r to %s could not be sent: %s", subject, to, error)
        return False
    log.info("E-mail %r sent to %s", subject, to)
    return True


#: What the person is told when `send` returns False.
FAILED = ("The e-mail could not be sent just now. Nothing else went wrong: please try again in a few minutes, "
          "or ask the site's administrator to check its mail settings.")
