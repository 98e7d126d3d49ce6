"""The e-card wallet as stored: signing keys, licenses on record with their status-list slots, devices,
presentations, counter devices and their log batches, and the append-only access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

__all__ = ["WalletKey", "WalletState", "StatusListRow", "WalletLicense", "DeviceCredential", "WalletDevice",
           "WalletLock", "Presentation", "CounterDevice", "CounterLogBatch", "AccessLogEntry",
           "APPEND_ONLY_SQL"]


class WalletKey(Base):
    """A signing key: a department's issuer key or the platform root; the private half AES-GCM sealed."""

    __tablename__ = "wallet_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(16), unique=True)  # hex of the 8-byte kid
    purpose: Mapped[str] = mapped_column(String(8))  # issuer | root
    department_code: Mapped[str | None] = mapped_column(String(40), index=True)
    alg: Mapped[int] = mapped_column(Integer)
    allowed_types: Mapped[list[str]] = mapped_column(JSON)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # SPKI DER
    private_key_enc: Mapped[bytes] = mapped_column(LargeBinary)  # nonce + AES-GCM(PKCS#8 DER) under the KEK
    state: Mapped[str] = mapped_column(String(12), index=True)  # pending | active | verify_only | retired
    # "active" key slot: the department code (or "root") while active, NULL otherwise; unique = one signer.
    active_slot: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    activated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    retire_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class WalletState(Base):
    """A single-row generation counter, bumped in the same transaction as every key or status change,
    so each node can tell with one cheap read whether its cached trust bundle is still current."""

    __tablename__ = "wallet_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=1)


class StatusListRow(Base):
    """One department's status list: its URI and the next free index (the bits derive from the rows)."""

    __tablename__ = "wallet_status_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(80), unique=True)
    department_code: Mapped[str] = mapped_column(String(40), unique=True)
    next_index: Mapped[int] = mapped_column(Integer, default=0)


class WalletLicense(Base):
    """A license on record for a citizen, fetched from its department; the record itself is PII-sealed."""

    __tablename__ = "wallet_licenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    department_code: Mapped[str] = mapped_column(String(40))
    license_type: Mapped[str] = mapped_column(String(40))
    identifier: Mapped[str] = mapped_column(String(120), unique=True)  # GB/T 36904 license id
    serial_bidx: Mapped[str] = mapped_column(String(64))
    issuer_name: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[dt.date] = mapped_column()
    valid_until: Mapped[dt.date | None] = mapped_column()
    record_enc: Mapped[bytes] = mapped_column(LargeBinary)
    record_key_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="valid")  # valid | revoked | suspended | expired
    status_list_id: Mapped[int] = mapped_column(ForeignKey("wallet_status_lists.id"))
    status_idx: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # self | organisation: an organisation's license (issued through zwt.issuers) in its representative's wallet
    held_as: Mapped[str] = mapped_column(String(16), default="self", server_default="self")

    __table_args__ = (
        UniqueConstraint("account_id", "license_type", "serial_bidx", name="uq_wallet_licenses_account_serial"),
        Index("ix_wallet_licenses_list_status", "status_list_id", "status"),
        # a department's license by its serial: admin look-ups and issued records reaching the wallet
        Index("ix_wallet_licenses_serial", "serial_bidx"),
    )


class WalletDevice(Base):
    """A citizen's phone, registered with proof of possession of its P-256 key."""

    __tablename__ = "wallet_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    kid: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | removed
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class DeviceCredential(Base):
    """The status slot of a license bound to one device: removal or a wallet lock flips only these.

    ``expires_at`` is never before the ``exp`` of any presentation carrying the slot; long after it the
    slot is handed to another credential (``zwt.wallet_service.status``). NULL: unknown, never reused.
    """

    __tablename__ = "wallet_device_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    license_id: Mapped[int] = mapped_column(ForeignKey("wallet_licenses.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("wallet_devices.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="valid")
    status_list_id: Mapped[int] = mapped_column(ForeignKey("wallet_status_lists.id"))
    status_idx: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("license_id", "device_id", name="uq_wallet_device_credentials_pair"),
        Index("ix_wallet_device_credentials_list_status", "status_list_id", "status"),
        Index("ix_wallet_device_credentials_list_expires", "status_list_id", "expires_at"),
    )


