"""Refusals and silences from a real SMTP server on 127.0.0.1: which replies may fail or suppress a
recipient, the circuit breaker that stops a run on a relay that refuses everything, retrying
earlier failures, and per-command timeouts (issue 10, items 1–3, 13 and part of 16)."""

from __future__ import annotations

import base64
import re

import pytest

from conftest import Misbehaviour

MONTH = "2026-12"
JOURNAL = f"Sent/{MONTH}--members.journal"


def people(count: int, prefix: str = "jasen") -> list[dict]:
    return [{"email": f"{prefix}{i}@example.fi", "name": f"Jäsen {i}"} for i in range(count)]


def status_counts(output: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^(recipients|sent|failed|pending|uncertain)\s+(\d+)$", output, re.M)}


def status_keys(output: str, state: str) -> set[str]:
    return {m.group(1) for m in re.finditer(rf"^  {state}\s+(\S+)", output, re.M)}


def suppressed(workspace) -> set[str]:
    """Addresses added to Lists/suppressed.csv as bounced (the sample has other rows already)."""
    path = workspace.root / "Lists" / "suppressed.csv"
    if not path.exists():
        return set()
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]
    return {row[0] for row in rows if len(row) > 1 and row[1] == "bounced" and row[0].startswith("jasen")}


def rcpt_count(server) -> int:
    return sum(1 for c in server.recorder.commands if c.startswith("RCPT"))


def set_smtp_with_timeouts(workspace, url: str, **timeouts: int) -> None:
    lines = ["delivery:", "  transport: smtp", "  connections: 1", "  smtp:", f"    url: {url}",
             "    timeouts:"]
    lines += [f"      {key}: {value}" for key, value in timeouts.items()]
    workspace.set_section("delivery", "\n".join(lines))


# --- item 1: a relay that refuses everything -------------------------------------------------------

def test_a_relay_refusing_every_rcpt_suppresses_nobody_and_the_breaker_stops_the_run(workspace, smtp_server):
    server = smtp_server(misbehaviour=Misbehaviour(
        every_rcpt_reply="550 5.7.1 Relaying denied: authentication required"))
    workspace.set_smtp(server.url)
    members = people(39)
    workspace.write_list("members", members)

    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "5.7.1 Relaying denied" in result.stderr, result.stderr
    assert "delivery.smtp.username" in result.stderr, "says what to check"
    assert rcpt_count(server) == 5, "the breaker stops after the first five alike"
    assert suppressed(workspace) == set(), "nobody is suppressed"
    status = workspace.run("status", MONTH, "--list", "members")
    counts = status_counts(status.stdout)
    assert counts["failed"] == 0 and counts["pending"] == 39 and counts["sent"] == 0, status.stdout

    # The relay fixed (AUTH set up, say): the same command reaches everyone.
    server.misbehaviour.every_rcpt_reply = None
    again = workspace.run("send", MONTH, "--list", "members")
    assert again.returncode == 0, again.stdout + again.stderr
    assert server.received_by() == {p["email"]: 1 for p in members}


@pytest.mark.parametrize("reply, verdict", [
    ("550 5.1.1 <{a}>: Recipient address rejected: User unknown", "suppressed"),
    ("550 5.1.2 Bad destination system address", "suppressed"),
    ("553 5.1.10 Recipient address has null MX", "suppressed"),
    ("550 5.2.1 Mailbox disabled", "suppressed"),
    ("550 No such user here", "suppressed"),             # bare, and the others were accepted
    ("552 5.2.2 Mailbox full", "failed"),
    ("550 5.7.1 <{a}>: Relay access denied", "pending"),
    ("554 5.7.1 Recipient refused by policy", "pending"),
    ("550 5.5.1 Protocol error", "pending"),
    ("550 5.3.0 Mail system full", "pending"),
    ("550 5.4.4 Unable to route", "pending"),
    ("554 Transaction failed", "pending"),
])
def test_only_a_reply_about_the_mailbox_suppresses(workspace, smtp_server, reply, verdict):
    members = people(6)
    victim = members[2]["email"]
    server = smtp_server(misbehaviour=Misbehaviour(rcpt_reply={victim: reply.format(a=victim)}))
    workspace.set_smtp(server.url)
    workspace.write_list("members", members)

    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 1, result.stdout + result.stderr
    assert len(server.index()) == 5, "everyone else got the message"
    assert suppressed(workspace) == ({victim} if verdict == "suppressed" else set())
    status = workspace.run("status", MONTH, "--list", "members")
    counts = status_counts(status.stdout)
    assert counts["sent"] == 5
    if verdict == "pending":
        assert counts["failed"] == 0 and counts["pending"] == 1, status.stdout
        assert victim in result.stdout, "the summary names who is held back and why"
        assert reply.split(" ")[0] in result.stdout
    else:
        assert counts["failed"] == 1 and counts["pending"] == 0, status.stdout
        assert status_keys(status.stdout, "failed") == {victim}


