"""Counters: register a verifier device, verify online, upload signed batches of offline verifications."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import String, insert, select

from wallet import cose
from wallet.errors import InvalidCredential
from wallet.keys import kid_of, public_key_from_spki, spki_der
from wallet.license_types import REGISTRY
from wallet.trust import CLOCK_SKEW
from wallet.verdict import Verdict
from wallet.verify import verify

from ..container import Services
from ..db import session
from ..errors import Conflict, Forbidden, ValidationFailed, field_error
from ..http import embedded_json
from ..masking import mask_fields
from ..models import AccessLogEntry, Account, CounterDevice, CounterLogBatch, ServiceItemRow, WalletLicense
from ..shared_state import SharedState
from . import access_log
from .bundle import current_bundle
from .devices import check_possession, decode_b64, load_device_key
from .requirements import needs_of
from .runtime import WalletRuntime

__all__ = ["SharedReplayCache", "register_counter_device", "verify_online", "verdict_view", "upload_logs",
           "counter_device_view", "fit_columns", "REPORTED_BY_COUNTER"]

#: The access-log ``detail`` of a record a counter uploaded: what the counter reported, checked on arrival
#: (dates, fields, items) but not witnessed by the service.
REPORTED_BY_COUNTER = {"reported_by": "counter"}
#: Text columns of the access log and their lengths: every value written there is fitted to them.
_LENGTHS = {column.name: column.type.length for column in AccessLogEntry.__table__.columns
            if isinstance(column.type, String) and column.type.length}
_FIELD_NAME = 40  # a field name in the ``fields`` list, as long as an upload's record may name one
_UNSTORABLE = dict.fromkeys([*range(0x20), 0x7F], "\ufffd")  # PostgreSQL text refuses NUL; no control chars


class SharedReplayCache:
    """The wallet's replay-cache port on shared state, so a code accepted on one node is refused on all."""

    def __init__(self, shared: SharedState) -> None:
        """Use ``shared`` (database or Redis) as the store."""
        self.shared = shared

    def seen_before(self, key: bytes, *, now: int, ttl: int) -> bool:
        """True when the key was recorded and is live; otherwise record it (atomically) and return False."""
        return not self.shared.add("replay:" + key.hex(), ttl=ttl, now=now)


def _require_counter(clerk: Account) -> None:
    """Refuse a clerk account that is not bound to a hall and counter."""
    if not (clerk.hall_code and clerk.counter_code):
        raise Forbidden()


def register_counter_device(clerk: Account, data: dict[str, Any], *, svc: Services) -> CounterDevice:
    """Register the clerk's counter device (proof of possession over a nonce) to their hall and counter."""
    _require_counter(clerk)
    key = load_device_key(data["public_key"])
    check_possession(clerk, key, data["nonce"], data["signature"], svc=svc)
    device = CounterDevice(public_id="ctr_" + uuid.uuid4().hex, hall_code=clerk.hall_code,
                           counter_code=clerk.counter_code, name=data["name"], public_key=spki_der(key),
                           kid=kid_of(key).hex(), registered_by=clerk.id, status="active", created_at=svc.clock.now())
    session().add(device)
    session().commit()
    return device


def counter_device_view(device: CounterDevice) -> dict[str, Any]:
    """A counter device as its clerk sees it."""
    return {"id": device.public_id, "name": device.name, "kid": device.kid, "hall_code": device.hall_code,
            "counter_code": device.counter_code, "created_at": device.created_at}


def verify_online(clerk: Account, text: str, impl_code: str | None, *, svc: Services, rt: WalletRuntime) -> Verdict:
    """Verify a QD1 text with the current bundle and shared replay cache; log it for the license holder."""
    needs = needs_of(impl_code) if impl_code else None  # an unknown item is a 422 before the code is spent
    built = current_bundle(svc, rt)
    now = int(svc.clock.timestamp())
    verdict = verify(text, built.bundle, now=now, purpose=needs.fields_for if needs else None,
                     replay_cache=SharedReplayCache(svc.shared))
    sess = session()
    identifier = verdict.license_id
    row = (sess.scalar(select(WalletLicense).where(WalletLicense.identifier == identifier))
           if identifier and _fits("license_identifier", identifier) else None)  # else it names no license
    values = access_log.row_values(at=svc.clock.now(), event="verified", source="online", license=row, actor=clerk,
                                   license_identifier=verdict.license_id, license_type=verdict.license_type,
                                   impl_code=impl_code, fields=list(verdict.fields) if verdict.valid else [],
                                   verdict="valid" if verdict.valid else verdict.reason)
    sess.execute(access_log.INSERT, fit_columns(values))
    sess.commit()
    return verdict


def _storable(text: str) -> str:
    """The text with the characters no access-log column may hold (NUL, controls) replaced."""
    return text.translate(_UNSTORABLE)


