"""Messages made while their connection opens (issue 15's latency rows): a message that cannot
be made is never taken, and a template the first recipient cannot get stops the send before
any MAIL FROM."""

from __future__ import annotations

from pathlib import Path

from test_send import MONTH, status_counts

LOCAL_EVENT_LINE = "- **{{#status_text}}{{status_text}}: {{/status_text}}{{title}}** – {{when}}, {{venue}}"


def break_local_events(root: Path) -> None:
    """Puts a placeholder that names nothing inside the recipient's own events: only the
    variants of municipalities with events this month fail to render."""
    path = root / "Templates" / "newsletter.md"
    text = path.read_text(encoding="utf-8")
    assert LOCAL_EVENT_LINE in text
    path.write_text(text.replace(LOCAL_EVENT_LINE, LOCAL_EVENT_LINE + " {{ei_tallaista_kenttaa}}"), encoding="utf-8")


def test_a_variant_that_cannot_be_made_is_never_taken_and_stays_pending(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    break_local_events(workspace.root)
    # The first renders (no municipality: no local events), so the send starts; Jyväskylä and
    # Laukaa have events in 2026-12, Multia has none.
    fine = [{"email": f"ok{i}@example.fi", "name": f"Hyvä {i}", "municipality": m}
            for i, m in enumerate(["", "Multia", "", "Multia", "", "Multia"])]
    broken = [{"email": f"rikki{i}@example.fi", "name": f"Rikki {i}", "municipality": m}
              for i, m in enumerate(["Jyväskylä", "Laukaa", "Jyväskylä"])]
    rows = [fine[0], broken[0], fine[1], fine[2], broken[1], fine[3], fine[4], broken[2], fine[5]]
    workspace.write_list("members", rows)

    result = workspace.run("send", MONTH, "--list", "members", "--connections", "4")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pending: 3" in result.stdout, result.stdout

    received = server.received_by()
    assert received == {row["email"]: 1 for row in fine}
    # The envelope of a broken message may have gone out while it was being made; its end of
    # data never did, so the relay has nothing of it.
    assert not any(row["email"] in received for row in broken)
    journal = next((workspace.root / "Sent").glob("*.journal")).read_text(encoding="utf-8")
    for row in broken:
        assert any(row["email"] in line and "\tdeferred\t" in line and "not rendered" in line
                   for line in journal.splitlines()), journal
    status = workspace.run("status", MONTH, "--list", "members")
    assert status_counts(status.stdout)["sent"] == len(fine)
    assert status_counts(status.stdout)["pending"] == len(broken)

    # Fixed, the same command sends only the three left.
    (workspace.root / "Templates" / "newsletter.md").write_text(
        (Path(__file__).resolve().parents[2] / "Templates" / "newsletter.md").read_text(encoding="utf-8"), encoding="utf-8")
    again = workspace.run("send", MONTH, "--list", "members", "--connections", "4")
    assert again.returncode == 0, again.stdout + again.stderr
    assert server.received_by() == {row["email"]: 1 for row in rows}


def test_a_template_the_first_recipient_cannot_get_stops_the_send_before_any_mail_from(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    break_local_events(workspace.root)
    workspace.write_list("members", [
        {"email": f"jasen{i}@example.fi", "name": f"Jäsen {i}", "municipality": "Jyväskylä" if i == 0 else ""}
        for i in range(8)])

    result = workspace.run("send", MONTH, "--list", "members", "--connections", "4")
    assert result.returncode != 0
    assert "ei_tallaista_kenttaa" in result.stderr, result.stderr
    assert server.index() == []
    assert not [command for command in server.recorder.commands if command.startswith(("MAIL", "RCPT"))]
