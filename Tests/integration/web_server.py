"""The real `tiedote serve` on a free 127.0.0.1 port, and a small HTTP client for it.

Used by test_serve.py (and the browser test): the server is the built binary, started and
stopped like any other process; the client is Python's http.client, so every status, header
and byte the server sends is seen as it is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import subprocess
import time
import urllib.parse
from dataclasses import dataclass

from smtp_server import free_port


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


class WebServer:
    """`tiedote serve` for one workspace; `start()` returns once /healthz answers."""

    def __init__(self, workspace, *extra: str):
        self.workspace = workspace
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra = extra
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "WebServer":
        self.process = self.workspace.popen(
            "serve", "--listen", f"127.0.0.1:{self.port}", "--public-url", self.url, *self.extra)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tiedote serve stopped: {self.process.stderr.read()}")
            try:
                if self.get("/healthz").status == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("tiedote serve did not answer /healthz")

    def stop(self) -> str:
        """Stops the server; returns what it logged on stderr."""
        if self.process is None:
            return ""
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        self.process = None
        return err

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: dict[str, str] | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            if isinstance(body, str):
                body = body.encode()
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data.decode("utf-8", "replace"))
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, fields: list[tuple[str, str]] | dict[str, str]) -> Reply:
        body = urllib.parse.urlencode(fields)
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(secret: str, context: str, payload: str) -> str:
    """A token as Tiedote signs it (UnsubscribeToken.swift, SubscriptionToken.swift), made
    independently here so that tests can forge, expire and retarget tokens."""
    data = payload.encode()
    mac = hmac.new(secret.encode(), context.encode() + data, hashlib.sha256).digest()
    return f"{b64url(data)}.{b64url(mac)}"


def subscription_token(secret: str, *, list_name: str, email: str, expires: int, name: str = "",
                       municipality: str = "", interests: str = "") -> str:
    payload = "\n".join([list_name, email, name, municipality, interests, str(expires)])
    return sign(secret, "tiedote-subscribe-v1\n", payload)


def unsubscribe_token(secret: str, *, list_name: str, email: str) -> str:
    return sign(secret, "tiedote-unsubscribe-v1\n", f"{list_name}\n{email}")
