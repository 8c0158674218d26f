"""200 subscriptions and 200 one-click unsubscribes posted at once to the real `tiedote serve`
while a 5,000-recipient `tiedote send` runs against aiosmtpd: nothing is lost, nothing is
doubled, every file still parses, and the journal still owes everyone exactly one message."""

from __future__ import annotations

import csv
import re
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy

from conftest import BASE_ENV
from web_server import WebServer, unsubscribe_token

SECRET = BASE_ENV["TIEDOTE_UNSUBSCRIBE_SECRET"]
MONTH = "2026-12"
LIST_SIZE = 5000
COUNT = 200


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert all(None not in row and all(v is not None for v in row.values()) for row in rows), f"{path} is broken"
    return rows


def newsletters_by_recipient(relay) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry, raw in relay.messages():
        if "vahvista?t=" in raw.decode("ascii", "replace"):
            continue                                   # a confirmation mail, not the newsletter
        for rcpt in entry["rcpt_tos"]:
            counts[rcpt.lower()] = counts.get(rcpt.lower(), 0) + 1
    return counts


def test_subscribes_and_unsubscribes_during_a_send(workspace, smtp_server):
    relay = smtp_server()
    members = [{"email": f"jasen{i}@example.fi", "name": f"Jäsen {i}"} for i in range(LIST_SIZE)]
    workspace.write_list("members", members)
    workspace.set_smtp(relay.url, connections=4)
    server = WebServer(workspace, "--subscribe-limit", "100000").start()
    newcomers = [f"uusi{i}@example.org" for i in range(COUNT)]
    leavers = [members[i * 7]["email"] for i in range(COUNT)]
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(lambda address: server.post_form("/tilaa", [
                ("email", address), ("name", "Uusi"), ("consent", "yes"), ("list", "members")]).status, newcomers))
        assert answers == [200] * COUNT
        assert relay.wait_for(COUNT, timeout=300)
        links = {}
        for entry, raw in relay.messages():
            text = message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()
            links[entry["rcpt_tos"][0]] = urllib.parse.parse_qs(
                urllib.parse.urlsplit(re.search(r"http://\S+/vahvista\?t=\S+", text).group(0)).query)["t"][0]
        assert set(links) == set(newcomers)

        send = workspace.popen("send", MONTH, "--list", "members")
        assert relay.wait_for(COUNT + 200, timeout=300), "the send got going"

        def confirm(address: str) -> int:
            return server.post_form("/vahvista", {"t": links[address]}).status

        def leave(address: str) -> int:
            token = unsubscribe_token(SECRET, list_name="members", email=address)
            return server.request("POST", f"/peru?t={token}", "List-Unsubscribe=One-Click",
                                  {"Content-Type": "application/x-www-form-urlencoded"}).status

        with ThreadPoolExecutor(max_workers=16) as pool:
            jobs = [pool.submit(confirm, a) for a in newcomers] + [pool.submit(leave, a) for a in leavers]
            statuses = [job.result() for job in jobs]
        during = send.poll() is None
        out, err = send.communicate(timeout=900)
        assert send.returncode == 0, out + err
        assert statuses == [200] * (2 * COUNT)
        print(f"the send was still running when the last request was answered: {during}")
    finally:
        server.stop()

    rows = read_csv(workspace.root / "Lists" / "members.csv")
    emails = [r["email"] for r in rows]
    assert len(emails) == len(set(emails)) == LIST_SIZE + COUNT, "every newcomer once, nobody lost"
    assert all(r["consent_source"] == "web" for r in rows if r["email"] in set(newcomers))
    suppressed = [r["email"] for r in read_csv(workspace.root / "Lists" / "suppressed.csv")]
    assert all(suppressed.count(a) == 1 for a in leavers)

    # The next run owes exactly the newcomers the first run did not reach, and never a leaver.
    before = newsletters_by_recipient(relay)
    again = workspace.run("send", MONTH, "--list", "members")
    assert again.returncode == 0, again.stdout + again.stderr
    after = newsletters_by_recipient(relay)
    second = {a: after[a] - before.get(a, 0) for a in after if after[a] != before.get(a, 0)}
    assert not set(second) & set(leavers), "an unsubscribed address is not mailed by the next send"
    assert set(second) <= set(newcomers)
    for address in newcomers:
        assert after.get(address) == 1, address
    for member in members:
        if member["email"] not in leavers:
            assert after.get(member["email"]) == 1, member["email"]
    status = workspace.run("status", MONTH, "--list", "members")
    assert re.search(r"^pending\s+0$", status.stdout, re.M), status.stdout
