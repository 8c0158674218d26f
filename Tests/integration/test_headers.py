"""Header lines on the wire: folded and encoded so that no line passes SMTP's 998 octets, read
back unchanged by Python's `email` parser; what cannot be folded, and settings that cannot make
a valid header, refused by `check` at their place in tiedote.yml (issue 10, items 4, 14, 15, 16)."""

from __future__ import annotations

import email
import re
from email import policy
from email.header import decode_header, make_header

import pytest

MONTH = "2026-12"
COORDINATOR_NAME = "Humak, kulttuurituotannon tutkinto-ohjelma"   # on duty in 2026-12
LIST_TITLE = "Keski-Suomen tuottajaverkoston uutiskirje"
DOMAIN = "tuottajaverkosto.example.fi"
URL = "https://tuottajaverkosto.example.fi/peru?t={token}"
SECRET_ENV = "TIEDOTE_UNSUBSCRIBE_SECRET"

PEOPLE = [
    {"email": "aino.makela@example.fi", "name": "Aino Mäkelä", "municipality": "Jyväskylä"},
    {"email": "eero@example.net", "name": "Eero \"Eki\" Kettunen, tuottaja", "municipality": "Laukaa"},
    {"email": "noname@example.fi", "name": ""},
]

# Long text without a single space: nothing to fold at, so it has to be encoded.
LONG_ASCII = "Tuottajaverkosto-" * 70                      # 1190 octets
LONG_FINNISH = "Jyväskylän-kulttuurituotanto-äöå-" * 40    # well over 998 octets in UTF-8
LONG_SPACED = " ".join(["tuottajakahvit"] * 120)          # 1799 octets with spaces
LONG_DOMAIN = ".".join(["a" * 63, "b" * 63, "c" * 63, "tuottajaverkosto", "fi"])   # 211 octets
LONG_URL = "https://tuottajaverkosto.example.fi/" + "p" * 400 + "?t={token}"


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def display_name(raw: bytes, header: str) -> str:
    """The display name of `header` as `policy.default` reads it; when the name needs several
    encoded words side by side, as RFC 2047 reads it (`email.header.decode_header`: the white
    space between adjacent encoded words is not text, §6.2), since CPython's `policy.default`
    keeps that white space inside a display name (it reads its own folded names that way)."""
    parsed = parse(raw)[header].addresses[0].display_name
    value = email.message_from_bytes(raw, policy=policy.compat32)[header].replace("\r\n", "").replace("\n", "")
    phrase = re.sub(r"\s*<[^<>]*>$", "", value)
    if not re.search(r"\?=\s+=\?", phrase):
        return parsed
    return str(make_header(decode_header(phrase)))


def header_block(raw: bytes) -> list[bytes]:
    return raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


def set_yaml_line(workspace, old: str, new: str) -> None:
    """Replaces the first line of tiedote.yml that equals `old` (indentation included)."""
    path = workspace.root / "tiedote.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = lines.index(old)
    lines[index] = new
    path.write_text("\n".join(lines), encoding="utf-8")


def yaml_position(workspace, line_text: str) -> str:
    """`tiedote.yml:LINE:COLUMN` of the value on the line that is `line_text`."""
    lines = (workspace.root / "tiedote.yml").read_text(encoding="utf-8").split("\n")
    index = lines.index(line_text)
    column = line_text.index(": ") + 3
    return f"tiedote.yml:{index + 1}:{column}"


def yaml_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def assert_folded(raw: bytes) -> None:
    """Every header line within 998 octets; a line past 78 only where one unbreakable token
    (an address, a URL, an id) stands alone."""
    for line in header_block(raw):
        assert len(line) <= 998, f"a header line of {len(line)} octets: {line[:120]!r}…"
        if len(line) > 78:
            body = line[1:] if line[:1] in (b" ", b"\t") else line.split(b": ", 1)[1]
            assert b" " not in body.rstrip(b","), f"a long line that could have been folded: {line[:120]!r}…"


# --- item 4: long headers are folded or encoded, and read back the same ----------------------

