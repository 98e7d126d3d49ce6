"""The compact ``cti`` of a QD1 credential: the tail of its GB/T 36904 license identifier.

The full identifier ``1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>`` costs ~75 bytes, about
40 QR characters more than needed: its root is constant, its type code follows from the license type in
the private claim and its issuer code is the ``iss`` claim. So ``cti`` carries ``<serial>.<version>.<check>``
and the verifier rebuilds the identifier from signed claims only, re-checking the MOD 37,36 character.
"""

from __future__ import annotations

from .errors import InvalidCredential
from .identifiers import InvalidIdentifier, LicenseId, parse_license_id

__all__ = ["compact_license_id", "expand_license_id"]


def compact_license_id(identifier: str) -> bytes:
    """Return the ``cti`` bytes for a full license identifier (which must be valid)."""
    parts = parse_license_id(identifier)
    return f"{parts.serial}.{parts.version:03d}.{parts.check}".encode("ascii")


def expand_license_id(cti: bytes | None, gb_type_code: str, issuer_code: str | None) -> str:
    """Rebuild and re-check the full identifier from ``cti``, the type code and ``iss``, or raise."""
    if cti is None or issuer_code is None:
        raise InvalidCredential("malformed", "a QD1 credential needs cti and iss")
    try:
        serial, version, check = cti.decode("ascii").split(".")
        full = str(LicenseId(gb_type_code, issuer_code, serial, int(version), check))
        return str(parse_license_id(full))
    except (UnicodeDecodeError, ValueError, InvalidIdentifier) as exc:
        raise InvalidCredential("malformed", f"cti makes no valid license identifier ({exc})") from None
