"""A/B of `tiedote send` builds against the libcurl floor, on one smtp-sink, runs interleaved.

    python bench/ab_send.py RUNS CONNECTIONS NAME=TIEDOTE_BINARY ... [--floor TIEDOTE_BENCH_BINARY]

Each run sends the 10,000-recipient workspace (bench/work/ws-ab, journal on, a fresh journal
each time) once with every named binary, then runs `tiedote-bench transport` (the floor row)
once without a journal and once with one ("durable": each message journalled as `send` does);
it prints each binary's median rate, its ratio to the floor's median and per run, and
the client's and the sink's CPU per message (medians). Load from other processes moves every
figure; compare ratios within one run. Nothing leaves 127.0.0.1.
"""

import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fixtures  # noqa: E402
from run import ENV, MONTH, WORK, Sink  # noqa: E402


def main() -> int:
    runs, connections = int(sys.argv[1]), int(sys.argv[2])
    builds: list[tuple[str, str]] = []
    floor = None
    args = sys.argv[3:]
    while args:
        if args[0] == "--floor":
            floor, args = args[1], args[2:]
            continue
        name, binary = args[0].split("=", 1)
        builds.append((name, binary))
        args = args[1:]
    sink = Sink()
    workspace = fixtures.send_workspace(WORK / "ws-ab", 10_000, sink.port, 4)
    rates: dict[str, list[float]] = {name: [] for name, _ in builds} | {"floor": [], "durable": []}
    client: dict[str, list[float]] = {name: [] for name in rates}
    server: dict[str, list[float]] = {name: [] for name in rates}

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def measure(name: str, command: list[str]) -> None:
        cpu, sink_cpu, start = children_cpu(), sink.cpu_seconds(), time.perf_counter()
        result = subprocess.run(command, env=ENV, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"{name} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        rates[name].append(10_000 / seconds)
        client[name].append((children_cpu() - cpu) / 10_000 * 1e6)
        server[name].append((sink.cpu_seconds() - sink_cpu) / 10_000 * 1e6)

    try:
        for run in range(runs):
            for name, binary in builds:
                shutil.rmtree(workspace / "Sent", ignore_errors=True)
                measure(name, [binary, "send", "--workspace", str(workspace), "--quiet", MONTH, "--list", "members",
                               "--connections", str(connections)])
            if floor:
                measure("floor", [floor, "transport", str(workspace), MONTH, "10000", str(connections),
                                  f"smtp://127.0.0.1:{sink.port}"])
                measure("durable", [floor, "transport", str(workspace), MONTH, "10000", str(connections),
                                    f"smtp://127.0.0.1:{sink.port}", str(WORK / "durable-floor.journal")])
            print(f"run {run + 1}: " + "  ".join(f"{n} {v[-1]:.0f}" for n, v in rates.items() if v), flush=True)
    finally:
        sink.stop()
    print("load average:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    base = statistics.median(rates["floor"]) if rates["floor"] else None
    for name, values in rates.items():
        if not values:
            continue
        line = (f"{name:8s} median {statistics.median(values):7.0f} msg/s, runs {[round(v) for v in values]}, "
                f"CPU {statistics.median(client[name]):.0f} µs + sink {statistics.median(server[name]):.0f} µs per message")
        if base and name != "floor":
            line += (f", ÷ floor {statistics.median(values) / base:.3f} "
                     f"(per run {[round(a / b, 3) for a, b in zip(values, rates['floor'])]})")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
