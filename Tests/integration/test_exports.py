"""End-to-end tests of `tiedote export` and `tiedote announce`, read back by independent
parsers: icalendar and vobject for iCalendar, csv for Menoinfo, jsonschema for Linked Events,
json for schema.org. Each test runs the built binary on a workspace made in a temporary folder
(or on the repository's sample workspace) and never leaves the machine."""

import copy
import csv
import io
import json
import os
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest
import vobject

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("TIEDOTE_BIN", ROOT / ".build" / "debug" / "tiedote"))
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "linked-events.schema.json").read_text("utf-8"))
HELSINKI = ZoneInfo("Europe/Helsinki")

SETTINGS = """\
network:
  name: Testiverkosto
  domain: testi.example.fi
  website: https://testi.example.fi
coordinators:
  - id: humak
    name: Humak
    email: humak@testi.example.fi
rotation:
  order: [humak]
  first_month: 2026-09
  months_per_turn: 4
categories: [Tuottajakahvit, Festivaalit, Musiikki, Kurssit ja työpajat]
exports:
  menoinfo:
    contact_email: menot@testi.example.fi
    categories:
      Tuottajakahvit: Seminaarit ja keskustelut
  kalenteri:
    places:
      Villa Rana: https://kalenteri.example.fi/place/villa-rana/
      Himos Areena: https://kalenteri.example.fi/place/himos/
      Lutakko: https://kalenteri.example.fi/place/lutakko/
      Teams: https://kalenteri.example.fi/place/internet/
    keywords:
      Tuottajakahvit: https://kalenteri.example.fi/keyword/seminaarit/
      Festivaalit: https://kalenteri.example.fi/keyword/festivaalit/
      Musiikki: https://kalenteri.example.fi/keyword/musiikki/
      Kurssit ja työpajat: https://kalenteri.example.fi/keyword/kurssit/
      jazz: https://kalenteri.example.fi/keyword/jazz/
"""

EMOJI_TITLE = "Tuottajakahvit 🎭☕ Jyväskylässä: äänimaisemat, öiset työvuorot ja jaksaminen 👩‍👩‍👧"

# Event id → front matter (in file order) and body. Chosen to cover both DST changes, summer
# and winter, all-day and multi-day, no end, cancelled, postponed, online, and text that needs
# escaping and folding.
EVENTS = {
    "2027-03-27-yli-kevaan-kellonsiirron": ({
        "title": "Tuottajaleiri yli kevään kellonsiirron", "start": "2027-03-27T18:00", "end": "2027-03-28T16:00",
        "venue": "Himos Areena", "address": "Himoksentie 1, 42100 Jämsä", "municipality": "Jämsä",
        "category": "Festivaalit", "short": "Kaksi päivää tuottajien kesken Himoksella.", "price": "25 € / 15 €",
        "registration": "https://testi.example.fi/leiri", "organizer": "Testiverkosto ja Himos",
        "image": "https://testi.example.fi/leiri.jpg", "image_alt": "Rinteet ja hiihtohissi",
        "tags": "[leiri, jazz]",
    }, "Leirillä on **kaksi** ohjelmaa:\n\n- työpajat\n- sauna\n\nLisätiedot [sivulta](https://testi.example.fi/leiri).\n"),
    "2027-10-30-yli-syksyn-kellonsiirron": ({
        "title": "Yökeikka yli syksyn kellonsiirron", "start": "2027-10-30T22:00", "end": "2027-10-31T05:00",
        "venue": "Lutakko", "address": "Lutakonaukio 7, 40100 Jyväskylä", "municipality": "Jyväskylä",
        "category": "Musiikki", "short": "Keikka jatkuu, kun kello siirtyy tunnilla taaksepäin.", "price": "12,50 €",
        "registration": "https://testi.example.fi/yokeikka",
    }, "Yö on tunnin pidempi.\n"),
    "2027-06-12-kesailta": ({
        "title": "Kesäilta", "start": "2027-06-12T12:00", "end": "2027-06-12T14:00", "venue": "Villa Rana",
        "address": "Kauppakatu 1, 40100 Jyväskylä", "municipality": "Jyväskylä", "category": "Tuottajakahvit",
        "short": "Kesän tuottajakahvit terassilla.", "price": "Maksuton",
        "registration": "https://testi.example.fi/kesa",
    }, "Terassilla.\n"),
    "2027-01-16-koko-paiva": ({
        "title": "Koko päivän työpaja", "start": "2027-01-16", "venue": "Villa Rana",
        "address": "Kauppakatu 1, 40100 Jyväskylä", "municipality": "Jyväskylä", "category": "Kurssit ja työpajat",
        "short": "Työpaja koko päivän.", "registration": "https://testi.example.fi/paja",
    }, ""),
    "2027-03-26-monipaivainen": ({
        "title": "Monipäiväinen festivaali", "start": "2027-03-26", "end": "2027-03-28", "venue": "Himos Areena",
        "address": "Himoksentie 1, 42100 Jämsä", "municipality": "Jämsä", "category": "Festivaalit",
        "short": "Kolme päivää, kellonsiirto keskellä.", "price": "40 €", "registration": "https://testi.example.fi/festari",
    }, "Perjantaista sunnuntaihin.\n"),
    "2027-02-01-ilman-loppua": ({
        "title": "Aamukahvit ilman loppuaikaa", "start": "2027-02-01T09:30", "venue": "Villa Rana",
        "municipality": "Jyväskylä", "category": "Tuottajakahvit", "short": "Kahvit alkavat puoli kymmeneltä.",
    }, "Tule, kun ehdit.\n"),
    "2027-02-05-emoji": ({
        "title": EMOJI_TITLE, "start": "2027-02-05T17:00", "end": "2027-02-05T19:00", "venue": "Villa Rana",
        "address": "Kauppakatu 1, 40100 Jyväskylä", "municipality": "Jyväskylä", "category": "Tuottajakahvit",
        "short": "Pilkut, puolipisteet; kenoviivat \\ ja \"lainausmerkit\" säilyvät.",
        "registration": "https://testi.example.fi/emoji",
    }, "Ensimmäinen kappale; siinä on pilkku, puolipiste ja kenoviiva \\\\.\n\nToinen kappale 🎉.\n"),
    "2027-04-01-peruttu": ({
        "title": "Peruttu kurssi", "start": "2027-04-01T10:00", "end": "2027-04-01T12:00", "venue": "Villa Rana",
        "municipality": "Jyväskylä", "category": "Kurssit ja työpajat", "short": "Tämä kurssi on peruttu.",
        "status": "cancelled",
    }, ""),
    "2027-04-02-siirretty-verkossa": ({
        "title": "Siirretty verkkotapaaminen", "start": "2027-04-02T13:00", "end": "2027-04-02T14:00",
        "venue": "Teams", "municipality": "verkossa", "category": "Tuottajakahvit",
        "short": "Tapaaminen siirtyy; uusi aika kerrotaan pian.", "registration": "https://testi.example.fi/teams",
        "status": "postponed",
    }, ""),
}


