"""A careful HTTP fetcher for evidence links (no Django imports).

The server fetches URLs that users typed, so it must not become a way to reach the
machine's own network (SSRF). Every rule is checked on every hop:

- only http and https;
- every address the name resolves to must be public (no private, loopback, link-local,
  multicast, reserved or unspecified address, also not hidden in an IPv6 form that carries an
  IPv4 address: IPv4-mapped, IPv4-compatible, 6to4, NAT64 or Teredo);
- we connect to the address we checked, never resolve again, so a DNS answer that
  changes between check and connect (rebinding) cannot swap it;
- redirects are followed by hand, each new location checked the same way;
- one deadline for the whole fetch, and a cap on the body.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

Resolver = Callable[..., list[tuple[Any, ...]]]
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "ITA-Online-linkcheck/1.0"
SNAPSHOT_TYPES = ("text/html", "application/xhtml+xml", "application/pdf")


class Refused(Exception):
    """The fetch was not attempted or was stopped by a rule (not a network failure)."""


@dataclass
class FetchResult:
    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    charset: str = ""
    title: str = ""
    size: int | None = None
    sha256: str = ""
    elapsed_ms: int = 0
    error: str = ""
    tls_note: str = ""  # set when the page was fetched despite an invalid TLS certificate
    refused: bool = False
    body: bytes | None = None  # kept only for HTML and PDF

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and 200 <= self.status < 300


# IPv6 prefixes that carry an IPv4 address inside them: a packet to one of these may reach
# that IPv4 address (through a 6to4 relay, a NAT64 gateway or the kernel), so the IPv4 inside
# must pass the same rules. Prefixes whose embedded address we cannot read reliably, or that
# are never valid destinations on the Internet, are refused whole.
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: IPv4 in the last 32 bits
_REFUSED_WHOLE = (
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # RFC 8215 local-use NAT64: a private translator
    ipaddress.IPv6Network("::/96"),  # deprecated IPv4-compatible (::a.b.c.d), also :: and ::1
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # SIIT IPv4-translated (RFC 2765)
    ipaddress.IPv6Network("2001::/32"),  # Teredo: tunnels to an obfuscated IPv4 client
)


def embedded_ipv4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 (64:ff9b::/96) address stands for."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr in _NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def check_address(ip: str, allow_loopback: bool) -> None:
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.teredo is not None:
            # Named for the error message; the whole prefix is refused below either way.
            raise Refused(f"address {addr} is a Teredo tunnel to {addr.teredo[1]}, not a public address")
        inner = embedded_ipv4(addr)
        if inner is not None:
            try:
                check_address(str(inner), allow_loopback)
            except Refused:
                raise Refused(f"address {addr} stands for {inner}, not a public address") from None
            return  # the IPv4 address inside is where the packets go, and it passed
        elif addr == ipaddress.IPv6Address("::1") and allow_loopback:
            return
        elif any(addr in network for network in _REFUSED_WHOLE):
            raise Refused(f"address {addr} is in a range that is not a public destination")
    if addr.is_loopback and allow_loopback:
        return
    if (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    ):
        raise Refused(f"address {addr} is not a public address")


def resolve(host: str, port: int, allow_loopback: bool, resolver: Resolver) -> str:
    """The first address of ``host``, after checking that *every* address it has is allowed
    (a name with one public and one private address is refused)."""
    try:
        infos = resolver(host, port, 0, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectionError(f"name not found: {host}") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise ConnectionError(f"name not found: {host}")
    for ip in addresses:
        check_address(ip, allow_loopback)
    return addresses[0]


def _connect(ip: str, port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to exactly this address (no name lookup of any kind)."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((ip, port))
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, ip: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = _connect(self._ip, self.port, self.timeout)


def _tls_context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, ip: str, port: int, timeout: float, verify: bool = True) -> None:
        super().__init__(host, port, timeout=timeout, context=_tls_context(verify))
        self._ip = ip

    def connect(self) -> None:
        raw = _connect(self._ip, self.port, self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch(
    url: str,
    *,
    allow_loopback: bool = False,
    timeout: float = 10,
    max_bytes: int = 5 * 1024 * 1024,
    resolver: Resolver = socket.getaddrinfo,
) -> FetchResult:
    """Fetch ``url`` under the rules above; never raises for a bad URL or a network error."""
    result = FetchResult(url=url)
    started = time.monotonic()
    deadline = started + timeout
    try:
        _fetch(url, result, allow_loopback, deadline, max_bytes, resolver)
    except Refused as exc:
        result.error, result.refused = f"refused: {exc}", True
    except TimeoutError:
        result.error = "timeout"
    except (OSError, http.client.HTTPException, ValueError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:300]
    result.elapsed_ms = int((time.monotonic() - started) * 1000)
    return result


def _fetch(
    url: str, result: FetchResult, allow_loopback: bool, deadline: float, max_bytes: int, resolver: Resolver
) -> None:
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https"):
            raise Refused(f"scheme {parts.scheme or '(none)'!r} is not http or https")
        if not parts.hostname:
            raise ValueError("no host in URL")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = resolve(parts.hostname, port, allow_loopback, resolver)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn, response = _request(parts.scheme, parts.hostname, ip, port, path, _remaining(deadline), verify=True)
        except ssl.SSLCertVerificationError as exc:
            # Many public-sector sites have broken certificate chains; the page is still what
            # the unit published. Fetch it anyway (same checked address) and say so.
            result.tls_note = f"TLS certificate not valid: {exc.verify_message}"[:200]
            conn, response = _request(parts.scheme, parts.hostname, ip, port, path, _remaining(deadline), verify=False)
        try:
            result.status, result.final_url = response.status, current
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                current = urljoin(current, response.getheader("Location", ""))
                continue
            header = response.getheader("Content-Type") or ""
            result.content_type = header.split(";")[0].strip().lower()
            charset = _CHARSET.search(header.encode())
            result.charset = charset.group(1).decode().lower() if charset else ""
            body = _read_body(conn, response, deadline, max_bytes)
        finally:
            conn.close()
        result.size, result.sha256 = len(body), hashlib.sha256(body).hexdigest()
        if result.content_type in SNAPSHOT_TYPES:
            result.body = body
        if result.content_type in ("text/html", "application/xhtml+xml"):
            result.title = page_title(body, response.getheader("Content-Type") or "")
        return
    raise Refused(f"more than {MAX_REDIRECTS} redirects")


def _request(
    scheme: str, host: str, ip: str, port: int, path: str, timeout: float, verify: bool
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    conn: http.client.HTTPConnection
    if scheme == "https":
        conn = _PinnedHTTPSConnection(host, ip, port, timeout, verify=verify)
    else:
        conn = _PinnedHTTPConnection(host, ip, port, timeout)
    try:
        conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf,*/*;q=0.5"})
        return conn, conn.getresponse()
    except BaseException:
        conn.close()
        raise


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline")
    return left


def _read_body(
    conn: http.client.HTTPConnection, response: http.client.HTTPResponse, deadline: float, max_bytes: int
) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise Refused(f"body of {declared} bytes is over the {max_bytes}-byte cap")
    chunks, total = [], 0
    while True:
        if conn.sock is not None:
            conn.sock.settimeout(_remaining(deadline))
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise Refused(f"body is over the {max_bytes}-byte cap")
        chunks.append(chunk)
        _remaining(deadline)  # a server that trickles bytes still meets the total deadline
    return b"".join(chunks)


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def page_title(body: bytes, content_type: str = "") -> str:
    match = _TITLE.search(body[:200_000])
    if not match:
        return ""
    charset_match = _CHARSET.search(content_type.encode()) or _CHARSET.search(body[:4096])
    charset = charset_match.group(1).decode() if charset_match else "utf-8"
    try:
        text = match.group(1).decode(charset, errors="replace")
    except LookupError:
        text = match.group(1).decode("utf-8", errors="replace")
    return " ".join(html.unescape(text).split())[:300]
