"""Relay limits as a person meets them (issue 15): a relay answering 421 above 2 sessions, two
relays with their own rates, `send --dry-run`'s expected duration and the progress line on a
terminal. Every server is a real aiosmtpd relay on 127.0.0.1 (see smtp_server.py)."""

from __future__ import annotations

import email
import re
from email import policy

from conftest import Misbehaviour

MONTH = "2026-12"
PROGRESS = re.compile(r"sent (\d+)/(\d+)  pending (\d+)  retrying (\d+)  (\d+\.\d)/s  ETA (\d+:\d\d|–)")


def people(count: int, prefix: str = "jasen") -> list[dict]:
    return [{"email": f"{prefix}{i}@example.fi", "name": f"Jäsen {i} Mäkelä"} for i in range(count)]


def arrivals_by_recipient(*servers) -> dict[str, int]:
    """How many messages each recipient got from all the servers together, read from the
    messages themselves (their To header, parsed with `email`) and checked against the
    envelope."""
    counts: dict[str, int] = {}
    for server in servers:
        for entry, raw in server.messages():
            message = email.message_from_bytes(raw, policy=policy.default)
            to = message["to"].addresses[0].addr_spec.lower()
            assert [r.lower() for r in entry["rcpt_tos"]] == [to]
            counts[to] = counts.get(to, 0) + 1
    return counts


