"""Properties of the bulk import under hostile files: ``parse_csv`` reads rows or raises ``CsvInvalid``; the
import route answers 2xx or a clean 4xx (never 500) and writes nothing when it refuses.

Files are mutants of a real one (cells replaced by edge texts, JSON arrays, deep nesting, rows added or
dropped), in UTF-8, with the BOM Excel writes, or GB18030, sometimes cut at any byte; or random bytes.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.mutations import CBOR_EDGE_TEXTS, JSON_VALUES, assert_refused_cleanly, examples, mutants
from zwt.catalog.csv_import import RECORD_PARTS, TEMPLATE_ROWS, CsvInvalid, parse_csv
from zwt.db import session
from zwt.models import ItemEvent, ServiceItemRow

from .catalog_admin_helpers import BASE, impl_code, register_departments

ROWS = [list(TEMPLATE_ROWS[0]), [impl_code(1), *TEMPLATE_ROWS[1][1:]]]
JSON_CELLS = (JSON_VALUES.map(lambda v: json_text(v)) | st.sampled_from([1_000, 5_000, 100_000]).map(lambda n: "[" * n)
              | st.sampled_from(["[]", "[{}]", "[1", '[{"name": "\\u0000"}]', "[" * 900 + "]" * 900]))
CELLS = CBOR_EDGE_TEXTS | st.text(max_size=30) | JSON_CELLS | st.sampled_from(["|", ":", "::|:", "是"])


def json_text(value: object) -> str:
    """``value`` as JSON text, as a clerk might paste it into an object-list cell."""
    import json

    return json.dumps(value, ensure_ascii=False)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV import file: a mutant of a real one in one of the encodings clerks use, perhaps cut short."""
    body = draw(mutants(ROWS[1:], CELLS, st.nothing(), max_changes=5))
    header = ROWS[0] if draw(st.integers(0, 9)) else draw(mutants(ROWS[0], CELLS, st.nothing()))
    if draw(st.booleans()):  # an object-list column as JSON: the one cell parsed as a document of its own
        column = ROWS[0].index(draw(st.sampled_from(sorted(RECORD_PARTS))))
        body = [ROWS[1][:column] + [draw(JSON_CELLS)] + ROWS[1][column + 1:], *body]
    rows = [header, *body]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    for row in rows:
        writer.writerow(row if isinstance(row, list) else [row])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    data = out.getvalue().encode(encoding, errors="replace")
    if not draw(st.integers(0, 4)):
        data = data[:draw(st.integers(1, len(data)))]
    return data


@settings(max_examples=examples(150), deadline=None)
@given(data=csv_files() | st.binary(max_size=300))
def test_csv_files_parse_into_rows_or_are_refused_as_invalid(data: bytes) -> None:
    """Any file: rows (each with its document and conversion problems) or CsvInvalid, nothing else."""
    try:
        rows = parse_csv(data)
    except CsvInvalid as exc:
        assert exc.violations
        return
    assert all(isinstance(row.data, dict) for row in rows)


@pytest.fixture(autouse=True)
def register(app):
    """The department register the items' names come from."""
    register_departments(app)


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return tuple(session().scalar(select(func.count()).select_from(m)) for m in (ServiceItemRow, ItemEvent))


def test_csv_imports_are_answered_cleanly_and_refusals_write_nothing(app, client, auth):
    """Any CSV file posted to the import: 200, or a 4xx problem naming the fields, with nothing written."""
    police = auth.staff("dept_admin", "police_admin", department_code="police")

    @settings(max_examples=examples(40), deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=csv_files(), dry_run=st.booleans())
    def check(data: bytes, dry_run: bool) -> None:
        before = _counts(app)
        response = client.post(f"{BASE}/import", data=data, content_type="text/csv", headers=police,
                               query_string={"dry_run": str(dry_run).lower()})
        assert_refused_cleanly(response)
        if response.status_code >= 400 or dry_run:
            assert _counts(app) == before

    check()
