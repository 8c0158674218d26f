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
import shutil
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
    api_url: https://kalenteri.example.fi/v1/
    places:
      Villa Rana: ks:villa-rana
      Himos Areena: https://kalenteri.example.fi/v1/place/ks:himos/
      Lutakko: ks:lutakko
      Teams: ks:internet
    keywords:
      Tuottajakahvit: yso:p4952
      Festivaalit: https://kalenteri.example.fi/v1/keyword/yso:p1304/
      Musiikki: yso:p1808
      Kurssit ja työpajat: yso:p9270
      jazz: yso:p2841
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


def instant(text):
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
    if end is None and isinstance(start, datetime):
        # A timed event without an end ends at the next midnight, as in every export.
        end = datetime.combine(start.date() + timedelta(days=1), datetime.min.time(), HELSINKI)
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


def one_event_feed(root, out):
    run("export", "ical", "--out", str(out), workspace=root)
    data = out.read_bytes()
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    (v_event,) = list(vobject.readOne(data.decode("utf-8")).vevent_list)
    return data, event, v_event


def test_ical_uid_survives_a_rename_and_sequence_rises_with_the_schedule(tmp_path):
    front, body = EVENTS["2027-06-12-kesailta"]
    root = write_workspace(tmp_path / "ws", {"2027-06-12-kesailta": ({**front, "id": "kesailta-villa-rana"}, body)})
    _, first, v_first = one_event_feed(root, tmp_path / "1.ics")
    assert str(first["UID"]) == v_first.uid.value == "kesailta-villa-rana@testi.example.fi"
    assert int(first["SEQUENCE"]) == int(v_first.sequence.value) == 0
    # The event moves to another day: a new file name, the same id.
    old = root / "Events" / "2027-06-12-kesailta.md"
    text = old.read_text("utf-8").replace("2027-06-12T", "2027-06-13T")
    old.unlink()
    (root / "Events" / "2027-06-13-kesailta.md").write_text(text, "utf-8")
    _, moved, v_moved = one_event_feed(root, tmp_path / "2.ics")
    assert str(moved["UID"]) == v_moved.uid.value == str(first["UID"])
    assert int(moved["SEQUENCE"]) == int(v_moved.sequence.value) == 1
    assert moved.decoded("DTSTAMP") > first.decoded("DTSTAMP")
    # Unchanged: the same feed again; cancelled: the sequence rises once more.
    again, _, _ = one_event_feed(root, tmp_path / "3.ics")
    assert again == (tmp_path / "2.ics").read_bytes()
    path = root / "Events" / "2027-06-13-kesailta.md"
    path.write_text(path.read_text("utf-8").replace("---\n", "status: cancelled\n---\n", 2).replace(
        "status: cancelled\n---\n", "---\n", 1), "utf-8")
    _, cancelled, v_cancelled = one_event_feed(root, tmp_path / "4.ics")
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == int(v_cancelled.sequence.value) == 2


def test_ical_is_identical_from_two_fresh_copies(tmp_path):
    """No clock and no file time in the feed: two copies made at different times agree."""
    first = write_workspace(tmp_path / "a", EVENTS)
    run("export", "ical", "--out", str(tmp_path / "a.ics"), workspace=first)
    second = tmp_path / "b"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("Sent"))
    for path in (second / "Events").iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
    run("export", "ical", "--out", str(tmp_path / "b.ics"), workspace=second)
    assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()
    # A copy with the state file (Sent/ moves with the workspace) agrees as well.
    third = tmp_path / "c"
    shutil.copytree(first, third)
    run("export", "ical", "--out", str(tmp_path / "c.ics"), workspace=third)
    assert (tmp_path / "c.ics").read_bytes() == (tmp_path / "a.ics").read_bytes()


def test_ical_month_selects_events_that_touch_it(workspace, tmp_path):
    feed = export(workspace, "ical", tmp_path / "march.ics", "--month", "2027-03").read_bytes()
    assert sorted(icalendar_events(feed)) == ["2027-03-26-monipaivainen", "2027-03-27-yli-kevaan-kellonsiirron"]
    feed = export(workspace, "ical", tmp_path / "range.ics", "--from", "2027-03-28", "--to", "2027-04-01").read_bytes()
    assert sorted(icalendar_events(feed)) == [
        "2027-03-26-monipaivainen", "2027-03-27-yli-kevaan-kellonsiirron", "2027-04-01-peruttu"]


