"""End-to-end tests of `tiedote publish kalenteri` against the Linked Events stand-in
(`linkedevents_standin.py`) on 127.0.0.1: creates, reruns, edits, cancellations, a kill -9
between the POST and the journal, refusals with field errors, and retried 503s.

The events are dated from today, so the stand-in's "no end in the past" rule never bites."""

from __future__ import annotations

import os
import re
import signal
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from linkedevents_standin import LinkedEventsStandIn  # noqa: E402

KEY = "kalenteri-test-key-5f2c9a"
PLACES = {"kskalenteri:villa-rana", "kskalenteri:internet"}
KEYWORDS = {"yso:p4952", "yso:p1808"}


def day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


def event_text(title: str, start: str, end: str | None = None, *, status: str = "scheduled",
               short: str = "Tuottajat tapaavat & juttelevat.", extra: str = "") -> str:
    lines = ["---", f'title: "{title}"', f"start: {start}"]
    if end:
        lines.append(f"end: {end}")
    lines += ["venue: Villa Rana", 'address: "Kauppakatu 1, 40100 Jyväskylä"', "municipality: Jyväskylä",
              "category: Tuottajakahvit", f'short: "{short}"', "price: Maksuton", f"status: {status}"]
    if extra:
        lines.append(extra)
    lines += ["---", "## Ohjelma", "", "Keskustelua **jaksamisesta**.", "", "---", "", "1. alustus", "2. kahvit", ""]
    return "\n".join(lines)


@pytest.fixture
def standin():
    server = LinkedEventsStandIn(KEY, PLACES, KEYWORDS).start()
    yield server
    server.stop()


@pytest.fixture
def ws(workspace, standin):
    """The sample workspace with three future events and the stand-in as its calendar."""
    for path in (workspace.root / "Events").iterdir():
        path.unlink()
    for index in range(3):
        start = day(30 + index)
        (workspace.root / "Events" / f"{start}-kahvit-{index}.md").write_text(
            event_text(f"Tuottajakahvit {index}", f"{start}T14:00", f"{start}T16:00"), "utf-8")
    text = (workspace.root / "tiedote.yml").read_text("utf-8")
    text = re.sub(r"    api_url: .*\n", f"    api_url: {standin.base}\n", text)
    text = text.replace("Tuottajakahvit: yso:p4952", "Tuottajakahvit: yso:p4952")
    (workspace.root / "tiedote.yml").write_text(text, "utf-8")
    return workspace


def publish(ws, *args, key=KEY):
    env = {"TIEDOTE_KALENTERI_API_KEY": key} if key else {}
    return ws.run("publish", "kalenteri", *args, env=env)


def writes(standin, since=0):
    return [r for r in standin.requests[since:] if r["method"] != "GET"]


def test_first_publish_creates_each_event_and_a_rerun_sends_nothing(ws, standin):
    result = publish(ws)
    assert result.returncode == 0, result.stderr
    assert [r["method"] for r in standin.requests] == ["POST"] * 3
    assert sorted(e["name"]["fi"] for e in standin.live()) == [f"Tuottajakahvit {i}" for i in range(3)]
    assert all(e["event_status"] == "EventScheduled" for e in standin.live())
    # Headings became <p><strong>, the hr is gone, the list lost nothing: nothing was escaped.
    sent = standin.requests[0]["body"]["description"]["fi"]
    assert standin.live()[0]["description"]["fi"] == sent
    assert "<p><strong>Ohjelma</strong></p>" in sent and "<hr" not in sent and "<h2" not in sent
    assert "3 created" in result.stdout
    journal = ws.read("Sent/kalenteri.journal")
    assert journal.count("\tintent\t") == 3 and journal.count("\tcreated\t") == 3

    before = len(standin.requests)
    again = publish(ws)
    assert again.returncode == 0, again.stderr
    assert standin.requests[before:] == []
    assert "0 created, 0 updated" in again.stdout and "3 unchanged" in again.stdout


def test_one_edit_is_exactly_one_put(ws, standin):
    assert publish(ws).returncode == 0
    path = sorted((ws.root / "Events").iterdir())[1]
    path.write_text(path.read_text("utf-8").replace("juttelevat.", "juttelevat pitkään."), "utf-8")
    before = len(standin.requests)
    result = publish(ws)
    assert result.returncode == 0, result.stderr
    (request,) = standin.requests[before:]
    assert request["method"] == "PUT" and re.fullmatch(r"/v1/event/kskalenteri:agg\d+/", request["path"])
    assert "event_status" not in request["body"]
    assert request["body"]["short_description"]["fi"] == "Tuottajat tapaavat & juttelevat pitkään."
    assert len(standin.live()) == 3


