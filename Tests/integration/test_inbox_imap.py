"""`tiedote inbox` over IMAP through libcurl, against a real Dovecot on 127.0.0.1: with TLS
(a certificate made for the test, given as the CA file) and plain on loopback."""

from __future__ import annotations

import csv
import io
import socket
import threading

import pytest

from conftest import BASE_ENV
from dovecot_server import Dovecot
from inbox_mail import auto_reply, dsn, unknown_mail, unsubscribe_mail, unsubscribe_token

SECRET = BASE_ENV["TIEDOTE_UNSUBSCRIBE_SECRET"]
MEMBER = "aino.makela@example.fi"
OTHER = "juha.jaaskelainen@example.fi"
SOFT = "asa.lindqvist@example.org"


@pytest.fixture(params=["tls", "plain"])
def dovecot(request, tls_cert):
    server = Dovecot(tls=tls_cert if request.param == "tls" else None).start()
    yield server
    server.cleanup()


def configure(ws, server: Dovecot, tls_cert=None, **extra) -> dict:
    lines = ["inbox:", "  imap:", f"    url: {server.url()}", f"    username: {server.user}",
             "    password_env: TIEDOTE_IMAP_PASSWORD"]
    if server.tls:
        lines.append(f"    ca_file: {server.tls[0]}")
    lines += [f"  {k}: {v}" for k, v in extra.items()]
    ws.set_section("inbox", "\n".join(lines))
    return {"TIEDOTE_IMAP_PASSWORD": server.password}


def suppressed(ws) -> dict[str, str]:
    path = ws.root / "Lists" / "suppressed.csv"
    return {r["email"]: r["reason"] for r in csv.DictReader(io.StringIO(path.read_text()))} if path.exists() else {}


def rows(result) -> list[tuple[str, str, str, str]]:
    assert result.returncode == 0, result.stderr
    return [(r["source"], r["address"], r["kind"], r["action"]) for r in csv.DictReader(io.StringIO(result.stdout))]


def test_handles_understood_mail_and_leaves_the_rest(workspace, dovecot):
    env = configure(workspace, dovecot)
    hard = dovecot.deliver(dsn(MEMBER))
    soft = dovecot.deliver(dsn(SOFT, action="delayed", status="4.4.1", boundary="s"))
    unsub = dovecot.deliver(unsubscribe_mail("x@example.net", f"unsubscribe {unsubscribe_token(SECRET, 'members', OTHER)}"))
    auto = dovecot.deliver(auto_reply(MEMBER))
    unknown = dovecot.deliver(unknown_mail("kysyja@example.net"))
    seen_unknown = dovecot.deliver(unknown_mail("toinen@example.net"), flags="(\\Seen \\Flagged)")
    stranger = dovecot.deliver(dsn("stranger@example.net", boundary="x"))

    result = workspace.run("inbox", "--report", "csv", env=env)
    assert rows(result) == [
        (str(hard), MEMBER, "hard", "suppressed"),
        (str(soft), SOFT, "soft", "counted 1/3"),
        (str(unsub), OTHER, "unsubscribe", "suppressed"),
        (str(auto), MEMBER, "auto-reply", "none"),
        (str(unknown), "kysyja@example.net", "unknown", "none"),
        (str(seen_unknown), "toinen@example.net", "unknown", "none"),
        (str(stranger), "stranger@example.net", "hard", "not-on-list")]
    assert suppressed(workspace)[MEMBER] == "bounced"
    assert suppressed(workspace)[OTHER] == "unsubscribed"
    assert SOFT not in suppressed(workspace) and "stranger@example.net" not in suppressed(workspace)

    # What was not understood is exactly as it was; the rest is seen and in the processed folder.
    assert dovecot.flags("INBOX") == {unknown: set(), seen_unknown: {"\\Seen", "\\Flagged"}, stranger: set()}
    processed = dovecot.flags("Tiedote")
    assert len(processed) == 4 and all(flags == {"\\Seen"} for flags in processed.values())

    # A second run touches nothing.
    suppression_before = (workspace.root / "Lists" / "suppressed.csv").read_bytes()
    bounces_before = (workspace.root / "Sent" / "bounces.csv").read_bytes()
    again = workspace.run("inbox", "--report", "csv", env=env)
    assert rows(again) == []
    assert dovecot.flags("INBOX") == {unknown: set(), seen_unknown: {"\\Seen", "\\Flagged"}, stranger: set()}
    assert len(dovecot.flags("Tiedote")) == 4
    assert (workspace.root / "Lists" / "suppressed.csv").read_bytes() == suppression_before
    assert (workspace.root / "Sent" / "bounces.csv").read_bytes() == bounces_before

    # Only new mail is read next time.
    new = dovecot.deliver(dsn(SOFT, action="failed", status="5.1.1", boundary="n"))
    assert rows(workspace.run("inbox", "--report", "csv", env=env)) == [(str(new), SOFT, "hard", "suppressed")]