# Menoinfo ------------------------------------------------------------------------------------

MENOINFO_COLUMNS = [
    "Tapahtuman nimi", "Kategoria", "Alkupäivä", "Alkuaika", "Loppupäivä", "Loppuaika", "Tapahtumapaikka",
    "Katuosoite", "Kunta", "Hinta", "Lippu- tai ilmoittautumislinkki", "Lyhyt kuvaus", "Kuvaus", "Kuva",
    "Kuvan kuvaus", "Järjestäjä", "Yhteyshenkilön sähköposti",
]

MENOINFO_ROWS = {
    "Tuottajaleiri yli kevään kellonsiirron": [
        "Tuottajaleiri yli kevään kellonsiirron", "Festivaalit", "27.3.2027", "18.00", "28.3.2027", "16.00",
        "Himos Areena", "Himoksentie 1", "Jämsä", "25 € / 15 €", "https://testi.example.fi/leiri",
        "Kaksi päivää tuottajien kesken Himoksella.",
        "Leirillä on kaksi ohjelmaa:\n\n- työpajat\n- sauna\n\nLisätiedot sivulta <https://testi.example.fi/leiri>.",
        "https://testi.example.fi/leiri.jpg", "Rinteet ja hiihtohissi", "Testiverkosto ja Himos",
        "menot@testi.example.fi"],
    "Monipäiväinen festivaali": [
        "Monipäiväinen festivaali", "Festivaalit", "26.3.2027", "", "28.3.2027", "", "Himos Areena", "Himoksentie 1",
        "Jämsä", "40 €", "https://testi.example.fi/festari", "Kolme päivää, kellonsiirto keskellä.",
        "Perjantaista sunnuntaihin.", "", "", "Testiverkosto", "menot@testi.example.fi"],
    "Koko päivän työpaja": [
        "Koko päivän työpaja", "Kurssit ja työpajat", "16.1.2027", "", "16.1.2027", "", "Villa Rana", "Kauppakatu 1",
        "Jyväskylä", "Maksuton", "https://testi.example.fi/paja", "Työpaja koko päivän.", "", "", "",
        "Testiverkosto", "menot@testi.example.fi"],
    "Aamukahvit ilman loppuaikaa": [
        "Aamukahvit ilman loppuaikaa", "Seminaarit ja keskustelut", "1.2.2027", "09.30", "1.2.2027", "",
        "Villa Rana", "", "Jyväskylä", "Maksuton", "", "Kahvit alkavat puoli kymmeneltä.", "Tule, kun ehdit.",
        "", "", "Testiverkosto", "menot@testi.example.fi"],
    EMOJI_TITLE: [
        EMOJI_TITLE, "Seminaarit ja keskustelut", "5.2.2027", "17.00", "5.2.2027", "19.00", "Villa Rana",
        "Kauppakatu 1", "Jyväskylä", "Maksuton", "https://testi.example.fi/emoji",
        'Pilkut, puolipisteet; kenoviivat \\ ja "lainausmerkit" säilyvät.',
        "Ensimmäinen kappale; siinä on pilkku, puolipiste ja kenoviiva \\.\n\nToinen kappale 🎉.",
        "", "", "Testiverkosto", "menot@testi.example.fi"],
    "Yökeikka yli syksyn kellonsiirron": [
        "Yökeikka yli syksyn kellonsiirron", "Musiikki", "30.10.2027", "22.00", "31.10.2027", "05.00", "Lutakko",
        "Lutakonaukio 7", "Jyväskylä", "12,50 €", "https://testi.example.fi/yokeikka",
        "Keikka jatkuu, kun kello siirtyy tunnilla taaksepäin.", "Yö on tunnin pidempi.", "", "", "Testiverkosto",
        "menot@testi.example.fi"],
    "Siirretty verkkotapaaminen": [
        "Siirretty verkkotapaaminen", "Seminaarit ja keskustelut", "2.4.2027", "13.00", "2.4.2027", "14.00",
        "Teams", "", "verkossa", "Maksuton", "https://testi.example.fi/teams",
        "Tapaaminen siirtyy; uusi aika kerrotaan pian.", "", "", "", "Testiverkosto", "menot@testi.example.fi"],
}


