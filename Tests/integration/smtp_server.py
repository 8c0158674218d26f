"""A real SMTP server for the integration tests: aiosmtpd on a free 127.0.0.1 port.

It saves every accepted message (one .eml file each, plus an index of envelopes) and can be
told to misbehave: 451 once for an address, 550 for an address, drop the connection during
DATA, require STARTTLS, require AUTH, or offer no STARTTLS at all; refuse every RCPT alike (a
relay that wants AUTH), refuse every message at the end of DATA, never answer the end of DATA,
or answer MAIL FROM with garbage.

As a relay with limits (issue 15): answer `421 4.7.0 too many connections` to a session beyond
N concurrent ones (`max_sessions`), stamp each accepted message with its arrival time (so a
test can check a configured rate was kept), and go away mid-send (`go_away_after`, or
`go_away()`: every connection dropped and the port closed).

Run it by hand with `python smtp_server.py --dir DIR` to watch what `tiedote send` does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, made with openssl."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True)
    return cert, key


@dataclass
class Misbehaviour:
    """What the server should do wrong, by recipient address (lower-case)."""
    defer_once: set[str] = field(default_factory=set)      # 451 at RCPT, the first time only
    defer_always: set[str] = field(default_factory=set)    # 451 at RCPT every time
    reject: set[str] = field(default_factory=set)          # 550 at RCPT
    drop_in_data_once: set[str] = field(default_factory=set)  # close the connection at end of DATA
    shutdown_once: set[str] = field(default_factory=set)   # 421 at RCPT and close, the first time only
    deferred: set[str] = field(default_factory=set)        # bookkeeping
    dropped: set[str] = field(default_factory=set)
    journal: Path | None = None                            # read at each end of DATA
    journal_at_data: dict[str, str] = field(default_factory=dict)  # recipient: its last state there
    rcpt_reply: dict[str, str] = field(default_factory=dict)  # address: the whole RCPT reply line
    every_rcpt_reply: str | None = None       # this reply to every RCPT (a relay that refuses all)
    mail_reply: str | None = None             # this reply to every MAIL FROM (garbage, say)
    end_of_data_reply: str | None = None      # this reply at every end of DATA (554, say)
    silent_after_data: bool = False           # never answer the end of DATA (keeps the line open)
    auth_delay: float = 0                     # seconds before answering AUTH (blocks the server)
    refuse_later: set[str] = field(default_factory=set)    # accepted, then refused by "the next hop":
    late_refusal: Callable[[str, str, bytes], None] | None = None  # called (mail_from, rcpt, message)
    max_sessions: int | None = None           # a session beyond this many at once gets a 421 greeting
    go_away_after: int | None = None          # after this many accepted messages the relay goes away
    messages_per_session: int | None = None   # 421 and close at the MAIL FROM past this many in one session
    after_message: Callable[[int], None] | None = None  # called with the count after each stored message


class Sessions:
    """The relay's open sessions: counts them, refuses those beyond `max_sessions` with a 421
    greeting, and can drop them all at once (the relay going away)."""

    REFUSAL = "421 4.7.0 too many connections, try again later"

    def __init__(self, max_sessions: int | None):
        self.max_sessions = max_sessions
        self.lock = threading.Lock()
        self.active: set = set()
        self.opened = 0      # sessions greeted with 220
        self.refused = 0     # sessions greeted with the 421 above
        self.peak = 0        # the most sessions open at once

    def open(self, session) -> bool:
        with self.lock:
            if self.max_sessions is not None and len(self.active) >= self.max_sessions:
                self.refused += 1
                return False
            self.active.add(session)
            self.opened += 1
            self.peak = max(self.peak, len(self.active))
            return True

    def close(self, session) -> None:
        with self.lock:
            self.active.discard(session)


class RelaySMTP(SMTP):
    """aiosmtpd's SMTP with the session count of `Sessions` in front of the dialogue."""

    def __init__(self, handler, sessions: Sessions, **kwargs):
        super().__init__(handler, **kwargs)
        self.sessions = sessions

    async def _handle_client(self) -> None:
        if not self.sessions.open(self):
            await self.push(Sessions.REFUSAL)
            if self.transport is not None:
                self.transport.close()
            return
        try:
            await super()._handle_client()
        finally:
            self.sessions.close(self)


class RelayController(Controller):
    """A Controller whose sessions are `RelaySMTP`."""

    def __init__(self, handler, sessions: Sessions, **kwargs):
        self.sessions = sessions
        super().__init__(handler, **kwargs)

    def factory(self):
        return RelaySMTP(self.handler, self.sessions, **self.SMTP_kwargs)


