"""Licenses on record: fetched from the departments through their adapters, sealed, given a status slot."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Any

from sqlalchemy import select

from services_catalog.errors import DepartmentError, DepartmentTimeout
from services_catalog.records import Citizen, LicenseRecord
from wallet.identifiers import make_license_id
from wallet.issuer import china_day
from wallet.issuance import IssuedRecord, license_of, parse_record
from wallet.licenses import InvalidLicense, License
from wallet.license_types import REGISTRY

from ..auth.accounts import read_id_number
from ..audit import access_denied
from ..auth.levels import require_licenses_released
from ..container import Services
from ..db import session
from ..errors import NotFound
from ..masking import FIELD_KINDS, mask
from ..models import Account, WalletLicense
from . import access_log
from .schemas import plausible_id
from .status import allocate, list_for

__all__ = ["FIELD_MAP", "ISSUED_FORMAT", "wallet_serial", "pseudonymous_serial", "serial_index", "to_wallet_license",
           "refresh_licenses", "licenses_of", "find_own", "shown_status", "license_view", "open_record", "seal_issued",
           "wallet_license"]

log = logging.getLogger("zwt.wallet")

#: Marks a sealed record that came through the standard issuing interface (``zwt.issuers``), not an adapter.
ISSUED_FORMAT = "issued/1"

# Department record field -> wallet field, per license type (departments name fields their own way).
FIELD_MAP: dict[str, dict[str, str]] = {
    "id_card": {"sex": "gender", "ethnicity": "ethnicity", "birth_date": "birth_date", "address": "address"},
    "driving_license": {"permitted_class": "license_class", "file_number": "file_number",
                        "first_issued_on": "first_issue_date"},
    "vehicle_license": {"plate_number": "plate_number", "vehicle_type": "vehicle_type",
                        "brand_model": "brand_model", "vin": "vin", "registered_on": "register_date"},
    "social_security_card": {"card_number": "card_number", "bank": "bank_name"},
    "housing_fund_certificate": {"account_number": "account_number", "employer": "employer"},
    "household_register": {"household_number": "household_number", "household_type": "household_type",
                           "head_name": "head_name", "relation": "relation", "sex": "gender",
                           "ethnicity": "ethnicity", "birth_date": "birth_date", "birthplace": "birthplace",
                           "native_place": "native_place", "address": "address"},
    "residence_permit": {"sex": "gender", "ethnicity": "ethnicity", "birth_date": "birth_date", "address": "address"},
    "exit_entry_permit": {"permit_number": "permit_number", "sex": "gender", "birth_date": "birth_date",
                          "birthplace": "birthplace", "issue_place": "issue_place",
                          "issuing_authority": "issuing_authority"},
}
# Wallet fields filled from the record's own columns.
_FROM_RECORD = {"id_card": {"issuing_authority": "issuer_name"},
                "social_security_card": {"issue_date": "issued_on"},
                "residence_permit": {"issuing_authority": "issuer_name"}}


def wallet_serial(record: LicenseRecord, svc: Services) -> str:
    """A pseudonymous, stable serial for the wallet identifier.

    Departments often use the ID number as the serial (ID cards, driving licences); the identifier
    travels in every QR code, so it carries a keyed digest of the department serial instead.
    """
    return pseudonymous_serial(record.license_type, record.issuer_code, record.serial, svc)


def pseudonymous_serial(license_type: str, issuer_code: str, serial: str, svc: Services) -> str:
    """The keyed digest ``wallet_serial`` puts in a license identifier, from its parts."""
    return svc.pii.blind_index(f"{license_type}|{issuer_code}|{serial}", purpose="license_serial_id")[:20].upper()


def serial_index(license_type: str, serial: str, svc: Services) -> str:
    """The blind index a department's serial is found by (``wallet_licenses.serial_bidx``)."""
    return svc.pii.blind_index(f"{license_type}|{serial}", purpose="license_serial")