@pytest.fixture(scope="module")
def menoinfo(workspace, tmp_path_factory):
    return export(workspace, "menoinfo", tmp_path_factory.mktemp("menoinfo"))


def read_menoinfo_csv(folder):
    data = (folder / "menoinfo.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";")), text


def test_menoinfo_csv_reads_back_field_by_field(menoinfo):
    rows, _ = read_menoinfo_csv(menoinfo)
    assert rows[0] == MENOINFO_COLUMNS
    by_name = {row[0]: row for row in rows[1:]}
    assert len(rows) == 1 + len(EVENTS)
    for name, expected in MENOINFO_ROWS.items():
        assert dict(zip(MENOINFO_COLUMNS, by_name[name])) == dict(zip(MENOINFO_COLUMNS, expected)), name


def test_menoinfo_csv_rows_end_in_crlf_in_start_order(menoinfo):
    rows, text = read_menoinfo_csv(menoinfo)
    assert text.endswith("\r\n")
    # In-cell line breaks are LF, so every CRLF ends a row.
    assert text.count("\r\n") == len(rows)
    starts = [datetime.strptime(row[2], "%d.%m.%Y") for row in rows[1:]]
    assert starts == sorted(starts)


def test_menoinfo_text_labels_each_field_in_form_order(menoinfo):
    data = (menoinfo / "menoinfo.txt").read_bytes()
    text = data.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", "")
    blocks = text.split("\r\n\r\n=== ")
    assert len(blocks) == len(EVENTS)
    first = blocks[0].split("\r\n")
    assert first[0] == "=== 1/9: 2027-01-16-koko-paiva ==="
    labels = [line.split(":")[0] for line in first[1:] if line.split(":")[0] in MENOINFO_COLUMNS]
    assert labels == MENOINFO_COLUMNS
    assert "Alkupäivä: 16.1.2027" in first and "Alkuaika:" in first


# Linked Events (kalenteri) ----------------------------------------------------------------

@pytest.fixture(scope="module")
def kalenteri(workspace, tmp_path_factory):
    out = export(workspace, "kalenteri", tmp_path_factory.mktemp("kalenteri") / "kalenteri.json")
    return json.loads(out.read_text("utf-8"))


def test_linked_events_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_linked_events_output_validates(kalenteri):
    errors = [error.message for error in jsonschema.Draft202012Validator(SCHEMA).iter_errors(kalenteri)]
    assert errors == []
    created = {front["title"] for front, _ in EVENTS.values() if front.get("status", "scheduled") == "scheduled"}
    assert {item["name"]["fi"] for item in kalenteri} == created


def by_name(objects):
    return {item["name"]["fi"]: item for item in objects}


@pytest.mark.parametrize("event_id", sorted(EVENTS))
def test_linked_events_times_carry_the_dates_own_offset(kalenteri, event_id):
    front = EVENTS[event_id][0]
    if front.get("status", "scheduled") != "scheduled":
        pytest.skip("not in the create list")
    item = by_name(kalenteri)[front["title"]]
    for key, field in (("start", "start_time"), ("end", "end_time")):
        if key not in front:
            continue
        value = instant(front[key])
        if isinstance(value, datetime):
            assert datetime.fromisoformat(item[field]) == value
            assert datetime.fromisoformat(item[field]).utcoffset() == value.utcoffset()
        else:
            assert item[field] == value.isoformat()
    if "end" not in front:
        # No end: the next midnight, as the API decides it (and as the iCalendar feed says).
        start = instant(front["start"])
        if isinstance(start, datetime):
            midnight = datetime.combine(start.date() + timedelta(days=1), datetime.min.time(), HELSINKI)
            assert datetime.fromisoformat(item["end_time"]) == midnight
        else:
            assert item["end_time"] == front["start"]


def test_linked_events_create_list_holds_only_scheduled_events(workspace, tmp_path):
    result = run("export", "kalenteri", "--out", str(tmp_path / "k.json"), workspace=workspace)
    items = by_name(json.loads((tmp_path / "k.json").read_text("utf-8")))
    assert items["Kesäilta"]["event_status"] == "EventScheduled"
    assert "Peruttu kurssi" not in items and "Siirretty verkkotapaaminen" not in items
    assert re.search(r"Events/2027-04-01-peruttu\.md:\d+:\d+: warning: .*is cancelled: left out", result.stderr)
    assert re.search(r"Events/2027-04-02-siirretty-verkossa\.md:\d+:\d+: warning: .*is postponed", result.stderr)


def test_linked_events_references_offers_and_html(kalenteri):
    leiri = by_name(kalenteri)["Tuottajaleiri yli kevään kellonsiirron"]
    assert leiri["location"] == {"@id": "https://kalenteri.example.fi/v1/place/ks:himos/"}
    assert leiri["keywords"] == [{"@id": "https://kalenteri.example.fi/v1/keyword/yso:p1304/"},
                                 {"@id": "https://kalenteri.example.fi/v1/keyword/yso:p2841/"}]
    assert leiri["offers"] == [{"is_free": False, "price": {"fi": "25 € / 15 €"},
                                "info_url": {"fi": "https://testi.example.fi/leiri"}}]
    assert "<strong>kaksi</strong>" in leiri["description"]["fi"] and "<li>sauna</li>" in leiri["description"]["fi"]
    assert by_name(kalenteri)["Kesäilta"]["offers"] == [{"is_free": True}]
    assert list(leiri) == ["type_id", "name", "short_description", "description", "start_time", "end_time",
                           "location", "keywords", "offers", "info_url", "provider", "event_status", "images",
                           "external_links"]


def broken(mutate):
    def apply(item):
        item = copy.deepcopy(item)
        mutate(item)
        return item
    return apply


# One broken object per rule of FORMATS.md; the schema must reject each.
RULE_BREAKERS = {
    "name is required": broken(lambda e: e.pop("name")),
    "start_time is required": broken(lambda e: e.pop("start_time")),
    "location is required": broken(lambda e: e.pop("location")),
    "keywords are required": broken(lambda e: e.pop("keywords")),
    "at least one keyword": broken(lambda e: e.update(keywords=[])),
    "short_description in every language with a name": broken(lambda e: e["name"].update(sv="Nimi")),
    "description in every language with a name": broken(
        lambda e: (e["name"].update(en="Name"), e["short_description"].update(en="Short"))),
    "short_description needed when there is a name": broken(lambda e: e.pop("short_description")),
    "short_description at most 160": broken(lambda e: e["short_description"].update(fi="x" * 161)),
    "name at most 255": broken(lambda e: e["name"].update(fi="n" * 256)),
    "every offer has is_free": broken(lambda e: e.update(offers=[{"price": {"fi": "10 €"}}])),
    "no bare local time": broken(lambda e: e.update(start_time="2027-06-12T12:00:00")),
    "no UTC Z time": broken(lambda e: e.update(start_time="2027-06-12T09:00:00Z")),
    "only +02:00 or +03:00": broken(lambda e: e.update(start_time="2027-06-12T12:00:00+01:00")),
    "bare end time": broken(lambda e: e.update(end_time="2027-06-12T14:00")),
    "all-day ends on a date": broken(lambda e: e.update(start_time="2027-06-12", end_time="2027-06-12T14:00:00+03:00")),
    "known event_status": broken(lambda e: e.update(event_status="Cancelled")),
    "no client EventPostponed": broken(lambda e: e.update(event_status="EventPostponed")),
    "reference is the API's own place path": broken(lambda e: e.update(location={"@id": "https://kalenteri.example.fi/place/x/"})),
    "no HTML in name": broken(lambda e: e["name"].update(fi="<b>Kesäilta</b>")),
    "no HTML in short_description": broken(lambda e: e["short_description"].update(fi="Terassilla<br>kesällä")),
    "location is a reference": broken(lambda e: e.update(location={"name": "Villa Rana"})),
    "keywords are references": broken(lambda e: e.update(keywords=["musiikki"])),
    "no unknown keys": broken(lambda e: e.update(venue="Villa Rana")),
}


@pytest.mark.parametrize("rule", sorted(RULE_BREAKERS))
def test_linked_events_schema_rejects_each_broken_rule(kalenteri, rule):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = by_name(kalenteri)["Kesäilta"]
    assert list(validator.iter_errors([good])) == []
    assert list(validator.iter_errors([RULE_BREAKERS[rule](good)])) != [], rule


def test_linked_events_schema_accepts_bracketed_words_in_names(kalenteri):
    item = copy.deepcopy(by_name(kalenteri)["Kesäilta"])
    item["name"]["fi"] = "Tuottajakahvit: <Tuottaja> & *forum*_teatteri"
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors([item])) == []


