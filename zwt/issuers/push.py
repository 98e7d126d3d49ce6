"""One push: the body read under the issuing size cap, its signature checked, its records applied all or
nothing, and the report."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..container import Services
from ..db import session
from ..errors import ApiError, Conflict, ValidationFailed, field_error
from ..http import schema, unstorable_paths
from .ledger import Line, Report, apply_records, refresh_statistics
from .schemas import PushReportOut
from .signatures import SignedRequest, verify_request

__all__ = ["JSON", "JSONL", "UnsupportedRecordType", "lines_of", "push", "refused_problem", "report_view"]

JSON, JSONL = "application/json", "application/jsonl"


class UnsupportedRecordType(ApiError):
    """415: a push body that is neither one JSON record nor JSON lines."""

    status = 415
    code = "unsupported_media_type"


def _line(number: int, raw: bytes) -> Line:
    try:
        text = raw.decode("utf-8")  # strict: no encoded surrogates
        data = json.loads(text)
    except (ValueError, RecursionError):
        return Line(number, None, ("malformed_json", "record"))
    # Strict JSON has no raw control characters in strings, so NUL and lone surrogates (what no column can
    # hold) arrive only as \u escapes: most lines have none and skip the walk.
    bad = next(unstorable_paths(data, ""), None) if "\\u" in text else None
    if bad is not None:
        return Line(number, data, ("invalid_text", bad))
    return Line(number, data)


def lines_of(mimetype: str, body: bytes) -> list[Line]:
    """The records of a push body: one ``application/json`` object, or one per line of ``application/jsonl``
    (blank lines skipped, numbered as in the file)."""
    if mimetype == JSON:
        line = _line(1, body)
        if line.problem and line.problem[0] == "malformed_json":
            raise ApiError("malformed_json")
        return [line]
    if mimetype != JSONL:
        raise UnsupportedRecordType()
    lines = [_line(n, text) for n, text in enumerate(body.split(b"\n"), start=1) if text.strip()]
    if not lines:
        raise ValidationFailed.field("body", "empty")
    return lines


def refused_problem(report: Report) -> ValidationFailed:
    """The 422 of a push with refused records: nothing was written; every refused line is named."""
    refused = report.refused
    return ValidationFailed("records_refused", params={"refused": len(refused), "received": len(report.outcomes)},
                            errors=[field_error(f"records[{o.line}].{o.field}", o.reason or "invalid")
                                    for o in refused],
                            extra={"department": report.department, **report.totals(),
                                   "records": [o.view() for o in refused]})


def push(department: str, message: SignedRequest, mimetype: str, body: bytes, *, svc: Services) -> dict[str, Any]:
    """Verify, parse and apply a push in one transaction; the report, or a 422 with nothing written."""
    sess = session()
    key = verify_request(sess, department, message, body, now=svc.clock.timestamp(),
                         skew=svc.config.issuer_signature_skew_seconds, cache=svc.wallet.issuer_keys)
    allowed = frozenset(key.allowed_types)
    lines = lines_of(mimetype, body)
    try:
        report = apply_records(sess, department, lines, allowed=allowed, svc=svc, all_or_nothing=True)
        if report.refused:
            sess.rollback()
            raise refused_problem(report)
        sess.commit()
    except IntegrityError:  # a concurrent push of the same department wrote one of these serials meanwhile
        sess.rollback()
        raise Conflict("conflict") from None
    except BaseException:
        sess.rollback()
        raise
    refresh_statistics(sess, report.count("stored"))
    return {"department": department, **report.totals(), "records": [o.view() for o in report.outcomes]}


def report_view(report: dict[str, Any]) -> dict[str, Any]:
    """The report as answered: the totals through the schema; the per-line entries, already plain values of
    the documented shape, as they are (a first load has 100,000 of them)."""
    return {**schema(PushReportOut).dump({k: v for k, v in report.items() if k != "records"}),
            "records": report["records"]}
