"""A real Dovecot IMAP server for the tests: started by the test on 127.0.0.1 from a config in
a temporary folder (passwd-file login, Maildir, its own base_dir), with TLS or without.

Runs as an unprivileged user: as root the mail is owned by `nobody` and the login process
runs as Dovecot's own `dovenull` (Dovecot refuses root for both); as any other user, as that user.
Messages are delivered with IMAP APPEND, and flags and folders read back with Python's imaplib.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from smtp_server import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


class Dovecot:
    def __init__(self, *, tls: tuple[Path, Path] | None = None, users: dict[str, str] | None = None,
                 capabilities: str | None = None):
        self.tls = tls
        self.capabilities = capabilities  # replaces the post-login CAPABILITY list (e.g. without MOVE)
        self.users = users or {"tiedote": "sala-sana 1%&"}
        self.port = free_port()
        # Not under pytest's tmp_path: its parents are private to root, and the mail user must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="tiedote-dovecot-"))
        os.chmod(self.root, 0o755)
        self.process: subprocess.Popen | None = None

    # --- life cycle ------------------------------------------------------------------------------

    def _config(self) -> str:
        if os.getuid() == 0:
            mail = pwd.getpwnam("nobody")
            internal, login = "dovecot", "dovenull"
        else:
            mail = pwd.getpwuid(os.getuid())
            internal = login = mail.pw_name
        home = self.root / "home"
        home.mkdir(exist_ok=True)
        os.chown(home, mail.pw_uid, mail.pw_gid)
        (self.root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.users.items()))
        listener = "imaps" if self.tls else "imap"
        ssl_lines = (f"ssl = required\nssl_cert = <{self.tls[0]}\nssl_key = <{self.tls[1]}\n"
                     if self.tls else "ssl = no\n")
        return f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl_lines}disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
{f"imap_capability = {self.capabilities}" if self.capabilities else ""}
# Every flag change, copy and expunge in the log, so a test can tell which commands ran.
mail_plugins = $mail_plugins mail_log notify
plugin {{
  mail_log_events = flag_change copy expunge
  mail_log_fields = uid box flags
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port if listener == "imap" else 0}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.port if listener == "imaps" else 0}
  }}
}}
service anvil {{
  chroot =
}}
"""

    def start(self) -> "Dovecot":
        (self.root / "dovecot.conf").write_text(self._config())
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("dovecot did not start: " + self.log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not listen: " + self.log())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- what the tests use --------------------------------------------------------------------

    @property
    def user(self) -> str:
        return next(iter(self.users))

    @property
    def password(self) -> str:
        return self.users[self.user]

    def url(self, mailbox: str = "INBOX") -> str:
        return f"{'imaps' if self.tls else 'imap'}://127.0.0.1:{self.port}/{mailbox}"

    def client(self) -> imaplib.IMAP4:
        if self.tls:
            context = ssl.create_default_context(cafile=str(self.tls[0]))
            imap = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context)
        else:
            imap = imaplib.IMAP4("127.0.0.1", self.port)
        imap.login(self.user, self.password)
        return imap

    def deliver(self, message: bytes, folder: str = "INBOX", flags: str | None = None) -> int:
        """Appends a message; returns its UID."""
        with self.client() as imap:
            typ, data = imap.append(folder, flags, None, message)
            assert typ == "OK", data
            return int(data[0].decode().split("APPENDUID ")[1].split()[1].rstrip("]"))

    def flags(self, folder: str = "INBOX") -> dict[int, set[str]]:
        """UID → flags of every message in `folder` (read-only: EXAMINE)."""
        with self.client() as imap:
            typ, _ = imap.select(f'"{folder}"', readonly=True)
            if typ != "OK":
                return {}
            typ, data = imap.uid("FETCH", "1:*", "(FLAGS)")
            result = {}
            for line in data:
                if not line:
                    continue
                text = line.decode()
                uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
                flags = text.split("FLAGS (")[1].split(")")[0].split()
                result[uid] = set(flags) - {"\\Recent"}
            return result

    def bodies(self, folder: str = "INBOX") -> list[bytes]:
        with self.client() as imap:
            imap.select(f'"{folder}"', readonly=True)
            typ, data = imap.uid("FETCH", "1:*", "(BODY.PEEK[])")
            return [part[1] for part in data if isinstance(part, tuple)]

    def uid_validity(self, folder: str = "INBOX") -> int:
        with self.client() as imap:
            typ, data = imap.status(folder, "(UIDVALIDITY)")
            return int(data[0].decode().split("UIDVALIDITY ")[1].rstrip(")"))

    def set_uid_validity(self, value: int, folder: str = "INBOX") -> None:
        subprocess.run(["doveadm", "-c", str(self.root / "dovecot.conf"), "mailbox", "update", "-u", self.user,
                        "--uid-validity", str(value), folder], check=True, capture_output=True)
