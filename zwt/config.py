"""Service configuration: every ``ZWT_*`` environment variable is declared once, as a field of ``Config``.

Each field's ``setting(...)`` is the whole rule: the variable (``ZWT_`` + the field name in capitals),
its type (from the default), default, check, production requirement and README meaning. ``from_env``,
``check``, ``describe`` and README's configuration table (``zwt.config_doc``, ``make docs-config``) all
read those declarations, so adding a setting is adding one field.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import Field, dataclass, field, fields, replace
from typing import Any, Callable, Mapping

__all__ = ["Config", "ConfigError", "DEV_SECRET", "Rule", "Setting", "declared", "normalize_database_url", "variable"]

# Used only outside production so `make run` works with no set-up; production refuses it.
DEV_SECRET = "dev-only-insecure-secret-change-me-0123456789abcdef"
_MIN_SECRET_BYTES = 32
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(RuntimeError):
    """The configuration cannot run the service; the message says what to change."""


def normalize_database_url(url: str) -> str:
    """Map ``postgresql://`` and ``postgres://`` to the psycopg 3 driver SQLAlchemy should use."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _bool(value: str) -> bool:
    """Read 1/true/yes/on (any case) as true and anything else as false, as the variables always have."""
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


def _parse_departments(text: str, name: str) -> tuple[tuple[str, str, str], ...]:
    """Parse ``"police=police@https://ga.example/api,hrss=hrss@https://..."`` into (code, kind, url)."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, rest = part.partition("=")
        kind, sep2, url = rest.partition("@")
        if not (sep and sep2 and code and kind and url.startswith(("http://", "https://"))):
            raise ConfigError(f"{name}: {part!r} is not 'code=kind@http(s)://base-url'")
        out.append((code.strip(), kind.strip(), url.strip()))
    return tuple(out)


def _parse_license_feeds(text: str, name: str) -> tuple[tuple[str, str], ...]:
    """Parse ``"natural_resources@https://zrzy.example/api,..."`` into (code, base URL); ``off``: none."""
    if text.strip().lower() == "off":
        return ()
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, url = part.partition("@")
        if not (sep and code.strip() and url.strip().startswith(("http://", "https://"))):
            raise ConfigError(f"{name}: {part!r} is not 'code@http(s)://base-url'")
        out.append((code.strip(), url.strip()))
    return tuple(out)


def _parse_networks(text: str, name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Parse ``"police=10.1.0.0/16|10.2.0.0/16,*=127.0.0.0/8"`` into (department code or ``*``, networks)."""
    import ipaddress

    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, nets = part.partition("=")
        networks = tuple(n.strip() for n in nets.split("|") if n.strip())
        try:
            for net in networks:
                ipaddress.ip_network(net, strict=False)
        except ValueError as exc:
            raise ConfigError(f"{name}: {part!r}: {exc}") from None
        if not (sep and code.strip() and networks):
            raise ConfigError(f"{name}: {part!r} is not 'department=network|network' (or '*=...')")
        out.append((code.strip(), networks))
    return tuple(out)


