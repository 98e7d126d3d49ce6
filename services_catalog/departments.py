"""The set of departments the platform talks to, built from config ``[(code, kind, base_url), ...]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping

import httpx

from .adapters import ADAPTERS
from .fence import Fence
from .ports import DepartmentAdapter

__all__ = ["Department", "Departments", "DepartmentConfig"]

#: (department code, adapter kind, base URL)
DepartmentConfig = tuple[str, str, str]


@dataclass(frozen=True)
class Department:
    """One department: its code (the source name in aggregated results), adapter kind and adapter."""

    code: str
    kind: str
    adapter: DepartmentAdapter


class Departments(Mapping[str, Department]):
    """Departments by code, owning the HTTP clients their adapters use (close them with :meth:`close`)."""

    def __init__(self, departments: Iterable[Department], *, clients: Iterable[httpx.Client] = ()) -> None:
        self._by_code = {d.code: d for d in departments}
        self._clients = list(clients)

    @classmethod
    def from_config(
        cls,
        entries: Iterable[DepartmentConfig],
        *,
        client_factory: Callable[[str], httpx.Client] | None = None,
        fence: Fence | None = None,
    ) -> Departments:
        """Build adapters for each ``(code, kind, base_url)``, their clients fenced by ``fence``.

        ``fence`` (default: loopback only) names each department's networks and caps its answers;
        ``client_factory(base_url)`` replaces the fenced client altogether (tests over in-process transports).
        """
        fence = fence or Fence()
        departments, clients = [], []
        for code, kind, base_url in entries:
            if kind not in ADAPTERS:
                raise ValueError(f"department {code}: unknown adapter kind {kind!r}; "
                                 f"known: {sorted(ADAPTERS)}")
            client = client_factory(base_url) if client_factory else fence.client(code, base_url)
            clients.append(client)
            departments.append(Department(code, kind, ADAPTERS[kind](code, client)))
        return cls(departments, clients=clients)

    def __getitem__(self, code: str) -> Department:
        return self._by_code[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def of_kind(self, kind: str) -> list[Department]:
        """Return the departments served by adapters of ``kind``."""
        return [d for d in self._by_code.values() if d.kind == kind]

    def close(self) -> None:
        """Close every HTTP client (and its connection pool)."""
        for client in self._clients:
            client.close()
