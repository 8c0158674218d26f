"""bench/delayproxy.py, the delaying TCP proxy behind `make bench`'s latency rows: it must add
its delay (a round trip never faster than two one-way delays), keep every byte in order, answer
421 to every Nth connection when asked, and count the client's write bursts (round trips)."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "bench"))
import delayproxy  # noqa: E402


def test_a_round_trip_takes_two_delays_and_order_is_kept():
    seconds, disorder, _ = delayproxy.self_check(0.010)
    assert seconds >= 0.020
    assert disorder == 0


def test_every_nth_connection_is_refused_and_bursts_are_counted():
    async def scenario():
        async def server(reader, writer):
            writer.write(b"220 sink\r\n")
            await writer.drain()
            while line := await reader.readline():
                writer.write(b"221 bye\r\n" if line.startswith(b"QUIT") else b"250 ok\r\n")
                await writer.drain()
            writer.close()

        sink = await asyncio.start_server(server, "127.0.0.1", 0)
        proxy = delayproxy.DelayProxy(0, ("127.0.0.1", sink.sockets[0].getsockname()[1]), 0.002, refuse_every=2)
        port = await proxy.start()
        greetings = []
        for _ in range(4):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            greeting = await reader.readline()
            greetings.append(greeting)
            if greeting.startswith(b"220"):
                for command in (b"EHLO x\r\n", b"MAIL FROM:<a@example.fi>\r\n", b"RSET\r\n",
                                b"MAIL FROM:<b@example.fi>\r\n", b"QUIT\r\n"):
                    writer.write(command)
                    await writer.drain()
                    await reader.readline()
            else:
                assert await reader.read() == b""  # closed after the 421
            writer.close()
        proxy.server.close()
        sink.close()
        return greetings, proxy.counts

    began = time.time()
    greetings, counts = asyncio.run(scenario())
    ended = time.time()
    assert [line[:3] for line in greetings] == [b"220", b"421", b"220", b"421"]
    assert greetings[1] == delayproxy.REFUSAL
    assert counts.connections == 4 and counts.refused == 2
    # Two forwarded sessions, five commands each, every one waited for: ten bursts.
    assert counts.client_bursts == 10
    # Each forwarded session's first MAIL only (not its second), in order, while the scenario ran.
    assert len(counts.first_mail_at) == 2
    assert began <= counts.first_mail_at[0] <= counts.first_mail_at[1] <= ended
