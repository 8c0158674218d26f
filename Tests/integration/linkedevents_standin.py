"""A Linked Events API stand-in for the `publish kalenteri` tests: an HTTP server on 127.0.0.1
that keeps events in memory and applies the rules the real API applies to an event body.

Every rule is written from City-of-Helsinki/linkedevents and cites where it comes from:

- `apikey` header required for writes: `linkedevents/settings.py` REST_FRAMEWORK
  (`DEFAULT_PERMISSION_CLASSES` = IsAuthenticatedOrReadOnly, `DEFAULT_AUTHENTICATION_CLASSES`
  with `events.auth.ApiKeyAuthentication`).
- text cleaning: `events/utils.py` `clean_text_fields` (older releases: `events/api.py`), called
  from `events/serializers.py` `EventSerializer.validate` with `allowed_html_fields=["description"]`:
  description keeps `settings.BLEACH_ALLOWED_TAGS` (`linkedevents/settings.py`: bleach's
  defaults a abbr acronym b blockquote code em i li ol strong ul, plus p div br), other tags are
  escaped into text; every other field is escaped, then `&amp;` turned back into `&`.
- required to publish: `EventSerializer.fields_needed_to_publish` and `EventSerializer.validate`:
  keywords, location, start_time; for each language with a name, short_description and
  description; short_description at most 160 characters, counted after cleaning.
- offers: `EventSerializer.validate`, at least one offer with `is_free`.
- no end_time: `EventSerializer.validate` sets `utils.start_of_next_day(start_time)`
  (`events/utils.py` `start_of_next_day`); a bare date is a day without a time
  (`events/utils.py` `parse_time`, `parse_end_time`: an end date means the next midnight).
- end in the past: `EventSerializer.validate`, "End time cannot be in the past" unless the data
  source has `create_past_events` (`edit_past_events` for updates).
- cancelled events skip the publishing checks: `EventSerializer.validate`
  (`event_status == CANCELLED`), as does a PUT whose start_time is null.
- create: `EventSerializer.create` gives an id `data_source:…` (`generate_id`) and forces
  `event_status` to EventScheduled.
- update: `EventSerializer.update`: no editing a past event (403 "Cannot edit a past event.");
  EventPostponed/EventRescheduled cannot be set by a client; a public event cancelled or
  postponed cannot be set back to EventScheduled, and keeps its status otherwise; a changed
  start_time makes it EventRescheduled, a null start_time EventPostponed.
- references: `linkedevents/fields.py` `JSONLDRelatedField.to_internal_value` resolves an
  `@id` by its URL path (view `place-detail` / `keyword-detail` under the API's base);
  `EventSerializer.validate_keywords` refuses deprecated keywords.
- search: `events/api.py` `_filter_event_queryset`: `text` (case-insensitive, in names),
  `start` (events that end after it, or start at or after it), `end` (events that start by
  its end; a date means its next midnight); answers are paginated as {"meta", "data"}.

Misbehaviour for the tests: `fail_next` (statuses answered before the real handling),
`hold_posts` (store the event, then hold the answer until `release`), `drop_next_post` (store
the event, then close the connection without an answer).
"""

from __future__ import annotations

import html
import json
import re
import ssl
import threading
import time
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
ALLOWED_TAGS = {"a", "abbr", "acronym", "b", "blockquote", "code", "em", "i", "li", "ol", "strong", "ul",
                "p", "div", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "acronym": {"title"}}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"]*\")?)*)\s*/?>")


def bleach_clean(value: str, tags: set[str]) -> str:
    """bleach.clean with `tags` kept (their allowed attributes only) and other tags escaped."""
    out, last = [], 0
    for match in TAG.finditer(value):
        out.append(_escape_text(value[last:match.start()]))
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name in tags:
            kept = [f' {k}="{v}"' for k, v in re.findall(r'([a-zA-Z-]+)="([^"]*)"', attributes)
                    if k.lower() in ALLOWED_ATTRIBUTES.get(name, set())]
            out.append(f"<{closing}{name}{''.join(kept)}>")
        else:
            out.append(html.escape(match.group(0), quote=False))
        last = match.end()
    out.append(_escape_text(value[last:]))
    return "".join(out)


