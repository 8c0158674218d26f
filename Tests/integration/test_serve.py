"""`tiedote serve` driven over loopback: double opt-in with aiosmtpd as the relay, RFC 8058
one-click unsubscribe honoured by the next send, and the refusals (forged, expired, truncated,
other-list tokens; bad input; too many requests) that must change nothing."""

from __future__ import annotations

import csv
import email
import re
import time
import urllib.parse
from email import policy

import pytest

from conftest import BASE_ENV
from web_server import WebServer, subscription_token, unsubscribe_token

SECRET = BASE_ENV["TIEDOTE_UNSUBSCRIBE_SECRET"]
NEW = "uusi.jasen@example.fi"
MEMBERS = [
    {"email": "aino.makela@example.fi", "name": "Aino Mäkelä", "municipality": "Jyväskylä"},
    {"email": "eero@example.net", "name": "Eero Kettunen", "municipality": "Laukaa"},
]
FORM = [("email", NEW), ("name", "Uusi Jäsen"), ("municipality", "Saarijärvi"),
        ("interests", "Tanssi"), ("interests", "Teatteri"), ("consent", "yes"), ("list", "members")]


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def rows(workspace, name="members") -> list[dict]:
    path = workspace.root / "Lists" / f"{name}.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def suppressed(workspace) -> list[dict]:
    return rows(workspace, "suppressed")


def lists_state(workspace) -> dict[str, bytes]:
    folder = workspace.root / "Lists"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture
def relay(smtp_server):
    return smtp_server()


@pytest.fixture
def served(workspace, relay):
    workspace.write_list("members", MEMBERS)
    workspace.set_smtp(relay.url)
    servers = []

    def start(*extra: str) -> WebServer:
        server = WebServer(workspace, *extra).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def confirmation_link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    links = re.findall(r"http://127\.0\.0\.1:\d+/vahvista\?t=\S+", text)
    assert len(links) == 1, text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert links[0].replace("&", "&amp;") in html
    return links[0]


def test_subscribe_confirm_send_one_click_unsubscribe_next_send_skips(workspace, relay, served):
    server = served()
    form = server.get("/tilaa")
    assert form.status == 200
    assert form.body.count("<option value=") == 22 + 1     # the 22 municipalities and "none"
    assert 'name="consent" value="yes"' in form.body and 'type="checkbox"' in form.body
    assert 'value="Tuottajakahvit"' in form.body          # the network's categories
    assert 'name="list" value="members"' in form.body

    answer = server.post_form("/tilaa", FORM)
    assert answer.status == 200, answer.body
    assert "Tarkista sähköpostisi" in answer.body
    assert relay.wait_for(1)
    entry, raw = relay.messages()[0]
    assert entry["rcpt_tos"] == [NEW]
    message = parse(raw)
    assert message["To"].addresses[0].addr_spec == NEW
    assert message["From"].addresses[0].addr_spec == "tuottajaverkosto@humak.example.fi"
    assert "Vahvista" in message["Subject"]
    link = confirmation_link(message)
    # Nothing about the person is stored before they confirm.
    assert NEW not in (workspace.root / "Lists" / "members.csv").read_text(encoding="utf-8")

    path = urllib.parse.urlsplit(link)
    page = server.get(f"{path.path}?{path.query}")
    assert page.status == 200 and "Vahvista tilaus" in page.body
    assert NEW not in (workspace.root / "Lists" / "members.csv").read_text(encoding="utf-8"), "GET changes nothing"
    token = urllib.parse.parse_qs(path.query)["t"][0]
    for _ in range(2):                                      # confirming twice is confirming once
        done = server.post_form("/vahvista", {"t": token})
        assert done.status == 200 and "Tilaus vahvistettu" in done.body
    joined = [r for r in rows(workspace) if r["email"].lower() == NEW]
    assert len(joined) == 1
    row = joined[0]
    assert row["name"] == "Uusi Jäsen" and row["municipality"] == "Saarijärvi"
    assert row["interests"] == "tanssi;teatteri"
    assert row["consent_source"] == "web"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["consented_at"])

    sent = workspace.run("send", "2026-12", "--list", "members")
    assert sent.returncode == 0, sent.stderr
    newsletters = [parse(raw) for entry, raw in relay.messages() if entry["rcpt_tos"] == [NEW]][1:]
    assert len(newsletters) == 1
    newsletter = newsletters[0]
    assert newsletter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.search(r"<(https://[^>]+)>", newsletter["List-Unsubscribe"]).group(1)
    query = urllib.parse.urlsplit(url).query
    assert urllib.parse.urlsplit(url).path == "/peru"

    before = lists_state(workspace)
    shown = server.get(f"/peru?{query}")
    assert shown.status == 200 and "Peru tilaus" in shown.body
    assert lists_state(workspace) == before, "GET /peru changes nothing (link scanners fetch links)"
    for _ in range(2):                                      # RFC 8058 one-click, posted twice
        gone = server.request("POST", f"/peru?{query}", "List-Unsubscribe=One-Click",
                              {"Content-Type": "application/x-www-form-urlencoded"})
        assert gone.status == 200 and "Tilaus peruttu" in gone.body
    rows_for_new = [r for r in suppressed(workspace) if r["email"] == NEW]
    assert suppressed(workspace)[-1]["email"] == NEW
    assert len(rows_for_new) == 1 and rows_for_new[0]["reason"] == "unsubscribed"

    count = len(relay.messages())
    again = workspace.run("send", "2027-01", "--list", "members")
    assert again.returncode == 0, again.stderr
    later = relay.messages()[count:]
    assert {e["rcpt_tos"][0] for e, _ in later} == {m["email"] for m in MEMBERS}

    log = server.stop()
    assert NEW not in log, "the log names addresses only by digest"
    assert "t=" not in log