def to_wallet_license(record: LicenseRecord, serial: str | None = None) -> License:
    """Map a department's record to a wallet ``License`` (raises ``InvalidLicense`` when it does not fit)."""
    ltype = REGISTRY.get(record.license_type)
    if ltype is None:
        raise InvalidLicense("type_code", f"no wallet type {record.license_type!r}")
    mapping = FIELD_MAP.get(record.license_type, {})
    fields = {mapping[k]: str(v) for k, v in record.fields.items() if k in mapping}
    for name, column in _FROM_RECORD.get(record.license_type, {}).items():
        value = getattr(record, column)
        fields[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return License(type_code=record.license_type,
                   identifier=make_license_id(ltype.gb_type_code, record.issuer_code,
                                              (serial or record.serial).upper(), 1),
                   issuer_code=record.issuer_code, holder_name=record.holder_name,
                   holder_code=record.holder_id_number.upper(), valid_from=record.valid_from,
                   valid_until=record.valid_until, fields=fields)


def _seal(row: WalletLicense, record: LicenseRecord, svc: Services) -> None:
    """Seal the department record into the row, bound to the row's public id."""
    blob, version = svc.pii.encrypt(json.dumps(record.to_dict(), ensure_ascii=False), table="wallet_licenses",
                                    column="record", row=row.public_id)
    row.record_enc, row.record_key_version = blob, version


def _opened(row: WalletLicense, svc: Services) -> dict[str, Any]:
    text = svc.pii.decrypt(row.record_enc, row.record_key_version, table="wallet_licenses", column="record",
                           row=row.public_id)
    data: dict[str, Any] = json.loads(text)
    return data


def seal_issued(public_id: str, record: IssuedRecord, serial: str, svc: Services) -> tuple[bytes, int]:
    """A record pushed or pulled through the issuing interface, with its wallet serial, sealed for the row
    ``public_id`` (``record_enc`` and ``record_key_version``)."""
    data = {"format": ISSUED_FORMAT, "record": dict(record.canonical), "wallet_serial": serial}
    return svc.pii.encrypt(json.dumps(data, ensure_ascii=False), table="wallet_licenses", column="record",
                           row=public_id)


def open_record(row: WalletLicense, svc: Services) -> LicenseRecord | IssuedRecord:
    """Decrypt the department record kept for this license: an adapter's, or one issued through the interface."""
    data = _opened(row, svc)
    if data.get("format") == ISSUED_FORMAT:
        return parse_record(data["record"])
    return LicenseRecord.from_dict(data)


def wallet_license(row: WalletLicense, svc: Services) -> License:
    """The wallet ``License`` of a stored row."""
    data = _opened(row, svc)
    if data.get("format") == ISSUED_FORMAT:
        return license_of(parse_record(data["record"]), data["wallet_serial"])
    record = LicenseRecord.from_dict(data)
    return to_wallet_license(record, wallet_serial(record, svc))


def refresh_licenses(account: Account, *, svc: Services) -> dict[str, dict[str, Any]]:
    """Ask every department for the citizen's licenses and upsert them in one transaction; per-source states."""
    require_licenses_released(account, svc.config)
    id_number = read_id_number(account, svc=svc)
    assert id_number is not None
    citizen = Citizen(id_number, account.display_name)
    sources: dict[str, dict[str, Any]] = {}
    found: list[tuple[str, LicenseRecord, License]] = []
    for code, dept in (svc.departments or {}).items():
        try:
            records = dept.adapter.records(citizen, timeout=svc.config.department_timeout_s)
        except DepartmentError as exc:
            sources[code] = {"state": "timeout" if isinstance(exc, DepartmentTimeout) else "error", "count": 0}
            continue
        count = 0
        for record in records.licenses:
            try:
                found.append((code, record, to_wallet_license(record, wallet_serial(record, svc))))
                count += 1
            except InvalidLicense as exc:
                log.warning("license record skipped", extra={"department": code, "reason": exc.reason})
        sources[code] = {"state": "ok", "count": count}
    _upsert(account, found, svc=svc)
    for hook in svc.hooks.licenses_refreshed:  # licenses issued through the standard interface (zwt.issuers)
        hook(account, svc)
    return sources


def _upsert(account: Account, found: list[tuple[str, LicenseRecord, License]], *, svc: Services) -> None:
    """Insert new licenses (with a status slot) and update known ones, in one transaction."""
    sess = session()
    now = svc.clock.now()
    for code, record, lic in found:
        serial_bidx = serial_index(record.license_type, record.serial, svc)
        row = sess.scalar(select(WalletLicense).where(WalletLicense.account_id == account.id,
                                                      WalletLicense.license_type == record.license_type,
                                                      WalletLicense.serial_bidx == serial_bidx))
        if row is None:
            status_list = list_for(sess, code)
            row = WalletLicense(public_id="lic_" + uuid.uuid4().hex, account_id=account.id, department_code=code,
                                license_type=record.license_type, identifier=lic.identifier, serial_bidx=serial_bidx,
                                status="valid", status_list_id=status_list.id,
                                status_idx=allocate(sess, status_list))
            sess.add(row)
        row.issuer_name, row.valid_from, row.valid_until = record.issuer_name, record.valid_from, record.valid_until
        row.fetched_at = now
        _seal(row, record, svc)
    sess.commit()


def licenses_of(account: Account) -> list[WalletLicense]:
    """The citizen's licenses on record, in a stable order."""
    return list(session().scalars(select(WalletLicense).where(WalletLicense.account_id == account.id)
                                  .order_by(WalletLicense.id)))


def find_own(account: Account, public_id: str, *, svc: Services, audit: bool = True) -> WalletLicense:
    """The account's license ``public_id``; someone else's answers 404 like a missing one, and is audited."""
    if not plausible_id(public_id):
        raise NotFound()
    sess = session()
    row = sess.scalar(select(WalletLicense).where(WalletLicense.public_id == public_id))
    if row is not None and row.account_id == account.id:
        return row
    if row is not None and audit:
        access_log.record(sess, at=svc.clock.now(), event="access_denied", source="app", license=row, actor=account,
                          hall_code=None, counter_code=None)
        sess.commit()
        access_denied("license", account)
    raise NotFound()


def shown_status(row: WalletLicense, today: dt.date) -> str:
    """The license's status on ``today`` (a China Standard Time day): its recorded one, or ``expired`` past its end."""
    if row.status != "valid":
        return row.status
    if row.valid_until is not None and row.valid_until < today:
        return "expired"
    return "valid"


def held_as(row: WalletLicense, lic: License) -> dict[str, Any]:
    """Whose license it is: the citizen's own, or an organisation's they represent (its name and credit code)."""
    if row.held_as != "organisation":
        return {"held_as": "self", "organisation": None}
    return {"held_as": "organisation", "organisation": {"name": lic.holder_name, "uscc": lic.holder_code}}


def license_view(row: WalletLicense, *, svc: Services, reveal: bool = False) -> dict[str, Any]:
    """A license as its holder sees it: numbers masked unless ``reveal`` (fresh login) is set."""
    lic = wallet_license(row, svc)
    ltype = lic.license_type
    values = lic.field_values()
    shown = {}
    for spec in ltype.fields:
        if spec.name not in values or spec.name == "holder_code_masked":
            continue
        value = values[spec.name]
        if spec.sensitive and not reveal:
            value = mask(FIELD_KINDS.get(spec.name, "code"), value)
        shown[spec.name] = {"label_zh": spec.label_zh, "label_en": spec.label_en, "value": value}
    held = held_as(row, lic)
    return {
        **held,
        "id": row.public_id, "license_type": row.license_type, "name_zh": ltype.name_zh, "name_en": ltype.name_en,
        "department_code": row.department_code, "issuer_name": row.issuer_name, "identifier": row.identifier,
        "holder_name": lic.holder_name, "valid_from": row.valid_from, "valid_until": row.valid_until,
        "status": shown_status(row, china_day(svc.clock.now())), "fetched_at": row.fetched_at, "revealed": reveal,
        "fields": shown, "profiles": {name: list(names) for name, names in ltype.profiles.items()},
    }