def _escape_text(text: str) -> str:
    # bleach leaves character references alone and escapes a bare & < >.
    text = re.sub(r"&(?![a-zA-Z]+;|#[0-9]+;|#x[0-9a-fA-F]+;)", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def clean_text_fields(data: dict) -> dict:
    """events/utils.py clean_text_fields(data, allowed_html_fields=["description"])."""
    for key, value in data.items():
        if isinstance(value, dict) and key in ("name", "short_description", "description", "provider", "info_url"):
            for lang, text in value.items():
                if isinstance(text, str) and any(c in text for c in "<>&"):
                    if key == "description":
                        value[lang] = bleach_clean(text, ALLOWED_TAGS)
                    else:
                        value[lang] = bleach_clean(text, set()).replace("&amp;", "&")
    return data


def parse_time(text: str, end: bool = False) -> tuple[datetime, bool]:
    """events/utils.py parse_time / parse_end_time: a date is local midnight (an end date the
    next midnight); a naive time is UTC."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text) + timedelta(days=1 if end else 0)
        return datetime.combine(day, datetime.min.time(), HELSINKI), True
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value, False


def start_of_next_day(value: datetime) -> datetime:
    """events/utils.py start_of_next_day."""
    local = value.astimezone(HELSINKI)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), HELSINKI)


class LinkedEventsStandIn:
    def __init__(self, api_key: str, places: set[str], keywords: set[str], data_source: str = "kskalenteri",
                 tls: tuple | None = None):
        self.api_key = api_key
        self.places = places
        self.keywords = keywords
        self.data_source = data_source
        self.events: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.fail_next: list[int] = []
        self.hold_posts = False
        self.held = threading.Event()       # set once a held POST has stored its event
        self.release = threading.Event()
        self.drop_next_post = False
        self._counter = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        scheme = "http"
        if tls:
            # (cert.pem, key.pem): HTTPS with a certificate no system store trusts.
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*[str(p) for p in tls])
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.base = f"{scheme}://127.0.0.1:{self.server.server_address[1]}/v1/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "LinkedEventsStandIn":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def live(self) -> list[dict]:
        return [e for e in self.events.values() if not e.get("deleted")]

    # --- the API -----------------------------------------------------------------------------

    def reference_id(self, value, kind: str, errors: dict, field: str):
        """linkedevents/fields.py JSONLDRelatedField.to_internal_value: the @id must be this
        API's own `<base><kind>/<id>/` of an existing object."""
        url = value.get("@id", "") if isinstance(value, dict) else ""
        match = re.fullmatch(re.escape(self.base) + kind + r"/([^/]+)/", url)
        known = self.places if kind == "place" else self.keywords
        if not match:
            errors.setdefault(field, []).append(f"Incorrect URL - {url!r} is not a {kind} of this API.")
            return None
        if match.group(1) not in known:
            errors.setdefault(field, []).append("Invalid hyperlink - Object does not exist.")
            return None
        return match.group(1)

    def validate(self, data: dict, instance: dict | None, method: str) -> tuple[dict | None, dict]:
        """events/serializers.py EventSerializer.validate (and parse_datetimes)."""
        errors: dict = {}
        data = clean_text_fields(data)
        status = data.get("event_status")
        if status not in (None, "EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled"):
            # events/fields.py EnumChoiceField.to_internal_value
            return None, {"event_status": [f'Invalid value "{status}"']}
        for field in ("start_time", "end_time"):
            if isinstance(data.get(field), str):
                data[field], is_date = parse_time(data[field], end=field == "end_time")
                data[f"has_{field}"] = not is_date
        if data.get("location") is not None:
            self.reference_id(data["location"], "place", errors, "location")
        for keyword in data.get("keywords") or []:
            self.reference_id(keyword, "keyword", errors, "keywords")
        # Cancelled events, and a PUT with a null start_time, skip the publishing checks.
        if status == "EventCancelled" or (method == "PUT" and "start_time" in data and not data["start_time"]):
            return (None, errors) if errors else (data, {})
        names = data.get("name") or {}
        for field in ("keywords", "location", "start_time"):
            if not data.get(field):
                errors[field] = "This field must be specified before an event is published."
        for field in ("short_description", "description"):
            for lang, name in names.items():
                text = (data.get(field) or {}).get(lang)
                if name and not text:
                    errors.setdefault(field, {})[lang] = "This field must be specified before an event is published."
                if text and field == "short_description" and len(text) > 160:
                    errors.setdefault(field, {})[lang] = "Short description length must be 160 characters or less"
        if not any("is_free" in offer for offer in data.get("offers") or []):
            errors["offers"] = "Price info must be specified before an event is published."
        if not data.get("end_time") and data.get("start_time"):
            data["has_end_time"] = False
            data["end_time"] = start_of_next_day(data["start_time"])
        if data.get("end_time") and data["end_time"] < datetime.now(timezone.utc):
            errors["end_time"] = "End time cannot be in the past. Please set a future end time."
        return (None, errors) if errors else (data, {})

    def create(self, data: dict) -> dict:
        """events/serializers.py EventSerializer.create: server id, forced EventScheduled."""
        with self.lock:
            self._counter += 1
            event_id = f"{self.data_source}:agg{self._counter:04d}"
        data["id"] = event_id
        data["@id"] = f"{self.base}event/{event_id}/"
        data["event_status"] = "EventScheduled"
        data["publication_status"] = "public"
        self.events[event_id] = data
        return data

    def update(self, instance: dict, data: dict) -> tuple[int, dict]:
        """events/serializers.py EventSerializer.update."""
        if instance.get("end_time") and instance["end_time"] < datetime.now(timezone.utc):
            return 403, {"detail": "Cannot edit a past event."}
        status = data.get("event_status")
        if status in ("EventPostponed", "EventRescheduled") and status != instance["event_status"]:
            return 400, {"event_status": ["POSTPONED and RESCHEDULED statuses cannot be set directly."]}
        if status != "EventCancelled":
            if instance["event_status"] != "EventScheduled":
                if status == "EventScheduled":
                    return 400, {"event_status": ["Public events cannot be set back to SCHEDULED."]}
                data["event_status"] = instance["event_status"]
            else:
                data["event_status"] = "EventScheduled"
            if "start_time" in data:
                if not data["start_time"]:
                    data["event_status"] = "EventPostponed"
                elif data["start_time"] != instance["start_time"]:
                    data["event_status"] = "EventRescheduled"
        data["id"], data["@id"] = instance["id"], instance["@id"]
        self.events[instance["id"]] = data
        return 200, data

    def search(self, query: dict) -> list[dict]:
        """events/api.py _filter_event_queryset: text, start, end."""
        found = self.live()
        if "text" in query:
            text = query["text"][0].lower()
            found = [e for e in found if any(text in (n or "").lower() for n in (e.get("name") or {}).values())]
        if "start" in query:
            start, _ = parse_time(query["start"][0])
            found = [e for e in found if (e.get("end_time") and e["end_time"] > start and e.get("has_end_time"))
                     or (e.get("start_time") and e["start_time"] >= start)]
        if "end" in query:
            end, _ = parse_time(query["end"][0], end=True)
            found = [e for e in found if (e.get("end_time") and e["end_time"] < end)
                     or (e.get("start_time") and e["start_time"] <= end)]
        return found

    @staticmethod
    def represent(event: dict) -> dict:
        out = {}
        for key, value in event.items():
            if isinstance(value, datetime):
                # The API writes times in UTC with a Z; a date-only start as the date.
                if key == "start_time" and not event.get("has_start_time", True):
                    value = value.astimezone(HELSINKI).date().isoformat()
                else:
                    value = value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            out[key] = value
        return out

    # --- HTTP --------------------------------------------------------------------------------

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def answer(self, status: int, body=None):
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def handle_any(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                with standin.lock:
                    # A copy: validation cleans the body in place.
                    standin.requests.append({"method": method, "path": self.path, "body": json.loads(raw) if raw else None,
                                             "apikey": self.headers.get("apikey")})
                    failure = standin.fail_next.pop(0) if standin.fail_next else None
                if failure:
                    return self.answer(failure, {"detail": "Service Unavailable"})
                parts = urlsplit(self.path)
                if not parts.path.startswith("/v1/event/"):
                    return self.answer(404, {"detail": "Not found."})
                if method != "GET" and self.headers.get("apikey") != standin.api_key:
                    return self.answer(401, {"detail": "Authentication credentials were not provided."})
                rest = parts.path[len("/v1/event/"):].strip("/")
                if method == "GET" and not rest:
                    found = [standin.represent(e) for e in standin.search(parse_qs(parts.query))]
                    return self.answer(200, {"meta": {"count": len(found), "next": None, "previous": None},
                                             "data": found})
                if method == "POST" and not rest:
                    return self.post(body or {})
                instance = standin.events.get(rest)
                if instance is None or instance.get("deleted"):
                    return self.answer(404, {"detail": "Not found."})
                if method == "PUT":
                    data, errors = standin.validate(body or {}, instance, "PUT")
                    if errors:
                        return self.answer(400, errors)
                    status, result = standin.update(instance, data)
                    return self.answer(status, standin.represent(result))
                if method == "DELETE":
                    instance["deleted"] = True
                    return self.answer(204)
                return self.answer(405, {"detail": "Method not allowed."})

            def post(self, body: dict):
                data, errors = standin.validate(body, None, "POST")
                if errors:
                    return self.answer(400, errors)
                created = standin.create(data)
                if standin.drop_next_post:
                    standin.drop_next_post = False
                    self.close_connection = True
                    self.connection.close()
                    return None
                if standin.hold_posts:
                    standin.held.set()
                    standin.release.wait(600)
                return self.answer(201, standin.represent(created))

            def do_GET(self):
                self.handle_any("GET")

            def do_POST(self):
                self.handle_any("POST")

            def do_PUT(self):
                self.handle_any("PUT")

            def do_DELETE(self):
                self.handle_any("DELETE")

        return Handler