def test_a_bare_550_with_nobody_accepted_suppresses_nobody(workspace, smtp_server):
    members = people(2)
    server = smtp_server(misbehaviour=Misbehaviour(every_rcpt_reply="550 Mailbox unavailable"))
    workspace.set_smtp(server.url)
    workspace.write_list("members", members)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 1
    assert rcpt_count(server) == 2
    assert suppressed(workspace) == set()
    counts = status_counts(workspace.run("status", MONTH, "--list", "members").stdout)
    assert counts["failed"] == 0 and counts["pending"] == 2


def test_every_mailbox_unknown_trips_the_breaker_and_suppresses_nobody(workspace, smtp_server):
    # A relay that thinks it is the final destination says "user unknown" to everyone.
    server = smtp_server(misbehaviour=Misbehaviour(every_rcpt_reply="550 5.1.1 User unknown"))
    workspace.set_smtp(server.url)
    workspace.write_list("members", people(12))
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 1
    assert rcpt_count(server) == 5
    assert "5.1.1 User unknown" in result.stderr
    assert suppressed(workspace) == set()
    counts = status_counts(workspace.run("status", MONTH, "--list", "members").stdout)
    assert counts["failed"] == 0 and counts["pending"] == 12


# --- item 2: retrying earlier failures --------------------------------------------------------------

def test_retry_failed_sends_to_recipients_failed_in_an_earlier_run(workspace, smtp_server):
    members = people(5)
    full = {members[1]["email"]: "552 5.2.2 Mailbox full", members[3]["email"]: "552 5.2.2 Mailbox full",
            members[4]["email"]: "550 5.1.1 <%s> User unknown" % members[4]["email"]}
    server = smtp_server(misbehaviour=Misbehaviour(rcpt_reply=dict(full)))
    workspace.set_smtp(server.url)
    workspace.write_list("members", members)
    first = workspace.run("send", MONTH, "--list", "members")
    assert first.returncode == 1

    status = workspace.run("status", MONTH, "--list", "members")
    assert status_counts(status.stdout)["failed"] == 3
    # Grouped by reply: one heading per reply, its addresses under it.
    lines = status.stdout.splitlines()
    heading = next(i for i, line in enumerate(lines) if "5.2.2 Mailbox full" in line and "(2)" in line)
    assert {lines[heading + 1].split()[1], lines[heading + 2].split()[1]} == {members[1]["email"], members[3]["email"]}
    assert any("5.1.1 <address> User unknown (1)" in line for line in lines), status.stdout

    server.misbehaviour.rcpt_reply.clear()
    second = workspace.run("send", MONTH, "--list", "members")
    assert "failed in an earlier run: 2" in second.stdout, "the suppressed one is not counted"
    assert "--retry-failed" in second.stdout
    assert len(server.index()) == 2

    third = workspace.run("send", MONTH, "--list", "members", "--retry-failed")
    assert third.returncode == 0, third.stdout + third.stderr
    assert server.received_by() == {p["email"]: 1 for p in members[:4]}
    counts = status_counts(workspace.run("status", MONTH, "--list", "members").stdout)
    assert counts["sent"] == 4 and counts["failed"] == 1 and counts["pending"] == 0, "the bounce stays failed"


def test_addresses_an_older_run_suppressed_for_a_policy_reply_are_pointed_out(workspace, smtp_server):
    # What an older Tiedote left behind after a relay that wanted AUTH: failed and suppressed.
    members = people(3)
    victim = members[1]["email"]
    server = smtp_server(misbehaviour=Misbehaviour(rcpt_reply={victim: "554 5.7.1 Relay access denied"}))
    workspace.set_smtp(server.url)
    workspace.write_list("members", members)
    workspace.run("send", MONTH, "--list", "members")
    with (workspace.root / JOURNAL).open("a", encoding="utf-8") as out:
        out.write(f"2026-12-01T10:00:00Z\tfailed\t{victim}\t550\t<x@y>\t550 5.7.1 Relaying denied\n")
    with (workspace.root / "Lists" / "suppressed.csv").open("a", encoding="utf-8") as out:
        out.write(f"{victim},bounced,2026-12-01T10:00:00Z\r\n")

    again = workspace.run("send", MONTH, "--list", "members")
    assert re.search(r"suppressed\.csv(:\d+:\d+)?: warning: 1 address\(es\) here as bounced .*550 5\.7\.1 Relaying denied", again.stderr), again.stderr
    status = workspace.run("status", MONTH, "--list", "members")
    assert "1 of them are in Lists/suppressed.csv as bounced" in status.stdout, status.stdout


# --- item 3: the message refused at the end of DATA ----------------------------------------------------