def yaml_value(key, value):
    if key == "tags" or value.startswith("http") or re.fullmatch(r"[0-9T:-]+", value):
        return value
    return json.dumps(value, ensure_ascii=False)


def write_workspace(root, events, settings=SETTINGS):
    (root / "Events").mkdir(parents=True, exist_ok=True)
    (root / "tiedote.yml").write_text(settings, "utf-8")
    for event_id, (front, body) in events.items():
        lines = ["---"] + [f"{key}: {yaml_value(key, value)}" for key, value in front.items()] + ["---", body]
        (root / "Events" / f"{event_id}.md").write_text("\n".join(lines), "utf-8")
    return root


def run(*args, workspace, check=True):
    result = subprocess.run([str(BIN), *args, "--workspace", str(workspace)],
                            capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return write_workspace(tmp_path_factory.mktemp("ws"), EVENTS)


def export(workspace, target, out, *extra, check=True):
    run("export", target, "--out", str(out), *extra, workspace=workspace, check=check)
    return out


def instant(text, end=False):
    """The event file's value as an aware datetime in Helsinki, or a date for all-day values."""
    if "T" in text:
        return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)
    return date.fromisoformat(text)


# iCalendar ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ics(workspace, tmp_path_factory):
    out = tmp_path_factory.mktemp("ical") / "feed.ics"
    export(workspace, "ical", out)
    return out.read_bytes()


def test_ical_uses_crlf_everywhere(ics):
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert b"\r" not in ics.replace(b"\r\n", b"")


def test_ical_lines_fold_at_75_octets_without_splitting_utf8(ics):
    physical = ics.split(b"\r\n")[:-1]
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold split a character
    # The Finnish and emoji title is long enough to be folded, and unfolds to itself.
    start = next(i for i, line in enumerate(physical) if line.startswith(b"SUMMARY:Tuottajakahvit \xf0\x9f\x8e\xad"))
    assert physical[start + 1].startswith(b" ")
    assert len(f"SUMMARY:{EMOJI_TITLE}".encode()) > 75


def test_ical_parses_in_icalendar_and_vobject(ics):
    calendar = icalendar.Calendar.from_ical(ics)
    assert calendar.errors == []
    assert all(component.errors == [] for component in calendar.walk())
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "Testiverkosto"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    parsed = vobject.readOne(ics.decode("utf-8"), validate=True)
    assert len(parsed.vevent_list) == len(EVENTS)


def vobject_events(ics):
    return {str(event.uid.value).split("@")[0]: event for event in vobject.readOne(ics.decode("utf-8")).vevent_list}


def icalendar_events(ics):
    return {str(event["UID"]).split("@")[0]: event for event in icalendar.Calendar.from_ical(ics).walk("VEVENT")}


