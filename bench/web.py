"""`make bench`, the web part: requests per second and p99 latency of `tiedote serve` for
`GET /` (the archive page, from memory) and `POST /peru` (an RFC 8058 one-click with a valid
token: verify, take the lists' lock, read suppressed.csv, answer), measured with wrk on
loopback, beside nginx serving the very same `tiedote site` files as the anchor.

    python bench/web.py [--seconds 10] [--connections 32] [--out FILE]

Bounded: each measurement runs for --seconds against 127.0.0.1 only, and every server started
here is stopped at the end. The figures are the server's, with wrk on the same 2 cores.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ENV, ROOT, TIEDOTE, free_port, log, machine  # noqa: E402

SECRET = ENV["TIEDOTE_UNSUBSCRIBE_SECRET"]
NGINX_CONF = """daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    types {{ text/html html; text/css css; }}
    server {{ listen 127.0.0.1:{port}; root {site}; index index.html; }}
}}
"""


def token(list_name: str, address: str) -> str:
    """An unsubscribe token as Tiedote signs it (UnsubscribeToken.swift)."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    payload = f"{list_name}\n{address}".encode()
    mac = hmac.new(SECRET.encode(), b"tiedote-unsubscribe-v1\n" + payload, hashlib.sha256).digest()
    return f"{b64(payload)}.{b64(mac)}"


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench: the server for {url} stopped")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"bench: {url} did not answer")


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> tuple[float, str]:
    """(requests/s, p99 latency as wrk prints it); any non-2xx answer stops the benchmark."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        sys.exit(f"bench: {url} answered errors under load:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)
    return rate, p99


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "work" / "web-last-run.md")
    parser.add_argument("--binary", type=Path, default=TIEDOTE, help="the tiedote to load (default: the release build)")
    arguments = parser.parse_args()
    binary = arguments.binary
    for tool in ["wrk", "nginx"]:
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"bench: {tool} is missing: run `make bench-deps`")
    if not binary.exists():
        sys.exit(f"bench: {binary} is missing: run `swift build -c release` first")
    temporary = Path(tempfile.mkdtemp(prefix="tiedote-web-bench-"))
    temporary.chmod(0o755)                               # nginx's workers read the site as nobody
    workspace = temporary / "workspace"
    workspace.mkdir()
    for name in ["tiedote.yml", "Events", "Issues", "Templates", "Lists"]:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, workspace / name)
    (workspace / "Sent").mkdir()
    (workspace / "Sent" / "2026-12--members.journal").write_text("published for the benchmark\n")
    site = temporary / "site"
    subprocess.run([str(binary), "site", "--out", str(site), "--workspace", str(workspace)], env=ENV, check=True,
                   capture_output=True)
    script = temporary / "one-click.lua"
    script.write_text('wrk.method = "POST"\nwrk.body = "List-Unsubscribe=One-Click"\n'
                      'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
    serve_port, nginx_port = free_port(), free_port()
    (temporary / "nginx.conf").write_text(NGINX_CONF.format(tmp=temporary, port=nginx_port, site=site))
    nginx_binary = shutil.which("nginx") or "/usr/sbin/nginx"
    servers = [
        subprocess.Popen([str(binary), "serve", "--quiet", "--listen", f"127.0.0.1:{serve_port}", "--workspace", str(workspace)],
                         env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([nginx_binary, "-c", str(temporary / "nginx.conf"), "-p", str(temporary)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        wait_until_up(f"http://127.0.0.1:{serve_port}/healthz", servers[0])
        wait_until_up(f"http://127.0.0.1:{nginx_port}/", servers[1])
        peru = f"http://127.0.0.1:{serve_port}/peru?t={token('members', 'aino.makela@example.fi')}"
        rows = []
        for label, url, lua in [
            ("`GET /` — tiedote serve", f"http://127.0.0.1:{serve_port}/", None),
            ("`GET /` — nginx, same files (anchor)", f"http://127.0.0.1:{nginx_port}/", None),
            ("`POST /peru` one-click — tiedote serve", peru, script),
        ]:
            log(f"wrk {label}")
            rate, p99 = wrk(url, arguments.seconds, arguments.connections, lua)
            rows.append((label, rate, p99))
    finally:
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(temporary, ignore_errors=True)
    anchor = rows[1][1]
    lines = [f"Web: wrk -t2 -c{arguments.connections} -d{arguments.seconds}s on loopback; {machine()}", "",
             "| what | requests/s | p99 latency | vs nginx |", "| --- | ---: | ---: | ---: |"]
    for label, rate, p99 in rows:
        lines.append(f"| {label} | {rate:,.0f} | {p99} | {rate / anchor:.2f}× |")
    table = "\n".join(lines) + "\n"
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
