"""SSRF-safe fetching: address policy, redirects, limits, extraction."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from detector.fetch import AddressPolicy, FetchError, fetch_page


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.9", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("0.0.0.0", True),
        ("::1", True),
        ("fe80::1", True),
        ("fd00::7", True),
        ("::ffff:127.0.0.1", True),
        ("224.0.0.1", True),
        ("93.184.216.34", False),
        ("2606:4700::1111", False),
    ],
)
def test_address_policy(address: str, blocked: bool) -> None:
    reason = AddressPolicy().blocked_reason(ipaddress.ip_address(address))
    assert (reason is not None) is blocked


def test_allow_list_by_network_and_host() -> None:
    policy = AddressPolicy(["10.0.0.0/8", "intranet.example"])
    assert policy.blocked_reason(ipaddress.ip_address("10.9.9.9")) is None
    assert policy.blocked_reason(ipaddress.ip_address("192.168.0.1")) is not None
    assert "intranet.example" in policy.hosts


class Pages(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/big":
            self.send_response(200)
            self.send_header("content-type", "text/plain")
            self.end_headers()
            self.wfile.write(b"x" * 300_000)
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("location", "/loop")
            self.end_headers()
            return
        if self.path == "/plain":
            body = b"The mayor said the bridge is safe."
            ctype = "text/plain; charset=utf-8"
        elif self.path == "/empty":
            body, ctype = b"<html><body><nav>Menu</nav></body></html>", "text/html"
        else:
            self.send_response(500)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_loopback_needs_the_allow_list(base: str) -> None:
    with pytest.raises(FetchError, match="loopback"):
        fetch_page(base + "/plain")
    page = fetch_page(base + "/plain", ["127.0.0.1/32"])
    assert page.text == "The mayor said the bridge is safe."


def test_limits_and_failures(base: str) -> None:
    allow = ["127.0.0.0/8"]
    with pytest.raises(FetchError, match="too large"):
        fetch_page(base + "/big", allow, max_bytes=100_000)
    with pytest.raises(FetchError, match="too many redirects"):
        fetch_page(base + "/loop", allow)
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch_page(base + "/error", allow)
    with pytest.raises(FetchError, match="no article text"):
        fetch_page(base + "/empty", allow)
    with pytest.raises(FetchError, match="only http and https"):
        fetch_page("file:///etc/passwd", allow)
    with pytest.raises(FetchError, match="could not resolve"):
        fetch_page("http://no-such-host.invalid/", allow)