def expected_span(front):
    start = instant(front["start"])
    if "T" not in front["start"]:
        last = date.fromisoformat(front.get("end", front["start"]))
        return start, last + timedelta(days=1)
    return start, instant(front["end"]) if "end" in front else None


@pytest.mark.parametrize("event_id", sorted(EVENTS))
def test_ical_start_and_end_instants_equal_the_event_file(ics, event_id):
    front = EVENTS[event_id][0]
    start, end = expected_span(front)
    # icalendar resolves TZID by name; the VTIMEZONE in the file is checked through to_tz().
    event = icalendar_events(ics)[event_id]
    zone = icalendar.Calendar.from_ical(ics).walk("VTIMEZONE")[0].to_tz()
    v_event = vobject_events(ics)[event_id]   # vobject builds its zone from our VTIMEZONE
    for value in (event.decoded("DTSTART"), v_event.dtstart.value):
        assert value == start and type(value) is type(start)
        if isinstance(start, datetime):
            assert value.utcoffset() == start.utcoffset()
    if isinstance(start, datetime):
        ours = event.decoded("DTSTART").replace(tzinfo=None).replace(tzinfo=zone)
        assert ours.utcoffset() == start.utcoffset()
    if end is None:
        assert "DTEND" not in event and not hasattr(v_event, "dtend")
    else:
        for value in (event.decoded("DTEND"), v_event.dtend.value):
            assert value == end and type(value) is type(end)
            if isinstance(end, datetime):
                assert value.utcoffset() == end.utcoffset()


def test_ical_offsets_change_across_both_dst_changes(ics):
    events = vobject_events(ics)
    spring = events["2027-03-27-yli-kevaan-kellonsiirron"]
    assert spring.dtstart.value.utcoffset() == timedelta(hours=2)
    assert spring.dtend.value.utcoffset() == timedelta(hours=3)
    autumn = events["2027-10-30-yli-syksyn-kellonsiirron"]
    assert autumn.dtstart.value.utcoffset() == timedelta(hours=3)
    assert autumn.dtend.value.utcoffset() == timedelta(hours=2)
    # 22:00 +03:00 to 05:00 +02:00 is eight hours, not seven (compared in UTC: Python
    # subtracts wall clocks when both sides share a tzinfo).
    utc = ZoneInfo("UTC")
    assert autumn.dtend.value.astimezone(utc) - autumn.dtstart.value.astimezone(utc) == timedelta(hours=8)


def test_ical_text_values_round_trip(ics):
    events = icalendar_events(ics)
    emoji = events["2027-02-05-emoji"]
    assert str(emoji["SUMMARY"]) == EMOJI_TITLE
    assert str(emoji["DESCRIPTION"]) == (
        'Pilkut, puolipisteet; kenoviivat \\ ja "lainausmerkit" säilyvät.\n\n'
        "Ensimmäinen kappale; siinä on pilkku, puolipiste ja kenoviiva \\.\n\nToinen kappale 🎉.")
    assert str(emoji["LOCATION"]) == "Villa Rana, Kauppakatu 1, 40100 Jyväskylä"
    assert str(emoji["URL"]) == "https://testi.example.fi/emoji"
    assert str(emoji["UID"]) == "2027-02-05-emoji@testi.example.fi"
    # Markdown is gone from the description, links are written out.
    spring = str(events["2027-03-27-yli-kevaan-kellonsiirron"]["DESCRIPTION"])
    assert "**" not in spring and "kaksi ohjelmaa" in spring and "https://testi.example.fi/leiri" in spring
    assert events["2027-03-27-yli-kevaan-kellonsiirron"]["CATEGORIES"].cats == ["Festivaalit", "leiri", "jazz"]


@pytest.mark.parametrize("event_id, status", [
    ("2027-06-12-kesailta", "CONFIRMED"), ("2027-04-01-peruttu", "CANCELLED"),
    ("2027-04-02-siirretty-verkossa", "TENTATIVE"),
])
def test_ical_status(ics, event_id, status):
    assert str(icalendar_events(ics)[event_id]["STATUS"]) == status


def test_ical_stamps_are_utc_and_stable(workspace, ics, tmp_path):
    for event in icalendar_events(ics).values():
        assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
        assert event.decoded("LAST-MODIFIED").utcoffset() == timedelta(0)
    again = export(workspace, "ical", tmp_path / "again.ics").read_bytes()
    assert again == ics


def test_ical_month_selects_events_that_touch_it(workspace, tmp_path):
    feed = export(workspace, "ical", tmp_path / "march.ics", "--month", "2027-03").read_bytes()
    assert sorted(icalendar_events(feed)) == ["2027-03-26-monipaivainen", "2027-03-27-yli-kevaan-kellonsiirron"]
    feed = export(workspace, "ical", tmp_path / "range.ics", "--from", "2027-03-28", "--to", "2027-04-01").read_bytes()
    assert sorted(icalendar_events(feed)) == [
        "2027-03-26-monipaivainen", "2027-03-27-yli-kevaan-kellonsiirron", "2027-04-01-peruttu"]
