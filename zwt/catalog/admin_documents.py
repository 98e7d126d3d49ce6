"""Turning a department's item document into a checked ``ServiceItem``, and rule violations into 422 errors."""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from sqlalchemy.orm import Session

from services_catalog.items import ServiceItem, item_from_dict, item_to_dict
from services_catalog.validation import validate_for_publish, validate_item
from services_catalog.violations import ItemInvalid, Violation

from ..errors import FieldError, ValidationFailed
from ..http import storable
from ..http import unstorable_paths as _unstorable_paths
from ..i18n import field_violation, violation_message
from ..models import Account
from .registry import registry_name

__all__ = ["INPUT_FIELDS", "READ_ONLY_FIELDS", "storable", "violation_errors", "parse_document", "document_problems",
           "check_document", "rules_for_status", "editable_dict", "top_key"]

# Set by the service, never by a document: the status by actions, the version by edits, the department's name
# by the department register (``registry``).
READ_ONLY_FIELDS = ("status", "version", "department_name")
DEPARTMENT_CODE_MAX = 40  # the width of the department columns
_BLANK = ServiceItem("", "", "", "", "", "", "")
INPUT_FIELDS = frozenset(item_to_dict(_BLANK)) - set(READ_ONLY_FIELDS)


def violation_errors(violations: Iterable[Violation], prefix: str = "") -> list[FieldError]:
    """The one mapping from domain rule violations to the API's ``errors`` entries, in the client's language."""
    return [{"field": prefix + v.field, "code": v.rule, "message": violation_message(v)} for v in violations]


def rules_for_status(item: ServiceItem, status: str) -> list[Violation]:
    """The rules an item must meet in ``status``: the draft rules for drafts, the publish rules otherwise."""
    return validate_item(item) if status == "draft" else validate_for_publish(item)


def editable_dict(item: ServiceItem) -> dict[str, Any]:
    """The part of a stored item a department edits (everything but status, version and department name)."""
    data = item_to_dict(item)
    for name in READ_ONLY_FIELDS:
        data.pop(name)
    return data


def parse_document(sess: Session, body: Any, account: Account) -> tuple[ServiceItem | None, list[Violation]]:
    """Build the item a department sent, owned by the right department, and list what is wrong with its keys.

    The item is None only when the document cannot be built at all. A ``dept_admin``'s item always belongs
    to their department: an absent ``department_code`` is filled in and a different one is a
    ``department_mismatch``; a ``platform_admin`` names the department. The department's name is the
    register's (a code it does not know is ``unknown_department``); a document that sends one is ``read_only``.
    """
    if not isinstance(body, Mapping):
        return None, [field_violation("body", "invalid_type")]
    unstorable = list(dict.fromkeys(_unstorable_paths(body, "")))
    if unstorable:
        return None, [field_violation(path, "invalid_text") for path in unstorable]
    # an empty key cannot name itself: the document holding it is named instead, as for unstorable keys
    problems = [field_violation(str(key) or "body", "read_only" if key in READ_ONLY_FIELDS else "unknown_field")
                for key in body if key not in INPUT_FIELDS]
    data = {k: v for k, v in body.items() if k in INPUT_FIELDS}
    own = account.department_code if account.role == "dept_admin" else None
    given = data.get("department_code")
    if own is not None:
        if given in (None, ""):
            data["department_code"] = own
        elif given != own:
            problems.append(field_violation("department_code", "department_mismatch"))
    code = data.get("department_code")
    if isinstance(code, str) and len(code) > DEPARTMENT_CODE_MAX:
        problems.append(field_violation("department_code", "length"))
    elif isinstance(code, str) and code:
        name = registry_name(sess, code)
        if name is None:
            problems.append(field_violation("department_code", "unknown_department"))
        data["department_name"] = name or ""
    try:
        return item_from_dict(data), problems
    except ItemInvalid as exc:
        return None, problems + list(exc.violations)


def document_problems(sess: Session, body: Any, account: Account,
                      status: str) -> tuple[ServiceItem | None, list[Violation]]:
    """The item of a document and every problem with it: its keys, its shape and the rules of ``status``.

    A document with keys of the wrong shape has no item, yet the rules still run on the rest of it, so one
    report names every problem (rules about the keys already named are left out: they would only repeat).
    """
    item, problems = parse_document(sess, body, account)
    if item is not None:
        return item, problems + rules_for_status(item, status)
    if isinstance(body, Mapping) and problems:
        problems = problems + _rules_of_the_rest(sess, body, account, status, {top_key(v.field) for v in problems})
    return None, problems


def top_key(path: str) -> str:
    """The document key a path starts with: ``materials`` of ``materials[2].name``."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def _rules_of_the_rest(sess: Session, body: Mapping[str, Any], account: Account, status: str,
                       bad: set[str]) -> list[Violation]:
    """The rule violations of the document without its ``bad`` keys (required ones stand in as empty text)."""
    rest = {k: v for k, v in body.items() if k not in bad}
    item, again = parse_document(sess, rest, account)
    if item is None:
        rest.update({top_key(v.field): "" for v in again if v.rule == "required"})
        item, _ = parse_document(sess, rest, account)
    if item is None:
        return []
    return [v for v in rules_for_status(item, status) if top_key(v.field) not in bad]


def check_document(sess: Session, body: Any, account: Account, *, status: str = "draft") -> ServiceItem:
    """The checked item of a request body, or a 422 naming every field and rule at fault."""
    item, problems = document_problems(sess, body, account, status)
    if problems or item is None:
        raise ValidationFailed(errors=violation_errors(problems))
    return item