def test_554_at_the_end_of_data_for_every_message_fails_nobody(workspace, smtp_server):
    server = smtp_server(misbehaviour=Misbehaviour(end_of_data_reply="554 5.7.1 Message rejected as spam"))
    workspace.set_smtp(server.url)
    workspace.write_list("members", people(10))
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 1
    assert server.recorder.commands.count("DATA refused") == 5, "the breaker stopped the run"
    assert "554 5.7.1 Message rejected as spam" in result.stderr
    assert "message" in result.stderr
    assert suppressed(workspace) == set()
    counts = status_counts(workspace.run("status", MONTH, "--list", "members").stdout)
    assert counts["failed"] == 0 and counts["pending"] == 10 and counts["uncertain"] == 0


# --- item 13: slow and garbled servers --------------------------------------------------------------

def test_a_server_silent_after_the_end_of_data_times_out_as_set_and_says_what_it_waited_for(workspace, smtp_server):
    server = smtp_server(misbehaviour=Misbehaviour(silent_after_data=True))
    # 4 s: libcurl calls back about once a second, so the notice at 1 s (--verbose) surely comes first.
    set_smtp_with_timeouts(workspace, server.url, end_of_data=4)
    workspace.write_list("members", people(3))
    # The default (600 s per attempt) would run far past this subprocess timeout.
    result = workspace.run("send", MONTH, "--list", "members", "--verbose", timeout=200)
    assert result.returncode == 1
    assert "waiting for" in result.stderr and "end of the message" in result.stderr, result.stderr
    assert "delivery.smtp.timeouts.end_of_data" in result.stdout + result.stderr
    status = workspace.run("status", MONTH, "--list", "members")
    counts = status_counts(status.stdout)
    assert counts["sent"] == 0 and counts["failed"] == 0
    # The whole message went out after the server's 354: it may have arrived.
    assert counts["uncertain"] >= 1


def test_a_garbage_reply_to_mail_from_leaves_nobody_uncertain(workspace, smtp_server):
    server = smtp_server(misbehaviour=Misbehaviour(mail_reply="garbage"))
    set_smtp_with_timeouts(workspace, server.url, command=2)
    workspace.write_list("members", people(3))
    result = workspace.run("send", MONTH, "--list", "members", timeout=200)
    assert result.returncode == 1
    assert not [c for c in server.recorder.commands if c.startswith("RCPT")] or server.index() == []
    status = workspace.run("status", MONTH, "--list", "members")
    counts = status_counts(status.stdout)
    assert counts["uncertain"] == 0, status.stdout
    assert counts["pending"] == 3


def test_a_slow_login_is_announced_without_a_word_of_the_credentials(workspace, smtp_server):
    password = "salainen-sana-42"
    server = smtp_server(auth={"tiedote": password}, misbehaviour=Misbehaviour(auth_delay=3))
    workspace.set_smtp(server.url, username="tiedote", password_env="TIEDOTE_SMTP_PASSWORD")
    workspace.write_list("members", people(1))
    result = workspace.run("send", MONTH, "--list", "members", "--verbose", env={"TIEDOTE_SMTP_PASSWORD": password})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "waiting for the reply to AUTH" in result.stderr or "waiting for the relay's reply" in result.stderr, result.stderr
    output = result.stdout + result.stderr
    for secret in [password, "tiedote\0" + password, "\0tiedote\0" + password, "tiedote"]:
        encoded = base64.b64encode(secret.encode()).decode()
        assert encoded[:8] not in output and encoded[:8].upper() not in output, "no part of the credentials"
    assert password not in output


def test_timeouts_are_checked_settings(workspace):
    workspace.set_section("delivery", "\n".join([
        "delivery:", "  transport: smtp", "  smtp:", "    url: smtp://127.0.0.1:2525", "    timeouts:",
        "      end_of_data: 0", "      reply: 30"]))
    result = workspace.run("check")
    assert result.returncode == 1
    assert re.search(r"tiedote\.yml:\d+:\d+: error: .*end_of_data", result.stderr), result.stderr
    assert re.search(r"tiedote\.yml:\d+:\d+: error: .*reply", result.stderr), result.stderr


# --- item 16: status counts only the list's members ----------------------------------------------------

def test_status_counts_list_members_and_damaged_lines(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", people(3))
    assert workspace.run("send", MONTH, "--list", "members").returncode == 0
    journal = workspace.root / JOURNAL
    with journal.open("a", encoding="utf-8") as out:
        out.write("2026-12-01T10:00:00Z\tsent\tvieras@example.fi\t250\t<x@y>\t250 ok\n")
        out.write("2026-12-01T10:00:01Z\tbounced\tjasen0@example.fi\t550\t<x@y>\tnot a state\n")
    status = workspace.run("status", MONTH, "--list", "members")
    counts = status_counts(status.stdout)
    assert counts["recipients"] == 3 and counts["sent"] == 3, status.stdout
    assert re.search(r"not on the list.*1", status.stdout), status.stdout
    assert re.search(r"damaged journal lines ignored: 1", status.stdout), status.stdout