def test_same_answer_whether_or_not_already_subscribed(workspace, relay, served):
    server = served()
    fresh = server.post_form("/tilaa", FORM)
    known = server.post_form("/tilaa", [("email", MEMBERS[0]["email"]) if k == "email" else (k, v) for k, v in FORM])
    assert fresh.status == known.status == 200
    assert fresh.body == known.body


def bad_tokens(workspace, relay, server) -> dict[str, tuple[str, str]]:
    """Each kind of bad token for /vahvista and /peru: (subscription token, unsubscribe token)."""
    now = int(time.time())
    good_sub = subscription_token(SECRET, list_name="members", email=NEW, expires=now + 3600)
    good_unsub = unsubscribe_token(SECRET, list_name="members", email=MEMBERS[0]["email"])

    def flip(token: str) -> str:
        payload, mac = token.split(".")
        return payload + "." + ("A" if mac[0] != "A" else "B") + mac[1:]

    return {
        "forged": (flip(good_sub), flip(good_unsub)),
        "other secret": (subscription_token("not-the-secret", list_name="members", email=NEW, expires=now + 3600),
                         unsubscribe_token("not-the-secret", list_name="members", email=MEMBERS[0]["email"])),
        "truncated": (good_sub[:-12], good_unsub[:-12]),
        "no mac": (good_sub.split(".")[0], good_unsub.split(".")[0]),
        "garbage": ("%%%not-a-token", "!!"),
        "expired": (subscription_token(SECRET, list_name="members", email=NEW, expires=now - 1), None),
        "other list": (subscription_token(SECRET, list_name="muut", email=NEW, expires=now + 3600),
                       unsubscribe_token(SECRET, list_name="muut", email=MEMBERS[0]["email"])),
        "swapped kind": (good_unsub, good_sub),
    }


def test_bad_tokens_are_refused_and_change_nothing(workspace, relay, served):
    server = served()
    before = lists_state(workspace)
    for kind, (sub, unsub) in bad_tokens(workspace, relay, server).items():
        quoted = urllib.parse.quote(sub, safe="")
        for reply in [server.get(f"/vahvista?t={quoted}"), server.post_form("/vahvista", {"t": sub})]:
            assert reply.status in (400, 403), (kind, reply.status)
            assert "Traceback" not in reply.body and "/work" not in reply.body and ".swift" not in reply.body
        if unsub is None:
            continue
        quoted = urllib.parse.quote(unsub, safe="")
        for reply in [server.get(f"/peru?t={quoted}"),
                      server.request("POST", f"/peru?t={quoted}", "List-Unsubscribe=One-Click",
                                     {"Content-Type": "application/x-www-form-urlencoded"})]:
            assert reply.status in (400, 403), (kind, reply.status)
    expected = {"forged": 403, "other secret": 403, "expired": 403, "other list": 403, "swapped kind": 403}
    tokens = bad_tokens(workspace, relay, server)
    for kind, status in expected.items():
        assert server.post_form("/vahvista", {"t": tokens[kind][0]}).status == status, kind
    assert server.post_form("/vahvista", {"t": tokens["truncated"][0]}).status == 400
    assert lists_state(workspace) == before
    assert relay.messages() == []


