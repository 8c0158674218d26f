"""The relay rows of `make bench`: latency (a relay 20 ms away) and relay limits.

A delaying proxy (bench/delayproxy.py, 10 ms each way) stands between the client and Postfix's
`smtp-sink`. Latency rows: Tiedote's `send` and `smtp-source -d` at 1, 4 and 16 connections,
400 messages each, beside the round-trip bound, connections ÷ (round trips per message × RTT).
Limits rows: `messages_per_connection: 100`, and a proxy answering 421 to every 50th
connection; a sink of their own dumps every message (`smtp-sink -D`), so every recipient's
arrivals are counted from the sink's own record: nothing lost, nothing doubled.

Called by bench/run.py, which passes its helpers in `Harness`.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import fixtures

HERE = Path(__file__).resolve().parent
DELAYPROXY = HERE / "delayproxy.py"
DELAY_MS = 10.0
RTT = 2 * DELAY_MS / 1000
COMMANDS_PER_MESSAGE = 4  # MAIL, RCPT, DATA, the body with its end of data; no pipelining
LATENCY_CONNECTIONS = (1, 4, 16)


@dataclass
class Harness:
    """What bench/run.py lends: its paths, environment and command runner."""
    work: Path
    tiedote: Path
    month: str
    env: dict
    run: Callable[..., tuple[float, str]]
    log: Callable[[str], None]
    free_port: Callable[[], int]
    size: int


class Proxy:
    """bench/delayproxy.py as a child process; `stop()` returns its counts."""

    def __init__(self, harness: Harness, target_port: int, refuse_every: int = 0) -> None:
        self.stats = Path(tempfile.mkstemp(prefix="delayproxy-", suffix=".json", dir=harness.work)[1])
        command = [sys.executable, str(DELAYPROXY), "--port", "0", "--target", f"127.0.0.1:{target_port}",
                   "--delay-ms", str(DELAY_MS), "--refuse-every", str(refuse_every), "--stats", str(self.stats)]
        # The proxy stands for the network, which other agents' processes do not slow down:
        # as root it runs at a higher priority so its timers fire on time on the shared cores.
        if os.geteuid() == 0:
            command = ["nice", "-n", "-10", *command]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        match = re.search(r"127\.0\.0\.1:(\d+) ->", line)
        if not match:
            self.process.kill()
            sys.exit(f"bench: the delaying proxy did not start: {line!r}")
        self.port = int(match.group(1))

    def stop(self) -> dict:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)
        counts = json.loads(self.stats.read_text(encoding="utf-8"))
        self.stats.unlink()
        return counts


class RecordingSink:
    """An `smtp-sink` of its own that appends every message to one dump file (`-D`), whose
    `X-Rcpt-Args:` lines say who each message reached."""

    def __init__(self, harness: Harness) -> None:
        self.port = harness.free_port()
        # smtp-sink drops to `nobody` as root: the dump directory must be its to write.
        self.folder = Path(tempfile.mkdtemp(prefix="tiedote-sink-"))
        self.folder.chmod(0o777)
        self.dump = self.folder / "dump"
        command = ["smtp-sink", "-m", "256", "-D", str(self.dump)]
        if os.geteuid() == 0:
            command += ["-u", "nobody"]
        command += [f"127.0.0.1:{self.port}", "1000"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        if self.process.poll() is not None:
            sys.exit("bench: the recording smtp-sink did not start")

    def arrivals(self) -> collections.Counter:
        """How many messages reached each recipient address, from the dump."""
        counts: collections.Counter = collections.Counter()
        if self.dump.exists():
            with open(self.dump, "rb") as handle:
                for line in handle:
                    if line.startswith(b"X-Rcpt-Args: <"):
                        counts[line[14:].split(b">", 1)[0].decode("utf-8", "replace").lower()] += 1
        return counts

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


def send(harness: Harness, workspace: Path, connections: int) -> tuple[float | None, str, float]:
    """One `tiedote send` from a fresh journal: (wall seconds or None when it failed, output,
    the wall-clock time it started)."""
    shutil.rmtree(workspace / "Sent", ignore_errors=True)
    started = time.time()
    start = time.perf_counter()
    result = subprocess.run([str(harness.tiedote), "send", "--workspace", str(workspace), "--quiet", harness.month,
                             "--list", "members", "--connections", str(connections)],
                            env=harness.env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return (seconds if result.returncode == 0 else None), result.stdout + result.stderr, started


def start_up(counts: dict, started: float) -> float:
    """Seconds from a client's start to its connections' first MAIL (their mean), from the
    proxy's counts: the client's start-up and its connections' greeting and EHLO."""
    return statistics.mean(counts["first_mail_at"]) - started


