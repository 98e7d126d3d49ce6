"""Bulk import of a department's items from a JSON array or a CSV file: all or nothing per file.

Every row is checked first (document shape, department, rules of the status it will have, duplicates in
the file, codes owned by another department). Any problem refuses the whole file with a per-row report;
otherwise every row is saved in one transaction. A dry run does the same work and rolls it back, so its
counts are exactly what the real import would report.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services_catalog.items import ServiceItem
from services_catalog.violations import Violation

from ..config import Config
from ..container import Services
from ..errors import ApiError, Conflict, FieldError, ValidationFailed, field_error
from ..http import storable
from ..i18n import field_violation, violation_message
from ..models import Account, ServiceItemRow
from .admin_documents import document_problems, top_key, violation_errors
from .admin_service import live_edit_refused
from .csv_import import EXAMPLE_IMPL_CODE, CsvInvalid, SourceRow, parse_csv
from .repository import save_item

__all__ = ["MAX_ROWS", "rows_from_body", "import_rows"]

MAX_ROWS = 1000


class UnsupportedImportType(ApiError):
    """415: an import body that is neither JSON nor CSV."""

    status = 415
    code = "unsupported_media_type"


def rows_from_body(mimetype: str, charset: str | None, data: bytes) -> list[SourceRow]:
    """The rows of an import body: ``application/json`` (an array of item documents) or ``text/csv``."""
    if mimetype == "text/csv":
        try:
            return parse_csv(data, charset)
        except CsvInvalid as exc:
            raise ValidationFailed("import_failed", errors=violation_errors(exc.violations)) from None
    if mimetype != "application/json":
        raise UnsupportedImportType()
    try:
        body = json.loads(data.decode(charset or "utf-8"))
    except (ValueError, LookupError, RecursionError):
        raise ApiError("malformed_json") from None
    if not isinstance(body, list):
        raise ValidationFailed.field("body", "invalid_type")
    return [SourceRow(i + 1, None, element) for i, element in enumerate(body)]


def _check_row(sess: Session, source: SourceRow, account: Account, seen: set[str],
               config: Config) -> tuple[ServiceItem | None, ServiceItemRow | None, list[Violation]]:
    """The row's item, its stored row when it already exists, and everything wrong with it, all at once:
    conversion problems of its cells, whose code it is, its keys, its shape and the rules of its status."""
    code = source.data.get("impl_code") if isinstance(source.data, dict) else None
    code = code if isinstance(code, str) and code and storable(code) else None
    claim: list[Violation] = []
    existing = None
    if code == EXAMPLE_IMPL_CODE:
        claim.append(field_violation("impl_code", "example_row"))
    elif code in seen:
        claim.append(field_violation("impl_code", "duplicate"))
    elif code is not None:
        seen.add(code)
        existing = sess.scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == code))
        refusal = _refusal(existing, account, config) if existing is not None else None
        if refusal:
            claim.append(field_violation("impl_code", refusal))
            existing = None
    item, problems = document_problems(sess, source.data, account, existing.status if existing else "draft")
    cells = {v.field for v in source.problems}
    problems = [v for v in problems if top_key(v.field) not in cells]
    return item, existing, source.problems + claim + problems


def _refusal(existing: ServiceItemRow, account: Account, config: Config) -> str | None:
    """Why a row may not update this stored item: another department's, cancelled, its feed's, or published
    where a second person must review changes; else None."""
    if account.role != "platform_admin" and existing.department_code != account.department_code:
        return "taken"
    if existing.status == "cancelled":
        return "item_cancelled"
    if existing.source == "feed":
        return "maintained_by_feed"
    if live_edit_refused(existing, config):
        return "live_edit_needs_review"
    return None


def _report(failed: list[tuple[SourceRow, str, list[Violation]]]) -> ValidationFailed:
    """The 422 naming every bad row: ``errors`` as paths ``rows[N].field`` and a flat ``row_errors`` table."""
    errors: list[FieldError] = []
    table: list[dict[str, Any]] = []
    for source, impl_code, violations in failed:
        errors.extend(violation_errors(violations, prefix=f"rows[{source.row}]."))
        table.extend({"row": source.row, "line": source.line, "impl_code": impl_code, "field": v.field,
                      "rule": v.rule, "message": violation_message(v)} for v in violations)
    return ValidationFailed("import_failed", params={"rows": len({s.row for s, _, _ in failed})},
                            errors=errors, extra={"row_errors": table})


def import_rows(sess: Session, rows: list[SourceRow], account: Account, svc: Services, *,
                dry_run: bool) -> dict[str, Any]:
    """Create new items as drafts and update existing ones in their status, all or nothing; return the counts."""
    if not rows:
        raise ValidationFailed.field("body", "empty")
    if len(rows) > MAX_ROWS:
        raise ValidationFailed("import_too_large", params={"limit": MAX_ROWS},
                               errors=[field_error("body", "too_many_rows")])
    checked, failed, seen = [], [], set()
    for source in rows:
        item, existing, problems = _check_row(sess, source, account, seen, svc.config)
        impl_code = source.data.get("impl_code") if isinstance(source.data, dict) else None
        if problems or item is None:
            failed.append((source, impl_code if isinstance(impl_code, str) else "", problems))
        else:
            checked.append((source, item, existing))
    if failed:
        sess.rollback()
        raise _report(failed)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    outcomes = []
    now = svc.clock.now()
    try:
        for source, item, existing in checked:
            result = save_item(sess, item, source=existing.source if existing else "registration",
                               actor=account.subject, action="import", now=now,
                               status=existing.status if existing else "draft")
            outcome = "created" if result.created else "updated" if result.changed else "unchanged"
            counts[outcome] += 1
            outcomes.append({"row": source.row, "impl_code": item.impl_code, "outcome": outcome,
                             "status": result.row.status, "version": result.row.version})
        if dry_run:
            sess.rollback()
        else:
            sess.commit()
    except IntegrityError:  # a concurrent writer created one of these codes in the meantime
        sess.rollback()
        raise Conflict("conflict") from None
    except BaseException:
        sess.rollback()
        raise
    return {"dry_run": dry_run, "total": len(rows), **counts, "items": outcomes}