# schema.org ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jsonld(workspace, tmp_path_factory):
    out = export(workspace, "jsonld", tmp_path_factory.mktemp("jsonld"))
    return json.loads((out / "events.jsonld").read_text("utf-8"))


def test_schema_org_has_required_properties(jsonld):
    assert len(jsonld) == len(EVENTS)
    for item in jsonld:
        assert item["@context"] == "https://schema.org" and item["@type"] == "Event"
        for key in ("name", "startDate", "eventStatus", "eventAttendanceMode", "location", "description",
                    "offers", "organizer"):
            assert item.get(key), (item["name"], key)
        assert item["eventStatus"].startswith("https://schema.org/Event")
        for offer in item["offers"]:
            assert offer["@type"] == "Offer" and offer["priceCurrency"] == "EUR"
            float(offer["price"])


@pytest.mark.parametrize("event_id", sorted(EVENTS))
def test_schema_org_dates_equal_the_event_file(jsonld, event_id):
    front = EVENTS[event_id][0]
    item = by_name_jsonld(jsonld)[front["title"]]
    start = instant(front["start"])
    if isinstance(start, datetime):
        assert datetime.fromisoformat(item["startDate"]) == start
        assert datetime.fromisoformat(item["startDate"]).utcoffset() == start.utcoffset()
        if "end" in front:
            assert datetime.fromisoformat(item["endDate"]) == instant(front["end"])
    else:
        assert item["startDate"] == front["start"]
        assert item["endDate"] == front.get("end", front["start"])


