"""Service configuration: every ``ZWT_*`` environment variable is read here and nowhere else."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field, fields, replace
from typing import Any, Mapping

__all__ = ["Config", "ConfigError", "DEV_SECRET", "normalize_database_url"]

# Used only outside production so `make run` works with no set-up; production refuses it.
DEV_SECRET = "dev-only-insecure-secret-change-me-0123456789abcdef"
_MIN_SECRET_BYTES = 32


class ConfigError(RuntimeError):
    """The configuration cannot run the service; the message says what to change."""


def normalize_database_url(url: str) -> str:
    """Map ``postgresql://`` and ``postgres://`` to the psycopg 3 driver SQLAlchemy should use."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _derive(secret: str, label: str) -> bytes:
    """Derive a 32-byte development key from the secret so a dev setup needs one variable only."""
    return hashlib.sha256(f"zwt-dev-key|{label}|{secret}".encode()).digest()


def _parse_keyring(text: str, name: str) -> dict[int, bytes]:
    """Parse ``"1:<base64>,2:<base64>"`` into {version: 32-byte key}."""
    ring: dict[int, bytes] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        version, _, encoded = part.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
            ring[int(version)] = key
        except ValueError as exc:
            raise ConfigError(f"{name}: entry {part[:6]}... is not '<version>:<base64 key>'") from exc
        if len(key) != 32:
            raise ConfigError(f"{name}: key version {version} must be 32 bytes (AES-256)")
    return ring


def _key32(text: str, name: str) -> bytes:
    """Decode a base64 32-byte key, or say which variable is wrong."""
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise ConfigError(f"{name} is not base64") from exc
    if len(key) != 32:
        raise ConfigError(f"{name} must be 32 bytes (AES-256)")
    return key


