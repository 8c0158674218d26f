"""Relay limits and several relays (issue 15): `tiedote send` against aiosmtpd relays on
127.0.0.1 that cap messages per connection or go away mid-send."""

from __future__ import annotations

import re
import threading

import pytest

from conftest import Misbehaviour
from smtp_server import GreetingRefuser

MONTH = "2026-12"


def people(count: int, prefix: str = "jasen") -> list[dict]:
    return [{"email": f"{prefix}{i}@example.fi", "name": f"Jäsen {i} Mäkelä"} for i in range(count)]


def journal_lines(workspace) -> list[list[str]]:
    text = workspace.read(f"Sent/{MONTH}--members.journal")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@pytest.mark.parametrize("per_connection", [4, 9])
def test_a_relay_capping_messages_per_connection(workspace, smtp_server, per_connection):
    """The relay answers 421 at the 7th MAIL FROM of a session. Below the cap Tiedote says QUIT
    first and never meets the 421; above it, the 421 closes the connection and the recipient
    is sent on a fresh one. Either way everyone gets exactly one message and nobody fails."""
    server = smtp_server(misbehaviour=Misbehaviour(messages_per_session=6))
    workspace.set_smtp(server.url, connections=2, messages_per_connection=per_connection)
    members = people(30)
    workspace.write_list("members", members)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.received_by() == {p["email"]: 1 for p in members}
    sessions = server.recorder.per_session.values()
    lines = journal_lines(workspace)
    assert not [fields for fields in lines if fields[1] == "failed"]
    if per_connection < 6:
        assert server.recorder.refused_past_cap == 0, "Tiedote reconnects before the relay's cap"
        assert max(sessions) <= per_connection
        assert not [fields for fields in lines if fields[1] == "deferred"]
    else:
        assert server.recorder.refused_past_cap > 0
        deferred = [fields for fields in lines if fields[1] == "deferred"]
        assert deferred and all(fields[3] == "421" for fields in deferred)
    # The one-relay form names its relay by its host.
    assert {fields[6] for fields in lines if fields[1] in ("attempting", "sent")} == {"127.0.0.1"}


def test_a_relay_that_goes_away_mid_send_leaves_the_rest_to_the_other(workspace, smtp_server):
    """Relay `oma` stops after its 5th message; `varalla` takes the rest. Everyone gets a
    message; only a message in flight at the stop may come twice (and is said uncertain); the
    journal names the relay that took each."""
    stopped = threading.Event()
    holder: dict = {}

    def stop_after(count: int) -> None:
        if count == 5 and not stopped.is_set():
            stopped.set()
            # From another thread: the server cannot stop itself inside its own handler.
            threading.Thread(target=holder["oma"].stop, daemon=True).start()

    oma = smtp_server(misbehaviour=Misbehaviour(after_message=stop_after))
    holder["oma"] = oma
    varalla = smtp_server()
    # The whole send at 10 a second: `oma` stops early in it, with most of the list still to go.
    workspace.set_relays([
        {"name": "oma", "url": oma.url, "connections": 2},
        {"name": "varalla", "url": varalla.url, "connections": 1},
    ], rate=600)
    members = people(40)
    workspace.write_list("members", members)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stdout + result.stderr
    assert stopped.is_set()
    got_oma, got_varalla = oma.received_by(), varalla.received_by()
    everyone = {p["email"] for p in members}
    assert set(got_oma) | set(got_varalla) == everyone
    assert len(got_oma) >= 5 and len(got_varalla) >= 20
    twice = {key for key in everyone if got_oma.get(key, 0) + got_varalla.get(key, 0) > 1}
    assert len(twice) <= 2, "at most one duplicate per connection of the relay that went away"
    for key in twice:
        assert re.search(rf"uncertain {re.escape(key)}", result.stdout), result.stdout
    sent_by = {fields[2]: fields[6] for fields in journal_lines(workspace) if fields[1] == "sent"}
    assert set(sent_by) == everyone
    assert {key for key, relay in sent_by.items() if relay == "varalla"} <= set(got_varalla)
    assert {key for key, relay in sent_by.items() if relay == "oma"} <= set(got_oma)
    assert set(sent_by.values()) == {"oma", "varalla"}


def test_check_reports_bad_relay_settings_where_they_stand(workspace):
    workspace.set_section("delivery", "\n".join([
        "delivery:",
        "  transport: smtp",
        "  relays:",
        "    - name: oma",
        "      url: smtp://127.0.0.1:2525",
        "      connections: 40",
        "    - name: oma",
        "      url: smtp://127.0.0.1:2526",
    ]))
    result = workspace.run("check")
    assert result.returncode == 1
    text = workspace.read("tiedote.yml").splitlines()
    line = next(i for i, l in enumerate(text, 1) if "connections: 40" in l)
    assert f"tiedote.yml:{line}:20: error: delivery.relays[0].connections must be between 1 and 32, not 40" in result.stderr, result.stderr
    assert "delivery.relays[1].name 'oma' is already the name of the relay" in result.stderr


def test_a_relay_answering_421_at_the_greeting_rests_and_the_other_takes_everyone(workspace, smtp_server):
    """`taynna` greets every connection with 421 (no room for another session): nobody is
    failed, the journal keeps the 421 as a deferral, and `varalla` delivers to everyone once."""
    full = GreetingRefuser().start()
    try:
        varalla = smtp_server()
        workspace.set_relays([
            {"name": "taynna", "url": full.url, "connections": 2},
            {"name": "varalla", "url": varalla.url, "connections": 1},
        ])
        members = people(20)
        workspace.write_list("members", members)
        result = workspace.run("send", MONTH, "--list", "members")
    finally:
        full.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert varalla.received_by() == {p["email"]: 1 for p in members}
    lines = journal_lines(workspace)
    refused = [fields for fields in lines if fields[6] == "taynna" and fields[1] != "attempting"]
    assert full.connections > 0 and refused
    assert all(fields[1] == "deferred" and fields[3] == "421" for fields in refused), refused
    assert not [fields for fields in lines if fields[1] == "failed"]


def test_connections_on_the_command_line_set_each_relay_without_its_own(workspace, smtp_server):
    """`send --connections 3` is the default of every relay without `connections:` of its own
    (here `varalla`, which opens more than one session and never more than three), while a
    relay's own `connections: 1` still holds (`oma`: one session at a time)."""
    oma, varalla = smtp_server(), smtp_server()
    workspace.set_relays([
        {"name": "oma", "url": oma.url, "connections": 1},
        {"name": "varalla", "url": varalla.url},
    ], connections=1)
    members = people(120)
    workspace.write_list("members", members)
    result = workspace.run("send", MONTH, "--list", "members", "--connections", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    got_oma, got_varalla = oma.received_by(), varalla.received_by()
    assert not set(got_oma) & set(got_varalla)
    assert {**got_oma, **got_varalla} == {p["email"]: 1 for p in members}
    assert oma.sessions.peak == 1
    assert 2 <= varalla.sessions.peak <= 3, varalla.sessions.peak