def test_cancelling_is_one_put_with_event_cancelled(ws, standin):
    assert publish(ws).returncode == 0
    path = sorted((ws.root / "Events").iterdir())[0]
    path.write_text(path.read_text("utf-8").replace("status: scheduled", "status: cancelled"), "utf-8")
    # A cancelled event that was never published is skipped, not created.
    start = day(40)
    (ws.root / "Events" / f"{start}-peruttu.md").write_text(
        event_text("Peruttu ennen julkaisua", f"{start}T10:00", status="cancelled"), "utf-8")
    before = len(standin.requests)
    result = publish(ws)
    assert result.returncode == 0, result.stderr
    (request,) = standin.requests[before:]
    assert request["method"] == "PUT" and request["body"]["event_status"] == "EventCancelled"
    statuses = sorted(e["event_status"] for e in standin.live())
    assert statuses == ["EventCancelled", "EventScheduled", "EventScheduled"]
    assert "skipped" in result.stdout and "Peruttu ennen julkaisua" not in str(standin.requests)
    before = len(standin.requests)
    assert publish(ws).returncode == 0
    assert standin.requests[before:] == []


def test_killed_between_the_post_and_the_journal_creates_no_duplicate(ws, standin):
    standin.hold_posts = True
    process = ws.popen("publish", "kalenteri", env={"TIEDOTE_KALENTERI_API_KEY": KEY})
    try:
        assert standin.held.wait(120), "the first POST never arrived"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    standin.hold_posts = False
    standin.release.set()
    assert len(standin.live()) == 1
    journal = ws.read("Sent/kalenteri.journal")
    assert journal.count("\tintent\t") == 1 and "\tcreated\t" not in journal

    result = publish(ws)
    assert result.returncode == 0, result.stderr
    names = [e["name"]["fi"] for e in standin.live()]
    assert sorted(names) == [f"Tuottajakahvit {i}" for i in range(3)]       # no duplicate
    assert [r["method"] for r in standin.requests[1:]][:1] == ["GET"]        # searched first
    assert "found" in result.stdout
    before = len(standin.requests)
    assert publish(ws).returncode == 0
    assert standin.requests[before:] == []


def test_an_unanswered_post_is_found_not_repeated(ws, standin):
    standin.drop_next_post = True
    result = publish(ws)
    assert result.returncode == 0, result.stderr
    assert sorted(e["name"]["fi"] for e in standin.live()) == [f"Tuottajakahvit {i}" for i in range(3)]
    assert [r["method"] for r in standin.requests].count("POST") == 3


def test_refusal_shows_the_field_errors_at_the_event_files_line(ws, standin):
    text = (ws.root / "tiedote.yml").read_text("utf-8")
    # A keyword the calendar does not have: only the calendar can know.
    (ws.root / "tiedote.yml").write_text(text.replace("Tuottajakahvit: yso:p4952", "Tuottajakahvit: yso:p99999"), "utf-8")
    result = publish(ws)
    assert result.returncode == 1
    first = sorted((ws.root / "Events").iterdir())[0]
    line = next(i for i, l in enumerate(first.read_text("utf-8").splitlines(), 1) if l.startswith("category:"))
    assert re.search(rf"{re.escape(str(first))}:{line}:\d+: error: the regional calendar refused '{first.stem}' "
                     r"\(400\): keywords: Invalid hyperlink - Object does not exist\.", result.stderr), result.stderr
    assert standin.live() == []
    # Fixed, the next run creates each event once (no search: the refusal was journalled).
    (ws.root / "tiedote.yml").write_text(text, "utf-8")
    before = len(standin.requests)
    assert publish(ws).returncode == 0
    assert [r["method"] for r in standin.requests[before:]] == ["POST"] * 3


def test_503_is_retried_with_back_off(ws, standin):
    standin.fail_next = [503, 503]
    result = publish(ws)
    assert result.returncode == 0, result.stderr
    assert sorted(e["name"]["fi"] for e in standin.live()) == [f"Tuottajakahvit {i}" for i in range(3)]
    methods = [r["method"] for r in standin.requests]
    # The first POST got a 503; the search made before posting again got the other 503 and
    # was retried itself; then the event was created once.
    assert methods.count("POST") == 4
    assert methods[:4] == ["POST", "GET", "GET", "POST"]


