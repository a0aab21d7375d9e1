"""Fetch a web page and extract its article text, safely.

A URL pasted into Slack must not become a way into the newsroom's network
(server-side request forgery). So:

- only http and https;
- every host is resolved here and every address checked: private, loopback,
  link-local (cloud metadata at 169.254.169.254), multicast, reserved and
  unspecified addresses are refused unless the allow-list names the host or
  a network containing the address;
- the connection goes to the address that was checked (no second DNS lookup
  that could be rebound), with TLS still verified against the host name;
- redirects are followed by hand, each hop checked the same way;
- time and size are bounded.

The page's main text is extracted with trafilatura.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from detector.errors import InputError

MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIMEOUT = 15.0
# Fewer words than this is navigation or a paywall stub, not an article.
MIN_ARTICLE_WORDS = 25
USER_AGENT = "detector/0.1 (+newsroom contradiction checker)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchError(InputError):
    """The page could not be fetched or read; the message says why."""


@dataclass(frozen=True)
class Page:
    url: str
    title: str | None
    text: str


class AddressPolicy:
    """Which hosts and addresses may be contacted."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self.hosts: set[str] = set()
        self.networks: list[IPNetwork] = []
        for item in allow:
            item = item.strip().lower()
            if not item:
                continue
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.hosts.add(item)

    def blocked_reason(self, address: IPAddress) -> str | None:
        if any(address in net for net in self.networks):
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            return self.blocked_reason(address.ipv4_mapped)
        for attr, reason in (
            ("is_loopback", "a loopback address"),
            ("is_link_local", "a link-local address (cloud metadata lives there)"),
            ("is_private", "a private network address"),
            ("is_multicast", "a multicast address"),
            ("is_reserved", "a reserved address"),
            ("is_unspecified", "an unspecified address"),
        ):
            if getattr(address, attr):
                return reason
        return None

    def resolve(self, host: str, port: int) -> str:
        """A checked address for `host`, or FetchError naming why none may be used."""
        host = host.strip("[]").lower()
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            raise FetchError(f"could not resolve the host {host!r}") from None
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not addresses:
            raise FetchError(f"could not resolve the host {host!r}")
        if host in self.hosts:
            return str(addresses[0])
        for raw in addresses:
            address = ipaddress.ip_address(str(raw).split("%")[0])
            reason = self.blocked_reason(address)
            if reason:
                raise FetchError(
                    f"refused to fetch from {host}: it resolves to {address}, {reason}"
                )
        return str(addresses[0])


class _GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses the policy accepted (resolved once, here)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        address = self.policy.resolve(host, port)
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__(retries=0)
        pool = self._pool
        self._pool = httpcore.ConnectionPool(
            ssl_context=pool._ssl_context,
            max_connections=4,
            network_backend=_GuardedBackend(policy),
        )


def fetch_page(
    url: str,
    allow: Sequence[str] = (),
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Page:
    """The article text of the page at `url` (following checked redirects)."""
    policy = AddressPolicy(allow)
    current = url.strip().strip("<>")
    with httpx.Client(
        transport=_GuardedTransport(policy),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"user-agent": USER_AGENT, "accept": "text/html,text/plain;q=0.9,*/*;q=0.1"},
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(f"not a web address: {current[:200]!r} (only http and https)")
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"{current}: a redirect without a location")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(
                            f"could not read the page: {current} answered HTTP {response.status_code}"
                        )
                    body = _read_limited(response, max_bytes, current)
                    content_type = response.headers.get("content-type", "")
                    encoding = response.encoding or "utf-8"
            except httpx.TimeoutException:
                raise FetchError(f"could not read the page: {current} timed out") from None
            except httpx.HTTPError as exc:
                cause = exc.__cause__ or exc.__context__
                if isinstance(cause, FetchError):
                    raise cause from None
                raise FetchError(
                    f"could not read the page {current}: {type(exc).__name__}"
                ) from None
            return _extract(current, body, content_type, encoding)
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS}) from {url}")


def _read_limited(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"the page at {url} is too large ({int(declared):,} bytes)")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the page at {url} is too large (over {max_bytes:,} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def _extract(url: str, body: bytes, content_type: str, encoding: str) -> Page:
    text = body.decode(encoding, errors="replace")
    if content_type.startswith("text/plain"):
        if not text.strip():
            raise FetchError(f"the page at {url} is empty")
        return Page(url=url, title=None, text=text)
    import trafilatura

    extracted = trafilatura.extract(text, url=url, include_comments=False, include_tables=False)
    if not extracted or len(extracted.split()) < MIN_ARTICLE_WORDS:
        raise FetchError(f"no article text found on the page at {url}")
    metadata = trafilatura.extract_metadata(text)
    title = metadata.title if metadata is not None else None
    return Page(url=url, title=title, text=extracted)