def by_name_jsonld(objects):
    return {item["name"]: item for item in objects}


def test_schema_org_places_and_online_events(jsonld):
    items = by_name_jsonld(jsonld)
    assert items["Tuottajaleiri yli kevään kellonsiirron"]["location"] == {
        "@type": "Place", "name": "Himos Areena",
        "address": {"@type": "PostalAddress", "streetAddress": "Himoksentie 1", "postalCode": "42100",
                    "addressLocality": "Jämsä", "addressRegion": "Keski-Suomi", "addressCountry": "FI"}}
    online = items["Siirretty verkkotapaaminen"]
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://testi.example.fi/teams"}
    assert online["eventStatus"] == "https://schema.org/EventPostponed"
    assert items["Peruttu kurssi"]["eventStatus"] == "https://schema.org/EventCancelled"
    assert [offer["price"] for offer in items["Tuottajaleiri yli kevään kellonsiirron"]["offers"]] == ["25", "15"]
    assert [offer["price"] for offer in items["Yökeikka yli syksyn kellonsiirron"]["offers"]] == ["12.50"]


# Events that break a target's rules --------------------------------------------------------

BROKEN_SETTINGS = SETTINGS.replace("      Tuottajakahvit: Seminaarit ja keskustelut\n", "")


@pytest.fixture(scope="module")
def broken_workspace(tmp_path_factory):
    events = {
        "2027-06-12-kesailta": EVENTS["2027-06-12-kesailta"],
        "2027-01-16-koko-paiva": EVENTS["2027-01-16-koko-paiva"],
        "2027-05-05-tuntematon-paikka": ({
            "title": "T" * 101, "start": "2027-05-05T18:00", "venue": "Tuntematon sali",
            "municipality": "Laukaa", "category": "Musiikki", "short": "Paikkaa ei ole kalenterissa.",
        }, ""),
    }
    return write_workspace(tmp_path_factory.mktemp("broken"), events, BROKEN_SETTINGS)


