"""Benchmark workspaces: copies of the sample workspace with a large generated mailing list, or
with one issue of many generated events. Deterministic (fixed seeds), so every run of
`make bench` measures the same input. Every address is on example.fi; nothing is sent anywhere
but the loopback SMTP sink the benchmark starts."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST_NAMES = [
    "Aino", "Eino", "Helmi", "Väinö", "Sanna", "Juha", "Kaisa", "Matti", "Liisa", "Pekka",
    "Ilona", "Onni", "Elina", "Jussi", "Päivi", "Tuomas", "Sirpa", "Mikko", "Hanna", "Antti",
    "Johanna", "Ville", "Marjatta", "Heikki", "Tiina", "Lauri", "Riikka", "Jari", "Anneli",
    "Eero", "Sari", "Teemu", "Minna", "Kalle", "Outi", "Timo", "Satu", "Petri", "Kirsi",
    "Ilmari", "Åsa", "Jyrki", "Emmi", "Aleksi", "Venla", "Severi", "Iida", "Joonas", "Nelli",
]
SURNAMES = [
    "Mäkelä", "Jääskeläinen", "Hyvönen", "Korhonen", "Virtanen", "Mäkinen", "Nieminen",
    "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen",
    "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen",
    "Salo", "Laitinen", "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila", "Savolainen",
    "Lahtinen", "Ahonen", "Kettunen", "Räsänen", "Pölönen", "Öhman", "Kärkkäinen", "Lindqvist",
]
MUNICIPALITIES = [
    "Hankasalmi", "Joutsa", "Jyväskylä", "Jämsä", "Kannonkoski", "Karstula", "Keuruu", "Kinnula",
    "Kivijärvi", "Konnevesi", "Kyyjärvi", "Laukaa", "Luhanka", "Multia", "Muurame", "Petäjävesi",
    "Pihtipudas", "Saarijärvi", "Toivakka", "Uurainen", "Viitasaari", "Äänekoski",
]
INTERESTS = ["teatteri", "musiikki", "tanssi", "kulttuurimatkailu", "vapaaehtoistoiminta", "rahoitus"]
SOURCES = ["tuottajakahvit", "lomake", "tapahtuma"]
FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "a", "Ö": "o", "Å": "a"})


def copy_sample(dest: Path) -> Path:
    """A fresh copy of the repository's sample workspace (settings, events, issues, templates,
    lists) at `dest`, without Sent/ or out/."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "tiedote.yml", dest / "tiedote.yml")
    for folder in ("Events", "Issues", "Templates", "Lists"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


def set_delivery(workspace: Path, port: int, connections: int, **smtp: object) -> None:
    """Points the workspace's delivery at the loopback sink: smtp, tls none, no rate limit.
    Extra keyword arguments become keys of `delivery.smtp` (e.g. messages_per_connection=100)."""
    path = workspace / "tiedote.yml"
    text = path.read_text(encoding="utf-8")
    extra = "".join(f"    {key}: {value}\n" for key, value in smtp.items())
    block = (
        "delivery:\n"
        "  transport: smtp\n"
        f"  connections: {connections}\n"
        "  smtp:\n"
        f"    url: smtp://127.0.0.1:{port}\n"
        "    tls: none\n"
        f"{extra}"
        "\n"
    )
    text, count = re.subn(r"^delivery:\n(?:[ #].*\n|\n)*?(?=^\S)", block, text, flags=re.M)
    if count != 1:
        raise SystemExit("bench: could not find the delivery section in tiedote.yml")
    path.write_text(text, encoding="utf-8")


HEADER = "email,name,municipality,interests,language,consent_source,consented_at\n"
BLOCK = 100_000


def list_lines(count: int, seed: int = 2026):
    """The rows of `count` fake members as CSV text, in blocks of up to 100,000 lines.

    Finnish names, unique addresses on example.fi, one of the 22 municipalities or none. Drawn
    in bulk (one `choices` call per column and block, one f-string per row) so that a million
    rows take seconds, not minutes; no field needs quoting (names, municipalities and interests hold no comma, quote or line break)."""
    rng = random.Random(seed)
    pairs = [(f"{first}.{last}".lower().translate(FOLD), f"{first} {last}")
             for first in FIRST_NAMES for last in SURNAMES]
    interest_pairs = [f"{a};{b}" for a in INTERESTS for b in INTERESTS if a != b]
    dates = [f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}" for index in range(12 * 28)]
    for start in range(0, count, BLOCK):
        size = min(BLOCK, count - start)
        people = rng.choices(pairs, k=size)
        places = rng.choices(MUNICIPALITIES, k=size)
        interests = rng.choices(interest_pairs, k=size)
        sources = rng.choices(SOURCES, k=size)
        lines = []
        for offset in range(size):
            index = start + offset
            local, name = people[offset]
            # One in twenty rows has no municipality, as in a real list.
            place = "" if index % 20 == 19 else places[offset]
            lines.append(f"{local}.{index}@example.fi,{name},{place},{interests[offset]},fi,"
                         f"{sources[offset]},{dates[index % 336]}\n")
        yield "".join(lines)


def write_list(workspace: Path, count: int, name: str = "members") -> None:
    """Replaces Lists/NAME.csv with `count` generated rows: generated once into
    bench/work/lists/ (deterministic), then copied, so a million rows cost one copy per run."""
    cache = ROOT / "bench" / "work" / "lists" / f"members-{count}.csv"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            handle.write(HEADER)
            for block in list_lines(count):
                handle.write(block)
        partial.rename(cache)
    shutil.copyfile(cache, workspace / "Lists" / f"{name}.csv")


def send_workspace(dest: Path, count: int, port: int, connections: int, **smtp: object) -> Path:
    """The sample workspace with a `count`-row members list, delivering to 127.0.0.1:port."""
    copy_sample(dest)
    write_list(dest, count)
    set_delivery(dest, port, connections, **smtp)
    return dest


EVENT_KINDS = [
    ("Tuottajakahvit", "Tuottajakahvit: {theme}", "Tuottajakahvit"),
    ("Seminaarit ja keskustelut", "Seminaari: {theme}", "Seminaarit ja keskustelut"),
    ("Kurssit ja työpajat", "Työpaja: {theme}", "Kurssit ja työpajat"),
    ("Musiikki", "Konsertti: {theme}", "Musiikki"),
    ("Teatteri", "Esitys: {theme}", "Teatteri"),
    ("Tanssi", "Tanssi-ilta: {theme}", "Tanssi"),
]
THEMES = [
    "apurahat ja rahoitus", "vapaaehtoisten johtaminen", "tapahtumaturvallisuus", "kulttuurimatkailu",
    "saavutettavuus", "viestintä ja markkinointi", "sopimukset ja tekijänoikeudet", "palautuminen",
    "yleisötyö", "kiertuetuotanto", "kestävä tapahtumatuotanto", "verkostot maakunnassa",
]
VENUES = [
    ("Villa Rana", "Kauppakatu 1, 40100 Jyväskylä", "Jyväskylä"),
    ("Keuruun kirjasto", "Multiantie 5, 42700 Keuruu", "Keuruu"),
    ("Laukaan kirjasto", "Laukaantie 8, 41340 Laukaa", "Laukaa"),
    ("Joutsan kirjasto", "Jousitie 12, 19650 Joutsa", "Joutsa"),
    ("Jämsän kaupungintalo", "Tiilikankaantie 2, 42100 Jämsä", "Jämsä"),
    ("Saarijärven museo", "Herajärventie 2, 43100 Saarijärvi", "Saarijärvi"),
    ("Wiitaunioni", "Viitasaarentie 1, 44500 Viitasaari", "Viitasaari"),
    ("Muuramesali", "Virastotie 8, 40950 Muurame", "Muurame"),
]
DESCRIPTION = """\
Tapaamisen teemana on **{theme}**. Alustajina ovat keskisuomalaiset tuottajat, jotka kertovat
omista kokemuksistaan ja siitä, mitä he tekisivät nyt toisin. Sen jälkeen jatketaan pienissä
ryhmissä:

- mikä toimii jo nyt hyvin?
- missä tarvitaan verkoston apua?
- mitä kokeilisimme ensi keväänä?

Tilaisuus on avoin kaikille tuottajan työtä tekeville ja alan opiskelijoille. Kahvi ja pientä
purtavaa on tarjolla. Lisätietoja [verkoston sivuilta](https://tuottajaverkosto.example.fi/).
"""


def compose_workspace(dest: Path, events: int = 60, month: str = "2026-12") -> Path:
    """The sample workspace with only issue `month` and `events` generated events in it."""
    copy_sample(dest)
    shutil.rmtree(dest / "Events")
    (dest / "Events").mkdir()
    for issue in (dest / "Issues").iterdir():
        if issue.stem != month:
            issue.unlink()
    year, mon = (int(part) for part in month.split("-"))
    rng = random.Random(60)
    for index in range(events):
        day = 1 + index * 30 // events
        hour = 9 + (index * 5) % 10
        category, pattern, _ = EVENT_KINDS[index % len(EVENT_KINDS)]
        theme = THEMES[index % len(THEMES)]
        venue, address, municipality = rng.choice(VENUES)
        title = pattern.format(theme=theme) + f" ({index + 1})"
        status = "cancelled" if index % 17 == 16 else "scheduled"
        text = (
            "---\n"
            f'title: "{title}"\n'
            f"start: {year}-{mon:02d}-{day:02d}T{hour:02d}:00\n"
            f"end: {year}-{mon:02d}-{day:02d}T{hour + 2:02d}:00\n"
            f"venue: {venue}\n"
            f'address: "{address}"\n'
            f"municipality: {municipality}\n"
            f"category: {category}\n"
            f'short: "Tapaaminen aiheesta {theme}: puheenvuoroja, keskustelua ja kahvit."\n'
            f"price: {'Maksuton' if index % 3 else '10 € / 5 €'}\n"
            f"registration: https://tuottajaverkosto.example.fi/ilmoittaudu/tapahtuma-{index + 1}\n"
            "organizer: Keski-Suomen tuottajaverkosto\n"
            f"status: {status}\n"
            "tags: [tuottajakahvit]\n"
            "---\n" + DESCRIPTION.format(theme=theme)
        )
        name = f"{year}-{mon:02d}-{day:02d}-tapahtuma-{index + 1:02d}.md"
        (dest / "Events" / name).write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    import sys

    kind, where = sys.argv[1], Path(sys.argv[2])
    if kind == "send":
        send_workspace(where, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    elif kind == "compose":
        compose_workspace(where)
    else:
        raise SystemExit("usage: fixtures.py send DIR COUNT PORT [CONNECTIONS] | compose DIR")