def _fits(column: str, text: str) -> bool:
    """Whether the text can be stored (and looked up) in an access-log column as it is."""
    return len(text) <= _LENGTHS[column] and _storable(text) == text


def fit_columns(values: dict[str, Any]) -> dict[str, Any]:
    """An access-log row whose texts fit their columns, whatever the library or a counter handed over.

    Over-long text is cut to its column's length and control characters are replaced (PostgreSQL refuses
    NUL, and would refuse the row for a value too long); the columns so changed are listed in
    ``detail["clipped"]``, so nobody reads a cut value as what was presented.
    """
    out, clipped = dict(values), []
    for name, length in _LENGTHS.items():
        value = out.get(name)
        if isinstance(value, str):
            fitted = _storable(value)[:length]
            if fitted != value:
                out[name] = fitted
                clipped.append(name)
    names = out.get("fields")
    if names:
        fitted_names = [_storable(str(name))[:_FIELD_NAME] for name in names]
        if fitted_names != names:
            out["fields"] = fitted_names
            clipped.append("fields")
    if clipped:
        out["detail"] = {**(out.get("detail") or {}), "clipped": clipped}
    return out


def verdict_view(verdict: Verdict) -> dict[str, Any]:
    """The verdict as the counter's screen needs it, personal numbers masked by their kind (``mask_fields``): no
    full ID number leaves the server outside the reveal route. The full values are on the code the clerk holds,
    which the counter console decodes offline where the item needs them."""
    return {"valid": verdict.valid, "reason": verdict.reason, "message_zh": verdict.message_zh,
            "message_en": verdict.message_en, "license_type": verdict.license_type,
            "license_id": verdict.license_id, "holder_bound": verdict.holder_bound,
            "kid": verdict.kid.hex() if verdict.kid else None, "fields": mask_fields(verdict.fields),
            "warnings": list(verdict.warnings)}


def upload_logs(clerk: Account, payload_b64: str, signature_b64: str, *, svc: Services) -> dict[str, Any]:
    """Store a counter-signed batch once; refuse forged, foreign-counter or conflicting batches."""
    from .schemas import LogBatchPayload

    _require_counter(clerk)
    raw = decode_b64(payload_b64, "payload")
    envelope = embedded_json(raw, "payload")
    try:
        batch = LogBatchPayload().load(envelope if isinstance(envelope, dict) else {})
    except ValidationError as exc:
        from ..errors import flatten_validation

        raise ValidationFailed(errors=[{**e, "field": "payload." + e["field"]}
                                       for e in flatten_validation(exc.messages)]) from None
    sess = session()
    device = sess.scalar(select(CounterDevice).where(CounterDevice.public_id == batch["device_id"],
                                                     CounterDevice.status == "active"))
    if device is None:
        raise ValidationFailed.field("payload.device_id", "unknown_device")
    try:
        cose.verify_raw(cose.ALG_ES256, public_key_from_spki(device.public_key), raw,
                        decode_b64(signature_b64, "signature"))
    except InvalidCredential:
        raise ValidationFailed.field("signature", "bad_signature") from None
    if (device.hall_code, device.counter_code) != (clerk.hall_code, clerk.counter_code) or \
            (batch["hall_code"], batch["counter_code"]) != (device.hall_code, device.counter_code):
        raise Forbidden("foreign_counter")
    digest = hashlib.sha256(raw).hexdigest()
    known = sess.scalar(select(CounterLogBatch).where(CounterLogBatch.device_id == device.id,
                                                      CounterLogBatch.batch_id == batch["batch_id"]))
    if known is not None:  # the same batch again: the same answer, checked as of its first arrival
        if known.payload_sha256 != digest:
            raise Conflict("batch_conflict")
        records = batch["records"]
        accepted, refused = _checked(sess, device, records, _licenses_named(sess, records),
                                     received_at=known.received_at, svc=svc)
        return _answer(batch, accepted, refused, stored=0, duplicate=True)
    return _store(sess, clerk, device, batch, digest, svc=svc)


def _licenses_named(sess: Any, records: list[dict[str, Any]]) -> dict[str, WalletLicense]:
    """The licenses on record that the batch's records name, by identifier."""
    identifiers = {r["license_id"] for r in records if r.get("license_id")}
    return {row.identifier: row for row in sess.scalars(
        select(WalletLicense).where(WalletLicense.identifier.in_(identifiers)))} if identifiers else {}


