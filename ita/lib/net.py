"""Which network address a request came from, trusting ``X-Forwarded-For`` only as far as our
own proxies. No Django imports: callers pass ``REMOTE_ADDR``, the header and the setting."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from ita.lib.caches import process_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@process_cache(maxsize=16)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(remote_addr: str, forwarded_for: str, trusted_proxies: Sequence[str]) -> str:
    """The client's address: ``REMOTE_ADDR`` unless that is one of our trusted proxies (CIDRs),
    in which case the right-most ``X-Forwarded-For`` entry that is not a trusted proxy. Entries
    left of it were written by the client and prove nothing; without trusted proxies the header
    is ignored altogether, so a client cannot choose the address its requests are counted under."""
    networks = _networks(tuple(trusted_proxies))
    if not networks or not _trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else remote_addr


def check_networks(entries: Sequence[str]) -> list[str]:
    """The entries that are not an address or a network (for the settings' error message)."""
    bad = []
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            bad.append(entry)
    return bad