CASES = {
    "list-title": {"title": LONG_ASCII},
    "list-title-spaced": {"title": LONG_SPACED},
    "coordinator-name": {"coordinator": LONG_ASCII},
    "coordinator-name-finnish": {"coordinator": LONG_FINNISH},
    "subscriber-name": {"subscriber": LONG_ASCII},
    "subscriber-name-finnish": {"subscriber": LONG_FINNISH},
    "subscriber-name-spaced": {"subscriber": LONG_SPACED},
    "subject": {"subject": LONG_ASCII},
    "subject-spaced": {"subject": LONG_SPACED},
    "domain": {"domain": LONG_DOMAIN},
    "unsubscribe-url": {"url": LONG_URL},
    "everything": {"title": LONG_FINNISH, "coordinator": LONG_SPACED, "subscriber": LONG_ASCII,
                   "subject": LONG_FINNISH, "domain": LONG_DOMAIN, "url": LONG_URL},
}


def apply_case(workspace, case: dict) -> tuple[str, str, str, str, str, list[dict]]:
    title = case.get("title", LIST_TITLE)
    coordinator = case.get("coordinator", COORDINATOR_NAME)
    domain = case.get("domain", DOMAIN)
    url = case.get("url", URL)
    subject = case.get("subject")
    set_yaml_line(workspace, f"    title: {LIST_TITLE}", f"    title: {yaml_quoted(title)}")
    set_yaml_line(workspace, f"    name: {COORDINATOR_NAME}", f"    name: {yaml_quoted(coordinator)}")
    set_yaml_line(workspace, f"  domain: {DOMAIN}", f"  domain: {domain}")
    set_yaml_line(workspace, f"  url: {URL}", f"  url: {url}")
    if subject is not None:
        workspace.set_issue_field(MONTH, "subject", yaml_quoted(subject))
    people = [dict(p) for p in PEOPLE]
    if "subscriber" in case:
        people.append({"email": "pitka.nimi@example.fi", "name": case["subscriber"], "municipality": "Jämsä"})
    workspace.write_list("members", people)
    return title, coordinator, domain, url, subject, people


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_long_headers_are_folded_and_read_back(workspace, smtp_server, case):
    server = smtp_server()
    workspace.set_smtp(server.url)
    title, coordinator, domain, url, subject, people = apply_case(workspace, CASES[case])

    check = workspace.run("check")
    assert check.returncode == 0, check.stdout + check.stderr
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "finished" in result.stdout

    messages = server.messages()
    assert sorted(e["rcpt_tos"][0] for e, _ in messages) == sorted(p["email"] for p in people)
    url_head, url_tail = url.split("{token}")
    for entry, raw in messages:
        assert_folded(raw)
        person = next(p for p in people if p["email"] == entry["rcpt_tos"][0])
        m = parse(raw)
        assert not m.defects
        assert display_name(raw, "from") == coordinator
        assert display_name(raw, "to") == person["name"]
        assert m["to"].addresses[0].addr_spec == person["email"]
        if subject is not None:
            assert str(m["subject"]) == subject
        assert str(m["list-id"]) == f"{title} <members.{domain}>"
        assert str(m["message-id"]).endswith(f"@{domain}>")
        mailto, link = str(m["list-unsubscribe"]).split(", ")
        assert mailto.startswith("<mailto:peru@tuottajaverkosto.example.fi?subject=unsubscribe%20")
        assert link.startswith("<" + url_head) and link.endswith(url_tail + ">")
        for word in re.findall(rb"=\?utf-8\?Q\?[^?]*\?=", raw):
            assert len(word) <= 75


