"""VERP: with `delivery.return_path` each message's envelope sender is `bounces+TOKEN@DOMAIN`,
TOKEN checked here against an independent implementation; From and Reply-To stay as they are."""

from __future__ import annotations

import email
from email import policy

from conftest import BASE_ENV
from inbox_mail import DOMAIN, verp_token

SECRET = BASE_ENV["TIEDOTE_UNSUBSCRIBE_SECRET"]
PEOPLE = [{"email": "aino.makela@example.fi", "name": "Aino"}, {"email": "Eero.Kettunen@Example.NET", "name": "Eero"}]


def set_verp_smtp(workspace, url: str, return_path: str = f"bounces@{DOMAIN}") -> None:
    workspace.set_section("delivery", "\n".join([
        "delivery:", "  transport: smtp", "  connections: 1", f"  return_path: {return_path}", "  smtp:", f"    url: {url}"]))


def test_each_message_has_its_own_signed_return_path(workspace, smtp_server):
    server = smtp_server()
    set_verp_smtp(workspace, server.url)
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", "2026-12", "--list", "members")
    assert result.returncode == 0, result.stderr
    senders = {}
    for entry, raw in server.messages():
        message = email.message_from_bytes(raw, policy=policy.default)
        senders[entry["rcpt_tos"][0].lower()] = entry["mail_from"]
        assert message["From"].addresses[0].addr_spec == "tuottajaverkosto@humak.example.fi"
        assert message["Reply-To"].addresses[0].addr_spec == "kulttuurituotanto@humak.example.fi"
    assert senders == {p["email"].lower(): f"bounces+{verp_token(SECRET, 'members', '2026-12', p['email'])}@{DOMAIN}"
                       for p in PEOPLE}
    assert all(len(s.split("@")[0]) <= 64 for s in senders.values())


def test_without_a_return_path_the_coordinator_is_the_envelope_sender(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE[:1])
    assert workspace.run("send", "2026-12", "--list", "members").returncode == 0
    assert [e["mail_from"] for e, _ in server.messages()] == ["tuottajaverkosto@humak.example.fi"]


def test_a_return_path_with_a_plus_is_refused_with_its_position(workspace):
    workspace.set_section("delivery", "delivery:\n  transport: outbox\n  return_path: bounces+x@example.fi")
    result = workspace.run("check")
    assert result.returncode == 1
    assert "tiedote.yml:" in result.stderr and "Tiedote adds +TOKEN itself" in result.stderr


def test_a_return_path_too_long_for_its_token_stops_the_send_before_anything_goes_out(workspace, smtp_server):
    server = smtp_server()
    set_verp_smtp(workspace, server.url, return_path="b" * 40 + f"@{DOMAIN}")
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", "2026-12", "--list", "members")
    assert result.returncode == 1
    assert "tiedote.yml:" in result.stderr and "longer than the 64 characters" in result.stderr
    assert server.index() == []
