"""Strict readers for department answers: every missing field, wrong type or bad date is a MalformedAnswer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..errors import MalformedAnswer
from ..items import item_from_dict
from ..ports import FeedItem
from ..violations import ItemInvalid

__all__ = ["Reader", "CHINA_TZ"]

#: departments in this deployment send local (Beijing) time without an offset
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
#: at most 16 digits of yuan: any real balance, and its fen fit a 64-bit integer column
_DECIMAL_AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,15})\.[0-9]{2}\Z")


class Reader:
    """Reads typed fields out of one department's decoded JSON, naming the path when something is wrong."""

    def __init__(self, department: str) -> None:
        self.department = department

    def fail(self, reason: str) -> MalformedAnswer:
        """Return (for the caller to raise) a MalformedAnswer carrying ``reason``."""
        return MalformedAnswer(self.department, reason)

    def obj(self, value: Any, where: str) -> Mapping[str, Any]:
        """Return ``value`` if it is a JSON object."""
        if not isinstance(value, dict):
            raise self.fail(f"{where}: expected an object, got {type(value).__name__}")
        return value

    def field(self, data: Mapping[str, Any], key: str, where: str) -> Any:
        """Return ``data[key]`` or fail naming the missing field."""
        if key not in data:
            raise self.fail(f"{where}.{key}: missing")
        return data[key]

    def string(self, data: Mapping[str, Any], key: str, where: str, *, empty: bool = False) -> str:
        """Return a string field (non-empty unless ``empty``)."""
        value = self.field(data, key, where)
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(f"{where}.{key}: expected a non-empty string, got {value!r:.40}")
        return value

    def optional_string(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        """Return a string field that may be null."""
        value = self.field(data, key, where)
        return None if value is None else self.string(data, key, where)

    def integer(self, data: Mapping[str, Any], key: str, where: str) -> int:
        """Return an integer field (booleans are not integers here)."""
        value = self.field(data, key, where)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"{where}.{key}: expected an integer, got {value!r:.40}")
        return value

    def boolean(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        """Return a boolean field."""
        value = self.field(data, key, where)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}: expected a boolean, got {value!r:.40}")
        return value

    def array(self, data: Mapping[str, Any], key: str, where: str) -> list[Any]:
        """Return a list field."""
        value = self.field(data, key, where)
        if not isinstance(value, list):
            raise self.fail(f"{where}.{key}: expected a list, got {type(value).__name__}")
        return value

    def date(self, data: Mapping[str, Any], key: str, where: str, fmt: str) -> dt.date:
        """Return a date field written in the department's ``strptime`` format."""
        text = self.string(data, key, where)
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            raise self.fail(f"{where}.{key}: {text!r:.40} is not a date in {fmt}") from None

    def timestamp(self, data: Mapping[str, Any], key: str, where: str, fmt: str) -> dt.datetime:
        """Return a timezone-aware timestamp that has a UTC equivalent (what a database column stores);
        formats without an offset are read as Beijing time."""
        text = self.string(data, key, where)
        try:
            value = dt.datetime.strptime(text, fmt)
            value = value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)
            value.astimezone(dt.timezone.utc)  # a time at the calendar's edge may have no UTC equivalent
        except (ValueError, OverflowError):
            raise self.fail(f"{where}.{key}: {text!r:.40} is not a timestamp in {fmt}") from None
        return value

    def month(self, data: Mapping[str, Any], key: str, where: str, fmt: str = "%Y-%m") -> str:
        """Return a calendar month written in ``fmt`` as ``YYYY-MM``."""
        text = self.string(data, key, where)
        try:
            return dt.datetime.strptime(text, fmt).strftime("%Y-%m")
        except ValueError:
            raise self.fail(f"{where}.{key}: {text!r:.40} is not a month in {fmt}") from None

    def percent(self, data: Mapping[str, Any], key: str, where: str) -> int:
        """Return a whole percentage written like ``"12%"``."""
        text = self.string(data, key, where)
        if not (text.endswith("%") and text[:-1].isdigit() and text[:-1].isascii() and len(text) <= 4):
            raise self.fail(f"{where}.{key}: {text!r:.40} is not a percentage like 12%")
        return int(text[:-1])

    def decimal_fen(self, data: Mapping[str, Any], key: str, where: str) -> int:
        """Return an amount written as a decimal string with two places (``"1234.50"``), in fen; more than 16
        digits of yuan is malformed."""
        text = self.string(data, key, where)
        if not _DECIMAL_AMOUNT.match(text):
            raise self.fail(f"{where}.{key}: {text!r:.40} is not an amount like 1234.50")
        yuan, cents = text.split(".")
        return int(yuan) * 100 + int(cents)

    def choice(self, data: Mapping[str, Any], key: str, where: str, table: Mapping[str, str]) -> str:
        """Return the domain value a coded field maps to through ``table``."""
        code = self.string(data, key, where)
        if code not in table:
            raise self.fail(f"{where}.{key}: unknown code {code!r:.20}")
        return table[code]

    def optional_choice(self, data: Mapping[str, Any], key: str, where: str, table: Mapping[str, str]) -> str | None:
        """Like ``choice``, but an empty code means none (None)."""
        return self.choice(data, key, where, table) if self.string(data, key, where, empty=True) else None

    def strings(self, data: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
        """Return an object field whose values are all strings."""
        value = self.obj(self.field(data, key, where), f"{where}.{key}")
        if not all(isinstance(v, str) for v in value.values()):
            raise self.fail(f"{where}.{key}: expected string values")
        return dict(value)

    def batched(self, ids: Sequence[str], size: int, fetch: Callable[[list[str]], Any], key: str,
                where: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Ask about ``ids`` ``size`` at a time (``fetch`` sends one request and returns its data object) and yield
        each entry of the answers' ``key`` list as (where it is, the entry)."""
        for start in range(0, len(ids), size):
            data = self.obj(fetch(list(ids[start:start + size])), where)
            for i, raw in enumerate(self.array(data, key, where)):
                yield f"{where}.{key}[{i}]", self.obj(raw, f"{where}.{key}[{i}]")

    def feed_item(self, raw: Any, where: str, *, code_key: str, time_key: str, time_fmt: str, detail_key: str,
                  prepare: Callable[[Mapping[str, Any]], Mapping[str, Any]] = dict) -> FeedItem:
        """Read one feed entry: its code, change time and item document (``prepare`` maps the department's
        key style), refusing a document whose own code differs from the entry's."""
        raw = self.obj(raw, where)
        code = self.string(raw, code_key, where)
        updated = self.timestamp(raw, time_key, where, time_fmt)
        detail = self.obj(self.field(raw, detail_key, where), f"{where}.{detail_key}")
        try:
            item = item_from_dict(prepare(detail))
        except ItemInvalid as exc:
            raise self.fail(f"{where}.{detail_key}: {exc}") from None
        if item.impl_code != code:
            raise self.fail(f"{where}: {code_key} {code} does not match its {detail_key}")
        return FeedItem(item, updated)
