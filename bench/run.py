"""`make bench`: Tiedote against Postfix's smtp-source and a Python reference, on loopback.

Starts Postfix's `smtp-sink` on 127.0.0.1 (never the Postfix daemon), generates the benchmark
workspaces under bench/work/, runs every measurement RUNS times and prints one Markdown table of
medians, each figure beside its anchor and their ratio. Nothing is sent anywhere but the sink.

    python bench/run.py [--runs 3] [--count 10000] [--python-count 2000] [--out FILE]
                        [--sections send,latency,limits,compose,scale] [--scale 1000,...,1000000]

`--sections latency,limits,scale --scale 100000,1000000` runs only the relay and scale rows.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import delayproxy  # noqa: E402
import fixtures  # noqa: E402
import relayrows  # noqa: E402

ROOT = fixtures.ROOT
WORK = ROOT / "bench" / "work"
TIEDOTE = ROOT / ".build" / "release" / "tiedote"
BENCH = ROOT / ".build" / "release" / "tiedote-bench"
PYTHON = sys.executable
REFERENCE = ROOT / "bench" / "reference" / "newsletter.py"
MONTH = "2026-12"
ENV = {**os.environ, "TIEDOTE_UNSUBSCRIBE_SECRET": "bench-secret-not-for-production-0123456789abcdef", "LC_ALL": "C.UTF-8"}


def log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command: list[str], cwd: Path | None = None, quiet: bool = True) -> tuple[float, str]:
    """Runs `command`, returns (wall seconds, stdout+stderr); a failure stops the benchmark."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    output = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, command))} failed ({result.returncode}):\n{output[-3000:]}")
    if not quiet:
        log(output.strip())
    return seconds, output


def build_multi_floor() -> Path | None:
    """Compiles bench/curl-multi-floor.c; None (and the row left out) without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("clang")
    if compiler is None:
        log("no C compiler: the libcurl multi-interface floor is left out")
        return None
    binary = WORK / "curl-multi-floor"
    run([compiler, "-O2", str(ROOT / "bench" / "curl-multi-floor.c"), "-o", str(binary), "-lcurl"])
    return binary


def children_cpu() -> float:
    """User + system CPU of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CPUMeter:
    """CPU per message of one client and of the sink while it served that client."""

    def __init__(self, sink: "Sink") -> None:
        self.sink = sink
        self.client: list[float] = []
        self.server: list[float] = []

    def measure(self, messages: int, send) -> float:
        client, server = children_cpu(), self.sink.cpu_seconds()
        seconds = send()
        self.client.append((children_cpu() - client) / messages * 1e6)
        self.server.append((self.sink.cpu_seconds() - server) / messages * 1e6)
        return seconds

    def text(self) -> str:
        return f"{median(self.client):.0f} µs + sink {median(self.server):.0f} µs"


