"""The flat CSV form of service items a department clerk fills in with Excel, mapped to item documents.

One item per line under a header of column names (any order; English names or the Chinese headings of
``HEADINGS_ZH``; only ``impl_code``, ``name``, ``item_type`` and ``region_code`` are required; a blank cell
takes the default). List columns hold values separated by
``|``. The object-list columns ``fees``, ``materials``, ``outputs`` and ``windows`` hold either a JSON
array of objects or records separated by ``|`` whose parts are separated by ``:`` in the order given in
``RECORD_PARTS`` (the last part may itself contain ``:``, e.g. opening hours). A material with an
``e_license_type`` in the short form is exempted by that license (免证办). A form field's short form is
``name:label:type:required:options:pattern`` with the options separated by ``/`` (a pattern holding ``|``
needs the JSON form). The credit rule (信用规则) takes three columns folded into the item's ``credit_rule``:
``credit_deferrable_materials`` (material names, ``|``), ``credit_restricted_lists`` (list codes, ``|``) and
``credit_commitment_days`` (working days). Files may be UTF-8 (with or
without the BOM Excel writes) or GB18030/GBK, the encoding of Excel's plain "CSV" on Chinese Windows.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from services_catalog.spreadsheet import neutralise_cell
from services_catalog.violations import Violation

from ..i18n import field_violation
from .admin_documents import READ_ONLY_FIELDS

__all__ = ["SourceRow", "CsvInvalid", "COLUMNS", "REQUIRED_COLUMNS", "RECORD_PARTS", "HEADINGS_ZH", "parse_csv",
           "TEMPLATE", "TEMPLATE_ROWS", "EXAMPLE_IMPL_CODE", "spreadsheet_csv"]

#: the credit rule's columns -> its keys in the item's ``credit_rule``
CREDIT_COLUMNS = {"credit_deferrable_materials": "deferrable_materials",
                  "credit_restricted_lists": "restricted_lists", "credit_commitment_days": "commitment_days"}
LIST_COLUMNS = ("aliases", "audiences", "personas", "themes", "life_events", "channels", "legal_basis",
                "credit_deferrable_materials", "credit_restricted_lists")
INT_COLUMNS = ("legal_time_limit", "promised_time_limit", "visit_count", "online_depth", "credit_commitment_days")
BOOL_COLUMNS = ("is_immediate", "accepts_online")
RECORD_PARTS: dict[str, tuple[str, ...]] = {
    "fees": ("name", "standard", "basis"),
    "materials": ("name", "kind", "necessity", "e_license_type"),
    "outputs": ("name", "kind", "e_license_type"),
    "windows": ("hall", "address", "phone", "hours"),
    "form_fields": ("name", "label", "type", "required", "options", "pattern"),
}
TEXT_COLUMNS = ("impl_code", "basic_code", "name", "short_name", "item_type", "department_code",
                "region_code", "handling_type", "legal_time_limit_unit",
                "promised_time_limit_unit", "onsite_reason", "materials_note")
COLUMNS = (*TEXT_COLUMNS, *LIST_COLUMNS, *INT_COLUMNS, *BOOL_COLUMNS, *RECORD_PARTS)
REQUIRED_COLUMNS = ("impl_code", "name", "item_type", "region_code")
# The headings a clerk may use instead: the element names of the national catalog standard.
HEADINGS_ZH = {
    "实施编码": "impl_code", "基本编码": "basic_code", "事项名称": "name", "简称": "short_name", "别名": "aliases",
    "事项类型": "item_type", "部门代码": "department_code", "实施主体": "department_name",
    "行政区划": "region_code", "服务对象": "audiences", "对象类型": "personas", "主题": "themes",
    "一件事": "life_events", "办件类型": "handling_type", "是否即办": "is_immediate",
    "法定时限": "legal_time_limit", "法定时限单位": "legal_time_limit_unit", "承诺时限": "promised_time_limit",
    "承诺时限单位": "promised_time_limit_unit", "到现场次数": "visit_count", "到现场原因": "onsite_reason",
    "网办深度": "online_depth", "办理渠道": "channels", "收费": "fees", "申请材料": "materials",
    "材料说明": "materials_note", "办理结果": "outputs", "办理窗口": "windows", "设定依据": "legal_basis",
    "网上申请": "accepts_online", "表单字段": "form_fields", "容缺材料": "credit_deferrable_materials",
    "失信限制名单": "credit_restricted_lists", "承诺补交期限": "credit_commitment_days",
}
_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}
# The template's example row: its implementer code reads EXAMPLE and fails the GB 32100 check, so no item can
# ever have this code and an unedited template is refused as the example row rather than matching a live item.
EXAMPLE_IMPL_CODE = "371A0123400000-370202000000-000-EXAMPLE00000000000-1-00"
TEMPLATE_ROWS: tuple[tuple[str, ...], ...] = (
    ("impl_code", "basic_code", "name", "item_type", "region_code", "audiences", "handling_type", "legal_time_limit",
     "legal_time_limit_unit", "promised_time_limit", "visit_count", "onsite_reason", "online_depth", "channels",
     "fees", "materials", "outputs", "windows", "legal_basis", "accepts_online", "form_fields",
     "credit_deferrable_materials", "credit_restricted_lists", "credit_commitment_days"),
    (EXAMPLE_IMPL_CODE, "371A0123400000", "示例事项（请替换或删除本行）", "20", "370202", "natural_person", "promised",
     "60", "natural_day", "20", "1", "需现场采集人像和指纹", "3", "window|online|express",
     "居民身份证工本费:每证20元:《居民身份证法》第二十条", "居民身份证:original:required:id_card|彩色数码相片回执",
     "居民身份证:license:id_card", "市南区政务服务中心:青岛市市南区宁夏路:0532-12345:周一至周五 9:00-17:00",
     "《中华人民共和国居民身份证法》", "是", "reason:申领事由:choice:是:first/renewal/lost|address:邮寄地址:text:否", "",
     "court_dishonest_debtors", ""),
)


def spreadsheet_csv(rows: Iterable[Iterable[object]]) -> str:
    """CSV text for a spreadsheet: every cell a formula would start is made inert (``neutralise_cell``).

    Every CSV file the service hands out is written here, so no cell of it can run when Excel opens it.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([neutralise_cell(str(cell)) for cell in row])
    return out.getvalue()


