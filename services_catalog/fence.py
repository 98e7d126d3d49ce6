"""The fence around calls to department systems: where they may go, and how much they may answer.

A department client built by ``Departments.from_config`` sends every request through ``FencedTransport``:

- the request must go to the configured base URL's origin (scheme, host, port): nothing a department
  answers, and no path an adapter builds, can send a call elsewhere; redirects are never followed;
- the host is resolved once, every address it resolves to must lie inside the department's configured
  networks and outside ``ALWAYS_REFUSED`` (link-local, cloud metadata), and the connection goes to the address
  that was checked (the name still travels in ``Host`` and TLS SNI), so a second lookup cannot swap it;
- the answer is cut off past ``max_bytes`` (``AnswerTooLarge``) or once the call's own timeout has passed in
  total, however slowly the bytes drip (``httpx.ReadTimeout``), by the injected monotonic clock.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence, Union

import httpx

__all__ = ["ALWAYS_REFUSED", "LOOPBACK", "DEFAULT_MAX_BYTES", "Network", "Resolver", "FenceRefused",
           "AnswerTooLarge", "system_resolver", "parse_networks", "FencedTransport", "Fence"]

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
#: ``resolve(host, port)`` -> the addresses a name stands for
Resolver = Callable[[str, int], Sequence[str]]

#: refused whatever a department's networks say: link-local (where every cloud's metadata service lives),
#: the metadata addresses outside it (Alibaba Cloud, AWS over IPv6), "this network" and the unspecified address
ALWAYS_REFUSED: tuple[Network, ...] = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16", "fe80::/10", "100.100.100.200/32", "fd00:ec2::254/128", "0.0.0.0/8", "::/128"))
#: the networks of a department with none configured: the sandboxes and tests on this machine
LOOPBACK: tuple[Network, ...] = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
DEFAULT_MAX_BYTES = 4 * 1024 * 1024


class FenceRefused(httpx.TransportError):
    """The request would leave the department's configured origin or networks; nothing was sent."""


class AnswerTooLarge(httpx.TransportError):
    """The department's answer ran past the byte cap; the rest was not read."""


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for ``host`` (each once, in its order)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def parse_networks(texts: Sequence[str]) -> tuple[Network, ...]:
    """``["10.1.0.0/16", "::1/128"]`` as networks; ValueError names a wrong one."""
    return tuple(ipaddress.ip_network(text.strip(), strict=False) for text in texts)


def _address(text: str) -> Address:
    address = ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 zone names an interface, not an address
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _CappedStream(httpx.SyncByteStream):
    """The response body, refused past ``max_bytes`` or after ``deadline`` on ``now``."""

    def __init__(self, inner: httpx.SyncByteStream, max_bytes: int, deadline: float,
                 now: Callable[[], float], request: httpx.Request) -> None:
        self._inner, self._max, self._deadline, self._now, self._request = inner, max_bytes, deadline, now, request

    def __iter__(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self._inner:
            seen += len(chunk)
            if seen > self._max:
                raise AnswerTooLarge(f"answer larger than {self._max} bytes", request=self._request)
            if self._now() > self._deadline:
                raise httpx.ReadTimeout("answer not complete within the call's timeout", request=self._request)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class FencedTransport(httpx.BaseTransport):
    """An httpx transport that lets requests reach only ``base_url``'s origin at addresses in ``networks``."""

    def __init__(self, base_url: str, networks: Sequence[Network], *, inner: httpx.BaseTransport | None = None,
                 resolve: Resolver = system_resolver, max_bytes: int = DEFAULT_MAX_BYTES,
                 now: Callable[[], float] = time.monotonic) -> None:
        url = httpx.URL(base_url)
        self._origin = (url.scheme, url.host, url.port)
        self._networks = tuple(networks)
        self._inner = inner or httpx.HTTPTransport()
        self._resolve = resolve
        self._max_bytes = max_bytes
        self._now = now

    def _checked(self, text: str, request: httpx.Request) -> str:
        address = _address(text)
        if any(address in net for net in ALWAYS_REFUSED if net.version == address.version):
            raise FenceRefused(f"{address} is a link-local or metadata address", request=request)
        if not any(address in net for net in self._networks if net.version == address.version):
            raise FenceRefused(f"{address} is outside the department's networks", request=request)
        return str(address)

    def _pinned(self, request: httpx.Request) -> str:
        """The one address to connect to, after checking every address the host stands for."""
        host = request.url.host
        if _is_ip(host):
            return self._checked(host, request)
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            found = list(self._resolve(host, port))
        except OSError as exc:
            raise httpx.ConnectError(f"cannot resolve {host}: {exc}", request=request) from exc
        if not found:
            raise httpx.ConnectError(f"{host} resolves to nothing", request=request)
        return [self._checked(text, request) for text in found][0]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Check the origin and the address, send, and cap the answer in bytes and in total time."""
        url = request.url
        if (url.scheme, url.host, url.port) != self._origin:
            raise FenceRefused(f"{url.scheme}://{url.host} is not the configured base URL", request=request)
        started = self._now()
        timeouts = request.extensions.get("timeout") or {}
        budget = timeouts.get("read") or timeouts.get("connect") or 60.0
        address = self._pinned(request)
        extensions = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = url.host
        pinned = httpx.Request(request.method, url.copy_with(host=address), headers=request.headers,
                               stream=request.stream, extensions=extensions)
        response = self._inner.handle_request(pinned)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            response.close()
            raise AnswerTooLarge(f"answer of {declared} bytes is over {self._max_bytes}", request=request)
        deadline = started + float(budget)
        if self._now() > deadline:
            response.close()
            raise httpx.ReadTimeout("no answer within the call's timeout", request=request)
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(response.status_code, headers=response.headers, request=request,
                              stream=_CappedStream(response.stream, self._max_bytes, deadline, self._now, request),
                              extensions=response.extensions)

    def close(self) -> None:
        self._inner.close()


@dataclass(frozen=True)
class Fence:
    """Per department code its networks (``"*"``: any other department), the byte cap, resolver and clock."""

    networks: Mapping[str, Sequence[Network]] = field(default_factory=lambda: {"*": LOOPBACK})
    max_bytes: int = DEFAULT_MAX_BYTES
    resolve: Resolver = system_resolver
    now: Callable[[], float] = time.monotonic

    def networks_of(self, code: str) -> Sequence[Network]:
        """The department's networks, else the default ones, else none (every call refused)."""
        return self.networks.get(code, self.networks.get("*", ()))

    def client(self, code: str, base_url: str, *, inner: httpx.BaseTransport | None = None) -> httpx.Client:
        """A pooled client for one department, fenced, never following redirects."""
        transport = FencedTransport(base_url, self.networks_of(code), resolve=self.resolve,
                                    max_bytes=self.max_bytes, now=self.now,
                                    inner=inner or httpx.HTTPTransport(
                                        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10)))
        return httpx.Client(base_url=base_url, transport=transport, follow_redirects=False)
