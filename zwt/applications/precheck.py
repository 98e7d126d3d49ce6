"""Pre-check (预审) of an application's materials: material by material, what already satisfies it, by what, and
what is left, before anything is submitted.

Each required material of a published item lists, in order of preference, the ways that can satisfy it
(``services_catalog.handling.Satisfier``): a wallet license of a type with the facts needed, a department's
shared data, or an upload from the citizen's materials library (材料库). The facts a license must show are
mapped to wallet fields by ``zwt.wallet_service.requirements`` only. Every shared source the materials name is
fetched in one parallel round under ``ZWT_SHARED_DATA_DEADLINE_S`` through ``zwt.shared_data.service.refresh``
(the aggregator's deadlines, bulkheads, breakers and retry; each record stored with its digest, each look-up
in the citizen's access log). A department too slow for the deadline leaves its material ``pending``, never
failed: the citizen waits and checks again, or names a library file for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from sqlalchemy import select

from services_catalog.handling import (SATISFY_LICENSE, SATISFY_SHARED_DATA, SATISFY_UPLOAD, Satisfier,
                                       satisfier_to_dict)
from services_catalog.items import Material as CatalogMaterial
from services_catalog.items import ServiceItem
from services_catalog.shared_records import SHARED_SOURCES
from wallet.issuer import china_day

from ..auth.levels import require_licenses_released
from ..container import Services
from ..db import session
from ..errors import ValidationFailed
from ..models import Account, Material, WalletLicense
from ..shared_data import service as shared
from ..uploads.library import find_own
from ..wallet_service.licenses import shown_status
from ..wallet_service.requirements import wallet_fields

__all__ = ["SATISFIED", "PENDING", "MISSING", "CATALOG_SOURCES", "shared_source", "Resolution", "needed_materials",
           "resolve", "pre_check"]

SATISFIED, PENDING, MISSING = "satisfied", "pending", "missing"
#: The catalog's name of a shared-data source -> the name ``services_catalog.shared_records`` fetches it by,
#: where the two differ (the catalog's vocabulary predates the shared-data port).
CATALOG_SOURCES: Mapping[str, str] = {"social_security_record": "social_security_payments",
                                      "housing_fund_record": "housing_fund_deposits"}


def shared_source(catalog_name: str | None) -> str | None:
    """The shared-data source a catalog satisfier names, or None when no deployed source answers it."""
    name = CATALOG_SOURCES.get(catalog_name or "", catalog_name)
    return name if name in SHARED_SOURCES else None


@dataclass
class Resolution:
    """One material's outcome: its state, the way that satisfies it (``by``) and why other ways did not."""

    name: str
    state: str
    by: dict[str, Any] | None = None
    ways: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        """The JSON-ready form."""
        return {"name": self.name, "state": self.state, "by": self.by, "ways": self.ways, "problems": self.problems}


def needed_materials(item: ServiceItem) -> list[CatalogMaterial]:
    """The item's materials that declare ways to satisfy them and are not optional: what a pre-check resolves,
    and what every submission of the item must satisfy (or defer under a credit commitment)."""
    return [m for m in item.materials if m.satisfied_by and m.necessity != "optional"]


def _licenses(account: Account, svc: Services) -> dict[str, list[WalletLicense]]:
    rows = session().scalars(select(WalletLicense).where(WalletLicense.account_id == account.id)
                             .order_by(WalletLicense.id))
    found: dict[str, list[WalletLicense]] = {}
    for row in rows:
        found.setdefault(row.license_type, []).append(row)
    return found


def _sources_wanted(materials: list[CatalogMaterial]) -> list[str]:
    return list(dict.fromkeys(s for m in materials for way in m.satisfied_by
                              if way.kind == SATISFY_SHARED_DATA and (s := shared_source(way.source))))


