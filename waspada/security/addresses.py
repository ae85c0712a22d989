"""The client's address: behind a trusted reverse proxy, and grouped into networks for limits.

Behind nginx, ``REMOTE_ADDR`` is nginx's own address, so every visitor would share one login
throttle and one rate limit. ``TrustedProxyMiddleware`` (first in MIDDLEWARE) replaces it with
the client's address taken from ``X-Forwarded-For``, but only when the request really came
from a proxy listed in ``WASPADA_TRUSTED_PROXIES``: anyone can send that header, so it is read
from the right, skipping trusted proxies, and the first untrusted hop is the client. Everything
that reads ``REMOTE_ADDR`` afterwards (the audit trail's ``client_ip``, the throttles) then sees
the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from waspada.lib.env import ConfigError

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(raw: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for item in raw:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ConfigError(
                f"WASPADA_TRUSTED_PROXIES: {item!r} bukan alamat IP atau jaringan (CIDR)"
            ) from exc
    return tuple(networks)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    return _trusted(tuple(settings.WASPADA_TRUSTED_PROXIES))


def _parse(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in trusted_proxies())


def client_address_behind_proxies(remote_addr: str, forwarded_for: str) -> str:
    """The client's address given the direct peer and the X-Forwarded-For header.

    Unchanged unless the peer is a trusted proxy; then the rightmost untrusted address in the
    header (an unparsable entry stops the walk: nothing left of it can be believed).
    """
    peer = _parse(remote_addr)
    if peer is None or not _is_trusted(peer) or not forwarded_for:
        return remote_addr
    client = remote_addr
    for hop in reversed([part for part in forwarded_for.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            break
        client = str(address)
        if not _is_trusted(address):
            break
    return client


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.WASPADA_TRUSTED_PROXIES:
            request.META["REMOTE_ADDR"] = client_address_behind_proxies(
                str(request.META.get("REMOTE_ADDR") or ""),
                str(request.META.get("HTTP_X_FORWARDED_FOR") or ""),
            )
        return self.get_response(request)


def network_key(request: HttpRequest) -> str:
    """The client for throttling (see ``network_of``)."""
    return network_of(str(request.META.get("REMOTE_ADDR") or ""))


def network_of(raw: str) -> str:
    """An IPv4 address as it is; an IPv6 address as its /64 (one subscriber's network: a single
    home or phone can use any of its 2^64 addresses); "unknown" for anything else."""
    address = _parse(raw)
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