def median_pair(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median of each side of (start-up, rest) pairs."""
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def journal_counts(workspace: Path) -> dict[str, set[str]]:
    """Recipient keys by every state the send's journal recorded for them."""
    states: dict[str, set[str]] = collections.defaultdict(set)
    for path in (workspace / "Sent").glob("*.journal"):
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) >= 6:
                states[fields[1]].add(fields[2])
    return states


def list_addresses(workspace: Path) -> list[str]:
    with open(workspace / "Lists" / "members.csv", encoding="utf-8") as handle:
        next(handle)
        return [line.split(",", 1)[0].lower() for line in handle if line.strip()]


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def ratio(mine: float, anchor: float) -> str:
    return f"{mine / anchor:.2f}×" if anchor else "—"


def latency_rows(harness: Harness, sink_port: int, messages: int, runs: int):
    """Tiedote and smtp-source through the proxy at 1, 4 and 16 connections, and the bound."""
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    workspace = fixtures.send_workspace(harness.work / "ws-latency", messages, 0, 1)
    proxy: Proxy | None = None
    mine: dict[int, list[float]] = {n: [] for n in LATENCY_CONNECTIONS}
    theirs: dict[int, list[float]] = {n: [] for n in LATENCY_CONNECTIONS}
    trips: dict[tuple[str, int], float] = {}
    # Per client and connection count, each run's (start-up, rest): see `start_up`.
    split: dict[tuple[str, int], list[tuple[float, float]]] = collections.defaultdict(list)
    try:
        for index in range(runs):
            for connections in LATENCY_CONNECTIONS:
                harness.log(f"latency run {index + 1}/{runs}: tiedote send, {connections} connection(s), 20 ms RTT")
                proxy = Proxy(harness, sink_port)
                fixtures.set_delivery(workspace, proxy.port, connections)
                seconds, output, started = send(harness, workspace, connections)
                if seconds is None:
                    sys.exit(f"bench: tiedote send through the proxy failed:\n{output[-3000:]}")
                mine[connections].append(seconds)
                counts = proxy.stop()
                trips[("tiedote", connections)] = counts["client_bursts"] / messages
                first = start_up(counts, started)
                split[("tiedote", connections)].append((first, seconds - first))
                harness.log(f"latency run {index + 1}/{runs}: smtp-source -d -s {connections}, 20 ms RTT")
                proxy = Proxy(harness, sink_port)
                started = time.time()
                seconds, _ = harness.run(["smtp-source", "-d", "-s", str(connections), "-m", str(messages),
                                          "-l", str(harness.size), "-f", "bench@example.fi", "-t", "sink@example.fi",
                                          f"127.0.0.1:{proxy.port}"])
                theirs[connections].append(seconds)
                counts = proxy.stop()
                trips[("smtp-source", connections)] = counts["client_bursts"] / messages
                first = start_up(counts, started)
                split[("smtp-source", connections)].append((first, seconds - first))
    finally:
        if proxy is not None and proxy.process.poll() is None:
            proxy.process.kill()
            proxy.process.wait()
    rates: dict[int, float] = {}
    for connections in LATENCY_CONNECTIONS:
        rate = messages / min(mine[connections]) if runs > 1 else messages / mine[connections][0]
        anchor = messages / min(theirs[connections]) if runs > 1 else messages / theirs[connections][0]
        rates[connections] = rate
        bound = connections / (COMMANDS_PER_MESSAGE * RTT)
        rows.append((f"Latency, relay 20 ms away: send {messages}, {connections} conn (msg/s)", f"{rate:,.1f}",
                     f"smtp-source -d -s {connections}, same proxy", f"{anchor:,.1f}", ratio(rate, anchor),
                     f"≥ 0.95× smtp-source: {verdict(rate >= 0.95 * anchor)}"))
        rows.append(("", "", f"round-trip bound {connections} ÷ ({COMMANDS_PER_MESSAGE} × 20 ms)", f"{bound:,.1f}",
                     ratio(rate, bound), ""))
        rows.append((f"Latency: smtp-source -d -s {connections} itself against the bound (msg/s)", f"{anchor:,.1f}",
                     "round-trip bound", f"{bound:,.1f}", ratio(anchor, bound), ""))
    notes.append(
        "Round trips per message through the proxy (the client's write bursts ÷ messages: each burst is what the "
        "client sends between two server replies, connection setup and QUIT included): " + "; ".join(
            f"{connections} conn Tiedote {trips[('tiedote', connections)]:.2f}, smtp-source "
            f"{trips[('smtp-source', connections)]:.2f}" for connections in LATENCY_CONNECTIONS) + ".")
    parts = []
    for connections in LATENCY_CONNECTIONS:
        mine_first, mine_rest = median_pair(split[("tiedote", connections)])
        their_first, their_rest = median_pair(split[("smtp-source", connections)])
        parts.append(f"{connections} conn: first MAIL after {mine_first * 1000:.0f} ms (Tiedote) and "
                     f"{their_first * 1000:.0f} ms (smtp-source), the rest {mine_rest:.3f} s and {their_rest:.3f} s "
                     f"({their_rest / mine_rest:.3f}×)")
    notes.append("Start-up and the rest, medians over runs: from the process's start to its connections' first MAIL "
                 "(their mean, as the proxy read it: start-up, connecting, greeting and EHLO), then to its end; "
                 "the ratio is smtp-source's rest ÷ Tiedote's: " + "; ".join(parts) + ".")
    notes.append(f"Latency rows: {messages} messages, {'best of ' + str(runs) + ' runs' if runs > 1 else 'one run'} "
                 "each, whole processes timed from outside (Tiedote's start-up included); the proxy adds 10 ms each "
                 "way plus its own timer slack (the self-check's round trip is in the next note).")
    return rows, notes, rates


