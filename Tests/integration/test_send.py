"""`tiedote send` and `tiedote status` against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import re
import signal
import time
from email import policy

import pytest

from conftest import Misbehaviour

MONTH = "2026-12"
COORDINATOR_NAME = "Humak, kulttuurituotannon tutkinto-ohjelma"   # on duty in 2026-12
COORDINATOR_EMAIL = "tuottajaverkosto@humak.example.fi"
LIST_TITLE = "Keski-Suomen tuottajaverkoston uutiskirje"
MARKER = "Testikappale: äöå ÄÖÅ, Jyväskylä – tervetuloa! 🎉"

PEOPLE = [
    {"email": "aino.makela@example.fi", "name": "Aino Mäkelä", "municipality": "Jyväskylä"},
    {"email": "asa.ohman@example.org", "name": "Åsa Öhman-Järvinen 🎻", "municipality": "Jämsä"},
    {"email": "Juha.Jaaskelainen@Example.COM", "name": "Juha Jääskeläinen", "municipality": "Äänekoski"},
    {"email": "noname@example.fi", "name": ""},
    {"email": "eero@example.net", "name": "Eero \"Eki\" Kettunen, tuottaja", "municipality": "Laukaa"},
]


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def people(count: int, prefix: str = "jasen") -> list[dict]:
    return [{"email": f"{prefix}{i}@example.fi", "name": f"Jäsen {i} Mäkelä"} for i in range(count)]


def status_counts(output: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(recipients|sent|failed|pending|uncertain)\s+(\d+)$", output, re.M)}


def status_keys(output: str, state: str) -> set[str]:
    return {m.group(1) for m in re.finditer(rf"^  {state}\s+(\S+)", output, re.M)}


def plain_server(smtp_server, **kwargs):
    return smtp_server(**kwargs)


def test_plain_smtp_finnish_headers_and_bodies_read_back(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    subject = ("Joulukuun uutiskirje: tuottajakahvit Villa Ranassa, tuottajapäivät Jyväskylässä, "
               "glögit Laukaassa ja vuoden viimeiset työpajat Äänekoskella 🎄✨ – tervetuloa mukaan!")
    workspace.set_issue_field(MONTH, "subject", '"' + subject.replace('"', '\\"') + '"')
    workspace.append_issue_text(MONTH, MARKER)
    workspace.write_list("members", PEOPLE)

    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stderr
    assert "finished" in result.stdout

    assert "EHLO tuottajaverkosto.example.fi" in server.recorder.commands
    messages = server.messages()
    assert sorted(e["rcpt_tos"][0].lower() for e, _ in messages) == sorted(p["email"].lower() for p in PEOPLE)
    for entry, raw in messages:
        assert all(b < 128 for b in raw), "everything on the wire is 7-bit"
        assert entry["mail_from"] == COORDINATOR_EMAIL
        person = next(p for p in PEOPLE if p["email"].lower() == entry["rcpt_tos"][0].lower())
        m = parse(raw)
        assert not m.defects
        assert str(m["subject"]) == subject
        assert len(re.findall(rb"=\?utf-8\?Q\?", raw.split(b"\r\n\r\n")[0])) >= 3, "a long subject needs several encoded words"
        for word in re.findall(rb"=\?utf-8\?Q\?[^?]*\?=", raw):
            assert len(word) <= 75
        assert m["from"].addresses[0].display_name == COORDINATOR_NAME
        assert m["from"].addresses[0].addr_spec == COORDINATOR_EMAIL
        assert m["to"].addresses[0].display_name == person["name"]
        assert m["to"].addresses[0].addr_spec.lower() == person["email"].lower()
        assert str(m["list-id"]) == f"{LIST_TITLE} <members.tuottajaverkosto.example.fi>"
        unsubscribe = str(m["list-unsubscribe"])
        assert re.fullmatch(r"<mailto:peru@tuottajaverkosto\.example\.fi\?subject=unsubscribe%20\S+>, "
                            r"<https://tuottajaverkosto\.example\.fi/peru\?t=\S+>", unsubscribe), unsubscribe
        assert str(m["list-unsubscribe-post"]) == "List-Unsubscribe=One-Click"
        assert re.fullmatch(r"<2026-12\.members\.[0-9a-f]{16}@tuottajaverkosto\.example\.fi>", str(m["message-id"]))
        assert re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                            r"\d{4} \d\d:\d\d:\d\d \+0[23]00", str(m["date"])), str(m["date"])
        assert m.get_content_type() == "multipart/alternative"
        parts = [p for p in m.walk() if not p.is_multipart()]
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
        for part in parts:
            assert part.get_content_charset() == "utf-8"
            assert part["content-transfer-encoding"] == "quoted-printable"
        text, html = parts[0].get_content(), parts[1].get_content()
        assert MARKER in text
        assert MARKER in html
        first = person["name"].split(" ")[0] if person["name"] else None
        if first and first.isalpha():
            assert f"Hei {first}!" in text
        for line in raw.split(b"\r\n"):
            assert b"\n" not in line and b"\r" not in line, "CRLF line ends only"
    # The same Message-ID on a second look, and the journal agrees with the server.
    status = workspace.run("status", MONTH, "--list", "members")
    assert status.returncode == 0, status.stderr
    assert status_counts(status.stdout) == {"recipients": 5, "sent": 5, "failed": 0, "pending": 0, "uncertain": 0}

    again = workspace.run("send", MONTH, "--list", "members")
    assert again.returncode == 0, again.stderr
    assert len(server.messages()) == 5, "a second run sends nothing more"


def test_dry_run_and_test_copy_send_no_list_mail(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    dry = workspace.run("send", MONTH, "--list", "members", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: 5 messages" in dry.stdout
    assert server.recorder.commands == []
    assert not (workspace.root / "Sent").exists()

    copy = workspace.run("send", MONTH, "--list", "members", "--to", "koe@example.fi")
    assert copy.returncode == 0, copy.stderr
    assert [e["rcpt_tos"] for e in server.index()] == [["koe@example.fi"]]
    assert not (workspace.root / "Sent").exists(), "a test copy writes no journal"


def test_segment_sends_to_its_members_only_and_the_rest_later(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", MONTH, "--list", "members", "--segment", "municipality=Jämsä,Laukaa")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.received_by() == {"asa.ohman@example.org": 1, "eero@example.net": 1}
    # The whole list afterwards: the segment's members are not mailed twice.
    rest = workspace.run("send", MONTH, "--list", "members")
    assert rest.returncode == 0, rest.stdout + rest.stderr
    assert server.received_by() == {p["email"].lower(): 1 for p in PEOPLE}


def test_test_copy_to_a_suppressed_address_is_refused(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    (workspace.root / "Lists" / "suppressed.csv").write_text(
        "email,reason,at\r\npoissa@example.fi,unsubscribed,2026-10-01T00:00:00Z\r\n", encoding="utf-8")
    result = workspace.run("send", MONTH, "--list", "members", "--to", "Poissa@Example.fi")
    assert result.returncode != 0
    assert "never mailed" in result.stderr
    assert server.recorder.commands == [], "nothing reached the server"


def test_a_remote_relay_hidden_behind_a_loopback_fragment_is_refused(workspace, smtp_server):
    server = smtp_server()   # plain, on loopback
    workspace.write_list("members", PEOPLE[:1])
    disguised = server.url.replace("smtp://", "smtp://192.0.2.1:25#@")
    result = workspace.run("send", MONTH, "--list", "members", "--smtp", disguised)
    assert result.returncode != 0
    assert "scheme://host:port" in result.stderr or "user name" in result.stderr
    assert server.recorder.commands == []


def test_starttls_required_with_private_ca(workspace, smtp_server, tls_cert):
    server = smtp_server(starttls=tls_cert, require_starttls=True)
    workspace.set_smtp(server.url, tls="required", ca_file=str(tls_cert[0]))
    workspace.write_list("members", PEOPLE[:2])
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stderr
    assert len(server.index()) == 2
    assert all(entry["tls"] for entry in server.index())


def test_smtps_with_private_ca(workspace, smtp_server, tls_cert):
    server = smtp_server(implicit_tls=tls_cert)
    assert server.url.startswith("smtps://")
    workspace.set_smtp(server.url, ca_file=str(tls_cert[0]))
    workspace.write_list("members", PEOPLE[:2])
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stderr
    assert len(server.index()) == 2


def test_starttls_with_unknown_certificate_is_refused(workspace, smtp_server, tls_cert):
    server = smtp_server(starttls=tls_cert, require_starttls=True)
    workspace.set_smtp(server.url, tls="required")
    workspace.write_list("members", PEOPLE[:2])
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode != 0
    assert "ca_file" in result.stderr
    assert server.index() == []


def test_refuses_to_send_in_clear_when_tls_is_required(workspace, smtp_server):
    server = smtp_server()   # offers no STARTTLS
    workspace.set_smtp(server.url, tls="required")
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode != 0
    assert "STARTTLS" in result.stderr
    assert not [c for c in server.recorder.commands if c.startswith(("MAIL", "RCPT"))], "no envelope in clear"
    assert server.index() == []
    status = workspace.run("status", MONTH, "--list", "members")
    assert status_counts(status.stdout)["pending"] == 5


@pytest.mark.parametrize("password, ok", [("oikea salasana ☃", True), ("väärä", False)])
def test_auth_password_from_environment(workspace, smtp_server, password, ok):
    server = smtp_server(auth={"tiedote": "oikea salasana ☃"})
    workspace.set_smtp(server.url, username="tiedote", password_env="TIEDOTE_SMTP_PASSWORD")
    workspace.write_list("members", PEOPLE[:3])
    result = workspace.run("send", MONTH, "--list", "members", env={"TIEDOTE_SMTP_PASSWORD": password})
    assert password not in result.stdout + result.stderr, "the password is never printed"
    if ok:
        assert result.returncode == 0, result.stderr
        assert len(server.index()) == 3
        assert all(entry["auth"] for entry in server.index())
    else:
        assert result.returncode != 0
        assert "refused the user name or password" in result.stderr
        assert server.index() == []


def test_missing_password_is_reported_before_connecting(workspace, smtp_server):
    server = smtp_server(auth={"tiedote": "x"})
    workspace.set_smtp(server.url, username="tiedote", password_env="TIEDOTE_SMTP_PASSWORD")
    workspace.write_list("members", PEOPLE[:1])
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode != 0
    assert "TIEDOTE_SMTP_PASSWORD" in result.stderr
    assert server.recorder.commands == []


def test_451_is_retried_in_the_same_run(workspace, smtp_server):
    server = smtp_server(misbehaviour=Misbehaviour(defer_once={"asa.ohman@example.org"}))
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.received_by() == {p["email"].lower(): 1 for p in PEOPLE}
    journal = workspace.read(f"Sent/{MONTH}--members.journal")
    assert re.search(r"\tdeferred\tasa\.ohman@example\.org\t451\t", journal)
    assert re.search(r"\tsent\tasa\.ohman@example\.org\t250\t", journal)


def test_421_closes_the_connection_and_the_message_is_sent_after_reconnecting(workspace, smtp_server):
    victim = "aino.makela@example.fi"
    server = smtp_server(misbehaviour=Misbehaviour(shutdown_once={victim}))
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.received_by() == {p["email"].lower(): 1 for p in PEOPLE}
    assert re.search(r"\tdeferred\taino\.makela@example\.fi\t421\t", workspace.read(f"Sent/{MONTH}--members.journal"))


def test_550_fails_the_recipient_and_suppresses_it_as_bounced(workspace, smtp_server):
    bad = "noname@example.fi"
    server = smtp_server(misbehaviour=Misbehaviour(reject={bad}))
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 1
    assert f"failed {bad}: 550" in result.stdout
    assert "221" not in result.stdout, "the reply kept is the 550, not the goodbye after it"
    assert sorted(server.received_by()) == sorted(p["email"].lower() for p in PEOPLE if p["email"] != bad)
    suppressed = workspace.read("Lists/suppressed.csv").splitlines()
    assert suppressed[0] == "email,reason,at"
    assert any(re.fullmatch(rf"{re.escape(bad)},bounced,\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ", line) for line in suppressed)
    status = workspace.run("status", MONTH, "--list", "members")
    assert status_counts(status.stdout)["failed"] == 1
    assert status_keys(status.stdout, "failed") == {bad}
    # Next run: the bounced address is suppressed, nothing else is owed.
    again = workspace.run("send", MONTH, "--list", "members")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(server.index()) == 4


def test_a_bounce_journaled_by_a_stopped_run_is_suppressed_on_the_next(workspace, smtp_server):
    bad = "noname@example.fi"
    server = smtp_server(misbehaviour=Misbehaviour(reject={bad}))
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    workspace.run("send", MONTH, "--list", "members")
    # As if the run had been killed after journaling the 550 but before its summary.
    (workspace.root / "Lists" / "suppressed.csv").write_text("email,reason,at\r\n", encoding="utf-8")
    again = workspace.run("send", MONTH, "--list", "members")
    assert again.returncode == 0, again.stdout + again.stderr
    assert re.search(rf"^{re.escape(bad)},bounced,", workspace.read("Lists/suppressed.csv"), re.M)
    assert len(server.index()) == 4, "nobody got a second copy"


@pytest.mark.parametrize("tls", [False, True])
def test_dropped_connection_mid_data_is_reconnected_without_loss(workspace, smtp_server, tls_cert, tls):
    victim = "juha.jaaskelainen@example.com"
    if tls:
        server = smtp_server(misbehaviour=Misbehaviour(drop_in_data_once={victim}), starttls=tls_cert,
                             require_starttls=True)
        workspace.set_smtp(server.url, tls="required", ca_file=str(tls_cert[0]))
    else:
        server = smtp_server(misbehaviour=Misbehaviour(drop_in_data_once={victim}))
        workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.received_by() == {p["email"].lower(): 1 for p in PEOPLE}
    assert server.misbehaviour.dropped == {victim}
    status = workspace.run("status", MONTH, "--list", "members")
    counts = status_counts(status.stdout)
    assert counts["sent"] == 5 and counts["pending"] == 0
    # The whole message had gone out when the connection broke: status names it.
    assert status_keys(status.stdout, "uncertain") == {victim}


def test_the_attempt_is_journaled_before_the_server_can_take_the_message(workspace, smtp_server):
    journal = workspace.root / "Sent" / f"{MONTH}--members.journal"
    server = smtp_server(misbehaviour=Misbehaviour(journal=journal))
    workspace.set_smtp(server.url, connections=2)
    workspace.write_list("members", PEOPLE)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.misbehaviour.journal_at_data == {p["email"].lower(): "attempting" for p in PEOPLE}


@pytest.mark.parametrize("rate", ["6000/min", None])
def test_kill_9_mid_send_then_rerun_reaches_everyone(workspace, smtp_server, rate):
    connections = 2
    server = smtp_server()
    workspace.set_smtp(server.url, connections=connections)
    everyone = people(1000)
    workspace.write_list("members", everyone)
    # With a rate limit each outcome is flushed at once; without, it rides on the next attempt.
    limit = ["--rate", rate] if rate else []
    process = workspace.popen("send", MONTH, "--list", "members", *limit)
    try:
        assert server.wait_for(250, timeout=120), "the send got going"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    at_kill = len(server.index())
    assert at_kill < 1000, "killed in the middle"
    between = workspace.run("status", MONTH, "--list", "members")
    assert status_counts(between.stdout)["uncertain"] <= connections

    rerun = workspace.run("send", MONTH, "--list", "members")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    received = server.received_by()
    assert set(received) == {p["email"] for p in everyone}, "every recipient received at least one"
    duplicates = {address for address, count in received.items() if count > 1}
    assert len(duplicates) <= connections
    assert all(count <= 2 for count in received.values())
    status = workspace.run("status", MONTH, "--list", "members")
    counts = status_counts(status.stdout)
    assert counts["sent"] == 1000 and counts["pending"] == 0 and counts["failed"] == 0
    assert duplicates <= status_keys(status.stdout, "uncertain"), "status names every duplicate"
    assert counts["uncertain"] <= connections
    print(f"killed after {at_kill} messages; {len(duplicates)} duplicate(s); status uncertain: {counts['uncertain']}")


def test_edited_list_between_runs(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    first = people(6)
    workspace.write_list("members", first)
    assert workspace.run("send", MONTH, "--list", "members").returncode == 0
    edited = first[2:] + people(3, prefix="uusi")
    workspace.write_list("members", edited)
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stderr
    received = server.received_by()
    assert set(received) == {p["email"] for p in first + edited}
    assert all(count == 1 for count in received.values())


@pytest.mark.parametrize("row", [
    '"evil@example.fi\r\nRCPT TO:<victim@example.fi>",Eve,,,fi,lomake,2025-01-15',
    '"evil@example.fi\nBcc: victim@example.fi",Eve,,,fi,lomake,2025-01-15',
    'evil@example.fi,"Eve\r\nBcc: victim@example.fi",,,fi,lomake,2025-01-15',
    'evil@example.fi,"Eve\nX-Injected: yes",,,fi,lomake,2025-01-15',
    '"evil@example.fi>, <victim@example.fi",Eve,,,fi,lomake,2025-01-15',
])
def test_injection_in_the_list_is_rejected_before_any_byte(workspace, smtp_server, row):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE + [row])
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode != 0
    assert "error" in result.stderr
    assert server.recorder.commands == [], "nothing reached the server"
    assert not (workspace.root / "Sent" / f"{MONTH}--members.journal").exists() or \
        "sent" not in workspace.read(f"Sent/{MONTH}--members.journal")


@pytest.mark.parametrize("where, value", [
    ("subject", '"Uutiskirje\\r\\nBcc: victim@example.fi"'),
    ("subject", '"Uutiskirje\\nX-Injected: yes"'),
    ("coordinator-name", '"Humak\\r\\nBcc: victim@example.fi"'),
])
def test_injection_in_headers_is_rejected_before_any_byte(workspace, smtp_server, where, value):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    if where == "subject":
        workspace.set_issue_field(MONTH, "subject", value)
    else:
        path = workspace.root / "tiedote.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"name: {COORDINATOR_NAME}", f"name: {value}", 1), encoding="utf-8")
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode != 0
    assert "line break" in result.stderr
    assert server.recorder.commands == [], "nothing reached the server"
