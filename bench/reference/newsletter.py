"""The Python reference for `make bench`: the newsletter sender a volunteer would write.

Jinja2 for the template, `markdown` for Markdown → HTML, the standard library's `email` for
MIME and `smtplib` on one connection, rendering every recipient's message in full. It reads the
same workspace (tiedote.yml, Events/, Issues/, Lists/) and produces the same personalised
content as `tiedote send`, without Tiedote's per-issue preparation, journal or retries.

    python newsletter.py send WORKSPACE MONTH --port PORT     send to 127.0.0.1:PORT
    python newsletter.py render WORKSPACE MONTH --count N     render + MIME only, no sending
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import hmac
import os
import re
import smtplib
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

import jinja2
import markdown
import yaml

HERE = Path(__file__).resolve().parent
WEEKDAYS = ["ma", "ti", "ke", "to", "pe", "la", "su"]
MONTHS = ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
          "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"]
STATUS_TEXT = {"cancelled": "PERUTTU", "postponed": "SIIRRETTY"}


def front_matter(path: Path):
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body.strip()


def clock(moment: datetime.datetime) -> str:
    return f"{moment.hour}.{moment.minute:02d}"


def day(moment) -> str:
    return f"{WEEKDAYS[moment.weekday()]} {moment.day}.{moment.month}.{moment.year}"


def when(start, end) -> str:
    if not isinstance(start, datetime.datetime):
        return day(start)
    if end is None:
        return f"{day(start)} klo {clock(start)}"
    if end.date() == start.date():
        return f"{day(start)} klo {clock(start)}–{clock(end)}"
    return f"{day(start)} klo {clock(start)} – {day(end)} klo {clock(end)}"


def moment(value):
    """YAML reads `2026-12-02T14:00` as text and `2026-12-02` as a date."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.datetime.fromisoformat(str(value))


def load_events(workspace: Path, year: int, month: int):
    events = []
    for path in sorted((workspace / "Events").glob("*.md")):
        meta, body = front_matter(path)
        start, end = moment(meta["start"]), moment(meta.get("end"))
        if (start.year, start.month) != (year, month):
            continue
        online = meta["municipality"] == "verkossa"
        events.append({
            **meta,
            "sort": str(start),
            "when": when(start, end),
            "place": f"{meta['venue']} (verkossa)" if online else f"{meta['venue']}, {meta['municipality']}",
            "status_text": STATUS_TEXT.get(meta.get("status", "scheduled"), ""),
            "is_cancelled": meta.get("status") == "cancelled",
            "description": body,
        })
    events.sort(key=lambda event: event["sort"])
    return events


def coordinator(settings, issue_meta, year: int, month: int):
    wanted = issue_meta.get("coordinator")
    if not wanted:
        rotation = settings["rotation"]
        first_year, first_month = (int(part) for part in str(rotation["first_month"]).split("-"))
        turn = ((year - first_year) * 12 + month - first_month) // rotation["months_per_turn"]
        wanted = rotation["order"][turn % len(rotation["order"])]
    return next(item for item in settings["coordinators"] if item["id"] == wanted)


def text_part(merged: str) -> str:
    """Plain text from the merged Markdown: links written out, emphasis markers dropped."""
    text = re.sub(r"!\[([^\]]*)\]\(([^)]*)\)", r"[\1]", merged)
    text = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 <\2>", text)
    return text.replace("**", "").replace("*", "")


class Reference:
    def __init__(self, workspace: Path, month: str):
        self.workspace = workspace
        self.settings = yaml.safe_load((workspace / "tiedote.yml").read_text(encoding="utf-8"))
        self.issue, self.editorial = front_matter(workspace / "Issues" / f"{month}.md")
        year, mon = (int(part) for part in month.split("-"))
        self.month = month
        self.events = load_events(workspace, year, mon)
        self.coordinator = coordinator(self.settings, self.issue, year, mon)
        self.secret = os.environ.get("TIEDOTE_UNSUBSCRIBE_SECRET", "bench-secret").encode()
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), trim_blocks=True)
        html_environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True)
        self.body = environment.get_template("newsletter.md.j2")
        self.layout = html_environment.get_template("layout.html.j2")
        self.base = {
            "network": self.settings["network"], "coordinator": self.coordinator,
            "subject": self.issue["subject"], "preheader": self.issue.get("preheader", ""),
            "month_name": MONTHS[mon - 1], "month_name_inessive": MONTHS[mon - 1] + "ssa", "year": year,
            "editorial": self.editorial, "events": self.events,
        }
        self.sender = formataddr((self.coordinator["name"], self.coordinator["email"]))
        self.date = format_datetime(datetime.datetime.now(datetime.timezone.utc))

    def subscribers(self):
        suppressed = set()
        with open(self.workspace / "Lists" / "suppressed.csv", encoding="utf-8", newline="") as handle:
            suppressed = {row["email"].lower() for row in csv.DictReader(handle)}
        with open(self.workspace / "Lists" / "members.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["email"].lower() not in suppressed:
                    yield row

    def message(self, row) -> EmailMessage:
        token = hmac.new(self.secret, f"members:{row['email'].lower()}".encode(), hashlib.sha256).hexdigest()[:32]
        url = self.settings["unsubscribe"]["url"].replace("{token}", token)
        recipient = {
            "name": row["name"], "first_name": row["name"].split(" ")[0], "email": row["email"],
            "municipality": row["municipality"], "unsubscribe_url": url,
            "local_events": [event for event in self.events if event["municipality"] == row["municipality"]],
        }
        merged = self.body.render(**self.base, recipient=recipient)
        content = markdown.markdown(merged)
        html = self.layout.render(**self.base, recipient=recipient, content=content)
        message = EmailMessage()
        message["From"] = self.sender
        if self.coordinator.get("reply_to"):
            message["Reply-To"] = self.coordinator["reply_to"]
        message["To"] = formataddr((row["name"], row["email"]))
        message["Subject"] = self.issue["subject"]
        message["Date"] = self.date
        message["Message-ID"] = f"<{self.month}.members.{token[:16]}@{self.settings['network']['domain']}>"
        message["List-Unsubscribe"] = f"<{url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(text_part(merged), cte="quoted-printable")
        message.add_alternative(html, subtype="html", cte="quoted-printable")
        return message


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["send", "render"])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("month")
    parser.add_argument("--port", type=int)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--limit", type=int, help="send to the first LIMIT recipients only")
    arguments = parser.parse_args()
    reference = Reference(arguments.workspace, arguments.month)
    start = time.perf_counter()
    sent = 0
    size = 0
    if arguments.mode == "send":
        if not arguments.port:
            parser.error("send needs --port")
        with smtplib.SMTP("127.0.0.1", arguments.port) as smtp:
            for row in reference.subscribers():
                if arguments.limit is not None and sent >= arguments.limit:
                    break
                smtp.send_message(reference.message(row))
                sent += 1
    else:
        rows = list(reference.subscribers())
        start = time.perf_counter()
        cpu = time.thread_time()
        for index in range(arguments.count):
            size += len(reference.message(rows[index % len(rows)]).as_bytes())
            sent += 1
        cpu = time.thread_time() - cpu
        print(f"render: {sent} messages in {cpu:.3f} s CPU = {sent / cpu:.1f} msg/s, {size // sent} bytes each")
        return 0
    seconds = time.perf_counter() - start
    print(f"send: {sent} messages in {seconds:.3f} s = {sent / seconds:.1f} msg/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