def test_dry_run_touches_nothing(workspace, dovecot):
    env = configure(workspace, dovecot)
    uid = dovecot.deliver(dsn(MEMBER))
    assert rows(workspace.run("inbox", "--dry-run", "--report", "csv", env=env)) == [(str(uid), MEMBER, "hard", "would-suppress")]
    assert dovecot.flags("INBOX") == {uid: set()}
    assert dovecot.flags("Tiedote") == {}
    assert MEMBER not in suppressed(workspace)
    assert not (workspace.root / "Sent" / "inbox-imap.state").exists()


def test_processed_folder_is_configurable(workspace, dovecot):
    env = configure(workspace, dovecot, processed_folder="Kasitellyt")
    dovecot.deliver(dsn(MEMBER))
    assert workspace.run("inbox", env=env).returncode == 0
    assert len(dovecot.flags("Kasitellyt")) == 1 and dovecot.flags("INBOX") == {}


def test_wrong_password_is_a_clear_error_and_changes_nothing(workspace, dovecot):
    configure(workspace, dovecot)
    uid = dovecot.deliver(dsn(MEMBER))
    result = workspace.run("inbox", env={"TIEDOTE_IMAP_PASSWORD": "väärä"})
    assert result.returncode == 1
    assert "tiedote.yml:" in result.stderr and "refused the user name or password" in result.stderr
    assert "väärä" not in result.stderr + result.stdout
    assert dovecot.flags("INBOX") == {uid: set()}
    assert MEMBER not in suppressed(workspace)


def test_changed_uidvalidity_stops_before_touching_anything(workspace, dovecot):
    env = configure(workspace, dovecot)
    dovecot.deliver(dsn(MEMBER))
    assert workspace.run("inbox", env=env).returncode == 0
    dovecot.set_uid_validity(dovecot.uid_validity() + 1000)
    uid = dovecot.deliver(dsn(OTHER, boundary="o"))
    result = workspace.run("inbox", env=env)
    assert result.returncode == 1
    assert "Sent/inbox-imap.state:1:1: error: the IMAP folder INBOX was renumbered" in result.stderr
    assert dovecot.flags("INBOX") == {uid: set()}
    assert OTHER not in suppressed(workspace)


def test_server_gone_is_a_clear_error(workspace, dovecot):
    env = configure(workspace, dovecot)
    dovecot.stop()
    result = workspace.run("inbox", env=env)
    assert result.returncode == 1
    assert "could not connect to the IMAP server" in result.stderr


def test_an_oversized_message_is_reported_and_left_alone(workspace, dovecot):
    env = configure(workspace, dovecot)
    big = dsn(MEMBER).replace(b"This is the mail system", b"x" * (20 * 1024 * 1024) + b"\r\nThis is the mail system")
    uid = dovecot.deliver(big)
    small = dovecot.deliver(dsn(OTHER, boundary="o"))
    result = workspace.run("inbox", "--report", "csv", env=env)
    got = rows(result)
    assert got[0][:3] == (str(uid), "", "unknown") and "left alone" in got[0][3]
    assert got[1] == (str(small), OTHER, "hard", "suppressed")
    assert dovecot.flags("INBOX") == {uid: set()}
    assert MEMBER not in suppressed(workspace)


