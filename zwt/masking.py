"""The masking policy: one rule per kind of personal value, and which fields are of which kind.

Every answer that carries a personal value masks it here; the full value appears only on the documented
reveal route (``GET /api/v1/me/licenses/{id}?reveal=true`` with a step-up). The rules:

=================  ==========================================  ===========================
kind               rule                                        example
=================  ==========================================  ===========================
``id_number``      first 4 and last 4 (the city, and the       ``3702**********0316``
                   sequence and check digit)
``phone``          first 3 and last 4                          ``138****0001``
``address``        province, city and district; the rest      ``山东省青岛市市南区****``
                   hidden
``account``        last 4 only (housing fund, social           ``********8812``
                   security card, bank, VIN)
``archive``        last 4 only (a driving licence's file       ``********3427``
                   number, a certificate's serial)
``name``           the surname, then one ``*`` per character   ``张*``
``code``           other sensitive codes: first and last 4     ``3702********16``
                   (1 and 1 when short)
=================  ==========================================  ===========================

``FIELD_KINDS`` names the kind of every personal field departments and licenses carry. A field of a kind
not listed is shown as is; the scan in ``tests/zwt/test_privacy_scan.py`` checks that no full ID number or
phone survives anywhere.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from wallet.licenses import mask_code

__all__ = ["RULES", "FIELD_KINDS", "mask", "mask_id_number", "mask_phone", "mask_serial", "mask_fields",
           "looks_like_resident_id", "mask_in_text"]

_DISTRICT = re.compile(r"^(.*?(?:省|自治区|市))?(.*?市)?(.*?(?:区|县|市))")
_RESIDENT_ID = re.compile(r"^[1-9][0-9]{16}[0-9X]\Z")
# inside free text: a long run of digits (an ID, account or card number) or a mobile number, not part of a longer one
_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])(?:[0-9]{11,}[0-9Xx]?|[0-9]{10}[Xx])(?![0-9])")


def mask_id_number(value: str) -> str:
    """Show the region prefix and the last four characters only: ``3702**********123X``."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """Show the first three and last four digits: ``138****1234``."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def _mask_address(value: str) -> str:
    found = _DISTRICT.match(value)
    kept = found.group(0) if found and len(found.group(0)) < len(value) else ""
    return kept + "****"


def _last4(value: str) -> str:
    return "*" * max(0, len(value) - 4) + value[-4:] if len(value) > 4 else "*" * len(value)


def _mask_name(value: str) -> str:
    return value[:1] + "*" * (len(value) - 1) if len(value) > 1 else "*"


RULES: dict[str, Callable[[str], str]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "address": _mask_address,
    "account": _last4,
    "archive": _last4,
    "name": _mask_name,
    "code": mask_code,
}

#: the kind of each personal field, by the names departments' records and licenses use
FIELD_KINDS: dict[str, str] = {
    "holder_id_number": "id_number", "id_number": "id_number", "holder_code": "code",
    "phone": "phone", "mobile": "phone", "contact_phone": "phone",
    "address": "address", "residence": "address", "domicile": "address",
    "account_number": "account", "card_number": "account", "bank_account": "account", "vin": "account",
    "file_number": "archive", "archive_number": "archive", "certificate_number": "archive",
}


def looks_like_resident_id(value: str) -> bool:
    """Whether ``value`` has the shape of an 18-character resident ID number."""
    return bool(_RESIDENT_ID.match(value))


def mask(kind: str, value: str) -> str:
    """Mask ``value`` by the rule of ``kind``; a resident ID number in any field masks as an ID number."""
    if looks_like_resident_id(value):
        return mask_id_number(value)
    return RULES[kind](value)


def mask_serial(value: str) -> str:
    """A department's serial: often the ID number itself (ID cards, driving licences), else an archive number."""
    return mask("archive", value)


def mask_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a record's fields with every personal one masked by its kind."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        kind = FIELD_KINDS.get(name)
        if isinstance(value, str) and (kind is not None or looks_like_resident_id(value)):
            out[name] = mask(kind or "id_number", value)
        else:
            out[name] = value
    return out


def mask_in_text(text: str) -> str:
    """Free text (a file name) with every number that could be personal masked: an 11-digit run as a phone,
    a longer one (an ID, account or card number) as an ID number."""
    return _NUMBER_IN_TEXT.sub(lambda m: mask_phone(m.group(0)) if len(m.group(0)) == 11
                               else mask_id_number(m.group(0)), text)