def _by_license(way: Satisfier, held: dict[str, list[WalletLicense]], svc: Services,
                problems: list[dict[str, Any]]) -> dict[str, Any] | None:
    today = china_day(svc.clock.now())
    rows = held.get(way.license_type or "", [])
    for row in rows:
        status = shown_status(row, today)
        if status == "valid":
            return {"kind": SATISFY_LICENSE, "license_type": row.license_type, "license_id": row.public_id,
                    "fields": list(wallet_fields(row.license_type, way.fields))}
        problems.append({"kind": SATISFY_LICENSE, "license_type": row.license_type, "reason": f"license_{status}"})
    if not rows:
        problems.append({"kind": SATISFY_LICENSE, "license_type": way.license_type, "reason": "license_not_held"})
    return None


def _by_shared(way: Satisfier, outcomes: Mapping[str, Mapping[str, Any]],
               problems: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, bool]:
    """(what satisfies, whether the source is pending)."""
    name = shared_source(way.source)
    outcome = outcomes.get(name or "")
    if outcome is None:
        problems.append({"kind": SATISFY_SHARED_DATA, "source": way.source, "reason": "no_department"})
        return None, False
    record = outcome.get("record")
    if outcome["state"] == "ok" and record is not None:
        return {"kind": SATISFY_SHARED_DATA, "source": name, "record_id": record["id"],
                "department_code": record["department_code"], "digest": record["digest"],
                "fetched_at": record["fetched_at"].isoformat()}, False
    reason = "no_record" if outcome["state"] == "ok" else (outcome.get("reason") or outcome["state"])
    problems.append({"kind": SATISFY_SHARED_DATA, "source": name, "reason": reason})
    return None, outcome["state"] == "pending"


def resolve(account: Account, item: ServiceItem, uploads: Mapping[str, str], *,
            svc: Services) -> list[Resolution]:
    """Resolve each required material of ``item`` for ``account``; ``uploads`` names, by material name, the
    library file (``mat_...``) the citizen offers for it (checked to be theirs; a foreign one is a 404).

    The departments are asked first; the wallet licenses and the offered files are read from the database
    while they answer, so a pre-check takes about as long as its slowest department.
    """
    materials = needed_materials(item)
    names = {m.name for m in materials}
    for name in uploads:
        if name not in names:
            raise ValidationFailed.field(f"uploads.{name}", "unknown_material")
    require_licenses_released(account, svc.config)
    held: dict[str, list[WalletLicense]] = {}
    offered: dict[str, Material] = {}

    def local_reads() -> None:  # the database's part, done while the departments are asked
        held.update(_licenses(account, svc))
        offered.update((name, find_own(account, public_id, svc=svc)) for name, public_id in uploads.items())

    sources = _sources_wanted(materials)
    outcomes: dict[str, Mapping[str, Any]] = {}
    if sources:
        found = shared.refresh(account, sources, svc=svc, meanwhile=local_reads)
        outcomes = {o["source"]: o for o in found["items"]}
    else:
        local_reads()
    out = []
    for material in materials:
        res = Resolution(material.name, MISSING, ways=[satisfier_to_dict(w) for w in material.satisfied_by])
        pending = False
        for way in material.satisfied_by:
            by: dict[str, Any] | None = None
            if way.kind == SATISFY_LICENSE:
                by = _by_license(way, held, svc, res.problems)
            elif way.kind == SATISFY_SHARED_DATA:
                by, slow = _by_shared(way, outcomes, res.problems)
                pending = pending or slow
            elif way.kind == SATISFY_UPLOAD and material.name in offered:
                row = offered[material.name]
                by = {"kind": SATISFY_UPLOAD, "material_id": row.public_id, "type": row.kind, "size": row.size}
            if by is not None:
                res.state, res.by = SATISFIED, by
                break
        else:
            res.state = PENDING if pending else MISSING
        out.append(res)
    return out


def pre_check(account: Account, item: ServiceItem, uploads: Mapping[str, str], *, svc: Services) -> dict[str, Any]:
    """The pre-check answer: per material its state and what satisfies it; ``complete`` when all are satisfied."""
    found = resolve(account, item, uploads, svc=svc)
    counts = {state: sum(1 for r in found if r.state == state) for state in (SATISFIED, PENDING, MISSING)}
    return {"impl_code": item.impl_code, "complete": counts[SATISFIED] == len(found), **counts,
            "materials": [r.view() for r in found]}