def test_a_good_unsubscribe_token_from_the_cli_works_on_the_web(workspace, relay, served):
    server = served()
    before = len(suppressed(workspace))
    token = unsubscribe_token(SECRET, list_name="members", email=MEMBERS[1]["email"])
    reply = server.request("POST", f"/peru?t={token}", "List-Unsubscribe=One-Click",
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 200
    assert [r["email"] for r in suppressed(workspace)][before:] == [MEMBERS[1]["email"]]
    # The CLI's own path with the same token agrees: already suppressed, nothing added.
    cli = workspace.run("unsubscribe", "--token", token)
    assert cli.returncode == 0 and "already" in cli.stdout
    assert len(suppressed(workspace)) == before + 1


@pytest.mark.parametrize("field,value", [
    ("name", "Aino\r\nBcc: victim@example.org"), ("email", "a@example.fi\nx"), ("name", "nul\x00byte"),
    ("municipality", "Tampere"), ("interests", "Jotain muuta"), ("list", "muut"), ("email", "not-an-address"),
    ("consent", "no"),
])
def test_bad_form_input_is_refused_and_sends_nothing(workspace, relay, served, field, value):
    server = served()
    fields = [(k, v) for k, v in FORM if k != field] + [(field, value)]
    reply = server.post_form("/tilaa", fields)
    assert reply.status == 400
    assert relay.messages() == []
    assert NEW not in (workspace.root / "Lists" / "members.csv").read_text(encoding="utf-8")


def test_limits_headers_and_error_pages(workspace, relay, served):
    server = served("--subscribe-limit", "2")
    big = server.request("POST", "/tilaa", "email=" + "a" * 40_000,
                         {"Content-Type": "application/x-www-form-urlencoded"})
    assert big.status == 413
    statuses = [server.post_form("/tilaa", FORM).status for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert relay.wait_for(2) and len(relay.messages()) == 2
    for path in ["/", "/tilaa", "/ei-ole", "/events/index.html"]:
        reply = server.get(path)
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["referrer-policy"] == "no-referrer"
        policy_text = reply.headers["content-security-policy"]
        assert "script-src" not in policy_text and "default-src 'none'" in policy_text
        assert "<script>" not in reply.body
    missing = server.get("/ei-ole")
    assert missing.status == 404 and "Sivua ei löydy" in missing.body
    assert server.get("/healthz").body == "ok\n"
    assert server.get("/../../etc/passwd").status == 404


def test_a_suppressed_address_that_confirms_is_told_and_stays_unmailed(workspace, relay, served):
    server = served()
    # Unsubscribed earlier (the sample's suppressed.csv has such rows): a new double opt-in
    # records the row, but the append-only suppression list keeps it unmailed, and the page
    # says whom to ask.
    leaver = suppressed(workspace)[0]["email"]
    fields = [("email", leaver) if k == "email" else (k, v) for k, v in FORM]
    assert server.post_form("/tilaa", fields).status == 200
    assert relay.wait_for(1)
    link = confirmation_link(parse(relay.messages()[0][1]))
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["t"][0]
    before = suppressed(workspace)
    done = server.post_form("/vahvista", {"t": token})
    assert done.status == 200 and "Tilaus tallennettu" in done.body
    assert "koordinaattoria" in done.body
    assert suppressed(workspace) == before
    assert [r["email"] for r in rows(workspace)].count(leaver) == 1


def test_one_click_posted_as_multipart_form_data_unsubscribes(workspace, relay, served):
    # RFC 8058 §3.1 allows the one-click body as multipart/form-data too (with CRLF inside).
    server = served()
    before = len(suppressed(workspace))
    token = unsubscribe_token(SECRET, list_name="members", email=MEMBERS[0]["email"])
    boundary = "----tiedote-test"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
            f"One-Click\r\n--{boundary}--\r\n")
    reply = server.request("POST", f"/peru?t={token}", body,
                           {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert reply.status == 200, reply.body
    assert [r["email"] for r in suppressed(workspace)][before:] == [MEMBERS[0]["email"]]