def _parse_cidrs(text: str, name: str) -> tuple[str, ...]:
    """Parse ``"10.20.0.0/16,127.0.0.1/32"`` into normalised networks."""
    import ipaddress

    try:
        return tuple(str(ipaddress.ip_network(part.strip(), strict=False))
                     for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None


def _parse_latencies(text: str, name: str) -> tuple[tuple[str, float], ...]:
    """Parse ``"police=1000,hrss=50"`` into (department code, milliseconds) pairs."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, ms = part.partition("=")
        try:
            value = float(ms)
        except ValueError:
            value = -1.0
        if not (sep and code.strip()) or not 0 <= value <= 60_000:
            raise ConfigError(f"{name}: {part!r} is not 'department=milliseconds' (0 to 60000)")
        out.append((code.strip(), value))
    return tuple(out)


_REVIEW = {"required": True, "off": False}


def _parse_review(text: str, name: str) -> tuple[tuple[str, bool], ...]:
    """Parse ``"required,police=off"`` into ``(("*", True), ("police", False))``: a default, then departments."""
    out: list[tuple[str, bool]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, value = part.rpartition("=")
        code, value = (code.strip() if sep else "*"), value.strip()
        if value not in _REVIEW or not code:
            raise ConfigError(f"{name}: {part!r} is not 'required', 'off' or 'department=required|off'")
        out.append((code, _REVIEW[value]))
    return tuple(out)


@dataclass(frozen=True)
class Rule:
    """A condition on a setting and the words ``<variable> must <text>`` that explain a failure."""

    text: str
    ok: Callable[[Any, "Config"], bool]


#: a 32-byte key, whichever way the Config was built (parsing checks it too, with a clearer message)
_KEY32 = Rule("be 32 bytes", lambda v, _: isinstance(v, bytes) and len(v) == 32)


def _is_origin(value: str) -> bool:
    """An ``http(s)://host[:port]`` origin, nothing after it but an optional ``/``."""
    scheme, _, rest = value.partition("://")
    host = rest.rstrip("/")
    return scheme in ("http", "https") and bool(host) and not any(c in host for c in "/?#@ \\")


def _path_or_off(raw: str, _: str) -> str | None:
    """A file path, or None for ``off``."""
    return None if raw.strip().lower() == "off" else raw


def at_least(low: float) -> Rule:
    """A number not below ``low``."""
    return Rule(f"be ≥ {low:g}", lambda value, _: value >= low)


def above(low: float) -> Rule:
    """A number strictly above ``low``."""
    return Rule(f"be > {low:g}", lambda value, _: value > low)


_SET = "be set ({})"  # a key nobody set is the one derived from the secret: fine in development only
_KINDS = {bool: "boolean", int: "integer", float: "number", str: "text"}
_PARSERS: dict[type, Callable[[str], Any]] = {bool: _bool, int: int, float: float, str: str}


@dataclass(frozen=True)
class Setting:
    """How one environment variable becomes one ``Config`` field, and what README says about it."""

    meaning: str
    kind: str
    parse: Callable[[str, str], Any]
    shown_default: str
    derive: Callable[[dict[str, Any]], Any] | None = None
    check: Rule | None = None
    production: Rule | None = None
    secret: bool = False
    aliases: tuple[str, ...] = ()


def setting(default: Any, meaning: str, *, parse: Callable[[str, str], Any] | None = None, kind: str = "",
            shown: str | None = None, derive: Callable[[dict[str, Any]], Any] | None = None,
            check: Rule | None = None, production: Rule | None = None, secret: bool = False,
            aliases: tuple[str, ...] = ()) -> Any:
    """Declare a ``Config`` field read from ``ZWT_<FIELD>``; the type comes from the default unless ``parse``."""
    if parse is None:
        simple = _PARSERS[type(default)]
        parse, kind = (lambda raw, _name: simple(raw)), kind or _KINDS[type(default)]
    spec = Setting(meaning, kind, parse, f"`{default}`" if shown is None else shown, derive, check, production,
                   secret, aliases)
    if isinstance(default, dict):
        return field(default_factory=dict, metadata={"setting": spec})
    return field(default=default, metadata={"setting": spec})


def _key(label: str) -> Callable[[dict[str, Any]], bytes]:
    """Default of a key variable outside production: derived from the secret."""
    return lambda values: _derive(values.get("secret_key", DEV_SECRET), label)


def _not_derived(label: str) -> Callable[[Any, "Config"], bool]:
    """Production test of a key variable: it holds something other than the key derived from the secret."""
    return lambda value, cfg: value != _derive(cfg.secret_key, label)


@dataclass(frozen=True)
class Config:
    """Typed settings of one service instance, built from the environment or a mapping."""

    env: str = setting("development", "`development` or `production` (exactly; anything else refuses to start); "
                       "`production` turns on the start-up checks in the last column", check=Rule(
                           "be `development` or `production`", lambda v, _: v in ("development", "production")))
    debug: bool = setting(False, "Flask debug", shown="`0`", production=Rule("be off", lambda v, _: not v))
    testing: bool = setting(False, "Flask testing mode (the test suite sets it, also as `TESTING`)", shown="`0`",
                            aliases=("TESTING",))
    secret_key: str = setting(DEV_SECRET, "signs JWTs", shown="a development constant", secret=True, production=Rule(
        f"be set to a random value of at least {_MIN_SECRET_BYTES} bytes",
        lambda v, _: v != DEV_SECRET and len(v.encode()) >= _MIN_SECRET_BYTES))
    database_url: str = setting("sqlite:///instance/zwt.db", "SQLAlchemy URL; `postgresql://` uses psycopg 3",
                                parse=lambda raw, _: normalize_database_url(raw), kind="URL", production=Rule(
                                    "point at PostgreSQL, not SQLite", lambda v, _: not v.startswith("sqlite")))
    migration_database_url: str | None = setting(
        None, "SQLAlchemy URL `flask --app app db-upgrade` migrates with: on PostgreSQL the owner of the tables, "
        "while ZWT_DATABASE_URL names the service's own role, which the upgrade then grants what it needs and no "
        "more (never UPDATE, DELETE or TRUNCATE on the access log; see README)",
        parse=lambda raw, _: normalize_database_url(raw), kind="URL", shown="unset (ZWT_DATABASE_URL)")
    redis_url: str | None = setting(None, "Redis for shared state (token blocklist, throttling, replay cache); the "
                                    "database holds it when unset", parse=lambda raw, _: raw, kind="URL",
                                    shown="unset", check=Rule("be a redis://, rediss:// or unix:// URL",
                                                              lambda v, _: v is None or v.startswith(
                                                                  ("redis://", "rediss://", "unix://"))))
    redis_prefix: str = setting("zwt:", "key prefix in Redis")
    pii_keys: Mapping[int, bytes] = setting(
        {}, "AES-256 keys for ID numbers at rest: `1:<base64>,2:<base64>`", parse=_parse_keyring, kind="key ring",
        shown="derived from the secret (dev only)", derive=lambda values: {1: _key("pii")(values)}, secret=True,
        check=Rule("hold 32-byte keys only", lambda v, _: all(isinstance(k, bytes) and len(k) == 32
                                                              for k in v.values())),
        production=Rule(_SET.format("versioned AES-256 keys, base64"),
                        lambda v, cfg: v != {1: _derive(cfg.secret_key, "pii")}))
    pii_active_version: int = setting(
        1, "key version new values are sealed with (`flask --app app rotate-pii-keys` re-seals old ones)",
        shown="highest version", derive=lambda values: max(values["pii_keys"], default=1),
        check=Rule("name a version in ZWT_PII_KEYS", lambda v, cfg: v in cfg.pii_keys))
    blind_index_key: bytes = setting(
        b"", "HMAC key of the ID-number blind index", parse=_key32, kind="base64 key", shown="derived (dev only)",
        derive=_key("blind-index"), secret=True,
        check=_KEY32, production=Rule(_SET.format("32 random bytes, base64"), _not_derived("blind-index")))
    access_token_minutes: int = setting(15, "access-token lifetime", check=at_least(1))
    refresh_token_days: int = setting(30, "refresh-token lifetime (tokens rotate on every use)", check=at_least(1))
    password_hash_method: str = setting("scrypt", "werkzeug password-hash method")
    login_max_failures_account: int = setting(
        5, "failed logins per (account, client address) per window before that pair gets 429; addresses that "
        "signed in to the account before are exempt", check=at_least(1))
    login_max_failures_address: int = setting(30, "failed logins per client address per window (any account)",
                                              check=at_least(1))
    login_window_seconds: int = setting(900, "throttle window", check=at_least(1))
    login_delay_after_failures: int = setting(
        10, "failed logins per account (from any unknown address) before each further try must wait",
        check=at_least(1))
    login_delay_base_seconds: int = setting(2, "the first such wait; it doubles with every further failure",
                                            check=at_least(1))
    login_delay_max_seconds: int = setting(900, "the longest such wait", check=at_least(1))
    # Identity proofing (实名等级): SMS codes, the proofing gateway, and what each level unlocks.
    proofing_url: str | None = setting(
        None, "base URL of the proofing gateway (SMS, carrier three-factor, liveness; docs/PROOFING_GATEWAY.md)",
        parse=lambda raw, _: raw, kind="URL", shown="unset (in-process telecom sandbox)")
    proofing_token: str | None = setting(None, "bearer token sent to the proofing gateway", parse=lambda raw, _: raw,
                                         kind="text", shown="unset", secret=True)
    proofing_timeout_s: float = setting(2.0, "timeout of each proofing gateway call", check=above(0))
    sandbox_registry_path: str | None = setting(
        "instance/sandbox-people.json", "people the in-process sandboxes know besides the demo citizens "
        "(`flask --app app sandbox add-person` appends); `off`: the demo citizens only", parse=_path_or_off,
        kind="path")
    sms_outbox_path: str | None = setting(
        "instance/sms-outbox.jsonl", "where the in-process telecom sandbox keeps the texts it \"sends\" "
        "(`flask --app app sandbox sms` reads it); `off`: in memory only", parse=_path_or_off, kind="path")
    sandbox_latency_ms: tuple[tuple[str, float], ...] = setting(
        (), "added latency of the in-process sandbox departments, as `code=milliseconds,...`, e.g. `police=1000` "
        "(the load harness slows one department with it; ignored when ZWT_DEPARTMENTS names real systems)",
        parse=_parse_latencies, kind="list", shown="unset (none)")
    liveness_sessions_path: str | None = setting(
        "instance/liveness-sessions.jsonl", "one-time liveness evidence tokens of the in-process telecom "
        "sandbox (`flask --app app sandbox face-token` hands them out, the server redeems them once); "
        "`off`: in memory only",
        parse=_path_or_off, kind="path")
    license_release_level: int = setting(2, "proofing level an account needs before its licenses are released "
                                         "(1 police, 2 phone + carrier, 3 face)", check=Rule(
                                             "be 1, 2 or 3", lambda v, _: v in (1, 2, 3)))
    sms_code_seconds: int = setting(300, "lifetime of a one-time SMS code", check=at_least(30))
    sms_code_attempts: int = setting(5, "wrong tries before an SMS code is spent", check=at_least(1))
    sms_per_phone_per_hour: int = setting(5, "SMS codes sent to one phone per hour", check=at_least(1))
    sms_per_address_per_hour: int = setting(20, "SMS codes one client address may ask for per hour",
                                            check=at_least(1))
    max_content_length: int = setting(1024 * 1024, "largest request body (413 above); the routes with a limit of "
                                      "their own (ZWT_UPLOAD_MAX_BYTES, ZWT_ISSUER_MAX_BODY_BYTES) use theirs",
                                      check=at_least(1))
    log_level: str = setting("INFO", "JSON log level", check=Rule(
        "be one of " + ", ".join(_LOG_LEVELS), lambda v, _: v in _LOG_LEVELS))
    public_base_url: str = setting(
        "http://127.0.0.1:8000", "the service's public address: links in answers (QR image URLs) are built from it, "
        "never from the request's Host header", kind="URL", check=Rule(
            "be an http:// or https:// origin without a path", lambda v, _: _is_origin(v)),
        production=Rule("use https://", lambda v, _: v.startswith("https://")))
    trust_proxy_hops: int = setting(0, "proxies in front whose `X-Forwarded-*` headers are trusted",
                                    check=at_least(0))
    metrics_token: str | None = setting(
        None, "bearer token a Prometheus scraper sends to `GET /metrics` (compared in constant time); unset: "
        "only ZWT_METRICS_NETWORKS may scrape", parse=lambda raw, _: raw, kind="text", shown="unset", secret=True,
        check=Rule("be at least 32 characters", lambda v, _: v is None or len(v) >= 32))
    metrics_networks: tuple[str, ...] = setting(
        (), "client networks that may scrape `GET /metrics` without the token, as `cidr,cidr`; the client "
        "address is the one ZWT_TRUST_PROXY_HOPS trusts (behind a proxy that forgets `X-Forwarded-For` it is the "
        "proxy's own)", parse=_parse_cidrs, kind="list", shown="unset (none)")
    # Department systems: empty means the in-process sandboxes (the embedded default).
    departments: tuple[tuple[str, str, str], ...] = setting(
        (), "department systems as `code=kind@base-url,...`, e.g. `police=police@https://ga.example/api,"
        "hrss=hrss@https://rs.example/api,housing_fund=housing_fund@https://gjj.example/api`; kinds: `police`, "
        "`hrss`, `housing_fund`, `civil_affairs`", parse=_parse_departments, kind="list",
        shown="unset (in-process sandboxes)")
    license_feeds: tuple[tuple[str, str], ...] | None = setting(
        None, "departments serving a license change feed that `flask --app app issuers pull` reads, as "
        "`code@base-url,...` (docs/ISSUING.md), e.g. `natural_resources@https://zrzy.example/api`; `off`: none",
        parse=_parse_license_feeds, kind="list",
        shown="unset (in-process sandboxes of `natural_resources` and `education`)")
    credit_platform: str | None = setting(
        None, "base URL of the public credit platform (公共信用信息平台, its API v3): credit records, restriction "
        "lists, broken commitments; reached through the department fence (`credit` in ZWT_DEPARTMENT_NETWORKS)",
        parse=lambda raw, _: raw, kind="URL", shown="unset (in-process credit sandbox)",
        check=Rule("be an http:// or https:// URL", lambda v, _: v is None or v.startswith(("http://", "https://"))))
    department_networks: tuple[tuple[str, tuple[str, ...]], ...] = setting(
        (("*", ("127.0.0.0/8", "::1/128")),), "networks each department system's addresses must resolve into, as "
        "`code=cidr|cidr,...`, `*` for the departments not named, e.g. `police=10.12.0.0/16,hrss=10.13.0.0/16`; "
        "link-local and cloud-metadata addresses are refused whatever this says",
        parse=_parse_networks, kind="list", shown="`*=127.0.0.0/8|::1/128` (this machine only)",
        production=Rule("name the networks of every department in ZWT_DEPARTMENTS",
                        lambda v, cfg: all(code in dict(v) for code, _, _ in cfg.departments)))
    department_max_bytes: int = setting(4 * 1024 * 1024, "largest answer read from a department system (the "
                                        "call fails as malformed above it)", shown="`4194304`", check=at_least(1024))
    department_timeout_s: float = setting(2.0, "per-department timeout (enforced by the aggregator's own clock) "
                                          "and sync call timeout", check=above(0))
    overview_deadline_s: float = setting(3.0, "overall deadline of the home-screen overview", check=above(0))
    shared_data_deadline_s: float = setting(
        1.5, "overall deadline of a shared-data look-up (数据共享, `/api/v1/me/shared-data`): a department that has not "
        "answered by then is reported `pending`", check=above(0))
    search_cache_size: int = setting(1024, "search result pages cached per worker (keyed by catalog generation; "
                                     "`0` turns it off)", check=at_least(0))
    catalog_freshness_seconds: float = setting(
        1.0, "how long a worker trusts the catalog generation it last read; another worker's change shows within "
        "this, its own at once (`0`: read it every request)", check=at_least(0))
    bundle_freshness_seconds: float = setting(
        1.0, "how long a worker trusts the wallet generation it last read; its own changes show at once",
        check=at_least(0))
    # Wallet: the key-encryption key sealing private signing keys, lifetimes, key rotation, real-name checks.
    key_encryption_key: bytes = setting(
        b"", "base64 AES-256 key-encryption key sealing the wallet's private signing keys", parse=_key32,
        kind="base64 key", shown="derived from the secret (dev only)", derive=_key("kek"), secret=True,
        check=_KEY32, production=Rule(_SET.format("32 random bytes, base64"), _not_derived("kek")))
    presentation_unbound_seconds: int = setting(300, "lifetime of a presentation without a registered device",
                                                check=at_least(1))
    presentation_bound_seconds: int = setting(3 * 86400, "lifetime of a device-bound credential (3 days); also how "
                                              "long a replaced key stays verify-only", check=at_least(1))
    key_publish_lead_seconds: int = setting(86400, "how long a pending key must be in bundles before `wallet-keys "
                                            "activate` lets it sign", check=at_least(0))
    bundle_refresh_seconds: int = setting(3600, "an unchanged trust bundle is re-signed once per period (its "
                                          "`iat`), so counters never see it age", check=at_least(1))
    identity_max_mismatches: int = setting(5, "real-name mismatches per (requesting account or phone, address) "
                                           "and per address per window before 429; never per target ID number",
                                           check=at_least(1))
    identity_window_seconds: int = setting(86400, "real-name throttle window", check=at_least(1))
    max_devices: int = setting(5, "devices a citizen may register", check=at_least(1))
    presentations_per_minute: int = setting(20, "presentations one account may create per minute (429 "
                                            "`too_many_presentations` above; `0`: no limit)", check=at_least(0))
    presentations_per_day: int = setting(500, "presentations one account may create per day (`0`: no limit)",
                                         check=at_least(0))
    nonces_per_minute: int = setting(10, "device-binding nonces one account (citizen or clerk) may fetch per minute "
                                     "(429 `too_many_nonces` above)", check=at_least(1))
    device_changes_per_day: int = setting(10, "device registrations and removals together, per account per day "
                                          "(429 `too_many_device_changes` above; the wallet lock is never "
                                          "limited)", check=at_least(1))
    counter_log_max_age_days: int = setting(30, "an uploaded counter log record dated further back than this is "
                                            "refused (`too_old`); counters upload at least this often",
                                            check=at_least(1))
    issuer_max_body_bytes: int = setting(128 * 1024 * 1024, "largest body of a department's push to "
                                         "`/api/v1/issuers/{department}/licenses` (413 above; a first load of "
                                         "100,000 business licenses is about 70 MB)", check=at_least(1))
    issuer_signature_skew_seconds: int = setting(300, "how far a push signature's `created` may be from the "
                                                 "server's clock (401 `signature_invalid` beyond)",
                                                 check=at_least(1))
    publish_review: tuple[tuple[str, bool], ...] = setting(
        (("*", True),), "two-person rule of the catalog admin: `required` (another admin of the department or a "
        "platform admin publishes or resumes a change, never its author) or `off`, then per-department "
        "overrides, e.g. `required,police=off`", parse=_parse_review, kind="list", shown="`required`")

    # Uploads: the citizens' materials library (材料库) and the files of applications.
    upload_max_bytes: int = setting(
        10 * 1024 * 1024, "largest file a citizen may upload (`POST /api/v1/me/materials`: 413 naming `file` "
        "above); ZWT_MAX_CONTENT_LENGTH does not apply to that route", shown="`10485760` (10 MB)",
        check=at_least(1))
    upload_store: str = setting(
        "instance/uploads", "where uploaded files are kept, once each, by their SHA-256: a directory, or "
        "`s3://bucket/prefix` for S3-compatible storage through boto3 (credentials and region from boto3's own "
        "`AWS_*` variables)", kind="path or URL", check=Rule(
            "be a directory or an s3://bucket[/prefix] URL",
            lambda v, _: bool(v) and (not v.startswith("s3:") or bool(v[len("s3://"):].split("/", 1)[0]))))
    upload_s3_endpoint_url: str | None = setting(
        None, "endpoint of the S3-compatible storage named by ZWT_UPLOAD_STORE (MinIO, Ceph, ...)",
        parse=lambda raw, _: raw, kind="URL", shown="unset (AWS)", check=Rule(
            "be an http:// or https:// URL", lambda v, _: v is None or v.startswith(("http://", "https://"))))
    # Online applications (办件): the working-day calendar, the level needed, the delivery worker.
    holiday_file: str | None = setting(
        None, "the city's holiday file (JSON `{\"years\": [...], \"holidays\": [...], \"workdays\": [...]}` or "
        "CSV `date,kind`): for the years it lists it overrides the `chinesecalendar` library; read at start",
        parse=_path_or_off, kind="path", shown="unset (the library; weekends only for a year it does not know)")
    application_level: int = setting(2, "proofing level an account needs to apply online (1 police, 2 phone + "
                                     "carrier, 3 face)", check=Rule("be 1, 2 or 3", lambda v, _: v in (1, 2, 3)))
    outbox_concurrency: int = setting(8, "deliveries one worker keeps in flight to department systems",
                                      check=at_least(1))
    outbox_max_attempts: int = setting(8, "failed deliveries of one application before it goes to the dead-letter "
                                       "list a platform admin replays", check=at_least(1))
    rating_follow_up_days: int = setting(15, "working days a department has to answer the follow-up a bad service "
                                         "rating (不满意 or worse) opens; later it is flagged overdue",
                                         check=at_least(1))
    outbox_backoff_seconds: float = setting(2.0, "wait before the first retry of a failed delivery; it doubles with "
                                            "every further failure (at most an hour)", check=above(0))
    application_poll_seconds: float = setting(
        60.0, "how often the worker asks department systems where the applications they took stand (status by "
        "polling, besides their signed callbacks; `0` turns it off)", check=at_least(0))

    def review_required(self, department_code: str) -> bool:
        """Whether publishing this department's items needs a second person (``ZWT_PUBLISH_REVIEW``)."""
        rules = dict(self.publish_review)
        return rules.get(department_code, rules.get("*", True))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None,
                 overrides: Mapping[str, Any] | None = None) -> "Config":
        """Read ``ZWT_*`` variables (and optional test overrides, by variable name) into a Config."""
        env = dict(os.environ if environ is None else environ)
        env.update(overrides or {})
        values: dict[str, Any] = {}
        for item, spec in declared():
            name = variable(item)
            raw = next((str(env[n]) for n in (name, *spec.aliases) if env.get(n) not in (None, "")), None)
            if raw is not None:
                try:
                    values[item.name] = spec.parse(raw, name)
                except ValueError as exc:
                    shown = name if spec.secret else f"{name}={raw!r}"
                    raise ConfigError(f"{shown} is not a valid {spec.kind}") from exc
            elif spec.derive is not None:
                values[item.name] = spec.derive(values)
        cfg = cls(**values)
        cfg.check()
        return cfg

    @property
    def is_production(self) -> bool:
        """Whether the strict production checks apply."""
        return self.env == "production"

    def check(self) -> None:
        """Refuse settings that cannot work, and in production anything unsafe; say why."""
        problems = [_explain(item, spec, spec.check, self) for item, spec in declared()
                    if spec.check and not spec.check.ok(getattr(self, item.name), self)]
        if problems:
            raise ConfigError("; ".join(problems))
        if not self.is_production:
            return
        unsafe = [f"{variable(item)} must {spec.production.text}" for item, spec in declared()
                  if spec.production and not spec.production.ok(getattr(self, item.name), self)]
        if unsafe:
            raise ConfigError("refusing to start in production: " + "; ".join(unsafe))

    def with_changes(self, **changes: Any) -> "Config":
        """Return a copy with some settings changed (tests)."""
        return replace(self, **changes)

    def describe(self) -> dict[str, Any]:
        """Settings safe to print: secrets and keys are left out."""
        return {item.name: getattr(self, item.name) for item, spec in declared() if not spec.secret}


def declared() -> list[tuple[Field[Any], Setting]]:
    """Every field of Config with its declaration, in declaration order."""
    return [(item, item.metadata["setting"]) for item in fields(Config)]


def variable(item: Field[Any]) -> str:
    """The environment variable of a field: ``ZWT_`` and the field name in capitals."""
    return "ZWT_" + item.name.upper()


def _explain(item: Field[Any], spec: Setting, rule: Rule, cfg: Config) -> str:
    """Say which variable breaks which rule, with its value unless it is a secret."""
    shown = "" if spec.secret else f" (it is {getattr(cfg, item.name)!r})"
    return f"{variable(item)} must {rule.text}{shown}"