class WalletLock(Base):
    """A locked wallet (lost phone): no new presentations, bound credentials suspended."""

    __tablename__ = "wallet_locks"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    locked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Presentation(Base):
    """A QD1 text handed to the app for one license, kept sealed so its QR renderings can be served.

    The text decodes without any key to the fields it discloses, so it is AES-GCM sealed at rest like an
    ID number (bound to this row); ``text_digest`` (SHA-256 of the text) gives the renderings their ETags
    without opening it. Rows from before sealing have no text: their images are gone (404).
    """

    __tablename__ = "wallet_presentations"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    license_id: Mapped[int] = mapped_column(ForeignKey("wallet_licenses.id", ondelete="CASCADE"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("wallet_devices.id", ondelete="SET NULL"))
    kid: Mapped[str] = mapped_column(String(16))
    profile: Mapped[str] = mapped_column(String(12))
    impl_code: Mapped[str | None] = mapped_column(String(80))
    fields: Mapped[list[str]] = mapped_column(JSON)
    text_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    text_key_version: Mapped[int | None] = mapped_column(Integer)
    text_digest: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    # an account's presentations by time: the per-account limit counts the last minute and day from here
    __table_args__ = (Index("ix_wallet_presentations_account_issued", "account_id", "issued_at"),)


class CounterDevice(Base):
    """A service-hall counter's verifier device; its key signs the offline logs it uploads."""

    __tablename__ = "counter_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    hall_code: Mapped[str] = mapped_column(String(40))
    counter_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(60))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    kid: Mapped[str] = mapped_column(String(16))
    registered_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    status: Mapped[str] = mapped_column(String(12), default="active")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CounterLogBatch(Base):
    """An uploaded batch of offline verifications; (device, batch id) makes uploads idempotent."""

    __tablename__ = "counter_log_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("counter_devices.id"))
    batch_id: Mapped[str] = mapped_column(String(64))
    payload_sha256: Mapped[str] = mapped_column(String(64))
    record_count: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("device_id", "batch_id", name="uq_counter_log_batches_device_batch"),)


class AccessLogEntry(Base):
    """One look at (or action on) a citizen's license; rows are only ever inserted (triggers refuse the rest)."""

    __tablename__ = "wallet_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    license_id: Mapped[int | None] = mapped_column(ForeignKey("wallet_licenses.id"))
    license_identifier: Mapped[str | None] = mapped_column(String(120))
    license_type: Mapped[str | None] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    event: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(12))  # app | online | offline | admin
    actor_subject: Mapped[str | None] = mapped_column(String(40))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    actor_name: Mapped[str | None] = mapped_column(String(64))
    hall_code: Mapped[str | None] = mapped_column(String(40))
    counter_code: Mapped[str | None] = mapped_column(String(40))
    impl_code: Mapped[str | None] = mapped_column(String(80))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    verdict: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    counter_device_id: Mapped[int | None] = mapped_column(ForeignKey("counter_devices.id"))
    record_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("counter_device_id", "record_id", name="uq_wallet_access_log_device_record"),
        Index("ix_wallet_access_log_account_at", "account_id", "at"),
    )


# The migration creates these (copied there verbatim); tests use them to restore the guard after a wipe.
APPEND_ONLY_SQL = {
    "sqlite": [
        "CREATE TRIGGER wallet_access_log_no_update BEFORE UPDATE ON wallet_access_log "
        "BEGIN SELECT RAISE(ABORT, 'wallet_access_log is append-only'); END",
        "CREATE TRIGGER wallet_access_log_no_delete BEFORE DELETE ON wallet_access_log "
        "BEGIN SELECT RAISE(ABORT, 'wallet_access_log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION wallet_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'wallet_access_log is append-only'; END $$",
        "CREATE TRIGGER wallet_access_log_no_update BEFORE UPDATE OR DELETE ON wallet_access_log "
        "FOR EACH ROW EXECUTE FUNCTION wallet_access_log_append_only()",
    ],
}