def test_unmapped_venue_is_reported_and_left_out(broken_workspace, tmp_path):
    result = run("export", "kalenteri", "--out", str(tmp_path / "k.json"), workspace=broken_workspace, check=False)
    assert result.returncode == 1
    path = broken_workspace / "Events" / "2027-05-05-tuntematon-paikka.md"
    assert f"{path}:4:8: error: venue 'Tuntematon sali' has no place in the regional calendar: add " \
           f"\"Tuntematon sali: <place id>\" under exports.kalenteri.places in tiedote.yml" in result.stderr
    written = json.loads((tmp_path / "k.json").read_text("utf-8"))
    assert [item["name"]["fi"] for item in written] == ["Koko päivän työpaja", "Kesäilta"]


def test_menoinfo_reports_each_broken_rule_and_writes_the_rest(broken_workspace, tmp_path):
    result = run("export", "menoinfo", "--out", str(tmp_path), workspace=broken_workspace, check=False)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    kesailta = broken_workspace / "Events" / "2027-06-12-kesailta.md"
    tuntematon = broken_workspace / "Events" / "2027-05-05-tuntematon-paikka.md"
    assert errors == [
        f"{tuntematon}:2:8: error: 'Tapahtuman nimi' is 101 characters; Menoinfo takes at most 100: shorten it by 1",
        f"{kesailta}:8:11: error: category 'Tuottajakahvit' is not one of Menoinfo's categories: add "
        "\"Tuottajakahvit: <one of Musiikki, Teatteri, Tanssi, Näyttelyt, Elokuvat, Kirjallisuus, Lapset ja "
        "perhe, Seniorit, Festivaalit, Seminaarit ja keskustelut, Kurssit ja työpajat, Messut ja markkinat, "
        "Urheilu ja liikunta, Muut>\" under exports.menoinfo.categories in tiedote.yml",
    ]
    rows, _ = read_menoinfo_csv(tmp_path)
    assert [row[0] for row in rows[1:]] == ["Koko päivän työpaja"]


# The sample workspace and announcements -----------------------------------------------------

@pytest.mark.parametrize("period", [["--month", "2026-12"], []], ids=["2026-12", "all"])
@pytest.mark.parametrize("target", ["ical", "menoinfo", "kalenteri", "jsonld"])
def test_sample_workspace_exports_cleanly(target, period, tmp_path):
    result = run("export", target, *period, "--out", str(tmp_path), workspace=ROOT)
    assert "error:" not in result.stderr
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == {"ical": ["events.ics"], "menoinfo": ["menoinfo.csv", "menoinfo.txt"],
                     "kalenteri": ["kalenteri.json"], "jsonld": ["events.jsonld"]}[target]
    if target == "ical":
        calendar = icalendar.Calendar.from_ical((tmp_path / "events.ics").read_bytes())
        assert len(calendar.walk("VEVENT")) > 0
        vobject.readOne((tmp_path / "events.ics").read_text("utf-8"), validate=True)
    if target == "kalenteri":
        jsonschema.validate(json.loads((tmp_path / "kalenteri.json").read_text("utf-8")), SCHEMA,
                            cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("channel, limit", [("whatsapp", 700), ("linkedin", 1300), ("text", None)])
def test_announce_sample_event(channel, limit):
    event_id = "2026-12-02-tuottajakahvit-villa-rana"
    result = run("announce", event_id, "--channel", channel, workspace=ROOT)
    text = result.stdout
    assert "Tuottajakahvit: resilienssi ja palautuminen tuottajan työssä" in text
    assert "ke 2.12.2026 klo 14.00–16.00" in text
    if limit:
        assert len(text) <= limit
    if channel == "whatsapp":
        assert text.startswith("*Tuottajakahvit: resilienssi")
    if channel == "linkedin":
        assert "*" not in text and "#tuottajakahvit" in text.split()


SAMPLE_EVENTS = sorted(path.stem for path in (ROOT / "Events").glob("*.md"))


@pytest.mark.parametrize("channel, limit", [("whatsapp", 700), ("linkedin", 1300), ("text", None)])
def test_announce_every_sample_event(channel, limit):
    for event_id in SAMPLE_EVENTS:
        result = run("announce", event_id, "--channel", channel, workspace=ROOT)
        assert result.stdout.strip(), event_id
        assert limit is None or len(result.stdout) <= limit, event_id


def test_announce_unknown_event_names_the_id(tmp_path):
    result = run("announce", "ei-ole", workspace=ROOT, check=False)
    assert result.returncode == 1
    assert "error: no event 'ei-ole'" in result.stderr
