"""End-to-end tests of the list commands: the built `tiedote` binary on a copy of the
audience fixture workspace, its outputs read back with Python's own csv, hmac, hashlib and
xml parsers (independent of the Swift code under test)."""

import base64
import csv
import hashlib
import hmac
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("TIEDOTE_BIN", ROOT / ".build" / "debug" / "tiedote"))
FIXTURES = ROOT / "Tests" / "TiedoteAudienceTests" / "Fixtures"
SECRET = "integration-test-secret-7f3a-0123456789abcdef"
SECRET_ENV = "TIEDOTE_TEST_UNSUBSCRIBE_SECRET"


@pytest.fixture
def ws(tmp_path):
    target = tmp_path / "ws"
    shutil.copytree(FIXTURES / "workspace", target)
    # The sample workspace's templates: `check` reads them too.
    shutil.copytree(ROOT / "Templates", target / "Templates")
    return target


def run(ws, *args, secret=None, check=True):
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    if secret is not None:
        env[SECRET_ENV] = secret
    result = subprocess.run(
        [str(BIN), *args, "--workspace", str(ws)],
        capture_output=True, text=True, env=env, cwd=ws)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def read_list(ws, name="members"):
    with open(ws / "Lists" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_import_every_dialect(ws):
    for name in ["excel-fi-cp1252.csv", "excel-utf8-bom.csv", "sheets-multiline.csv"]:
        run(ws, "lists", "import", str(FIXTURES / name), "--list", "members")
    rows = read_list(ws)
    by_email = {r["email"]: r for r in rows}
    assert list(rows[0].keys()) == ["email", "name", "municipality", "interests", "language",
                                    "consent_source", "consented_at"]
    # Windows-1252 letters came through as the right characters.
    assert by_email["aino.aijala@example.fi"]["name"] == "Aino Äijälä"
    assert by_email["olli.ohman@example.fi"]["municipality"] == "Äänekoski"
    assert by_email["olli.ohman@example.fi"]["consented_at"] == "2026-02-15T14:05"
    assert by_email["asta.astrom@example.fi"]["name"] == "Åsta Åström"
    assert by_email["pekka@example.fi"]["name"] == 'Pekka "Pete"; Juhani Puolipiste'
    # BOM file: language names mapped, the IDN domain in ASCII form.
    assert by_email["sven.svensson@example.fi"]["language"] == "sv"
    assert "juha@xn--kyl-sla.example.fi" in by_email
    assert "kylä".encode("idna") == b"xn--kyl-sla"
    # Multi-line quoted notes did not leak into the list; interests kept.
    assert by_email["liisa@example.fi"]["interests"] == "tanssi;sirkus"
    assert by_email["matti@example.fi"]["name"] == "Virtanen, Matti"
    # The existing members are still there, first and unchanged.
    assert rows[0]["email"] == "aino@example.fi" and rows[0]["interests"] == "tanssi;teatteri"
    assert len(rows) == 7 + 4 + 3 + 2
    # The merged list reads back strictly.
    assert run(ws, "lists", "stats", "members").stdout.startswith("members: 16 subscribers")


def test_import_reports_what_it_detected(ws):
    out = run(ws, "lists", "import", str(FIXTURES / "excel-fi-cp1252.csv"), "--list", "new").stdout
    assert "Windows-1252, separator ';', 4 rows" in out
    assert "ignored: Jäsenmaksu" in out
    out = run(ws, "lists", "import", str(FIXTURES / "excel-utf8-bom.csv"), "--list", "new").stdout
    assert "UTF-8 with BOM, separator ';', 3 rows" in out


def test_bad_rows_are_reported_and_written_to_rejects(ws):
    result = run(ws, "lists", "import", str(FIXTURES / "bad-rows.csv"), "--list", "members")
    lines = re.findall(r"bad-rows\.csv:(\d+):\d+: warning: (.*); row not imported", result.stderr)
    assert [int(n) for n, _ in lines] == [3, 4, 5, 6, 7, 8, 9, 13]
    assert "1 suppressed address not added (lines 12 unsubscribed)" in result.stdout
    with open(ws / "out" / "lists" / "members.rejects.csv", encoding="utf-8-sig", newline="") as f:
        rejects = list(csv.reader(f))
    assert rejects[0] == ["line", "reason", "email", "name", "municipality", "consented_at"]
    assert [r[0] for r in rejects[1:]] == ["3", "4", "5", "6", "7", "8", "9", "13"]
    assert rejects[1][1].endswith("the address has no @")
    emails = [r["email"] for r in read_list(ws)]
    assert "good.one@example.fi" in emails and "unsubscribed@example.fi" not in emails
    assert emails.count("good.one@example.fi") == 1


def token(list_name, address, secret=SECRET):
    """The token format, written from its description: base64url(list \\n address) . base64url(HMAC)."""
    payload = f"{list_name}\n{address}".encode()
    mac = hmac.new(secret.encode(), b"tiedote-unsubscribe-v1\n" + payload, hashlib.sha256).digest()
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    return f"{b64(payload)}.{b64(mac)}"


def suppressed(ws):
    with open(ws / "Lists" / "suppressed.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_unsubscribe_token_made_independently_is_accepted(ws):
    result = run(ws, "unsubscribe", "--token", token("members", "eero@example.fi"), secret=SECRET)
    assert "eero@example.fi unsubscribed (token for list members)" in result.stdout
    assert suppressed(ws)[-1]["email"] == "eero@example.fi"
    assert suppressed(ws)[-1]["reason"] == "unsubscribed"


@pytest.mark.parametrize("forged", [
    token("members", "eero@example.fi", secret="wrong-secret"),
    token("members", "eero@example.fi")[:-3] + "AAA",
    token("members", "eero@example.fi").split(".")[0] + "." + token("members", "kalle@example.fi").split(".")[1],
    "not-a-token",
])
def test_forged_or_altered_tokens_are_refused(ws, forged):
    before = (ws / "Lists" / "suppressed.csv").read_bytes()
    result = run(ws, "unsubscribe", "--token", forged, secret=SECRET, check=False)
    assert result.returncode != 0
    assert "token refused" in result.stderr
    assert (ws / "Lists" / "suppressed.csv").read_bytes() == before


def test_token_without_secret_says_what_to_set(ws):
    result = run(ws, "unsubscribe", "--token", token("members", "eero@example.fi"), check=False)
    assert result.returncode != 0
    assert SECRET_ENV in result.stderr


def test_forget_leaves_the_address_nowhere(ws):
    address = "aino@example.fi"
    (ws / "Sent" / "2026-12-members").mkdir(parents=True)
    (ws / "Sent" / "2026-12-members" / "journal.log").write_text(
        f"sent {address} <m1@x>\nsent paino@example.fi <m2@x>\n", encoding="utf-8")
    (ws / "out" / "outbox" / "new").mkdir(parents=True)
    (ws / "out" / "outbox" / "new" / "1.eml").write_text(f"To: <{address.upper()}>\r\n\r\nHei\r\n")
    run(ws, "unsubscribe", "AINO@example.fi")
    run(ws, "forget", "Aino@Example.fi")
    pattern = re.compile(r"(?<![\w.%+-])" + re.escape(address) + r"(?![\w-])", re.IGNORECASE)
    for path in ws.rglob("*"):
        if path.is_file():
            assert not pattern.search(path.read_bytes().decode("utf-8", "replace")), path
    rows = [r for r in suppressed(ws) if r["reason"] == "forgotten"]
    assert len(rows) == 1
    kind, salt, digest = rows[0]["email"].split(":")
    assert kind == "sha256"
    assert hashlib.sha256(f"{salt}:{address}".encode()).hexdigest() == digest
    journal = (ws / "Sent" / "2026-12-members" / "journal.log").read_text()
    assert f"sent {rows[0]['email']} <m1@x>" in journal and "paino@example.fi" in journal
    # A later import cannot bring it back.
    (ws / "again.csv").write_text("sähköposti;nimi\nAINO@EXAMPLE.FI;Aino\n", encoding="utf-8")
    out = run(ws, "lists", "import", str(ws / "again.csv"), "--list", "members").stdout
    assert "1 suppressed address not added (lines 2 forgotten)" in out
    (ws / "again.csv").unlink()
    assert address not in {r["email"].lower() for r in read_list(ws)}


def test_stats_with_segment(ws):
    out = run(ws, "lists", "stats", "members", "--segment", "interests=tanssi").stdout
    assert out.splitlines()[0] == "members: 7 subscribers, 1 suppressed, 3 recipients in segment interests=tanssi"
    result = run(ws, "lists", "stats", "--segment", "kunta=Tampere", check=False)
    assert result.returncode != 0 and "not one of the 22 municipalities" in result.stderr


def test_reach_csv_numbers(ws):
    out = run(ws, "reach", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv").stdout
    rows = {r["municipality"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len([m for m in rows if not m.startswith("(") and m != "verkossa"]) == 22
    assert (rows["Jyväskylä"]["events"], rows["Jyväskylä"]["subscribers"]) == ("3", "2")
    assert (rows["Saarijärvi"]["events"], rows["Saarijärvi"]["last_event"]) == ("2", "2026-09-20")
    assert rows["Kinnula"]["gap"] == "no events"
    assert rows["Jämsä"]["last_event"] == "2025-08-15" and rows["Jämsä"]["gap"] == "nothing"
    assert rows["verkossa"]["events"] == "1"


def test_reach_svg_is_self_contained(ws, tmp_path):
    run(ws, "reach", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "svg")
    svg = ws / "out" / "reach.svg"
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Jyväskylä" in texts and "Äänekoski" in texts
    assert not any("href" in attr for el in root.iter() for attr in el.attrib)
    if shutil.which("rsvg-convert"):
        png = tmp_path / "reach.png"
        subprocess.run(["rsvg-convert", str(svg), "-o", str(png)], check=True)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def front_matter(path):
    """The simple `key: value` lines of an event file's front matter."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    values = {}
    for line in lines[1:end]:
        match = re.match(r"^(\w+):\s*(.*?)\s*(#.*)?$", line)
        if match:
            values[match.group(1)] = match.group(2).strip('"')
    return values


@pytest.mark.skipif(not (ROOT / "Lists" / "members.csv").exists(), reason="no sample list in the repository")
def test_reach_numbers_for_the_sample_workspace():
    """`reach` on the repository's own sample workspace, checked against counts made here
    from the event files and the list."""
    first, last = "2026-12-01", "2027-03-31"
    events, latest = {}, {}
    for path in sorted((ROOT / "Events").glob("*.md")):
        fm = front_matter(path)
        if fm.get("status") == "cancelled":
            continue
        start = fm["start"][:10]
        end = fm.get("end", fm["start"])[:10]
        place = fm["municipality"]
        if start <= last and end >= first:
            events[place] = events.get(place, 0) + 1
        if start <= last:
            latest[place] = max(latest.get(place, ""), start)
    with open(ROOT / "Lists" / "suppressed.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    plain = {r["email"].lower() for r in rows if not r["email"].startswith("sha256:")}
    hashed = [r["email"].split(":")[1:] for r in rows if r["email"].startswith("sha256:")]

    def suppressed_address(address):
        key = address.lower()
        return key in plain or any(hashlib.sha256(f"{s}:{key}".encode()).hexdigest() == h for s, h in hashed)

    people = {}
    for path in sorted((ROOT / "Lists").glob("*.csv")):
        if path.name == "suppressed.csv":
            continue
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if not suppressed_address(row["email"]):
                    people[row["email"].lower()] = row["municipality"]
    subscribers = {}
    for place in people.values():
        subscribers[place] = subscribers.get(place, 0) + 1

    out = subprocess.run([str(BIN), "reach", "--from", first, "--to", last, "--format", "csv"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    reported = {r["municipality"]: r for r in csv.DictReader(io.StringIO(out))}
    municipalities = [m for m in reported if m not in ("verkossa", "(no municipality)")]
    assert len(municipalities) == 22
    for place in municipalities:
        row = reported[place]
        assert int(row["events"]) == events.get(place, 0), place
        assert int(row["subscribers"]) == subscribers.get(place, 0), place
        assert row["last_event"] == latest.get(place, ""), place
        expected_gap = {(True, True): "nothing", (True, False): "no events", (False, True): "no subscribers"}.get(
            (events.get(place, 0) == 0, subscribers.get(place, 0) == 0), "")
        assert row["gap"] == expected_gap, place
    assert int(reported["verkossa"]["events"]) == events.get("verkossa", 0)
    assert int(reported["(no municipality)"]["subscribers"]) == subscribers.get("", 0)
