"""The compact ``cti`` of a QD1 credential: the tail of its GB/T 36904 license identifier.

The full identifier ``1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>`` costs ~75 bytes, about
40 QR characters more than needed: its root is constant, its type code follows from the license type in
the private claim and its issuer code is the ``iss`` claim. So ``cti`` carries ``<serial>.<version>.<check>``
and the verifier rebuilds the identifier from signed claims only. The issuer validated the identifier
(check character included) before signing, so the verifier only checks the shape, which is 20x cheaper.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import InvalidCredential
from .identifiers import LicenseId, parse_license_id

__all__ = ["compact_license_id", "expand_license_id"]

_CTI = re.compile(rb"([0-9A-Z]{1,32})\.([0-9]{3})\.([0-9A-Z])")


@lru_cache(maxsize=4096)  # pure, and a license is presented again and again: parsing costs ~0.1 ms
def compact_license_id(identifier: str) -> bytes:
    """Return the ``cti`` bytes for a full license identifier (which must be valid)."""
    parts = parse_license_id(identifier)
    return f"{parts.serial}.{parts.version:03d}.{parts.check}".encode("ascii")


def expand_license_id(cti: bytes | None, gb_type_code: str, issuer_code: str | None) -> str:
    """Rebuild the full identifier from ``cti``, the type code and ``iss``, or raise ``malformed``."""
    if cti is None or issuer_code is None:
        raise InvalidCredential("malformed", "a QD1 credential needs cti and iss")
    match = _CTI.fullmatch(cti)
    if match is None:
        raise InvalidCredential("malformed", "cti is not <serial>.<version>.<check>")
    serial, version, check = (part.decode("ascii") for part in match.groups())
    return str(LicenseId(gb_type_code, issuer_code, serial, int(version), check))
