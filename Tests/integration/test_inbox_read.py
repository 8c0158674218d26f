"""`tiedote inbox --read`: .eml files, Maildir folders and mbox files, the actions on the
workspace (suppression list, Sent/bounces.csv) and the report, checked with Python's csv."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import BASE_ENV
from inbox_mail import auto_reply, dsn, unknown_mail, unsubscribe_mail, unsubscribe_token, verp_token, DOMAIN

SECRET = BASE_ENV["TIEDOTE_UNSUBSCRIBE_SECRET"]
MEMBER = "aino.makela@example.fi"
OTHER = "juha.jaaskelainen@example.fi"


def suppressed(ws) -> dict[str, str]:
    path = ws.root / "Lists" / "suppressed.csv"
    if not path.exists():
        return {}
    return {row["email"]: row["reason"] for row in csv.DictReader(io.StringIO(path.read_text()))}


def bounces(ws) -> list[dict]:
    path = ws.root / "Sent" / "bounces.csv"
    return list(csv.DictReader(io.StringIO(path.read_text()))) if path.exists() else []


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def report(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_hard_bounce_suppresses_and_reports_csv(workspace, tmp_path):
    before = suppressed(workspace)
    path = write(tmp_path, "bounce.eml", dsn(MEMBER))
    result = workspace.run("inbox", "--read", path, "--report", "csv")
    assert result.stdout.splitlines()[0] == "source,address,kind,action"
    assert report(result) == [{"source": "bounce.eml", "address": MEMBER, "kind": "hard", "action": "suppressed"}]
    assert suppressed(workspace) == {**before, MEMBER: "bounced"}
    assert [(b["address"], b["kind"], b["send"], b["status"]) for b in bounces(workspace)] == [
        (MEMBER, "hard", "2026-12/members", "5.1.1")]
    status = workspace.run("status", "2026-12", "--list", "members")
    assert "bounced     1 hard, 0 soft" in status.stdout, status.stdout + status.stderr
    stats = workspace.run("lists", "stats", "members")
    assert "Bounces (Sent/bounces.csv): 1 hard, 0 soft only" in stats.stdout


def test_dry_run_changes_nothing(workspace, tmp_path):
    before = (workspace.root / "Lists" / "suppressed.csv").read_bytes() if (workspace.root / "Lists" / "suppressed.csv").exists() else None
    paths = [write(tmp_path, "a.eml", dsn(MEMBER)), write(tmp_path, "b.eml", dsn(OTHER, action="delayed", status="4.4.1")),
             write(tmp_path, "c.eml", unsubscribe_mail(OTHER, "peru"))]
    rows = report(workspace.run("inbox", "--read", *paths, "--dry-run", "--report", "csv"))
    assert [(r["address"], r["kind"], r["action"]) for r in rows] == [
        (MEMBER, "hard", "would-suppress"), (OTHER, "soft", "would-count 1/3"), (OTHER, "unsubscribe", "would-suppress")]
    after = (workspace.root / "Lists" / "suppressed.csv").read_bytes() if (workspace.root / "Lists" / "suppressed.csv").exists() else None
    assert after == before
    assert not (workspace.root / "Sent" / "bounces.csv").exists()


def test_an_address_on_no_list_is_reported_never_suppressed(workspace, tmp_path):
    before = suppressed(workspace)
    rows = report(workspace.run("inbox", "--read", write(tmp_path, "x.eml", dsn("stranger@example.net")), "--report", "csv"))
    assert rows == [{"source": "x.eml", "address": "stranger@example.net", "kind": "hard", "action": "not-on-list"}]
    assert suppressed(workspace) == before
    assert bounces(workspace) == []


def test_soft_bounces_suppress_after_three_different_sends(workspace, tmp_path):
    same = [write(tmp_path, f"same{i}.eml", dsn(MEMBER, action="delayed", status="4.4.1", send="2026-12.members",
                                                 boundary=f"b{i}")) for i in range(3)]
    rows = report(workspace.run("inbox", "--read", *same, "--report", "csv"))
    assert [r["action"] for r in rows] == ["counted 1/3"] * 3
    assert MEMBER not in suppressed(workspace)
    later = [write(tmp_path, f"later{m}.eml", dsn(MEMBER, action="failed", status="4.2.2", send=f"2027-0{m}.members"))
             for m in (1, 2)]
    rows = report(workspace.run("inbox", "--read", *later, "--report", "csv"))
    assert [r["action"] for r in rows] == ["counted 2/3", "suppressed"]
    assert suppressed(workspace)[MEMBER] == "bounced"
    assert {b["send"] for b in bounces(workspace)} == {"2026-12/members", "2027-01/members", "2027-02/members"}


def test_the_soft_bounce_limit_comes_from_tiedote_yml(workspace, tmp_path):
    workspace.set_section("inbox", "inbox:\n  soft_bounce_limit: 1")
    rows = report(workspace.run("inbox", "--read", write(tmp_path, "s.eml", dsn(MEMBER, action="delayed", status="4.0.0")),
                                "--report", "csv"))
    assert rows[0]["action"] == "suppressed"


def test_rereading_the_same_files_counts_nothing_twice(workspace, tmp_path):
    path = write(tmp_path, "soft.eml", dsn(MEMBER, action="delayed", status="4.4.1"))
    workspace.run("inbox", "--read", path)
    workspace.run("inbox", "--read", path)
    assert len(bounces(workspace)) == 1


def test_unsubscribes_by_token_and_by_subscriber(workspace, tmp_path):
    token = unsubscribe_token(SECRET, "members", MEMBER)
    paths = [write(tmp_path, "token.eml", unsubscribe_mail("someone.else@example.net", f"unsubscribe {token}")),
             write(tmp_path, "sub.eml", unsubscribe_mail(f"Juha <{OTHER.upper()}>", "Peru tilaus")),
             write(tmp_path, "forged.eml", unsubscribe_mail("x@example.net", f"unsubscribe {token[:-3]}abc")),
             write(tmp_path, "auto.eml", auto_reply(MEMBER)),
             write(tmp_path, "other.eml", unknown_mail("x@example.net"))]
    rows = report(workspace.run("inbox", "--read", *paths, "--report", "csv"))
    assert [(r["source"], r["address"], r["kind"], r["action"]) for r in rows] == [
        ("token.eml", MEMBER, "unsubscribe", "suppressed"),
        ("sub.eml", OTHER, "unsubscribe", "suppressed"),
        ("forged.eml", "x@example.net", "unknown", "none"),
        ("auto.eml", MEMBER, "auto-reply", "none"),
        ("other.eml", "x@example.net", "unknown", "none")]
    assert suppressed(workspace)[MEMBER] == "unsubscribed"
    assert suppressed(workspace)[OTHER] == "unsubscribed"


def test_reads_a_maildir_and_an_mbox(workspace, tmp_path):
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1.host").write_bytes(dsn(MEMBER))
    (maildir / "cur" / "2.host:2,S").write_bytes(auto_reply(OTHER))
    mbox = tmp_path / "export.mbox"
    body = unknown_mail("x@example.net").replace(b"Hei, kysyisin", b"From the start\r\n>From quoted")
    mbox.write_bytes(b"From MAILER-DAEMON Tue Dec  1 09:00:00 2026\n" + dsn(OTHER).replace(b"\r\n", b"\n")
                     + b"\nFrom x@example.net Tue Dec  1 10:00:00 2026\n" + body.replace(b"\r\n", b"\n").replace(b"From the", b">From the"))
    rows = report(workspace.run("inbox", "--read", str(maildir), str(mbox), "--report", "csv"))
    assert [(r["source"], r["address"], r["kind"]) for r in rows] == [
        ("1.host", MEMBER, "hard"), ("2.host:2,S", OTHER, "auto-reply"),
        ("export.mbox#1", OTHER, "hard"), ("export.mbox#2", "x@example.net", "unknown")]


def test_verp_attributes_a_bounce_whose_report_names_another_address(workspace, tmp_path):
    workspace.set_section("delivery", f"delivery:\n  transport: outbox\n  return_path: bounces@{DOMAIN}")
    token = verp_token(SECRET, "members", "2026-12", MEMBER)
    message = dsn("forwarded@elsewhere.example.net", to=f"bounces+{token}@{DOMAIN}")
    rows = report(workspace.run("inbox", "--read", write(tmp_path, "verp.eml", message), "--report", "csv"))
    assert rows == [{"source": "verp.eml", "address": MEMBER, "kind": "hard", "action": "suppressed"}]


def test_text_report_and_bad_paths(workspace, tmp_path):
    result = workspace.run("inbox", "--read", write(tmp_path, "b.eml", dsn(MEMBER)), "--dry-run")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == f"b.eml  {MEMBER}  hard  would-suppress"
    assert "1 message: 1 hard, 0 soft, 0 unsubscribe, 0 auto-reply, 0 unknown (dry run: nothing changed)" in result.stdout
    missing = workspace.run("inbox", "--read", str(tmp_path / "nope.eml"))
    assert missing.returncode == 1
    assert "nope.eml:1:1: error: no such file or folder" in missing.stderr
    folder = tmp_path / "plain"
    folder.mkdir()
    assert "not a Maildir" in workspace.run("inbox", "--read", str(folder)).stderr


def test_without_imap_settings_it_says_what_to_set(workspace):
    result = workspace.run("inbox")
    assert result.returncode == 1
    assert "set inbox.imap.url in tiedote.yml, or give --read" in result.stderr


def test_ten_thousand_recipients_in_one_report(workspace, tmp_path):
    people = [f"jasen{i}@example.com" for i in range(10_000)]
    workspace.write_list("iso", [{"email": p} for p in people])
    report_path = write(tmp_path, "huge.eml", dsn(people[0], extra_recipients=people[1:] + ["outsider@example.net"]))
    result = workspace.run("inbox", "--read", report_path, "--report", "csv")
    got = report(result)
    assert len(got) == 10_001
    assert sum(r["action"] == "suppressed" for r in got) == 10_000
    assert got[-1] == {"source": "huge.eml", "address": "outsider@example.net", "kind": "hard", "action": "not-on-list"}
    assert sum(reason == "bounced" for reason in suppressed(workspace).values()) >= 10_000
    assert len(bounces(workspace)) == 10_000
    # Once more: everything is already there.
    again = report(workspace.run("inbox", "--read", report_path, "--report", "csv"))
    assert sum(r["action"] == "already-suppressed" for r in again) == 10_000
    assert len(bounces(workspace)) == 10_000