class Recorder:
    """aiosmtpd handler: saves each message and plays the misbehaviour."""

    def __init__(self, folder: Path, misbehaviour: Misbehaviour):
        self.folder = folder
        self.misbehaviour = misbehaviour
        self.lock = threading.Lock()
        self.count = 0
        self.commands: list[str] = []   # every EHLO/MAIL/RCPT seen, accepted or not
        self.per_session: dict[int, int] = {}   # session number: messages stored in it
        self.sessions = 0
        self.refused_past_cap = 0
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.commands.append(f"EHLO {hostname}")
        session.host_name = hostname
        return responses

    def _session(self, session) -> int:
        """A number for the connection, given at its first MAIL FROM."""
        with self.lock:
            if not hasattr(session, "tiedote_number"):
                self.sessions += 1
                session.tiedote_number = self.sessions
                self.per_session[self.sessions] = 0
            return session.tiedote_number

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        number = self._session(session)
        with self.lock:
            self.commands.append(f"MAIL {address}")
            capped = self.misbehaviour.messages_per_session is not None and \
                self.per_session[number] >= self.misbehaviour.messages_per_session
            if capped:
                self.refused_past_cap += 1
        if capped:
            # Like a relay limiting messages per connection: 421 and the connection closes.
            await server.push("421 4.7.0 Too many messages in this session, closing channel")
            server.transport.close()
            return None
        if self.misbehaviour.mail_reply is not None:
            return self.misbehaviour.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = address.lower()
        m = self.misbehaviour
        with self.lock:
            self.commands.append(f"RCPT {address}")
            if m.every_rcpt_reply is not None:
                return m.every_rcpt_reply
            if key in m.rcpt_reply:
                return m.rcpt_reply[key]
            if key in m.reject:
                return "550 5.1.1 No such user here"
            shutdown = key in m.shutdown_once and key not in m.dropped
            if shutdown:
                m.dropped.add(key)
        if shutdown:
            await server.push("421 4.3.2 Service shutting down, closing channel")
            server.transport.close()
            return None
        with self.lock:
            if key in m.defer_always or (key in m.defer_once and key not in m.deferred):
                m.deferred.add(key)
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        m = self.misbehaviour
        with self.lock:
            drop = [r for r in envelope.rcpt_tos if r.lower() in m.drop_in_data_once and r.lower() not in m.dropped]
            if drop:
                m.dropped.update(r.lower() for r in drop)
        if drop:
            # The whole message arrived but is thrown away and never answered.
            server.transport.close()
            return "421 4.4.2 Connection dropped"
        if m.silent_after_data:
            # The whole message arrived; the reply never comes (until the test stops the server).
            with self.lock:
                self.commands.append("DATA unanswered")
            await asyncio.sleep(3600)
        if m.end_of_data_reply is not None:
            with self.lock:
                self.commands.append("DATA refused")
            return m.end_of_data_reply
        if m.journal is not None:
            # What the sender's journal said when the message became the server's to keep.
            last = {}
            for line in m.journal.read_text(encoding="utf-8").splitlines():
                fields = line.split("\t")
                if len(fields) >= 6:   # 7 since the relay's name ends each line
                    last[fields[2]] = fields[1]
            with self.lock:
                for rcpt in envelope.rcpt_tos:
                    m.journal_at_data[rcpt.lower()] = last.get(rcpt.lower(), "absent")
        with self.lock:
            self.count += 1
            number = self.count
            session_number = getattr(session, "tiedote_number", None)
            if session_number is not None:
                self.per_session[session_number] += 1
        name = f"{number:06d}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        entry = {"file": name, "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                 "tls": session.ssl is not None, "auth": bool(session.authenticated),
                 "at": time.monotonic()}
        with self.lock, open(self.folder / "index.jsonl", "a") as index:
            index.write(json.dumps(entry) + "\n")
        if m.late_refusal is not None:
            # The relay took the message; the recipient's server refuses it later: a DSN goes
            # back to the envelope sender (the test decides where that lands).
            for rcpt in envelope.rcpt_tos:
                if rcpt.lower() in m.refuse_later:
                    m.late_refusal(envelope.mail_from, rcpt, envelope.original_content or envelope.content)
        if m.after_message is not None:
            m.after_message(number)
        return "250 2.0.0 Ok: queued as %06d" % number


class GreetingRefuser:
    """A relay that answers every connection's greeting with one line (421 by default) and
    closes it: a relay with no room for another session."""

    def __init__(self, reply: str = "421 4.7.0 Too many connections, closing channel"):
        self.reply = reply.encode() + b"\r\n"
        self.port = free_port()
        self.connections = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(16)
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "GreetingRefuser":
        self.thread.start()
        return self

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                try:
                    conn.sendall(self.reply)
                except OSError:
                    pass

    def stop(self) -> None:
        self.sock.close()


