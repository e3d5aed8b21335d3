"""The fetcher against a local server, and its refusals (SSRF)."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from ita.conftest import require
from ita.disclosure.fetch import fetch, page_title
from ita.disclosure.tests.webserver import Page, Site, serve


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


def test_a_page_is_fetched_with_status_type_title_size_and_hash(site: Site) -> None:
    url = site.html("/o1", "โครงสร้างองค์กร")
    result = fetch(url, allow_loopback=True)
    body = site.pages["/o1"].body
    assert (result.ok, result.status, result.content_type, result.title) == (True, 200, "text/html", "โครงสร้างองค์กร")
    assert result.size == len(body) and result.sha256 == hashlib.sha256(body).hexdigest() and result.body == body


def test_a_redirect_is_followed_and_the_final_url_recorded(site: Site) -> None:
    final = site.html("/new", "ใหม่")
    site.pages["/old"] = Page(status=301, location="/new")
    result = fetch(site.url("/old"), allow_loopback=True)
    assert result.ok and result.final_url == final and result.title == "ใหม่"


def test_a_missing_page_is_not_ok(site: Site) -> None:
    result = fetch(site.url("/gone"), allow_loopback=True)
    assert (result.ok, result.status) == (False, 404)


def test_a_body_over_the_cap_is_refused(site: Site) -> None:
    site.pages["/big"] = Page(body=b"x" * 5000)
    result = fetch(site.url("/big"), allow_loopback=True, max_bytes=1000)
    assert not result.ok and result.refused and "cap" in result.error


def test_a_body_that_keeps_trickling_is_cut_off_at_the_total_deadline(site: Site) -> None:
    # Each byte arrives well within a socket timeout; only the total deadline stops it.
    site.pages["/slow"] = Page(body=b"<html>", trickle=True)
    result = fetch(site.url("/slow"), allow_loopback=True, timeout=0.5)
    assert not result.ok and result.error == "timeout" and result.body is None


def test_loopback_is_refused_unless_allowed(site: Site) -> None:
    url = site.html("/o1", "x")
    refused = fetch(url)
    assert refused.refused and not refused.ok and site.hits == []


def test_a_public_looking_name_that_resolves_to_loopback_is_refused_before_connecting(site: Site) -> None:
    fake = _resolver({"evidence.example.go.th": "127.0.0.1"})
    result = fetch(f"http://evidence.example.go.th:{site.port}/o1", resolver=fake, allow_loopback=False)
    assert result.refused and site.hits == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/",
        "http://10.1.2.3/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
    ],
)
def test_redirects_to_private_loopback_and_link_local_addresses_are_refused(target: str, monkeypatch: Any) -> None:
    with serve() as public:
        public.pages["/jump"] = Page(status=302, location=target)
        # Pretend the test server is a public host: only its own name is let through by the resolver.
        fake = _resolver({"public.example.go.th": "127.0.0.1"})
        monkeypatch.setattr("ita.disclosure.fetch.check_address", _allow_only_first_loopback())
        result = fetch(f"http://public.example.go.th:{public.port}/jump", resolver=fake)
    assert public.hits == ["/jump"]
    assert result.refused and not result.ok, result


def test_a_redirect_to_a_file_url_is_refused(site: Site) -> None:
    site.pages["/file"] = Page(status=302, location="file:///etc/passwd")
    result = fetch(site.url("/file"), allow_loopback=True)
    assert result.refused and "scheme" in result.error


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.go.th/x", "gopher://example.go.th/"])
def test_non_http_schemes_are_refused(url: str) -> None:
    result = fetch(url)
    assert result.refused and "scheme" in result.error


def test_a_name_resolving_to_a_private_address_is_refused_without_connecting() -> None:
    fake = _resolver({"intranet.example.go.th": "10.0.0.5"})
    result = fetch("http://intranet.example.go.th/", resolver=fake)
    assert result.refused and "10.0.0.5" in result.error


def test_a_name_with_one_public_and_one_private_address_is_refused() -> None:
    def both(host: str, port: int, *args: Any) -> list[tuple]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.1", port)),
        ]

    result = fetch("http://mixed.example.go.th/", resolver=both)
    assert result.refused and "192.168.1.1" in result.error


def test_the_fetcher_connects_to_the_address_it_checked_not_a_fresh_lookup(site: Site, monkeypatch: Any) -> None:
    # A rebinding DNS answers "public" to the check, then "private" to any later lookup.
    url = site.html("/o1", "pinned")
    calls: list[str] = []

    def rebinding(host: str, port: int, *args: Any) -> list[tuple]:
        calls.append(host)
        ip = "127.0.0.1" if len(calls) == 1 else "10.9.9.9"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: pytest.fail("resolved twice"))
    result = fetch(url.replace("127.0.0.1", "rebind.example.go.th"), resolver=rebinding, allow_loopback=True)
    assert result.ok and result.title == "pinned" and calls == ["rebind.example.go.th"]


def test_a_page_behind_an_invalid_tls_certificate_is_still_fetched_and_the_problem_noted(tmp_path: Any) -> None:
    openssl = shutil.which("openssl")
    require(openssl is not None, "openssl")
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    args = "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=esa-a.example.go.th"
    subprocess.run([str(openssl), *args.split(), "-keyout", key, "-out", cert], check=True, capture_output=True)
    with serve(tls=(cert, key)) as secure:
        url = secure.html("/o1", "หน้าเว็บ https")
        result = fetch(url, allow_loopback=True)
    assert result.ok and result.title == "หน้าเว็บ https"
    assert result.tls_note.startswith("TLS certificate not valid")


def test_the_title_is_read_in_the_page_charset() -> None:
    body = "<html><head><meta charset='tis-620'><title>ข้อมูล &amp; สถิติ</title>".encode("tis-620")
    assert page_title(body) == "ข้อมูล & สถิติ"


def _resolver(names: dict[str, str]) -> Any:
    def resolve(host: str, port: int, *args: Any) -> list[tuple]:
        ip = names.get(host, host)
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (ip, port))]

    return resolve


def _allow_only_first_loopback() -> Any:
    """The real address check, except that the first loopback address seen (the test
    server standing in for a public site) passes once."""
    from ita.disclosure import fetch as module

    real = module.check_address
    state = {"first": True}

    def check(ip: str, allow_loopback: bool) -> None:
        if state["first"] and ip == "127.0.0.1":
            state["first"] = False
            return
        real(ip, allow_loopback)

    return check
