"""A delaying TCP proxy on loopback: a relay that seems DELAY ms away in each direction.

The kernel here has no `netem` qdisc, so the latency rows of `make bench` put this user-space
proxy between the client and Postfix's `smtp-sink`. Every chunk read from one side is forwarded
to the other in order, DELAY ms after it was read (both directions). A chunk's delay starts when
it is read, so several chunks can be in flight at once and throughput is not limited to one chunk
per delay; only latency is added. With `--refuse-every N` every Nth connection is answered
`421 4.7.0 try again later` (after the one-way delay, as a distant relay would) and closed,
without reaching the sink: a relay at its connection limit.

It counts what the round trips are made of: per connection, the client's write bursts (a burst
is what the client sends between two replies of the server, so a client that does not pipeline
makes one burst per command it waits on), the server's bursts, and the bytes each way; and when
each connection's first MAIL came (wall-clock time), where the client's start-up ends.

    python bench/delayproxy.py --port P --target 127.0.0.1:SINK [--delay-ms 10]
                               [--refuse-every N] [--stats FILE]

On SIGTERM or SIGINT it writes its counts as JSON to FILE (when given) and exits. Listens on
127.0.0.1 only and connects only to a loopback target.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import signal
import sys
import time
from pathlib import Path

REFUSAL = b"421 4.7.0 try again later\r\n"
CHUNK = 65536


class Counts:
    """What the proxy saw: connections, refusals, write bursts and bytes in each direction."""

    def __init__(self) -> None:
        self.connections = 0
        self.refused = 0
        self.client_bursts = 0
        self.server_bursts = 0
        self.client_bytes = 0
        self.server_bytes = 0
        self.closed = 0
        # Wall-clock time (time.time()) of each connection's first MAIL, as the proxy read it: a
        # client's start-up ends there (bench/relayrows.py splits the latency rows with it).
        self.first_mail_at: list[float] = []

    def as_dict(self) -> dict:
        return dict(vars(self))


class Connection:
    """One client connection: who spoke last, for the burst counts."""

    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        self.last_side: str | None = None
        self.mailed = False

    def saw(self, side: str, chunk: bytes) -> None:
        # A burst begins when this side reads after the other side has spoken (or first).
        if self.last_side != side:
            if side == "client":
                self.counts.client_bursts += 1
            else:
                self.counts.server_bursts += 1
            self.last_side = side
        if side == "client":
            self.counts.client_bytes += len(chunk)
            if not self.mailed and chunk[:5].upper() == b"MAIL ":
                self.mailed = True
                self.counts.first_mail_at.append(time.time())
        else:
            self.counts.server_bytes += len(chunk)


class DelayProxy:
    """Accepts on 127.0.0.1:port and relays to target with a fixed one-way delay."""

    def __init__(self, port: int, target: tuple[str, int], delay: float, refuse_every: int = 0) -> None:
        if target[0] not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("delayproxy: the target must be on loopback")
        self.port = port
        self.target = target
        self.delay = delay
        self.refuse_every = refuse_every
        self.counts = Counts()
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self.accept, "127.0.0.1", self.port, backlog=512)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    async def accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.counts.connections += 1
        try:
            if self.refuse_every and self.counts.connections % self.refuse_every == 0:
                self.counts.refused += 1
                await asyncio.sleep(self.delay)
                client_writer.write(REFUSAL)
                await client_writer.drain()
                return
            try:
                server_reader, server_writer = await asyncio.open_connection(*self.target)
            except OSError:
                return
            connection = Connection(self.counts)
            try:
                await asyncio.gather(
                    self.pump(client_reader, server_writer, connection, "client"),
                    self.pump(server_reader, client_writer, connection, "server"),
                )
            finally:
                server_writer.close()
        except (ConnectionError, OSError):
            pass
        finally:
            self.counts.closed += 1
            client_writer.close()

    async def pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                   connection: Connection, side: str) -> None:
        """Reads chunks from one side and writes each to the other DELAY after it was read."""
        loop = asyncio.get_running_loop()
        queue: collections.deque[tuple[float, bytes]] = collections.deque()
        ready = asyncio.Event()

        async def forward() -> None:
            while True:
                while not queue:
                    ready.clear()
                    await ready.wait()
                due, chunk = queue.popleft()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not chunk:  # end of stream: half-close the other side, in order
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(chunk)
                await writer.drain()

        sender = asyncio.create_task(forward())
        try:
            while True:
                chunk = await reader.read(CHUNK)
                queue.append((loop.time() + self.delay, chunk))
                ready.set()
                if not chunk:
                    break
                connection.saw(side, chunk)
            await sender
        except (ConnectionError, OSError):
            sender.cancel()
            writer.close()


def write_stats(proxy: DelayProxy, path: Path | None) -> None:
    if path is not None:
        path.write_text(json.dumps(proxy.counts.as_dict()), encoding="utf-8")


async def serve(arguments) -> None:
    host, _, port = arguments.target.rpartition(":")
    proxy = DelayProxy(arguments.port, (host, int(port)), arguments.delay_ms / 1000, arguments.refuse_every)
    bound = await proxy.start()
    print(f"delayproxy: 127.0.0.1:{bound} -> {arguments.target}, {arguments.delay_ms} ms each way", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    write_stats(proxy, arguments.stats)


def self_check(delay: float = 0.010) -> tuple[float, int, float]:
    """Round trips through the proxy to a loopback echo server: (seconds of the fastest of five
    round trips, chunks that came back out of order, seconds from the last of 200 chunks written
    0.5 ms apart to its echo). The harness trusts the proxy when the round trip takes at least
    2 × delay, order is kept, and the last chunk comes back about one round trip after it was
    written (200 chunks in flight together, not one per delay: that would take 4 s)."""

    async def check() -> tuple[float, int, float]:
        async def echo(reader, writer):
            while data := await reader.read(CHUNK):
                writer.write(data)
                await writer.drain()
            writer.close()

        echo_server = await asyncio.start_server(echo, "127.0.0.1", 0)
        echo_port = echo_server.sockets[0].getsockname()[1]
        proxy = DelayProxy(0, ("127.0.0.1", echo_port), delay)
        port = await proxy.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        fastest = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            writer.write(b"ping\r\n")
            await writer.drain()
            await reader.readexactly(6)
            fastest = min(fastest, time.perf_counter() - start)
        expected = b"".join(b"%06d\n" % index for index in range(200))
        for index in range(200):
            writer.write(b"%06d\n" % index)
            await writer.drain()
            await asyncio.sleep(0.0005)
        last_written = time.perf_counter()
        received = await reader.readexactly(len(expected))
        tail = time.perf_counter() - last_written
        lines = received.split(b"\n")[:-1]
        disorder = sum(1 for index, line in enumerate(lines) if line != b"%06d" % index)
        # A clean end: half-close, read the echo side's close through the proxy, then stop.
        writer.write_eof()
        await reader.read()
        writer.close()
        await asyncio.sleep(3 * delay)
        proxy.server.close()
        echo_server.close()
        await proxy.server.wait_closed()
        await echo_server.wait_closed()
        return fastest, disorder, tail

    return asyncio.run(check())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--target", default="", help="HOST:PORT of the sink (loopback)")
    parser.add_argument("--delay-ms", type=float, default=10.0)
    parser.add_argument("--refuse-every", type=int, default=0,
                        help="answer 421 and close every Nth connection (0: never)")
    parser.add_argument("--stats", type=Path)
    parser.add_argument("--self-check", action="store_true", help="measure one round trip and exit")
    arguments = parser.parse_args()
    if arguments.self_check:
        seconds, disorder, tail = self_check(arguments.delay_ms / 1000)
        print(f"round trip {seconds * 1000:.2f} ms, out of order {disorder}, last of 200 chunks back "
              f"{tail * 1000:.2f} ms after it was written")
        return 0 if seconds >= 2 * arguments.delay_ms / 1000 and disorder == 0 else 1
    if not arguments.target:
        parser.error("--target is required")
    asyncio.run(serve(arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