TEMPLATE = spreadsheet_csv(TEMPLATE_ROWS)


@dataclass
class SourceRow:
    """One item of an import file: its 1-based number, its CSV line, its document and conversion problems."""

    row: int
    line: int | None
    data: Any
    problems: list[Violation] = field(default_factory=list)


class CsvInvalid(ValueError):
    """The file as a whole cannot be read (encoding, header); ``violations`` say why."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(", ".join(f"{v.field}: {v.rule}" for v in violations))
        self.violations = violations


def _decode(data: bytes, charset: str | None) -> str:
    candidates = [charset] if charset else ["utf-8-sig", "gb18030"]
    for name in candidates:
        try:
            return data.decode(name).lstrip("\ufeff")
        except (UnicodeDecodeError, LookupError):
            continue
    raise CsvInvalid([field_violation("body", "encoding")])


def _header(names: list[str]) -> list[str]:
    """The column names of the header row (Chinese headings accepted); every problem with it at once."""
    header = [HEADINGS_ZH.get(n.strip(), n.strip().lower()) for n in names]
    problems = [field_violation(f"header.{n or i + 1}", "read_only" if n in READ_ONLY_FIELDS else "unknown_field")
                for i, n in enumerate(header) if n not in COLUMNS]
    problems += [field_violation(f"header.{n}", "duplicate") for i, n in enumerate(header) if n and n in header[:i]]
    problems += [field_violation(f"header.{n}", "required") for n in REQUIRED_COLUMNS if n not in header]
    if problems:
        raise CsvInvalid(problems)
    return header


def _records(column: str, text: str) -> list[dict[str, Any]]:
    """A short-form object list: ``|`` between records, ``:`` between parts (the last part keeps its colons)."""
    parts_of = RECORD_PARTS[column]
    out = []
    for record in (r.strip() for r in text.split("|")):
        if not record:
            continue
        values = [v.strip() for v in record.split(":", len(parts_of) - 1)]
        obj: dict[str, Any] = {k: v for k, v in zip(parts_of, values) if v}
        if column == "materials" and obj.get("e_license_type"):
            obj["exempt_with_e_license"] = True
        if column == "form_fields":
            if "required" in obj:
                obj["required"] = obj["required"].lower() in _TRUE
            if "options" in obj:
                obj["options"] = [o.strip() for o in obj["options"].split("/") if o.strip()]
        obj.setdefault(parts_of[0], "")
        out.append(obj)
    return out


def _cell(column: str, text: str, problems: list[Violation]) -> Any:
    """The document value of one non-blank cell, or None after recording why it cannot be read."""
    if column in LIST_COLUMNS:
        return [v.strip() for v in text.split("|") if v.strip()]
    if column in INT_COLUMNS:
        try:
            return int(text)
        except ValueError:
            problems.append(Violation(column, "type", "应为整数", "must be an integer"))
            return None
    if column in BOOL_COLUMNS:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        problems.append(Violation(column, "type", "应为是/否", "must be true or false"))
        return None
    if column in RECORD_PARTS:
        if text.startswith("["):
            try:
                return json.loads(text)
            except (ValueError, RecursionError):  # the parser recurses: a cell of a thousand [ is not JSON
                problems.append(Violation(column, "type", "不是合法的 JSON 数组", "is not a valid JSON array"))
                return None
        return _records(column, text)
    return text


def _rows(reader: Any, header: list[str]) -> Iterator[SourceRow]:
    """The non-blank lines under the header as rows numbered from 1, each with its line in the file."""
    number = 0
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        number += 1
        row = SourceRow(number, reader.line_num, {})
        if len(cells) > len(header):
            row.problems.append(field_violation("row", "too_many_cells"))
        for column, raw in zip(header, cells):
            text = raw.strip()
            if text:
                value = _cell(column, text, row.problems)
                if value is not None:
                    row.data[column] = value
        for column, key in CREDIT_COLUMNS.items():
            if column in row.data:
                row.data.setdefault("credit_rule", {})[key] = row.data.pop(column)
        yield row


def parse_csv(data: bytes, charset: str | None = None) -> list[SourceRow]:
    """The rows of a CSV import file; raise ``CsvInvalid`` when the file itself cannot be read."""
    text = _decode(data, charset)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        first = next(reader, None)
        if first is None:
            raise CsvInvalid([field_violation("body", "empty")])
        return list(_rows(reader, _header(first)))
    except csv.Error as exc:
        raise CsvInvalid([field_violation("body", "format")]) from exc
