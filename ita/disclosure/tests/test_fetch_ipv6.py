"""The link checker refuses private addresses hidden inside IPv6 forms that carry an IPv4
address (6to4, NAT64, Teredo, IPv4-mapped, IPv4-compatible), as literals and as DNS answers."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from ita.disclosure.fetch import Refused, check_address, fetch, resolve

# Each stands for a private, loopback or link-local IPv4 address.
HIDDEN_PRIVATE = {
    "6to4 of 127.0.0.1": "2002:7f00:1::1",
    "6to4 of 10.0.0.1": "2002:a00:1::",
    "6to4 of 169.254.169.254 (cloud metadata)": "2002:a9fe:a9fe::1",
    "NAT64 of 127.0.0.1": "64:ff9b::7f00:1",
    "NAT64 of 192.168.1.1": "64:ff9b::c0a8:101",
    "local-use NAT64": "64:ff9b:1::a00:1",
    "Teredo with client 127.0.0.1": "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "Teredo with client 10.0.0.1": "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    "IPv4-mapped 127.0.0.1": "::ffff:127.0.0.1",
    "IPv4-mapped 169.254.169.254": "::ffff:a9fe:a9fe",
    "IPv4-compatible 127.0.0.1": "::127.0.0.1",
    "IPv4-compatible 10.0.0.1": "::10.0.0.1",
    "IPv4-translated 127.0.0.1": "::ffff:0:7f00:1",
}


def _never_connect(*args: Any, **kwargs: Any) -> None:
    pytest.fail("the fetcher tried to connect to a refused address")


@pytest.mark.parametrize("address", HIDDEN_PRIVATE.values(), ids=HIDDEN_PRIVATE.keys())
def test_a_literal_url_with_a_private_address_in_an_ipv6_form_is_refused_before_connecting(
    address: str, monkeypatch: Any
) -> None:
    monkeypatch.setattr("ita.disclosure.fetch._connect", _never_connect)
    result = fetch(f"http://[{address}]/latest/meta-data/")
    assert result.refused and not result.ok and "not a public" in result.error, result


@pytest.mark.parametrize("address", HIDDEN_PRIVATE.values(), ids=HIDDEN_PRIVATE.keys())
def test_a_name_resolving_to_a_private_address_in_an_ipv6_form_is_refused_before_connecting(
    address: str, monkeypatch: Any
) -> None:
    def aaaa(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]

    monkeypatch.setattr("ita.disclosure.fetch._connect", _never_connect)
    result = fetch("http://evidence.example.go.th/", resolver=aaaa)
    assert result.refused and not result.ok, result


def test_the_6to4_form_of_loopback_is_named_in_the_refusal() -> None:
    with pytest.raises(Refused, match=r"stands for 127\.0\.0\.1"):
        check_address("2002:7f00:1::1", allow_loopback=False)


def test_a_teredo_address_is_refused_and_its_hidden_client_named() -> None:
    with pytest.raises(Refused, match=r"Teredo tunnel to 127\.0\.0\.1"):
        check_address("2001:0:4136:e378:8000:63bf:80ff:fffe", allow_loopback=False)


@pytest.mark.parametrize("address", ["2606:4700:4700::1111", "2001:4860:4860::8888", "2404:6800:4001:80d::200e"])
def test_a_public_ipv6_address_passes_as_a_literal_and_as_a_dns_answer(address: str) -> None:
    check_address(address, allow_loopback=False)

    def aaaa(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]

    assert resolve("evidence.example.go.th", 443, False, aaaa) == address


@pytest.mark.parametrize("address", ["2002:808:808::1", "64:ff9b::808:808"])
def test_6to4_and_nat64_forms_of_a_public_ipv4_address_pass(address: str) -> None:
    check_address(address, allow_loopback=False)
