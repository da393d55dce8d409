"""The address of the client a request comes from, as the configured proxies report it.

`X-Forwarded-For` is written by whoever sends the request: it is read only when the request
comes from a proxy listed in `RECIPROCA_TRUSTED_PROXIES` (addresses or networks), and then from
the right, skipping the trusted proxies — the first address a trusted proxy saw is the client.
Anything else (no trusted proxy, a malformed header) gives the connection's own address.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _trusted(tuple(getattr(settings, "RECIPROCA_TRUSTED_PROXIES", ())))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: trust nothing of it
        if not _is_trusted(hop, networks):
            return hop
    return remote