def limits_rows(harness: Harness, messages: int, reference_rate: float, refuse_messages: int,
                refuse_connections: int):
    """messages_per_connection: 100 at 4 connections; 421 to every 50th connection."""
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    cases = [
        (f"Limits: messages_per_connection 100, send {messages}, 4 conn, 20 ms RTT (msg/s)",
         messages, 4, 100, 0, "Tiedote, 4 conn, no limit (latency row)", reference_rate),
        (f"Limits: 421 to every 50th connection, messages_per_connection 10, send {refuse_messages:,}, "
         f"{refuse_connections} conn, 20 ms RTT (msg/s)",
         refuse_messages, refuse_connections, 10, 50, "", 0.0),
    ]
    for label, count, connections, per_connection, refuse_every, anchor_name, anchor in cases:
        harness.log(f"limits: {label}")
        sink = RecordingSink(harness)
        proxy = Proxy(harness, sink.port, refuse_every)
        try:
            workspace = fixtures.send_workspace(harness.work / f"ws-limits-{refuse_every}", count, proxy.port,
                                                connections, messages_per_connection=per_connection)
            seconds, output, _ = send(harness, workspace, connections)
            counts = proxy.stop()
            time.sleep(0.3)
            arrivals = sink.arrivals()
        finally:
            if proxy.process.poll() is None:
                proxy.process.kill()
            sink.stop()
        if seconds is None:
            if "messages_per_connection" in output:
                rows.append((label, "skipped: needs messages_per_connection", "", "", "", ""))
                continue
            sys.exit(f"bench: tiedote send with relay limits failed:\n{output[-3000:]}")
        rate = count / seconds
        expected = list_addresses(workspace)
        missing = sum(1 for address in expected if arrivals[address] == 0)
        doubled = sum(1 for address in expected if arrivals[address] > 1)
        strays = sum(1 for address in arrivals if address not in set(expected))
        states = journal_counts(workspace)
        retried = states.get("deferred", set()) | states.get("uncertain", set())
        exact = missing == 0 and doubled == 0 and strays == 0
        rows.append((label, f"{rate:,.1f}", anchor_name, f"{anchor:,.1f}" if anchor else "",
                     ratio(rate, anchor) if anchor else "",
                     f"every recipient exactly once (sink's record): {verdict(exact)}"))
        notes.append(
            f"{label.split(' (')[0]}: proxy saw {counts['connections']} connections ({counts['refused']} answered 421); "
            f"recipients retried (journal `deferred`/`uncertain`): {len(retried)}; sink's record: "
            f"{sum(arrivals.values())} messages, {len(expected) - missing} of {len(expected)} recipients arrived, "
            f"{missing} missing, {doubled} doubled, {strays} not on the list; journal sent {len(states.get('sent', set()))}.")
    return rows, notes