def journal_records(workspace) -> list[list[str]]:
    lines = workspace.read(f"Sent/{MONTH}--members.journal").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def status_counts(output: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^(recipients|sent|failed|pending|uncertain)\s+(\d+)$", output, re.M)}


def status_relays(output: str) -> dict[str, int]:
    """The per-relay lines of `status`: `  via NAME  COUNT`."""
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^  via (\S+)\s+(\d+)$", output, re.M)}


def kept_rate(arrivals: list[float], per_minute: int, burst: int) -> bool:
    """True when no stretch of the arrivals beats the rate: from any message to any later one,
    at most `burst` more than the rate allows in the time between them (a message's arrival
    lags its start by a varying moment, hence one more than the engine's own burst)."""
    for i, start in enumerate(arrivals):
        for j in range(i, len(arrivals)):
            if j - i + 1 > burst + 1 + per_minute * (arrivals[j] - start) / 60:
                return False
    return True


def test_421_above_two_sessions_slows_the_send_down_and_loses_nobody(workspace, smtp_server):
    server = smtp_server(misbehaviour=Misbehaviour(max_sessions=2))
    workspace.set_smtp(server.url, connections=4)
    members = people(40)
    workspace.write_list("members", members)

    code, stdout, screen = workspace.run_on_terminal("send", MONTH, "--list", "members")

    assert code == 0, screen
    assert "finished" in stdout
    assert server.sessions.refused > 0, "the relay must have refused sessions for this test to mean anything"
    assert server.sessions.peak <= 2
    assert arrivals_by_recipient(server) == {p["email"]: 1 for p in members}
    assert "failed" not in stdout
    assert not any(r[1] == "failed" for r in journal_records(workspace))
    # The run says it slowed down, on the progress line, naming the relay.
    assert re.search(r"127\.0\.0\.1: .*421.*down to \d+ connection", screen), screen[-2000:]
    # and in the summary, which a log of a send without a terminal keeps.
    assert re.search(r"^relay 127\.0\.0\.1: .*421.*down to \d+ connection", stdout, re.M), stdout
    status = workspace.run("status", MONTH, "--list", "members")
    assert status.returncode == 0, status.stderr
    assert status_counts(status.stdout) == {"recipients": 40, "sent": 40, "failed": 0, "pending": 0, "uncertain": 0}


def test_two_relays_with_their_own_rates_share_the_send_and_status_counts_each(workspace, smtp_server):
    slow, fast = smtp_server(), smtp_server()
    workspace.set_relays([
        {"name": "hidas", "url": slow.url, "connections": 1, "rate_per_minute": 60},
        {"name": "nopea", "url": fast.url, "connections": 2, "rate_per_minute": 120},
    ])
    members = people(30)
    workspace.write_list("members", members)

    result = workspace.run("send", MONTH, "--list", "members")

    assert result.returncode == 0, result.stderr
    assert arrivals_by_recipient(slow, fast) == {p["email"]: 1 for p in members}
    assert slow.received_by() and fast.received_by(), "both relays take a share"
    assert kept_rate(slow.arrivals(), 60, burst=1), slow.arrivals()
    assert kept_rate(fast.arrivals(), 120, burst=2), fast.arrivals()
    # The journal names the relay that took each message, and it is the one that got it.
    relay_of = {r[2]: r[6] for r in journal_records(workspace) if r[1] == "sent"}
    assert set(relay_of) == {p["email"] for p in members}
    for name, server in [("hidas", slow), ("nopea", fast)]:
        assert {key for key, relay in relay_of.items() if relay == name} == set(server.received_by())
    status = workspace.run("status", MONTH, "--list", "members")
    assert status.returncode == 0, status.stderr
    assert status_relays(status.stdout) == {"hidas": len(slow.received_by()), "nopea": len(fast.received_by())}
    assert status_counts(status.stdout)["sent"] == 30


def test_status_of_a_journal_without_relays_names_none(workspace, smtp_server):
    workspace.write_list("members", people(3))
    workspace.set_section("delivery", "delivery:\n  transport: outbox")
    assert workspace.run("send", MONTH, "--list", "members").returncode == 0
    status = workspace.run("status", MONTH, "--list", "members")
    assert status.returncode == 0, status.stderr
    assert status_counts(status.stdout)["sent"] == 3
    assert status_relays(status.stdout) == {}
    assert " via " not in status.stdout


def test_status_counts_what_each_relay_sent_from_the_journal(workspace):
    workspace.write_list("members", people(5))
    workspace.set_section("delivery", "delivery:\n  transport: outbox")
    assert workspace.run("send", MONTH, "--list", "members").returncode == 0
    path = workspace.root / "Sent" / f"{MONTH}--members.journal"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    at = "2026-12-01T08:00:00Z"
    lines = [header,
             f"{at}\tattempting\tjasen0@example.fi\t0\t<m0@x>\t\toma",
             f"{at}\tsent\tjasen0@example.fi\t250\t<m0@x>\tok\toma",
             f"{at}\tdeferred\tjasen1@example.fi\t421\t<m1@x>\ttoo many connections\toma",
             f"{at}\tsent\tjasen1@example.fi\t250\t<m1@x>\tok\tpalveluntarjoaja",
             f"{at}\tsent\tjasen2@example.fi\t250\t<m2@x>\tok\tpalveluntarjoaja",
             f"{at}\tsent\tjasen3@example.fi\t250\t<m3@x>\tok",      # an older Tiedote's line
             f"{at}\tdeferred\tjasen4@example.fi\t451\t<m4@x>\tlater\toma"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = workspace.run("status", MONTH, "--list", "members")
    assert status.returncode == 0, status.stderr
    assert status_counts(status.stdout)["sent"] == 4
    assert status_relays(status.stdout) == {"oma": 1, "palveluntarjoaja": 2}
    assert re.search(r"^  no relay named 1 ", status.stdout, re.M), status.stdout


def dry_run_duration(workspace, *extra: str) -> str:
    result = workspace.run("send", MONTH, "--list", "members", "--dry-run", *extra)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("expected duration")]
    assert len(lines) == 1, result.stdout
    return lines[0]


def test_dry_run_expects_the_duration_the_limits_allow(workspace, smtp_server):
    workspace.write_list("members", people(120))
    workspace.set_smtp("smtp://127.0.0.1:2525", connections=4, rate=60)
    line = dry_run_duration(workspace)
    assert re.match(r"expected duration: about 2 min \(120 messages at 60/min at most: delivery\.rate_per_minute\)", line), line

    # --rate overrides the whole send's rate, as in a real send.
    assert "about 4 min (120 messages at 30/min at most: --rate)" in dry_run_duration(workspace, "--rate", "30/min")

    # Two relays' own rates add up: 40 + 20 a minute.
    workspace.set_relays([
        {"name": "oma", "url": "smtp://127.0.0.1:2525", "connections": 2, "rate_per_minute": 40},
        {"name": "toinen", "url": "smtp://127.0.0.1:2526", "connections": 1, "rate_per_minute": 20},
    ])
    line = dry_run_duration(workspace)
    assert "about 2 min (120 messages at 60/min at most: the relays' own rates, oma 40/min, toinen 20/min)" in line, line

    # A relay without a rate may take everything: only the relay's speed decides.
    workspace.set_relays([
        {"name": "oma", "url": "smtp://127.0.0.1:2525", "connections": 2, "rate_per_minute": 40},
        {"name": "toinen", "url": "smtp://127.0.0.1:2526", "connections": 3},
    ])
    line = dry_run_duration(workspace)
    assert line.startswith("expected duration: depends on the relays: nothing limits the pace of toinen"), line
    assert "5 connections in all" in line
    assert "oma (40/min) alone would take about 3 min" in line, line

    # --smtp names the one relay, with no limit but the whole send's, as the send has it.
    line = dry_run_duration(workspace, "--smtp", "smtp://127.0.0.1:2527")
    assert line.startswith("expected duration: depends on the relay: nothing limits the pace of 127.0.0.1 "), line
    assert "about 2 min (120 messages at 60/min at most: --rate)" in dry_run_duration(
        workspace, "--smtp", "smtp://127.0.0.1:2525", "--rate", "60")


def test_progress_line_on_a_terminal_shows_sent_pending_retrying_rate_and_eta(workspace, smtp_server):
    members = people(20)
    first = members[0]["email"]
    server = smtp_server(misbehaviour=Misbehaviour(defer_once={first}))
    workspace.set_smtp(server.url, connections=1, rate=300)
    workspace.write_list("members", members)

    code, stdout, screen = workspace.run_on_terminal("send", MONTH, "--list", "members")

    assert code == 0, screen
    assert arrivals_by_recipient(server) == {p["email"]: 1 for p in members}
    drawn = [m.groups() for m in PROGRESS.finditer(screen)]
    assert drawn, screen
    assert "\r" in screen, "the line is redrawn in place"
    assert screen.rstrip(" ").endswith("\n"), "the line is ended when the send is over"
    sent, total, pending, retrying, rate, eta = drawn[-1]
    assert (sent, total, pending, retrying) == ("20", "20", "0", "0")
    assert any(int(r) >= 1 for _, _, _, r, _, _ in drawn), "the 451 shows as a recipient waiting for a retry"
    assert any(float(r) > 0 and re.fullmatch(r"\d+:\d\d", e) for *_, r, e in drawn)
    # Counts add up on every redraw: sent, pending and retrying never pass the total.
    for sent, total, pending, retrying, _, _ in drawn:
        assert int(sent) + int(pending) + int(retrying) <= int(total)

    # Nothing when stderr is not a terminal, nor with --quiet on one.
    workspace.write_list("members", people(3, "toinen"))
    piped = workspace.run("send", MONTH, "--list", "members")
    assert piped.returncode == 0 and not PROGRESS.search(piped.stderr) and "ETA" not in piped.stderr
    workspace.write_list("members", people(3, "kolmas"))
    code, _, quiet_screen = workspace.run_on_terminal("send", MONTH, "--list", "members", "--quiet")
    assert code == 0 and "ETA" not in quiet_screen, quiet_screen
