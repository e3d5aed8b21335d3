from ita.lib.net import check_networks, client_ip

PROXY = ["10.0.0.0/8"]


def test_forwarded_for_is_ignored_without_trusted_proxies() -> None:
    assert client_ip("203.0.113.9", "198.51.100.1", []) == "203.0.113.9"


def test_forwarded_for_is_ignored_from_a_client_that_is_not_our_proxy() -> None:
    assert client_ip("203.0.113.9", "198.51.100.1", PROXY) == "203.0.113.9"


def test_behind_our_proxy_the_client_is_the_last_untrusted_hop() -> None:
    # The client wrote "1.2.3.4" itself; our proxy appended the address it saw.
    assert client_ip("10.0.0.2", "1.2.3.4, 198.51.100.7", PROXY) == "198.51.100.7"
    assert client_ip("10.0.0.2", "198.51.100.7, 10.0.0.3", PROXY) == "198.51.100.7"


def test_behind_our_proxy_without_a_header_the_proxy_is_the_client() -> None:
    assert client_ip("10.0.0.2", "", PROXY) == "10.0.0.2"


def test_bad_network_entries_are_named() -> None:
    assert check_networks(["10.0.0.0/8", "::1", "proxy.example"]) == ["proxy.example"]
