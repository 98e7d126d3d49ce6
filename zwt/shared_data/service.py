"""Use cases of shared data: see one's stored records, and refresh them from the departments.

Refreshing needs the level that releases licenses (``ZWT_LICENSE_RELEASE_LEVEL``, L2 by default): the
records are looked up by the account's ID number and hold the same kind of personal data as licenses.
Every look-up, whatever its outcome, is written to the citizen's access log (event ``shared_fetched``).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from sqlalchemy.exc import IntegrityError

from services_catalog.records import Citizen
from services_catalog.shared_data import SharedResult, fetch_shared
from services_catalog.shared_records import SHARED_SOURCES, SharedSource

from ..auth.accounts import read_id_number
from ..auth.levels import require_licenses_released
from ..container import Services
from ..db import session
from ..errors import NotFound, field_error
from ..masking import FIELD_KINDS, mask
from ..models import Account, SharedDataRecord
from ..wallet_service import access_log
from . import store

__all__ = ["require_source", "shared_data_of", "refresh", "record_view"]


def require_source(name: str) -> str:
    """``name`` if it is a shared-data source, else 404 naming the ``source``."""
    if name not in SHARED_SOURCES:
        raise NotFound("unknown_shared_source", errors=[field_error("source", "unknown_shared_source")])
    return name


def _masked(source: SharedSource, data: dict[str, Any]) -> dict[str, Any]:
    """The record's data with its personal fields masked by their kind (``zwt.masking``)."""
    return {name: mask(FIELD_KINDS.get(name, "code"), value)
            if name in source.sensitive and isinstance(value, str) else value for name, value in data.items()}


def record_view(row: SharedDataRecord, *, svc: Services) -> dict[str, Any]:
    """A stored version as its citizen sees it: personal numbers and addresses masked."""
    return {"id": row.public_id, "source": row.source, "department_code": row.department_code,
            "version": row.version, "digest": row.digest, "previous_digest": row.previous_digest,
            "fetched_at": row.fetched_at, "checked_at": row.checked_at,
            "data": _masked(SHARED_SOURCES[row.source], store.opened(row, svc))}


def _source_view(source: SharedSource) -> dict[str, Any]:
    return {"source": source.name, "label_zh": source.label_zh, "label_en": source.label_en}


def shared_data_of(account: Account, *, svc: Services) -> dict[str, Any]:
    """Every source with the newest stored version of the citizen's record (None when never fetched)."""
    rows = store.latest_of(session(), account.id)
    return {"items": [_source_view(source) | {"record": record_view(rows[name], svc=svc) if name in rows else None}
                      for name, source in SHARED_SOURCES.items()]}


def refresh(account: Account, sources: Iterable[str], *, svc: Services,
            meanwhile: Callable[[], None] | None = None) -> dict[str, Any]:
    """Fetch ``sources`` about the citizen in parallel, store what changed, log each look-up; per-source outcomes.

    The stored versions are read while the departments answer, so only the writes follow their answers.
    ``meanwhile`` is the caller's own work, run in this thread at that time too; if it raises, the look-ups are
    still stored and logged before its exception goes on.
    """
    require_licenses_released(account, svc.config)
    id_number = read_id_number(account, svc=svc)
    assert id_number is not None  # released licenses imply a proven ID number
    failed: list[Exception] = []
    current: dict[str, SharedDataRecord] = {}

    def local() -> None:  # while the departments answer: what is stored now, and the caller's own work
        current.update(store.latest_of(session(), account.id))
        try:
            if meanwhile is not None:
                meanwhile()
        except Exception as exc:  # raised again once the look-ups are kept and logged
            failed.append(exc)

    start = svc.catalog.aggregator.clock.monotonic()
    results = fetch_shared(svc.catalog.aggregator, svc.departments, Citizen(id_number, account.display_name),
                           sources, deadline_s=svc.config.shared_data_deadline_s, meanwhile=local)
    elapsed_ms = int(round((svc.catalog.aggregator.clock.monotonic() - start) * 1000))
    try:
        items = _keep(account, results, svc=svc, current=current)
    except IntegrityError:  # a concurrent refresh stored the same next version first: keep against it
        session().rollback()
        items = _keep(account, results, svc=svc)
    if failed:
        raise failed[0]
    return {"elapsed_ms": elapsed_ms, "items": items}


def _keep(account: Account, results: dict[str, SharedResult], *, svc: Services,
          current: Mapping[str, SharedDataRecord] | None = None) -> list[dict[str, Any]]:
    """Store and log every result in one transaction (``current``: the newest stored versions if read already,
    the log rows inserted in one statement); the views of each outcome."""
    sess, now = session(), svc.clock.now()
    saved = store.save_all(sess, account.id, (result.record for result in results.values()
                                              if result.state == "ok" and result.record is not None),
                           at=now, svc=svc, current=current)
    kept: list[tuple[SharedResult, SharedDataRecord | None, bool | None]] = []
    logged = []
    for result in results.values():
        row, changed = saved.get(result.source, (None, None)) if result.state == "ok" else (None, None)
        logged.append(access_log.row_values(
            at=now, event="shared_fetched", source="app", account_id=account.id, actor=account, hall_code=None,
            counter_code=None, license_type=result.source, fields=sorted(result.record.data) if result.record else [],
            detail={"department": result.department_code, "state": result.state, "reason": result.reason,
                    "changed": changed, "digest": row.digest if row is not None else None}))
        kept.append((result, row, changed))
    if logged:
        sess.execute(access_log.INSERT, logged)
    views = [_source_view(SHARED_SOURCES[result.source])
             | {"state": result.state, "reason": result.reason, "department_code": result.department_code,
                "changed": changed, "latency_ms": result.latency_ms,
                "record": record_view(row, svc=svc) if row is not None else None}
             for result, row, changed in kept]
    sess.commit()
    return views
