"""End to end: a send with VERP through aiosmtpd, whose handler refuses some recipients after
taking their messages and writes a DSN into the Dovecot mailbox; `tiedote inbox` reads them
over IMAP and suppresses those addresses; the next send skips them."""

from __future__ import annotations

import csv
import io

from conftest import Misbehaviour
from dovecot_server import Dovecot
from inbox_mail import DOMAIN, dsn_for

PEOPLE = [f"jasen{i}@example.fi" for i in range(6)]
GONE = {"jasen1@example.fi", "jasen4@example.fi"}


def test_late_refusals_come_back_and_the_next_send_skips_them(workspace, smtp_server):
    dovecot = Dovecot().start()
    try:
        # jasen4's report names only the address it was forwarded to: the VERP token attributes it.
        def refuse(mail_from: str, rcpt: str, original: bytes) -> None:
            final = "forwarded@elsewhere.example.net" if rcpt == "jasen4@example.fi" else None
            dovecot.deliver(dsn_for(mail_from, rcpt, original, final=final))

        server = smtp_server(misbehaviour=Misbehaviour(refuse_later=GONE, late_refusal=refuse))
        workspace.write_list("members", [{"email": e, "name": f"Jäsen {e[5]}"} for e in PEOPLE])
        workspace.set_section("delivery", "\n".join([
            "delivery:", "  transport: smtp", f"  return_path: bounces@{DOMAIN}", "  smtp:", f"    url: {server.url}"]))
        workspace.set_section("inbox", "\n".join([
            "inbox:", "  imap:", f"    url: {dovecot.url()}", f"    username: {dovecot.user}",
            "    password_env: TIEDOTE_IMAP_PASSWORD"]))
        env = {"TIEDOTE_IMAP_PASSWORD": dovecot.password}

        first = workspace.run("send", "2026-12", "--list", "members")
        assert first.returncode == 0, first.stderr
        assert sorted(server.received_by()) == PEOPLE
        assert len(dovecot.flags("INBOX")) == 2

        inbox = workspace.run("inbox", "--report", "csv", env=env)
        assert inbox.returncode == 0, inbox.stderr
        rows = list(csv.DictReader(io.StringIO(inbox.stdout)))
        assert {(r["address"], r["kind"], r["action"]) for r in rows} == {(a, "hard", "suppressed") for a in GONE}
        suppressed = {r["email"]: r["reason"] for r in csv.DictReader(io.StringIO(workspace.read("Lists/suppressed.csv")))}
        assert {a for a, reason in suppressed.items() if reason == "bounced"} >= GONE
        assert "forwarded@elsewhere.example.net" not in suppressed
        assert dovecot.flags("INBOX") == {} and len(dovecot.flags("Tiedote")) == 2
        # An empty INBOX is no error, and nothing is read twice.
        again = workspace.run("inbox", "--report", "csv", env=env)
        assert again.returncode == 0 and again.stdout.splitlines() == ["source,address,kind,action"], again.stderr
        bounces = list(csv.DictReader(io.StringIO(workspace.read("Sent/bounces.csv"))))
        assert {(b["address"], b["send"]) for b in bounces} == {(a, "2026-12/members") for a in GONE}

        before = len(server.index())
        second = workspace.run("send", "2027-01", "--list", "members")
        assert second.returncode == 0, second.stderr
        assert sorted(rcpt for entry in server.index()[before:] for rcpt in entry["rcpt_tos"]) == sorted(set(PEOPLE) - GONE)
    finally:
        dovecot.cleanup()
