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

from ..container import Services
from ..errors import ApiError, Conflict, FieldError, ValidationFailed
from ..i18n import FIELDS, locale
from ..models import Account, ServiceItemRow
from .admin_documents import parse_document, rules_for_status, violation_errors
from .csv_import import CsvInvalid, SourceRow, parse_csv
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


def _problem(field: str, code: str) -> Violation:
    zh, en = FIELDS.get(code, (code, code))
    return Violation(field, code, zh, en)


def _check_row(sess: Session, source: SourceRow, account: Account,
               seen: set[str]) -> tuple[ServiceItem | None, ServiceItemRow | None, list[Violation]]:
    """The row's item, its stored row when it already exists, and everything wrong with it."""
    if source.problems:
        return None, None, source.problems
    item, problems = parse_document(sess, source.data, account)
    if item is None:
        return None, None, problems
    if item.impl_code in seen:
        return None, None, [_problem("impl_code", "duplicate")]
    seen.add(item.impl_code)
    existing = sess.scalar(select(ServiceItemRow).where(ServiceItemRow.impl_code == item.impl_code))
    if existing is not None and account.role != "platform_admin" \
            and existing.department_code != account.department_code:
        return None, None, [_problem("impl_code", "taken")]
    if existing is not None and existing.status == "cancelled":
        return None, None, [_problem("impl_code", "item_cancelled")]
    if existing is not None and existing.source == "feed":
        return None, None, [_problem("impl_code", "maintained_by_feed")]
    return item, existing, problems + rules_for_status(item, existing.status if existing else "draft")


def _report(failed: list[tuple[SourceRow, str, list[Violation]]]) -> ValidationFailed:
    """The 422 naming every bad row: ``errors`` as paths ``rows[N].field`` and a flat ``row_errors`` table."""
    errors: list[FieldError] = []
    table: list[dict[str, Any]] = []
    english = locale() == "en"
    for source, impl_code, violations in failed:
        errors.extend(violation_errors(violations, prefix=f"rows[{source.row}]."))
        table.extend({"row": source.row, "line": source.line, "impl_code": impl_code, "field": v.field,
                      "rule": v.rule, "message": v.message_en if english else v.message_zh} for v in violations)
    return ValidationFailed("import_failed", params={"rows": len({s.row for s, _, _ in failed})},
                            errors=errors, extra={"row_errors": table})


def import_rows(sess: Session, rows: list[SourceRow], account: Account, svc: Services, *,
                dry_run: bool) -> dict[str, Any]:
    """Create new items as drafts and update existing ones in their status, all or nothing; return the counts."""
    if not rows:
        raise ValidationFailed.field("body", "empty")
    if len(rows) > MAX_ROWS:
        raise ValidationFailed("import_too_large", params={"limit": MAX_ROWS},
                               errors=[{"field": "body", "code": "too_many_rows",
                                        "message": (FIELDS["too_many_rows"][1 if locale() == "en" else 0])}])
    checked, failed, seen = [], [], set()
    for source in rows:
        item, existing, problems = _check_row(sess, source, account, seen)
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