def test_too_long_short_after_escaping_and_past_events_are_not_sent(ws, standin):
    start = day(50)
    short = "<" * 40 + "x" * 100            # 140 as written, 260 as the calendar stores it (&lt;)
    (ws.root / "Events" / f"{start}-pitka.md").write_text(
        event_text("Pitkä lyhyt kuvaus", f"{start}T10:00", short=short), "utf-8")
    past = day(-3)
    (ws.root / "Events" / f"{past}-mennyt.md").write_text(event_text("Mennyt", f"{past}T10:00", f"{past}T12:00"), "utf-8")
    result = publish(ws)
    assert result.returncode == 1
    assert re.search(r"-pitka\.md:\d+:\d+: error: short \(escaped as the calendar stores it\) is 260 characters", result.stderr)
    assert re.search(r"-mennyt\.md:\d+:\d+: warning: .*is over", result.stderr)
    assert sorted(e["name"]["fi"] for e in standin.live()) == [f"Tuottajakahvit {i}" for i in range(3)]


def test_api_key_is_required_and_never_printed(ws, standin):
    result = publish(ws, key=None)
    assert result.returncode == 1
    assert "no API key: put the calendar's key in the environment variable TIEDOTE_KALENTERI_API_KEY" in result.stderr
    assert standin.requests == []
    result = publish(ws, "--verbose")
    assert result.returncode == 0
    assert KEY not in result.stdout + result.stderr
    assert all(r["apikey"] == KEY for r in standin.requests)


def test_a_published_event_whose_file_is_gone_is_reported_then_pruned(ws, standin):
    assert publish(ws).returncode == 0
    gone = sorted((ws.root / "Events").iterdir())[2]
    gone.unlink()
    before = len(standin.requests)
    result = publish(ws)
    assert result.returncode == 0
    assert standin.requests[before:] == []
    assert f"event '{gone.stem}' is published as kskalenteri:agg" in result.stderr and "--prune" in result.stderr
    result = publish(ws, "--prune")
    assert result.returncode == 0, result.stderr
    assert [r["method"] for r in standin.requests[before:]] == ["DELETE"]
    assert len(standin.live()) == 2


def test_dry_run_sends_nothing(ws, standin):
    result = publish(ws, "--dry-run", key=None)
    assert result.returncode == 0, result.stderr
    assert standin.requests == []
    assert result.stdout.count("would create") == 3


def test_plain_http_is_only_for_this_machine(ws, standin):
    text = (ws.root / "tiedote.yml").read_text("utf-8")
    (ws.root / "tiedote.yml").write_text(text.replace(standin.base, "http://kalenteri.example.fi/v1/"), "utf-8")
    result = ws.run("check")
    assert result.returncode == 1
    assert re.search(r"tiedote\.yml:\d+:\d+: error: exports\.kalenteri\.api_url must be an https:// address", result.stderr)


def test_check_names_a_reference_outside_the_api_at_its_line(ws):
    text = (ws.root / "tiedote.yml").read_text("utf-8")
    (ws.root / "tiedote.yml").write_text(
        text.replace("Villa Rana: kskalenteri:villa-rana", "Villa Rana: https://kalenteri.example.fi/place/villa-rana/"), "utf-8")
    line = next(i for i, l in enumerate((ws.root / "tiedote.yml").read_text("utf-8").splitlines(), 1)
                if l.strip().startswith("Villa Rana:"))
    result = ws.run("check")
    assert result.returncode == 1
    assert re.search(rf"tiedote\.yml:{line}:\d+: error: exports\.kalenteri\.places\.Villa Rana: .* is not under "
                     r"exports\.kalenteri\.api_url", result.stderr), result.stderr


def test_tls_certificates_are_verified(ws, tls_cert):
    """A server whose certificate nobody vouches for gets nothing: no event, no key."""
    secure = LinkedEventsStandIn(KEY, PLACES, KEYWORDS, tls=tls_cert).start()
    try:
        text = (ws.root / "tiedote.yml").read_text("utf-8")
        (ws.root / "tiedote.yml").write_text(re.sub(r"    api_url: .*\n", f"    api_url: {secure.base}\n", text), "utf-8")
        result = publish(ws)
        assert result.returncode == 1
        assert "SSL certificate problem" in result.stderr and "api_url" in result.stderr, result.stderr
        assert result.stderr.count("error:") == 1      # stopped at the first, not retried per event
        assert secure.requests == [] and secure.live() == []
        assert KEY not in result.stdout + result.stderr
    finally:
        secure.stop()
