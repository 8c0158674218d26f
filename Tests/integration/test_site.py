"""`tiedote site`: the static archive, Atom feed, event pages and .ics calendars, read back with
independent parsers (feedparser, icalendar, json, html.parser), and checked for leaks of
subscriber data."""

from __future__ import annotations

import csv
import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest

WEBSITE = "https://tuottajaverkosto.example.fi"


class PageReader(HTMLParser):
    """Collects what the checks need from a page: lang, links, JSON-LD blocks, scripts."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.links: list[str] = []
        self.jsonld: list[str] = []
        self.scripts = 0
        self._in_jsonld = False
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "script":
            if attrs.get("type") == "application/ld+json":
                self._in_jsonld, self._buffer = True, ""
            else:
                self.scripts += 1

    def handle_data(self, data):
        if self._in_jsonld:
            self._buffer += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_jsonld:
            self.jsonld.append(self._buffer)
            self._in_jsonld = False


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def build_site(workspace, *months: str) -> Path:
    for month in months:
        sent = workspace.run("send", month, "--list", "members")
        assert sent.returncode == 0, sent.stderr
    out = workspace.root / "public"
    result = workspace.run("site", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_archive_holds_only_sent_issues_newest_first(workspace):
    out = build_site(workspace, "2026-12", "2027-01")
    assert (out / "2026-12" / "index.html").exists()
    assert (out / "2027-01" / "index.html").exists()
    assert not (out / "2027-02").exists(), "an issue without a send journal is not published"
    # A send stopped before its first recipient leaves an empty journal: not published either.
    (workspace.root / "Sent" / "2027-03--members.journal").write_bytes(b"")
    assert workspace.run("site", "--out", str(out)).returncode == 0
    assert not (out / "2027-03").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index("2027-01/index.html") < index.index("2026-12/index.html")
    for page in [out / "index.html", out / "2026-12" / "index.html", out / "events" / "index.html"]:
        reader = read_page(page)
        assert reader.lang == "fi"
        assert reader.scripts == 0, "no JavaScript on any page"
        assert 'name="viewport"' in page.read_text(encoding="utf-8")


def test_archive_pages_carry_no_subscriber_data(workspace):
    out = build_site(workspace, "2026-12")
    with open(workspace.root / "Lists" / "members.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    for row in rows:
        assert row["email"].lower() not in everything.lower()
        if row["name"]:
            assert row["name"] not in everything
    # No unsubscribe token (the mailed copies have one; the archive must not).
    assert "peru?t=" not in everything
    mailed = next((workspace.root / "out" / "outbox" / "new").iterdir()).read_text()
    token = mailed.split("peru?t=")[1].split(">")[0].split("\r")[0]
    assert token[:20] not in everything
    # The local section for one municipality is not there either.
    assert "Tapahtumat kotikunnassasi" not in everything


def test_atom_feed_parses_and_is_deterministic(workspace):
    out = build_site(workspace, "2026-12", "2027-01")
    first = (out / "feed.atom").read_bytes()
    feed = feedparser.parse(first)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.id.startswith("tag:tuottajaverkosto.example.fi,")
    assert feed.feed.author == "Keski-Suomen tuottajaverkosto"
    assert feed.feed.updated == "2027-01-01T00:00:00+02:00"
    assert [l.href for l in feed.feed.links if l.rel == "self"] == [f"{WEBSITE}/feed.atom"]
    assert [e.link for e in feed.entries] == [f"{WEBSITE}/2027-01/index.html", f"{WEBSITE}/2026-12/index.html"]
    for entry in feed.entries:
        assert entry.id and entry.updated and entry.author and entry.title
        assert "Tapahtumat" in entry.content[0].value
    # Built again later from the same files: the same bytes (no clock in the feed).
    again = workspace.run("site", "--out", str(out))
    assert again.returncode == 0
    assert (out / "feed.atom").read_bytes() == first


def test_every_ics_parses_and_events_ics_holds_the_upcoming(workspace):
    out = build_site(workspace)
    today = dt.datetime.now(ZoneInfo("Europe/Helsinki")).date()
    event_files = sorted((out / "events").glob("*.ics"))
    assert len(event_files) == len(list((workspace.root / "Events").glob("*.md")))
    for path in event_files + [out / "events.ics"]:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert calendar.get("VERSION") == "2.0"
    for path in event_files:
        events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert [str(e["UID"]) for e in events] == [f"{path.stem}@tuottajaverkosto.example.fi"]
    upcoming = icalendar.Calendar.from_ical((out / "events.ics").read_bytes()).walk("VEVENT")
    assert upcoming
    for event in upcoming:
        end = event.get("DTEND", event["DTSTART"]).dt
        end_date = end.date() if isinstance(end, dt.datetime) else end
        assert end_date >= today - dt.timedelta(days=1)


def test_events_page_has_schema_org_json_ld(workspace):
    out = build_site(workspace)
    reader = read_page(out / "events" / "index.html")
    assert len(reader.jsonld) == 1
    events = json.loads(reader.jsonld[0])
    assert events and all(e["@type"] == "Event" and e["@context"] == "https://schema.org" for e in events)
    names = {e["name"] for e in events}
    assert any("Tuottajakahvit" in name for name in names)
    for event in events:
        dt.datetime.fromisoformat(event["startDate"])
    ics_links = [l for l in reader.links if l.endswith(".ics")]
    assert ics_links
    for link in ics_links:
        assert (out / "events" / link).exists()


def test_newsletter_parts_link_each_event_to_its_ics(workspace):
    composed = workspace.run("compose", "2026-12")
    assert composed.returncode == 0, composed.stderr
    text = workspace.read("out/2026-12/newsletter.txt")
    html = workspace.read("out/2026-12/newsletter.html")
    link = f"{WEBSITE}/events/2026-12-02-tuottajakahvit-villa-rana.ics"
    assert link in text
    assert f'href="{link}"' in html
    # The link's file is one the site writes.
    out = build_site(workspace)
    assert (out / "events" / "2026-12-02-tuottajakahvit-villa-rana.ics").exists()


def test_no_calendar_link_without_a_website(workspace):
    text = (workspace.root / "tiedote.yml").read_text(encoding="utf-8")
    (workspace.root / "tiedote.yml").write_text(text.replace(f"  website: {WEBSITE}\n", ""), encoding="utf-8")
    composed = workspace.run("compose", "2026-12")
    assert composed.returncode == 0, composed.stderr
    assert "/events/" not in workspace.read("out/2026-12/newsletter.txt")
    assert "Kalenteriin" not in workspace.read("out/2026-12/newsletter.txt")