def _checked(sess: Any, device: CounterDevice, records: list[dict[str, Any]], licenses: dict[str, WalletLicense],
             *, received_at: dt.datetime, svc: Services) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The records that pass the arrival checks, and a refusal (index, record id, field, reason) for the rest.

    A record is refused when it is dated before its counter device was registered, after the upload or more
    than ``ZWT_COUNTER_LOG_MAX_AGE_DAYS`` before it (the two clocks may differ by ``wallet.trust.CLOCK_SKEW``),
    names a license type or a field that type does not have, or a service item the catalog has not published.
    """
    skew = dt.timedelta(seconds=CLOCK_SKEW)
    registered, latest = device.created_at - skew, received_at + skew
    oldest = received_at - dt.timedelta(days=svc.config.counter_log_max_age_days)
    codes = {r["impl_code"] for r in records if r.get("impl_code")}
    items = set(sess.scalars(select(ServiceItemRow.impl_code).where(
        ServiceItemRow.impl_code.in_(codes), ServiceItemRow.status == "published"))) if codes else set()
    accepted, refused = [], []
    for index, rec in enumerate(records):
        lic = licenses.get(rec.get("license_id") or "")
        problem = _refusal(rec, lic.license_type if lic else rec.get("license_type"), items,
                           registered=registered, oldest=oldest, latest=latest)
        if problem is None:
            accepted.append(rec)
            continue
        field, reason = problem
        error = field_error(f"payload.records[{index}].{field}", reason)
        refused.append({"index": index, "record_id": rec["record_id"], "field": error["field"],
                        "reason": reason, "message": error["message"]})
    return accepted, refused


def _refusal(rec: dict[str, Any], license_type: str | None, items: set[str], *, registered: dt.datetime,
             oldest: dt.datetime, latest: dt.datetime) -> tuple[str, str] | None:
    """Why one record cannot be believed, as (its field, the reason), or None; the first reason found."""
    at: dt.datetime = rec["verified_at"]
    if at > latest:
        return "verified_at", "after_upload"
    if at < registered:
        return "verified_at", "before_device_registered"
    if at < oldest:
        return "verified_at", "too_old"
    ltype = REGISTRY.get(license_type) if license_type else None
    if license_type and ltype is None:
        return "license_type", "unknown_license_type"
    known = set(ltype.field_names) if ltype else set()
    for position, name in enumerate(rec.get("fields") or []):
        if name not in known:
            return f"fields[{position}]", "not_a_field_of_type"
    if rec.get("impl_code") and rec["impl_code"] not in items:
        return "impl_code", "unknown_service_item"
    return None


def _answer(batch: dict[str, Any], accepted: list[dict[str, Any]], refused: list[dict[str, Any]], *,
            stored: int, duplicate: bool) -> dict[str, Any]:
    """The upload's answer: received, accepted, newly stored, and each refused record with its reason."""
    return {"batch_id": batch["batch_id"], "received": len(batch["records"]), "accepted": len(accepted),
            "stored": stored, "refused": refused, "duplicate": duplicate}


def _store(sess: Any, clerk: Account, device: CounterDevice, batch: dict[str, Any], digest: str, *,
           svc: Services) -> dict[str, Any]:
    """Insert the batch's accepted new records into the access log and remember the batch, in one transaction."""
    received_at = svc.clock.now()
    licenses = _licenses_named(sess, batch["records"])
    accepted, refused = _checked(sess, device, batch["records"], licenses, received_at=received_at, svc=svc)
    ids = [r["record_id"] for r in accepted]
    seen = set(sess.scalars(select(AccessLogEntry.record_id).where(
        AccessLogEntry.counter_device_id == device.id, AccessLogEntry.record_id.in_(ids)))) if ids else set()
    rows = []
    for rec in accepted:
        if rec["record_id"] in seen:
            continue
        seen.add(rec["record_id"])
        lic = licenses.get(rec.get("license_id") or "")
        verified_at: dt.datetime = rec["verified_at"]
        rows.append(fit_columns({
            "account_id": lic.account_id if lic else None, "license_id": lic.id if lic else None,
            "license_identifier": rec.get("license_id"), "license_type": lic.license_type if lic else
            rec.get("license_type"), "at": verified_at.astimezone(dt.timezone.utc), "event": "verified",
            "source": "offline", "actor_subject": clerk.subject, "actor_role": clerk.role,
            "actor_name": clerk.display_name, "hall_code": device.hall_code, "counter_code": device.counter_code,
            "impl_code": rec.get("impl_code"), "fields": rec.get("fields") or [], "verdict": rec["verdict"],
            "detail": dict(REPORTED_BY_COUNTER), "counter_device_id": device.id, "record_id": rec["record_id"]}))
    if rows:
        sess.execute(insert(AccessLogEntry), rows)  # one multi-row insert: 1,000 records in one round trip
    sess.add(CounterLogBatch(device_id=device.id, batch_id=batch["batch_id"], payload_sha256=digest,
                             record_count=len(batch["records"]), received_at=received_at))
    sess.commit()
    return _answer(batch, accepted, refused, stored=len(rows), duplicate=False)