class TestSMTPServer:
    """One running server; `start()` returns once it accepts connections."""

    def __init__(self, folder: Path, *, starttls: tuple[Path, Path] | None = None,
                 require_starttls: bool = False, implicit_tls: tuple[Path, Path] | None = None,
                 auth: dict[str, str] | None = None,
                 misbehaviour: Misbehaviour | None = None):
        self.folder = Path(folder)
        self.misbehaviour = misbehaviour or Misbehaviour()
        self.recorder = Recorder(self.folder / "messages", self.misbehaviour)
        self.port = free_port()
        self.auth = auth
        kwargs = {}
        if starttls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(starttls[0]), str(starttls[1]))
            kwargs["tls_context"] = context
            kwargs["require_starttls"] = require_starttls
        controller_kwargs = {}
        if implicit_tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(implicit_tls[0]), str(implicit_tls[1]))
            controller_kwargs["ssl_context"] = context
        self.scheme = "smtps" if implicit_tls else "smtp"
        if auth is not None:
            kwargs["authenticator"] = self._authenticate
            kwargs["auth_required"] = True
            kwargs["auth_require_tls"] = False
        self.sessions = Sessions(self.misbehaviour.max_sessions)
        self.controller = RelayController(self.recorder, self.sessions, hostname="127.0.0.1", port=self.port,
                                          server_hostname="tiedote-test", **controller_kwargs, **kwargs)
        self.auth_attempts: list[tuple[str, str, bool]] = []
        self.gone = threading.Event()
        if self.misbehaviour.go_away_after is not None:
            limit, then = self.misbehaviour.go_away_after, self.misbehaviour.after_message

            def after_message(count: int) -> None:
                if then is not None:
                    then(count)
                if count >= limit:
                    self.go_away()

            self.misbehaviour.after_message = after_message

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if self.misbehaviour.auth_delay:
            time.sleep(self.misbehaviour.auth_delay)
        login = auth_data.login.decode()
        ok = self.auth.get(login) == auth_data.password.decode()
        self.auth_attempts.append((mechanism, login, ok))
        return AuthResult(success=ok, handled=False)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> "TestSMTPServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stops the server (again is fine: a test may stop it mid-send, then the fixture)."""
        with self.recorder.lock:
            if getattr(self, "stopped", False):
                return
            self.stopped = True
        self.controller.stop()

    def go_away(self) -> None:
        """The relay vanishes mid-send: every open connection is dropped at once and the port
        is closed, so new connections are refused. Safe from any thread, idempotent."""
        if self.gone.is_set():
            return
        self.gone.set()
        loop = self.controller.loop

        def drop() -> None:
            server = self.controller.server
            if server is not None:
                server.close()
            with self.sessions.lock:
                sessions = list(self.sessions.active)
            for session in sessions:
                if session.transport is not None:
                    session.transport.abort()

        loop.call_soon_threadsafe(drop)

    def hold_messages(self) -> tuple[threading.Event, threading.Event]:
        """Holds every message at its end of DATA until `release` is set; `arrived` is set when
        the first one is there: a test acts while a send is surely running, whatever the
        machine's speed."""
        arrived, release = threading.Event(), threading.Event()
        original = self.recorder.handle_DATA

        async def held(srv, session, envelope):
            arrived.set()
            while not release.is_set():
                await asyncio.sleep(0.02)
            return await original(srv, session, envelope)

        self.recorder.handle_DATA = held
        return arrived, release

    def arrivals(self) -> list[float]:
        """When each accepted message arrived (monotonic seconds), in order."""
        return sorted(entry["at"] for entry in self.index())

    def index(self) -> list[dict]:
        path = self.recorder.folder / "index.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def messages(self) -> list[tuple[dict, bytes]]:
        """Every accepted message: its envelope entry and its bytes."""
        return [(entry, (self.recorder.folder / entry["file"]).read_bytes()) for entry in self.index()]

    def received_by(self) -> dict[str, int]:
        """How many messages each recipient (lower-case) got."""
        counts: dict[str, int] = {}
        for entry in self.index():
            for rcpt in entry["rcpt_tos"]:
                counts[rcpt.lower()] = counts.get(rcpt.lower(), 0) + 1
        return counts

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.index()) >= count:
                return True
            time.sleep(0.05)
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--starttls", action="store_true", help="offer STARTTLS with a fresh self-signed cert")
    args = parser.parse_args()
    tls = make_self_signed_cert(args.dir / "tls") if args.starttls else None
    server = TestSMTPServer(args.dir, starttls=tls).start()
    print(f"listening on {server.url}; messages in {server.recorder.folder}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
