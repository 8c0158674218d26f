"""A/B of `tiedote send` builds in a latency row, runs interleaved with `smtp-source -d`.

    python bench/ab_latency.py RUNS CONNECTIONS NAME=TIEDOTE_BINARY ... [--size BYTES]

Each run sends the 400-recipient latency workspace (bench/work/ws-ab-latency, a fresh journal
each time) once with every named binary and then `smtp-source -d -s CONNECTIONS -m 400 -l
BYTES`, each through a fresh delaying proxy (bench/delayproxy.py, 10 ms each way) in front of
one `smtp-sink`; it prints each one's median rate and its ratio to `smtp-source`'s, overall and
per run. BYTES defaults to the sample issue's average message (34,444 bytes; `bench/run.py`
measures it). Compare ratios within one run; nothing leaves 127.0.0.1.
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fixtures  # noqa: E402
import relayrows  # noqa: E402
from run import ENV, MONTH, WORK, Sink, free_port  # noqa: E402

MESSAGES = 400


def main() -> int:
    runs, connections = int(sys.argv[1]), int(sys.argv[2])
    args, size = sys.argv[3:], 34_444
    if "--size" in args:
        at = args.index("--size")
        size = int(args[at + 1])
        args = args[:at] + args[at + 2:]
    builds = [arg.split("=", 1) for arg in args]
    sink = Sink()
    workspace = fixtures.send_workspace(WORK / "ws-ab-latency", MESSAGES, 0, 1)
    harness = relayrows.Harness(work=WORK, tiedote=Path(builds[0][1]), month=MONTH, env=ENV, run=None,
                                log=print, free_port=free_port, size=size)
    rates: dict[str, list[float]] = {name: [] for name, _ in builds} | {"smtp-source": []}
    try:
        for index in range(runs):
            for name, binary in builds:
                harness.tiedote = Path(binary)
                proxy = relayrows.Proxy(harness, sink.port)
                fixtures.set_delivery(workspace, proxy.port, connections)
                seconds, output, _ = relayrows.send(harness, workspace, connections)
                proxy.stop()
                if seconds is None:
                    sys.exit(f"ab_latency: {name} failed:\n{output[-2000:]}")
                rates[name].append(MESSAGES / seconds)
            proxy = relayrows.Proxy(harness, sink.port)
            start = time.perf_counter()
            subprocess.run(["smtp-source", "-d", "-s", str(connections), "-m", str(MESSAGES), "-l", str(size),
                            "-f", "bench@example.fi", "-t", "sink@example.fi", f"127.0.0.1:{proxy.port}"],
                           check=True, capture_output=True)
            rates["smtp-source"].append(MESSAGES / (time.perf_counter() - start))
            proxy.stop()
            print(f"run {index + 1}: " + "  ".join(f"{name} {values[-1]:.1f}" for name, values in rates.items()),
                  flush=True)
    finally:
        sink.stop()
    anchor = statistics.median(rates["smtp-source"])
    for name, values in rates.items():
        per_run = [round(mine / theirs, 3) for mine, theirs in zip(values, rates["smtp-source"])]
        print(f"{name:12} median {statistics.median(values):6.1f} msg/s, ÷ smtp-source "
              f"{statistics.median(values) / anchor:.3f}, per run {per_run}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