def _parse_departments(text: str) -> tuple[tuple[str, str, str], ...]:
    """Parse ``"police=police@https://ga.example/api,hrss=hrss@https://..."`` into (code, kind, url)."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, rest = part.partition("=")
        kind, sep2, url = rest.partition("@")
        if not (sep and sep2 and code and kind and url.startswith(("http://", "https://"))):
            raise ConfigError(f"ZWT_DEPARTMENTS: {part!r} is not 'code=kind@http(s)://base-url'")
        out.append((code.strip(), kind.strip(), url.strip()))
    return tuple(out)


@dataclass(frozen=True)
class Config:
    """Typed settings of one service instance, built from the environment or a mapping."""

    env: str = "development"
    debug: bool = False
    testing: bool = False
    secret_key: str = DEV_SECRET
    database_url: str = "sqlite:///instance/zwt.db"
    redis_url: str | None = None
    redis_prefix: str = "zwt:"
    pii_keys: Mapping[int, bytes] = field(default_factory=dict)
    pii_active_version: int = 1
    blind_index_key: bytes = b""
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    password_hash_method: str = "scrypt"
    login_max_failures_account: int = 5
    login_max_failures_address: int = 30
    login_window_seconds: int = 900
    max_content_length: int = 1024 * 1024
    log_level: str = "INFO"
    trust_proxy_hops: int = 0
    # Department systems: empty means the in-process sandboxes (the embedded default).
    departments: tuple[tuple[str, str, str], ...] = ()
    department_timeout_s: float = 2.0
    overview_deadline_s: float = 3.0
    search_cache_size: int = 1024
    catalog_freshness_seconds: float = 1.0
    # Wallet: the key-encryption key sealing private signing keys, lifetimes, key rotation, real-name checks.
    key_encryption_key: bytes = b""
    presentation_unbound_seconds: int = 300
    presentation_bound_seconds: int = 3 * 86400
    key_publish_lead_seconds: int = 86400
    bundle_refresh_seconds: int = 3600
    bundle_freshness_seconds: float = 1.0
    identity_max_mismatches: int = 5
    identity_window_seconds: int = 86400
    max_devices: int = 5

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None,
                 overrides: Mapping[str, Any] | None = None) -> "Config":
        """Read ``ZWT_*`` variables (and optional test overrides, by variable name) into a Config."""
        env = dict(os.environ if environ is None else environ)
        for key, value in (overrides or {}).items():
            env[key] = value
        secret = str(env.get("ZWT_SECRET_KEY") or DEV_SECRET)
        pii_keys = (_parse_keyring(str(env["ZWT_PII_KEYS"]), "ZWT_PII_KEYS")
                    if env.get("ZWT_PII_KEYS") else {1: _derive(secret, "pii")})
        blind = env.get("ZWT_BLIND_INDEX_KEY")
        kek = env.get("ZWT_KEY_ENCRYPTION_KEY")
        cfg = cls(
            env=str(env.get("ZWT_ENV", "development")),
            debug=_bool(str(env.get("ZWT_DEBUG", "0"))),
            testing=bool(env.get("TESTING")) or _bool(str(env.get("ZWT_TESTING", "0"))),
            secret_key=secret,
            database_url=normalize_database_url(str(env.get("ZWT_DATABASE_URL", cls.database_url))),
            redis_url=str(env["ZWT_REDIS_URL"]) if env.get("ZWT_REDIS_URL") else None,
            redis_prefix=str(env.get("ZWT_REDIS_PREFIX", cls.redis_prefix)),
            pii_keys=pii_keys,
            pii_active_version=int(env.get("ZWT_PII_ACTIVE_VERSION", max(pii_keys))),
            blind_index_key=(base64.b64decode(str(blind)) if blind else _derive(secret, "blind-index")),
            access_token_minutes=int(env.get("ZWT_ACCESS_TOKEN_MINUTES", cls.access_token_minutes)),
            refresh_token_days=int(env.get("ZWT_REFRESH_TOKEN_DAYS", cls.refresh_token_days)),
            password_hash_method=str(env.get("ZWT_PASSWORD_HASH_METHOD", cls.password_hash_method)),
            login_max_failures_account=int(env.get("ZWT_LOGIN_MAX_FAILURES_ACCOUNT",
                                                   cls.login_max_failures_account)),
            login_max_failures_address=int(env.get("ZWT_LOGIN_MAX_FAILURES_ADDRESS",
                                                   cls.login_max_failures_address)),
            login_window_seconds=int(env.get("ZWT_LOGIN_WINDOW_SECONDS", cls.login_window_seconds)),
            max_content_length=int(env.get("ZWT_MAX_CONTENT_LENGTH", cls.max_content_length)),
            log_level=str(env.get("ZWT_LOG_LEVEL", cls.log_level)),
            trust_proxy_hops=int(env.get("ZWT_TRUST_PROXY_HOPS", cls.trust_proxy_hops)),
            departments=_parse_departments(str(env.get("ZWT_DEPARTMENTS", ""))),
            department_timeout_s=float(env.get("ZWT_DEPARTMENT_TIMEOUT_S", cls.department_timeout_s)),
            overview_deadline_s=float(env.get("ZWT_OVERVIEW_DEADLINE_S", cls.overview_deadline_s)),
            search_cache_size=int(env.get("ZWT_SEARCH_CACHE_SIZE", cls.search_cache_size)),
            catalog_freshness_seconds=float(env.get("ZWT_CATALOG_FRESHNESS_SECONDS", cls.catalog_freshness_seconds)),
            key_encryption_key=(_key32(str(kek), "ZWT_KEY_ENCRYPTION_KEY") if kek else _derive(secret, "kek")),
            presentation_unbound_seconds=int(env.get("ZWT_PRESENTATION_UNBOUND_SECONDS",
                                                     cls.presentation_unbound_seconds)),
            presentation_bound_seconds=int(env.get("ZWT_PRESENTATION_BOUND_SECONDS", cls.presentation_bound_seconds)),
            key_publish_lead_seconds=int(env.get("ZWT_KEY_PUBLISH_LEAD_SECONDS", cls.key_publish_lead_seconds)),
            bundle_refresh_seconds=int(env.get("ZWT_BUNDLE_REFRESH_SECONDS", cls.bundle_refresh_seconds)),
            bundle_freshness_seconds=float(env.get("ZWT_BUNDLE_FRESHNESS_SECONDS", cls.bundle_freshness_seconds)),
            identity_max_mismatches=int(env.get("ZWT_IDENTITY_MAX_MISMATCHES", cls.identity_max_mismatches)),
            identity_window_seconds=int(env.get("ZWT_IDENTITY_WINDOW_SECONDS", cls.identity_window_seconds)),
            max_devices=int(env.get("ZWT_MAX_DEVICES", cls.max_devices)),
        )
        cfg.check()
        return cfg

    @property
    def is_production(self) -> bool:
        """Whether the strict production checks apply."""
        return self.env == "production"

    def check(self) -> None:
        """Refuse settings that cannot work, and in production anything unsafe; say why."""
        if self.pii_active_version not in self.pii_keys:
            raise ConfigError(f"ZWT_PII_ACTIVE_VERSION={self.pii_active_version} has no key in ZWT_PII_KEYS")
        if not self.is_production:
            return
        problems = []
        if self.debug:
            problems.append("ZWT_DEBUG must be off in production")
        if self.secret_key == DEV_SECRET or len(self.secret_key.encode()) < _MIN_SECRET_BYTES:
            problems.append(f"ZWT_SECRET_KEY must be set to a random value of at least {_MIN_SECRET_BYTES} bytes")
        if self.database_url.startswith("sqlite"):
            problems.append("ZWT_DATABASE_URL must point at PostgreSQL, not SQLite")
        if self.pii_keys == {1: _derive(self.secret_key, "pii")}:
            problems.append("ZWT_PII_KEYS must be set (versioned AES-256 keys, base64)")
        if self.blind_index_key == _derive(self.secret_key, "blind-index"):
            problems.append("ZWT_BLIND_INDEX_KEY must be set (32 random bytes, base64)")
        if self.key_encryption_key == _derive(self.secret_key, "kek"):
            problems.append("ZWT_KEY_ENCRYPTION_KEY must be set (32 random bytes, base64)")
        if problems:
            raise ConfigError("refusing to start in production: " + "; ".join(problems))

    def with_changes(self, **changes: Any) -> "Config":
        """Return a copy with some settings changed (tests)."""
        return replace(self, **changes)

    def describe(self) -> dict[str, Any]:
        """Settings safe to print: secrets and keys are left out."""
        hidden = {"secret_key", "pii_keys", "blind_index_key", "key_encryption_key"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in hidden}
