"""Messages for the `tiedote inbox` tests: DSNs, text bounces, unsubscribes and auto-replies,
and the signed tokens (unsubscribe and VERP) made the way Tiedote makes them, so the tests
check the binary against an independent implementation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

DOMAIN = "tuottajaverkosto.example.fi"
UNSUBSCRIBE_ADDRESS = "peru@tuottajaverkosto.example.fi"


def unsubscribe_token(secret: str, lst: str, address: str) -> str:
    payload = f"{lst}\n{address}".encode()
    mac = hmac.new(secret.encode(), b"tiedote-unsubscribe-v1\n" + payload, hashlib.sha256).digest()
    b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")  # noqa: E731
    return b64(payload) + "." + b64(mac)


def verp_token(secret: str, lst: str, month: str, address: str) -> str:
    year, mon = (int(x) for x in month.split("-"))
    index = (year - 2000) * 12 + mon - 1
    h = 0x811C9DC5
    for byte in lst.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    digest = hmac.new(secret.encode(), b"tiedote-return-path-v1\n" + f"{month}\n{lst}\n{address.lower()}".encode(),
                      hashlib.sha256).digest()[:10]
    raw = bytes([index >> 8, index & 0xFF]) + h.to_bytes(4, "big") + digest
    return base64.b32encode(raw).decode().rstrip("=").lower()


def crlf(text: str) -> bytes:
    return text.lstrip("\n").replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def dsn(recipient: str, *, action: str = "failed", status: str = "5.1.1", to: str = f"bounces@{DOMAIN}",
        send: str = "2026-12.members", boundary: str = "dsn-boundary", extra_recipients: list[str] | None = None) -> bytes:
    """A Postfix-shaped RFC 3464 report for `recipient` (and more), returning a Tiedote message."""
    groups = [f"Final-Recipient: rfc822; {r}\nOriginal-Recipient: rfc822;{r}\nAction: {action}\nStatus: {status}\n"
              f"Diagnostic-Code: smtp; {'550' if status.startswith('5') else '451'} {status} refused\n"
              for r in [recipient, *(extra_recipients or [])]]
    return crlf(f"""
From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
To: {to}
Delivered-To: {to}
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.net.

<{recipient}>: host mx.example.net[192.0.2.10] said: {status} refused

--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net

{chr(10).join(groups)}
--{boundary}
Content-Type: text/rfc822-headers

From: Humak <tuottajaverkosto@humak.example.fi>
To: {recipient}
Message-ID: <{send}.0123456789abcdef@{DOMAIN}>

--{boundary}--
""")


def unsubscribe_mail(sender: str, subject: str, body: str = "", to: str = UNSUBSCRIBE_ADDRESS) -> bytes:
    return crlf(f"From: {sender}\nTo: {to}\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")


def auto_reply(sender: str) -> bytes:
    return crlf(f"From: {sender}\nTo: tuottajaverkosto@humak.example.fi\nSubject: Poissa toimistolta\n"
                "Auto-Submitted: auto-replied\n\nOlen lomalla.\n")


def unknown_mail(sender: str) -> bytes:
    return crlf(f"From: {sender}\nTo: tuottajaverkosto@humak.example.fi\nSubject: Kysymys\n\nHei, kysyisin...\n")


def dsn_for(mail_from: str, rcpt: str, original: bytes, *, final: str | None = None) -> bytes:
    """The DSN a relay sends back to `mail_from` when `rcpt` is refused after the relay took
    the message: the headers of the real `original`, and `final` as the recipient the report
    names (an address the list never had, as after a forward) when given."""
    head = original.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace").replace("\r\n", "\n")
    named = final or rcpt
    return crlf(f"""
Return-Path: <>
Delivered-To: {mail_from}
From: MAILER-DAEMON@relay.example.net (Mail Delivery System)
To: {mail_from}
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="late-refusal"

--late-refusal
Content-Type: text/plain; charset=us-ascii

<{named}>: host mx.example.net[192.0.2.30] said: 550 5.1.1 <{named}>: Recipient
    address rejected: User unknown (in reply to RCPT TO command)

--late-refusal
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Final-Recipient: rfc822; {named}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--late-refusal
Content-Type: text/rfc822-headers

{head}

--late-refusal--
""")
