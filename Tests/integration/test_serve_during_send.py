"""A web one-click unsubscribe (`tiedote serve`, RFC 8058 POST to /peru) made while a
`tiedote send` is running is honoured by that send: the address is not mailed, and the summary
says it was suppressed during the send."""

from __future__ import annotations


from conftest import BASE_ENV
from web_server import WebServer, unsubscribe_token

SECRET = BASE_ENV["TIEDOTE_UNSUBSCRIBE_SECRET"]


def test_a_web_unsubscribe_during_a_slow_send_is_honoured_by_it(workspace, smtp_server):
    server = smtp_server()
    rows = [{"email": f"lukija{i}@example.fi", "name": f"Lukija {i}"} for i in range(1, 7)]
    workspace.write_list("members", rows)
    workspace.set_smtp(server.url, connections=1)

    # The relay holds the first message at its end of DATA until the test lets it go.
    arrived, release = server.hold_messages()
    web = WebServer(workspace).start()
    send = None
    try:
        send = workspace.popen("send", "2026-12", "--list", "members")
        assert arrived.wait(120), "the send never reached the relay"
        token = unsubscribe_token(SECRET, list_name="members", email="lukija5@example.fi")
        reply = web.request("POST", f"/peru?t={token}", "List-Unsubscribe=One-Click",
                            {"Content-Type": "application/x-www-form-urlencoded"})
        assert reply.status == 200 and "Tilaus peruttu" in reply.body, reply.body
    finally:
        release.set()
        web.stop()
    out, err = send.communicate(timeout=300)
    assert send.returncode == 0, out + err

    received = server.received_by()
    assert "lukija5@example.fi" not in received, "unsubscribed on the web during the send, and still mailed"
    assert sorted(received) == [f"lukija{i}@example.fi" for i in (1, 2, 3, 4, 6)]
    assert "suppressed during the send: 1" in out and "lukija5@example.fi" in out, out
