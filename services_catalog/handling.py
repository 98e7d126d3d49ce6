"""What online handling (网上办理) needs of an item: its form fields and what can satisfy each material.

A form field is what the citizen types (name, type, required, options, pattern). A material's
``satisfied_by`` lists, in order of preference, what can stand in for it: a wallet license of a type with
the facts needed (in the catalog's words; ``zwt/wallet_service/requirements.py`` maps them to wallet
fields), a department's shared data (数据共享) from a source in ``SHARED_DATA_SOURCES``, or an upload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from services_catalog.codes import Label

__all__ = ["FormField", "Satisfier", "FORM_FIELD_TYPES", "SATISFIER_KINDS", "SHARED_DATA_SOURCES",
           "SATISFY_LICENSE", "SATISFY_SHARED_DATA", "SATISFY_UPLOAD", "form_field_to_dict", "satisfier_to_dict"]

FORM_FIELD_TYPES: Mapping[str, Label] = {
    "text": Label("文本", "text"), "number": Label("数字", "number"), "date": Label("日期", "date"),
    "choice": Label("选项", "choice"), "boolean": Label("是/否", "yes or no"),
}
SATISFY_LICENSE, SATISFY_SHARED_DATA, SATISFY_UPLOAD = "license", "shared_data", "upload"
SATISFIER_KINDS: Mapping[str, Label] = {
    SATISFY_LICENSE: Label("电子证照", "e-license"), SATISFY_SHARED_DATA: Label("数据共享", "shared data"),
    SATISFY_UPLOAD: Label("上传材料", "upload"),
}
# Shared-data source -> the department holding it (the adapter that fetches it).
SHARED_DATA_SOURCES: Mapping[str, tuple[str, Label]] = {
    "social_security_record": ("hrss", Label("社会保险缴费记录", "social-security payment record")),
    "housing_fund_record": ("housing_fund", Label("住房公积金缴存记录", "housing-fund deposit record")),
    "household_registration": ("police", Label("户籍信息", "household registration")),
    "marriage_status": ("civil_affairs", Label("婚姻登记信息", "marriage status")),
}


@dataclass(frozen=True)
class FormField:
    """One field of an item's application form; ``options`` for a choice, ``pattern`` a full-match regex."""

    name: str
    label: str = ""
    type: str = "text"
    required: bool = False
    options: tuple[str, ...] = ()
    pattern: str = ""


@dataclass(frozen=True)
class Satisfier:
    """One way to satisfy a material: a license type and facts, a shared-data source, or an upload."""

    kind: str
    license_type: str | None = None
    fields: tuple[str, ...] = ()
    source: str | None = None


def form_field_to_dict(f: FormField) -> dict[str, Any]:
    """The JSON-ready form of a form field."""
    return {"name": f.name, "label": f.label, "type": f.type, "required": f.required, "options": list(f.options),
            "pattern": f.pattern}


def satisfier_to_dict(s: Satisfier) -> dict[str, Any]:
    """The JSON-ready form of a satisfier."""
    return {"kind": s.kind, "license_type": s.license_type, "fields": list(s.fields), "source": s.source}