def timed_v(command: list[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Runs under GNU time -v: (wall seconds, peak RSS in KiB, output)."""
    seconds, output = run(["/usr/bin/time", "-v", *map(str, command)], cwd=cwd)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", output)
    return seconds, int(match.group(1)) if match else 0, output


class Sink:
    """Postfix's smtp-sink on 127.0.0.1: accepts every message and discards it."""

    def __init__(self) -> None:
        self.port = free_port()
        command = ["smtp-sink", "-m", "256"]
        if os.geteuid() == 0:
            command += ["-u", "nobody"]
        command += [f"127.0.0.1:{self.port}", "1000"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        sys.exit("bench: smtp-sink did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU the sink has used so far (from /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=5)


def machine() -> str:
    cpu = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        memory = int(handle.readline().split()[1]) // 1024
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    return (f"{os.cpu_count()} CPUs ({cpu}), {memory} MB RAM, {platform.system()} {platform.release()}, "
            f"{swift[0] if swift else 'swift ?'}, Python {platform.python_version()}")


def median(values: list[float]) -> float:
    return statistics.median(values)


def send_tiedote(workspace: Path, connections: int) -> float:
    """One full send (journal on) from a fresh journal; checks that every recipient was sent."""
    shutil.rmtree(workspace / "Sent", ignore_errors=True)
    seconds, _ = run([str(TIEDOTE), "send", "--workspace", str(workspace), "--quiet", MONTH,
                      "--list", "members", "--connections", str(connections)])
    return seconds


def sent_count(workspace: Path) -> str:
    _, output = run([str(TIEDOTE), "status", "--workspace", str(workspace), MONTH, "--list", "members"])
    return " ".join(output.split())


def mime_rate(workspace: Path, count: int) -> tuple[float, int]:
    _, output = run([str(BENCH), "mime", str(workspace), MONTH, str(count)])
    match = re.search(r"\) = (\d+) msg/s, (\d+) bytes each", output)
    if not match:
        sys.exit(f"bench: unexpected tiedote-bench output: {output}")
    return float(match.group(1)), int(match.group(2))


def python_render_rate(workspace: Path, count: int) -> tuple[float, int]:
    _, output = run([PYTHON, str(REFERENCE), "render", str(workspace), MONTH, "--count", str(count)])
    match = re.search(r"= ([\d.]+) msg/s, (\d+) bytes each", output)
    if not match:
        sys.exit(f"bench: unexpected reference output: {output}")
    return float(match.group(1)), int(match.group(2))


def ratio(mine: float, anchor: float) -> str:
    return f"{mine / anchor:.2f}×" if anchor else "—"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=10_000, help="recipients for the send benchmark")
    parser.add_argument("--python-count", type=int, default=2_000,
                        help="recipients the Python reference sends per run (its rate is flat per message)")
    parser.add_argument("--scale", default="1000,10000,100000,1000000")
    parser.add_argument("--sections", default="send,latency,limits,compose,scale",
                        help="which groups of rows to run (comma-separated)")
    parser.add_argument("--latency-messages", type=int, default=400)
    parser.add_argument("--latency-runs", type=int, default=1,
                        help="runs of the latency rows (best of; they are bound by the proxy's delay, not the CPU)")
    parser.add_argument("--limits-messages", type=int, default=800,
                        help="messages for the messages_per_connection row (4 connections reconnect once each)")
    parser.add_argument("--refuse-messages", type=int, default=2_000)
    parser.add_argument("--refuse-connections", type=int, default=16)
    parser.add_argument("--out", type=Path, default=WORK / "last-run.md")
    arguments = parser.parse_args()
    runs = arguments.runs
    # tiedote-bench is needed by the loopback send and compose rows only.
    needed = [TIEDOTE] + ([BENCH] if {"send", "compose"} & set(arguments.sections.split(",")) else [])
    for binary in needed:
        if not binary.exists():
            sys.exit(f"bench: {binary} is missing: run `swift build -c release` first")
    if shutil.which("smtp-sink") is None or shutil.which("smtp-source") is None:
        sys.exit("bench: smtp-sink/smtp-source missing: `make bench-deps` installs Postfix's tools")
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    load_start = f"{os.getloadavg()[0]:.2f}"
    # A stopped benchmark still stops its sink.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: stopped"))
    sink = Sink()
    try:
        rows, notes = measure(arguments, runs, sink)
    finally:
        sink.stop()
    total = time.perf_counter() - started
    table = render_table(rows, notes, runs, total, load_start)
    print(table)
    arguments.out.write_text(table, encoding="utf-8")
    log(f"table written to {arguments.out}")
    return 0


def measure(arguments, runs: int, sink: Sink):
    count = arguments.count
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    sections = set(arguments.sections.split(","))

    log(f"workspaces: {count} recipients, 60-event issue")
    send_ws = fixtures.send_workspace(WORK / "ws-send", count, sink.port, 4)
    compose_ws = fixtures.compose_workspace(WORK / "ws-compose")

    # Message size, for smtp-source's payload: the average of 200 from tiedote-bench, or
    # without it the first recipient's message as `tiedote compose` writes it.
    if BENCH.exists():
        _, size = mime_rate(send_ws, 200)
        measured = "Average Tiedote message"
    else:
        composed = WORK / "size-message"
        shutil.rmtree(composed, ignore_errors=True)
        run([str(TIEDOTE), "compose", "--workspace", str(send_ws), "--quiet", MONTH, "--out", str(composed)])
        size = (composed / "newsletter.eml").stat().st_size
        measured = "The first recipient's Tiedote message (no tiedote-bench for the average)"
    notes.append(f"{measured} for the sample issue: {size} bytes; smtp-source sends "
                 f"`-l {size}` bytes of payload per message.")
    if "send" in sections:
        measure_send(arguments, runs, sink, send_ws, size, rows, notes)
    if sections & {"latency", "limits"}:
        measure_relays(arguments, sink, size, sections, rows, notes)
    if "compose" in sections:
        measure_compose(runs, send_ws, compose_ws, rows)
    if "scale" in sections:
        measure_scale(arguments, runs, sink, rows)
    return rows, notes


def measure_relays(arguments, sink: Sink, size: int, sections: set[str], rows, notes) -> None:
    """The latency rows (a relay 20 ms away, through bench/delayproxy.py) and the limits rows."""
    harness = relayrows.Harness(work=WORK, tiedote=TIEDOTE, month=MONTH, env=ENV, run=run, log=log,
                                free_port=free_port, size=size)
    seconds, disorder, tail = delayproxy.self_check(relayrows.DELAY_MS / 1000)
    # 200 chunks one per delay would take 200 × 20 ms; in flight together, about one round trip.
    if seconds < relayrows.RTT or disorder or tail > 50 * relayrows.RTT:
        sys.exit(f"bench: the delaying proxy failed its self-check: round trip {seconds * 1000:.2f} ms "
                 f"(at least {relayrows.RTT * 1000:.0f} expected), {disorder} chunks out of order, the last of "
                 f"200 chunks back {tail * 1000:.0f} ms after it was written")
    reference = 0.0
    if "latency" in sections:
        more_rows, more_notes, rates = relayrows.latency_rows(harness, sink.port, arguments.latency_messages,
                                                              arguments.latency_runs)
        rows += more_rows
        notes += more_notes
        reference = rates[4]
    notes.append(f"Delaying proxy self-check: fastest of five round trips through it {seconds * 1000:.2f} ms "
                 f"(nominal {relayrows.RTT * 1000:.0f} ms); 200 chunks written 0.5 ms apart came back in order, "
                 f"the last {tail * 1000:.1f} ms after it was written (in flight together).")
    if "limits" in sections:
        more_rows, more_notes = relayrows.limits_rows(harness, arguments.limits_messages, reference,
                                                      arguments.refuse_messages, arguments.refuse_connections)
        rows += more_rows
        notes += more_notes


def measure_send(arguments, runs: int, sink: Sink, send_ws: Path, size: int, rows, notes) -> None:
    """The loopback send rows: Tiedote, the two libcurl floors, smtp-source and the Python reference."""
    count = arguments.count

    # The multi-interface floor: a C program (one thread, N connections), when a C compiler is here.
    multi_floor = build_multi_floor()
    message = WORK / "floor-message"
    shutil.rmtree(message, ignore_errors=True)
    run([str(TIEDOTE), "compose", "--workspace", str(send_ws), "--quiet", MONTH, "--out", str(message)])

    # 1. Send.
    send = {1: [], 4: []}
    source = {1: [], 4: []}
    floor = {1: [], 4: []}
    durable = {1: [], 4: []}
    multi = {1: [], 4: []}
    multi_cpu = {1: CPUMeter(sink), 4: CPUMeter(sink)}
    send_cpu = {1: CPUMeter(sink), 4: CPUMeter(sink)}
    source_cpu = {1: CPUMeter(sink), 4: CPUMeter(sink)}
    floor_cpu = {1: CPUMeter(sink), 4: CPUMeter(sink)}
    durable_cpu = {1: CPUMeter(sink), 4: CPUMeter(sink)}
    python_rates = []
    for index in range(runs):
        for connections in (1, 4):
            log(f"run {index + 1}/{runs}: tiedote send, {connections} connection(s)")
            send[connections].append(send_cpu[connections].measure(
                count, lambda: send_tiedote(send_ws, connections)))
            if index == 0 and connections == 4:
                notes.append(f"Journal after a 4-connection send: `{sent_count(send_ws)}`")
            log(f"run {index + 1}/{runs}: libcurl transport alone, {connections} connection(s)")
            floor[connections].append(floor_cpu[connections].measure(count, lambda: run([
                str(BENCH), "transport", str(send_ws), MONTH, str(count), str(connections),
                f"smtp://127.0.0.1:{sink.port}"])[0]))
            log(f"run {index + 1}/{runs}: libcurl transport + journal, {connections} connection(s)")
            durable[connections].append(durable_cpu[connections].measure(count, lambda: run([
                str(BENCH), "transport", str(send_ws), MONTH, str(count), str(connections),
                f"smtp://127.0.0.1:{sink.port}", str(WORK / "durable-floor.journal")])[0]))
            if multi_floor:
                log(f"run {index + 1}/{runs}: libcurl multi interface alone, {connections} connection(s)")
                multi[connections].append(multi_cpu[connections].measure(count, lambda: run([
                    str(multi_floor), f"smtp://127.0.0.1:{sink.port}", str(count), str(connections),
                    str(message / "newsletter.eml")])[0]))
            log(f"run {index + 1}/{runs}: smtp-source -s {connections}")
            source[connections].append(source_cpu[connections].measure(count, lambda: run([
                "smtp-source", "-d", "-s", str(connections), "-m", str(count), "-l", str(size),
                "-f", "bench@example.fi", "-t", "sink@example.fi", f"127.0.0.1:{sink.port}"])[0]))
        log(f"run {index + 1}/{runs}: Python reference, {arguments.python_count} messages")
        seconds, _ = run([PYTHON, str(REFERENCE), "send", str(send_ws), MONTH, "--port", str(sink.port),
                          "--limit", str(arguments.python_count)])
        python_rates.append(arguments.python_count / seconds)
    python_rate = median(python_rates)
    for connections in (1, 4):
        mine = count / median(send[connections])
        anchor = count / median(source[connections])
        bare = count / median(floor[connections])
        journalled = count / median(durable[connections])
        rows.append((f"Send {count:,}, {connections} conn, journal on (msg/s)", f"{mine:,.0f}",
                     f"smtp-source -s {connections}", f"{anchor:,.0f}", ratio(mine, anchor), ""))
        # The goal is relative to what libcurl itself allows here: the transport floor of this run.
        rows.append(("", "", f"libcurl transport alone, {connections} conn (the floor row below)", f"{bare:,.0f}",
                     ratio(mine, bare),
                     f"≥ 0.9× libcurl floor: {verdict(mine >= 0.9 * bare)}" if connections == 4 else ""))
        rows.append(("", "", f"libcurl transport + journal, {connections} conn (the durable floor row below)",
                     f"{journalled:,.0f}", ratio(mine, journalled), ""))
        rows.append(("", "", "Python reference (1 conn)", f"{python_rate:,.0f}", ratio(mine, python_rate),
                     f"≥ 3× Python: {verdict(mine >= 3 * python_rate)}" if connections == 4 else ""))
        rows.append((f"libcurl transport alone, {connections} conn: one ready message, no list, render or "
                     "journal (msg/s)", f"{bare:,.0f}", f"smtp-source -s {connections}", f"{anchor:,.0f}",
                     ratio(bare, anchor), ""))
        rows.append((f"libcurl transport + journal, {connections} conn: the same message, each journalled as send "
                     "journals it: its line on disk before its end of data (msg/s)", f"{journalled:,.0f}",
                     f"libcurl transport alone, {connections} conn", f"{bare:,.0f}", ratio(journalled, bare), ""))
        if multi[connections]:
            rate = count / median(multi[connections])
            rows.append((f"libcurl multi interface alone, {connections} conn: one thread, the issue's message "
                         "(bench/curl-multi-floor.c) (msg/s)", f"{rate:,.0f}", f"smtp-source -s {connections}",
                         f"{anchor:,.0f}", ratio(rate, anchor), ""))
    for connections in (1, 4):
        multi_text = f"libcurl multi alone {multi_cpu[connections].text()}; " if multi[connections] else ""
        notes.append(f"CPU per message, {connections} connection(s) (user + system, medians): Tiedote "
                     f"{send_cpu[connections].text()}; libcurl transport alone {floor_cpu[connections].text()}; "
                     f"libcurl transport + journal {durable_cpu[connections].text()}; "
                     f"{multi_text}smtp-source {source_cpu[connections].text()}. "
                     "The sink is one process on one core; client and sink share the machine's cores.")
    notes.append(f"The Python reference sends the first {arguments.python_count:,} of the {count:,} recipients "
                 "per run (its cost per message is flat); its rate is that count over its wall time.")


def measure_compose(runs: int, send_ws: Path, compose_ws: Path, rows) -> None:
    """check, compose, and render + MIME against the Python render step."""
    checks, composes = [], []
    for index in range(runs):
        log(f"run {index + 1}/{runs}: check + compose, 60 events")
        checks.append(run([str(TIEDOTE), "check", "--workspace", str(compose_ws), "--quiet"])[0])
        out = WORK / "compose-out"
        shutil.rmtree(out, ignore_errors=True)
        composes.append(run([str(TIEDOTE), "compose", "--workspace", str(compose_ws), "--quiet", MONTH,
                             "--out", str(out)])[0])
    rows.append(("check, 60-event issue (s)", f"{median(checks):.3f}", "", "", "", ""))
    rows.append(("compose, 60-event issue (s)", f"{median(composes):.3f}", "", "", "", ""))
    for label, workspace, mine_count, python_count in (
        ("sample issue", send_ws, 20_000, 300),
        ("60-event issue", compose_ws, 5_000, 60),
    ):
        mine, mine_size = [], 0
        theirs, their_size = [], 0
        for index in range(runs):
            log(f"run {index + 1}/{runs}: render + MIME, {label}")
            rate, mine_size = mime_rate(workspace, mine_count)
            mine.append(rate)
            rate, their_size = python_render_rate(workspace, python_count)
            theirs.append(rate)
        mine_rate, their_rate = median(mine), median(theirs)
        rows.append((f"Render + MIME, {label}, 1 thread (msg/s; {mine_size:,} B/msg)", f"{mine_rate:,.0f}",
                     f"Python render step ({their_size:,} B/msg)", f"{their_rate:,.1f}",
                     ratio(mine_rate, their_rate),
                     f"≥ 20,000 msg/s: {verdict(mine_rate >= 20_000)}" if label == "sample issue" else ""))



def measure_scale(arguments, runs: int, sink: Sink, rows) -> None:
    """The whole send at growing list sizes under /usr/bin/time -v: wall time and peak RSS."""
    scale_counts = [int(part) for part in arguments.scale.split(",")]
    previous: tuple[int, float] | None = None
    first_marginal = None
    hundred_thousand: float | None = None
    for recipients in scale_counts:
        workspace = fixtures.send_workspace(WORK / f"ws-scale-{recipients}", recipients, sink.port, 4)
        repeats = runs if recipients <= 10_000 else 1  # 100,000 and 1,000,000: once
        times, peaks = [], []
        for index in range(repeats):
            log(f"run {index + 1}/{repeats}: scale, {recipients:,} recipients, 4 connections")
            shutil.rmtree(workspace / "Sent", ignore_errors=True)
            seconds, peak, _ = timed_v([TIEDOTE, "send", "--workspace", workspace, "--quiet", MONTH,
                                        "--list", "members", "--connections", "4"])
            times.append(seconds)
            peaks.append(peak)
        seconds, peak = median(times), max(peaks)
        runs_text = f"{repeats} run{'s' if repeats > 1 else ''}"
        target = ""
        if recipients == 100_000:
            target = f"≤ 64 MB: {verdict(peak <= 64 * 1024)}; linear: ratio ≈ 1"
        elif recipients == 1_000_000 and hundred_thousand is not None:
            # Per-message time of the whole run against that of the 100,000 run.
            growth_ratio = (seconds / recipients) / hundred_thousand
            target = (f"≤ 96 MB: {verdict(peak <= 96 * 1024)}; per message {growth_ratio:.2f}× the 100,000 run, "
                      f"≤ 1.1×: {verdict(growth_ratio <= 1.1)}")
        if recipients == 100_000:
            hundred_thousand = seconds / recipients
        if previous is None:
            anchor, value, growth = "µs/recipient overall", f"{seconds / recipients * 1e6:.0f}", "—"
        else:
            marginal = (seconds - previous[1]) / (recipients - previous[0]) * 1e6
            if first_marginal is None:
                first_marginal = marginal
            anchor = f"µs per added recipient, {previous[0]:,} → {recipients:,}"
            value, growth = f"{marginal:.0f}", ratio(marginal, first_marginal)
        rows.append((f"Scale {recipients:,} recipients, 4 conn ({runs_text}): wall s; peak RSS MB",
                     f"{seconds:.2f} s; {peak / 1024:.1f} MB", anchor, value, growth, target))
        previous = (recipients, seconds)
        if recipients >= 100_000:
            shutil.rmtree(workspace, ignore_errors=True)


def render_table(rows, notes, runs: int, total: float, load_start: str) -> str:
    lines = [
        f"Machine: {machine()}",
        f"Medians of {runs} runs unless the row says otherwise; all figures from this one run "
        f"({total / 60:.1f} min); load average {load_start} at the start, {os.getloadavg()[0]:.2f} at the end "
        "(other processes share the machine). Ratio = Tiedote ÷ anchor; for Scale, the cost per added "
        "recipient ÷ that of the first step (1.00× = linear growth).",
        "",
        "| Measure | Tiedote | Anchor | Anchor value | Ratio | Target |",
        "| --- | ---: | --- | ---: | ---: | --- |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines.append("")
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