def test_plain_imap_to_another_host_is_refused(workspace):
    workspace.set_section("inbox", "inbox:\n  imap:\n    url: imap://imap.example.fi/INBOX")
    result = workspace.run("inbox")
    assert result.returncode == 1
    assert "tiedote.yml:" in result.stderr and "use imaps://imap.example.fi/INBOX" in result.stderr


def test_without_move_it_copies_and_expunges_only_its_own_uid(workspace, tls_cert):
    server = Dovecot(capabilities="IMAP4rev1 LITERAL+ UIDPLUS IDLE NAMESPACE").start()
    try:
        env = configure(workspace, server)
        # The reader's own message, already marked \\Deleted: a plain EXPUNGE would take it.
        theirs = server.deliver(unknown_mail("kysyja@example.net"), flags="(\\Deleted)")
        ours = server.deliver(dsn(MEMBER))
        assert rows(workspace.run("inbox", "--report", "csv", env=env))[-1] == (str(ours), MEMBER, "hard", "suppressed")
        assert server.flags("INBOX") == {theirs: {"\\Deleted"}}
        assert list(server.flags("Tiedote").values()) == [{"\\Seen"}]
        # The fallback's own trace: a \\Deleted set by STORE, and one expunge, of our UID only.
        log = server.log()
        assert "deleted=1 expunged=1" in log, log
        assert f"expunge: box=INBOX, uid={ours}," in log and f"expunge: box=INBOX, uid={theirs}," not in log
    finally:
        server.cleanup()


class _DroppingIMAP(threading.Thread):
    """An IMAP server that lists one message and drops the connection halfway through sending
    it: the one failure a real Dovecot cannot be made to show on cue."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.commands: list[str] = []

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as reader:
                conn.sendall(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
                for raw in reader:
                    tag, _, command = raw.decode().rstrip("\r\n").partition(" ")
                    self.commands.append(command)
                    verb = command.upper()
                    if verb.startswith("STATUS"):
                        conn.sendall(b"* STATUS INBOX (UIDVALIDITY 7)\r\n")
                    elif verb.startswith("SELECT"):
                        conn.sendall(b"* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n")
                    elif verb.startswith("UID FETCH 1:*"):
                        conn.sendall(b"* 1 FETCH (UID 1 RFC822.SIZE 5000 FLAGS ())\r\n")
                    elif verb.startswith("LIST"):
                        conn.sendall(b'* LIST () "/" Tiedote\r\n')
                    elif "BODY[]" in verb:
                        conn.sendall(b"* 1 FETCH (UID 1 BODY[] {5000}\r\n" + dsn(MEMBER)[:300])
                        break
                    conn.sendall(f"{tag} OK done\r\n".encode())

    def stop(self):
        self.sock.close()


def test_server_gone_mid_fetch_leaves_nothing_half_done(workspace):
    server = _DroppingIMAP()
    server.start()
    try:
        workspace.set_section("inbox", "\n".join([
            "inbox:", "  imap:", f"    url: imap://127.0.0.1:{server.port}/INBOX", "    username: tiedote",
            "    password_env: TIEDOTE_IMAP_PASSWORD"]))
        result = workspace.run("inbox", env={"TIEDOTE_IMAP_PASSWORD": "x"})
        assert result.returncode == 1
        assert "the IMAP connection failed" in result.stderr and "run `tiedote inbox` again" in result.stderr, result.stderr
        assert MEMBER not in suppressed(workspace)
        assert not (workspace.root / "Sent" / "inbox-imap.state").exists()
        assert not (workspace.root / "Sent" / "bounces.csv").exists()
        assert not any(c.upper().startswith(("UID STORE", "UID MOVE", "UID COPY")) for c in server.commands)
    finally:
        server.stop()