def test_long_headers_pass_compose_and_dry_run_with_folded_lines(workspace):
    apply_case(workspace, CASES["everything"])
    composed = workspace.run("compose", MONTH)
    assert composed.returncode == 0, composed.stderr
    raw = (workspace.root / "out" / MONTH / "newsletter.eml").read_bytes()
    assert_folded(raw)
    assert parse(raw)["list-id"] is not None
    dry = workspace.run("send", MONTH, "--list", "members", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    for line in dry.stdout.splitlines():
        assert len(line.encode()) <= 998 + 2


# --- items 4 and 14: what cannot make a header is refused by `check`, where it is ------------

REFUSED = {
    "domain-with-space": ("  domain: " + DOMAIN, '  domain: "a b"', "network.domain"),
    "domain-with-brackets": ("  domain: " + DOMAIN, '  domain: "x>y<z"', "network.domain"),
    "domain-label-too-long": ("  domain: " + DOMAIN, "  domain: " + "a" * 64 + ".fi", "network.domain"),
    "domain-too-long": ("  domain: " + DOMAIN, "  domain: " + ".".join(["a" * 60] * 5) + ".fi", "network.domain"),
    "url-with-line-break": ("  url: " + URL, '  url: "https://tuottajaverkosto.example.fi/peru\\r\\nBcc: x@example.fi?t={token}"', "unsubscribe.url"),
    "url-with-angle-brackets": ("  url: " + URL, "  url: https://tuottajaverkosto.example.fi/peru>,<x?t={token}", "unsubscribe.url"),
    "url-with-space": ("  url: " + URL, '  url: "https://tuottajaverkosto.example.fi/pe ru?t={token}"', "unsubscribe.url"),
    "url-too-long-to-fold": ("  url: " + URL, "  url: https://tuottajaverkosto.example.fi/" + "p" * 1000 + "?t={token}", "unsubscribe.url"),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_check_refuses_settings_that_cannot_make_a_header(workspace, case):
    old, new, key = REFUSED[case]
    set_yaml_line(workspace, old, new)
    workspace.write_list("members", PEOPLE)
    position = yaml_position(workspace, new)
    check = workspace.run("check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert re.search(rf"{re.escape(position)}: error: {re.escape(key)}", check.stderr), check.stderr
    for command in (["compose", MONTH], ["send", MONTH, "--list", "members", "--dry-run"]):
        result = workspace.run(*command)
        assert result.returncode != 0
        assert f"{position}: error:" in result.stderr, result.stderr


# --- item 15: delivery limits and the unsubscribe secret --------------------------------------

@pytest.mark.parametrize("old, new, key", [
    ("  connections: 2", "  connections: 100000", "delivery.connections"),
    ("  connections: 2", "  connections: 0", "delivery.connections"),
    ("  rate_per_minute: 600", "  rate_per_minute: -1", "delivery.rate_per_minute"),
    ("  rate_per_minute: 600", "  rate_per_minute: 0", "delivery.rate_per_minute"),
])
def test_check_refuses_delivery_settings_out_of_range(workspace, old, new, key):
    set_yaml_line(workspace, old, new)
    position = yaml_position(workspace, new)
    check = workspace.run("check")
    assert check.returncode == 1
    assert re.search(rf"{re.escape(position)}: error: {re.escape(key)}", check.stderr), check.stderr


@pytest.mark.parametrize("secret", ["x", " ", "short-but-not-32-bytes-long-abc"])
@pytest.mark.parametrize("where", ["env", "file"])
def test_a_weak_unsubscribe_secret_is_refused_before_anything_is_sent(workspace, smtp_server, secret, where):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    env = {SECRET_ENV: ""}
    if where == "env":
        env = {SECRET_ENV: secret}
    else:
        (workspace.root / ".tiedote-secret").write_text(secret + "\n", encoding="utf-8")
    result = workspace.run("send", MONTH, "--list", "members", env=env)
    assert result.returncode != 0
    assert "openssl rand -hex 32 > .tiedote-secret" in result.stderr, result.stderr
    assert "32" in result.stderr
    assert len(secret.strip()) < 8 or secret not in result.stderr, "the secret is never printed"
    assert server.recorder.commands == [], "nothing reached the server"
    assert not (workspace.root / "Sent" / f"{MONTH}--members.journal").exists()
    copy = workspace.run("send", MONTH, "--list", "members", "--to", "koe@example.fi", env=env)
    assert copy.returncode != 0
    assert server.recorder.commands == []
    check = workspace.run("check", env=env)
    assert check.returncode == 1
    assert "openssl rand -hex 32 > .tiedote-secret" in check.stderr


def test_without_a_secret_compose_marks_the_preview_and_send_refuses(workspace, smtp_server):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", PEOPLE)
    env = {SECRET_ENV: ""}
    composed = workspace.run("compose", MONTH, env=env)
    assert composed.returncode == 0, composed.stderr
    assert "warning:" in composed.stderr and "preview" in composed.stderr, composed.stderr
    folder = workspace.root / "out" / MONTH
    for name in ["newsletter.html", "newsletter.txt", "newsletter.eml"]:
        text = (folder / name).read_text(encoding="utf-8")
        assert "ESIKATSELU" in text, f"{name} does not say it is a preview"
    eml = parse((folder / "newsletter.eml").read_bytes())
    assert "ESIKATSELU" in str(eml["list-unsubscribe"])
    assert eml["X-Tiedote-Preview"] is not None

    dry = workspace.run("send", MONTH, "--list", "members", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "warning:" in dry.stderr and "ESIKATSELU" in dry.stdout
    assert server.recorder.commands == []

    result = workspace.run("send", MONTH, "--list", "members", env=env)
    assert result.returncode != 0
    assert "openssl rand -hex 32 > .tiedote-secret" in result.stderr, result.stderr
    assert server.recorder.commands == [], "nothing reached the server"


def test_with_a_good_secret_compose_is_no_preview(workspace):
    composed = workspace.run("compose", MONTH)
    assert composed.returncode == 0, composed.stderr
    folder = workspace.root / "out" / MONTH
    for name in ["newsletter.html", "newsletter.txt", "newsletter.eml"]:
        assert "ESIKATSELU" not in (folder / name).read_text(encoding="utf-8")
    assert parse((folder / "newsletter.eml").read_bytes())["X-Tiedote-Preview"] is None


# --- item 16: text that looks like an encoded word; line breaks in single-line fields ---------

@pytest.mark.parametrize("name", [
    "=?utf-8?q?x=0D=0ABcc:victim@example.fi?=",
    "Aino =?utf-8?q?x=0D=0ABcc:victim@example.fi?= Mäkelä",
    "=?iso-8859-1?b?SGVsbG8=?=",
])
def test_a_name_that_looks_like_an_encoded_word_reads_back_as_written(workspace, smtp_server, name):
    server = smtp_server()
    workspace.set_smtp(server.url)
    workspace.write_list("members", [{"email": "eve@example.fi", "name": name}])
    set_yaml_line(workspace, f"    name: {COORDINATOR_NAME}", f"    name: {yaml_quoted(name)}")
    result = workspace.run("send", MONTH, "--list", "members")
    assert result.returncode == 0, result.stdout + result.stderr
    [(entry, raw)] = server.messages()
    assert entry["rcpt_tos"] == ["eve@example.fi"]
    assert b"Bcc" not in raw.split(b"\r\n\r\n")[0] or b"=?utf-8?q?" not in raw
    m = parse(raw)
    assert display_name(raw, "to") == name
    assert display_name(raw, "from") == name
    assert m["bcc"] is None


@pytest.mark.parametrize("key", ["title", "venue", "address", "short", "price", "organizer", "category"])
def test_line_breaks_in_single_line_event_fields_are_refused_where_they_are(workspace, key):
    path = workspace.root / "Events" / "2026-12-02-tuottajakahvit-villa-rana.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}: "))
    value = lines[index][len(key) + 2:].strip('"')
    lines[index] = f'{key}: "{value}\\r\\nBcc: victim@example.fi"'
    path.write_text("\n".join(lines), encoding="utf-8")
    check = workspace.run("check")
    assert check.returncode == 1
    position = f"Events/2026-12-02-tuottajakahvit-villa-rana.md:{index + 1}:{len(key) + 3}"
    assert re.search(rf"{re.escape(position)}: error: {key} .*one line", check.stderr), check.stderr
