"""Shared fixtures for the integration tests: the built CLI, temporary workspaces made from the
repository's sample workspace, and real SMTP servers on 127.0.0.1.

Every test file in this folder may use them; keep them general.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from smtp_server import Misbehaviour, TestSMTPServer, make_self_signed_cert  # noqa: E402

#: Environment every CLI run gets: a signing secret for unsubscribe links, a fixed locale
#: that is not English (output must not depend on it).
BASE_ENV = {
    "TIEDOTE_UNSUBSCRIBE_SECRET": "integration-test-secret-0123456789abcdef",
    "LANG": "fi_FI.UTF-8",
    "LC_ALL": "fi_FI.UTF-8",
    "TZ": "America/New_York",
}

LIST_HEADER = "email,name,municipality,interests,language,consent_source,consented_at"


@pytest.fixture(scope="session")
def tiedote_bin() -> Path:
    """The built `tiedote` executable (`make integration-test` builds it first)."""
    path = Path(os.environ.get("TIEDOTE_BIN", REPO / ".build" / "debug" / "tiedote"))
    if not path.exists():
        pytest.fail(f"{path} is missing: run `swift build` (or `make integration-test`) first")
    return path


class TempWorkspace:
    """A copy of the sample workspace in a temporary folder, with helpers to edit it."""

    def __init__(self, root: Path, tiedote_bin: Path):
        self.root = root
        self.bin = tiedote_bin
        for name in ["tiedote.yml", "Events", "Issues", "Templates", "Lists"]:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, root / name)
            elif source.exists():
                shutil.copy(source, root / name)
        (root / "Lists").mkdir(exist_ok=True)

    # --- editing -----------------------------------------------------------------------------

    def write_list(self, name: str, rows: list[dict] | list[str]) -> Path:
        """Writes Lists/NAME.csv from dicts (email, name, municipality, …) or raw CSV lines."""
        lines = [LIST_HEADER]
        for row in rows:
            if isinstance(row, str):
                lines.append(row)
                continue
            fields = [row.get("email", ""), row.get("name", ""), row.get("municipality", ""),
                      row.get("interests", ""), row.get("language", "fi"),
                      row.get("consent_source", "lomake"), row.get("consented_at", "2025-01-15")]
            lines.append(",".join(_csv_field(f) for f in fields))
        path = self.root / "Lists" / f"{name}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def set_section(self, key: str, yaml_text: str) -> None:
        """Replaces the top-level `key:` block of tiedote.yml (appends it when missing)."""
        path = self.root / "tiedote.yml"
        text = path.read_text(encoding="utf-8")
        block = yaml_text.rstrip("\n") + "\n"
        pattern = re.compile(rf"^{re.escape(key)}:.*?(?=^\S|\Z)", re.M | re.S)
        if pattern.search(text):
            text = pattern.sub(lambda _: block + "\n", text, count=1)
        else:
            text = text.rstrip("\n") + "\n\n" + block
        path.write_text(text, encoding="utf-8")

    def set_smtp(self, url: str, *, tls: str | None = None, username: str | None = None,
                 password_env: str | None = None, ca_file: str | None = None,
                 connections: int = 1, rate: int | None = None,
                 messages_per_connection: int | None = None) -> None:
        """Points delivery at an SMTP server."""
        lines = ["delivery:", "  transport: smtp", f"  connections: {connections}"]
        if rate:
            lines.append(f"  rate_per_minute: {rate}")
        lines += ["  smtp:", f"    url: {url}"]
        if tls:
            lines.append(f"    tls: {tls}")
        if username:
            lines.append(f"    username: {username}")
        if password_env:
            lines.append(f"    password_env: {password_env}")
        if ca_file:
            lines.append(f"    ca_file: {ca_file}")
        if messages_per_connection:
            lines.append(f"    messages_per_connection: {messages_per_connection}")
        self.set_section("delivery", "\n".join(lines))

    def set_relays(self, relays: list[dict], *, connections: int = 1, rate: int | None = None) -> None:
        """Points delivery at several SMTP relays (`delivery.relays`); each dict holds the
        relay's keys as tiedote.yml spells them (name, url, connections, …)."""
        lines = ["delivery:", "  transport: smtp", f"  connections: {connections}"]
        if rate:
            lines.append(f"  rate_per_minute: {rate}")
        lines.append("  relays:")
        for relay in relays:
            first = True
            for key, value in relay.items():
                lines.append(f"    {'- ' if first else '  '}{key}: {value}")
                first = False
        self.set_section("delivery", "\n".join(lines))

    def set_issue_field(self, month: str, key: str, yaml_value: str) -> None:
        """Replaces (or adds) one front-matter line of Issues/MONTH.md."""
        path = self.root / "Issues" / f"{month}.md"
        text = path.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        lines = [l for l in head.splitlines() if not l.startswith(f"{key}:")]
        lines.append(f"{key}: {yaml_value}")
        path.write_text("\n".join(lines) + sep + body, encoding="utf-8")

    def append_issue_text(self, month: str, markdown: str) -> None:
        path = self.root / "Issues" / f"{month}.md"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + markdown + "\n", encoding="utf-8")

    # --- running -----------------------------------------------------------------------------

    def run(self, *args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        """Runs `tiedote ARGS --workspace ROOT`; never raises on a non-zero exit."""
        return subprocess.run([str(self.bin), *args, "--workspace", str(self.root)],
                              env=self.env(env), capture_output=True, text=True, timeout=timeout)

    def popen(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen([str(self.bin), *args, "--workspace", str(self.root)],
                                env=self.env(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    @staticmethod
    def env(extra: dict | None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TIEDOTE_")}
        env.update(BASE_ENV)
        env.update(extra or {})
        return env

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


@pytest.fixture
def workspace(tmp_path, tiedote_bin) -> TempWorkspace:
    """A fresh copy of the sample workspace."""
    root = tmp_path / "workspace"
    root.mkdir()
    return TempWorkspace(root, tiedote_bin)


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory) -> tuple[Path, Path]:
    """(cert.pem, key.pem): self-signed for 127.0.0.1/localhost, made at test time."""
    return make_self_signed_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp_server(tmp_path):
    """Factory: `smtp_server(starttls=…, auth=…, misbehaviour=Misbehaviour(…))` starts a server;
    all are stopped after the test."""
    servers: list[TestSMTPServer] = []

    def start(**kwargs) -> TestSMTPServer:
        server = TestSMTPServer(tmp_path / f"smtp{len(servers)}", **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


__all__ = ["Misbehaviour", "TempWorkspace"]
