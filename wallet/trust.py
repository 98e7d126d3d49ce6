"""The trust bundle a counter syncs: issuer keys with their allowed license types, and status lists.

It is a COSE_Sign1 (``typ`` ``application/vnd.qd1.trust+cbor``) signed by the platform root key over
``{"seq", "iat", "exp", "issuers": [{"kid", "alg", "key" (SPKI DER), "not_before", "not_after",
"allowed_types"}], "status_lists": {uri: status list token bytes}, "next_root": SPKI DER (optional)}``.
``next_root`` announces the platform's next root key while its rotation is pending: a counter that
loaded a bundle signed by a root it trusts adds that key to its roots, and keeps loading bundles once
the new root signs them (one that never synced during the rotation must be provisioned again). Loading
checks the signature,
rollback (a ``seq`` lower than the one held) and age; :meth:`TrustBundle.check_fresh` repeats the age
checks at every verification: warn past 24 h, refuse past 7 days or ``exp``, refuse when the verifier's
clock is before ``iat``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from . import cborio, cose
from .errors import InvalidCredential
from .keys import PrivateKey, PublicKey, kid_of, public_key_from_spki, spki_der
from .status_list import StatusListToken, parse_status_list_token

__all__ = [
    "TYP_TRUST_BUNDLE",
    "MAX_AGE",
    "WARN_AGE",
    "CLOCK_SKEW",
    "IssuerKey",
    "TrustBundle",
    "build_bundle",
    "load_bundle",
]

TYP_TRUST_BUNDLE = "application/vnd.qd1.trust+cbor"
WARN_AGE = 24 * 3600
MAX_AGE = 7 * 24 * 3600
#: A counter's clock may lag the platform's a little; beyond this its clock is called wrong: a bundle, or a
#: credential (``issued_in_future``), issued more than this ahead of the verifier's clock is refused.
CLOCK_SKEW = 300


@dataclass(frozen=True)
class IssuerKey:
    """A department's signing key as the bundle trusts it: for which license types and which period."""

    public_key: PublicKey
    allowed_types: frozenset[str]
    not_before: int
    not_after: int
    alg: int = cose.ALG_ES256
    kid: bytes = b""

    def __post_init__(self) -> None:
        """Derive the kid from the key when none is given."""
        if not self.kid:
            object.__setattr__(self, "kid", kid_of(self.public_key))

    def allows(self, type_code: str) -> bool:
        """Whether this key may sign licenses of ``type_code``."""
        return type_code in self.allowed_types

    def valid_at(self, when: int) -> bool:
        """Whether the key was allowed to sign at ``when`` (epoch seconds)."""
        return self.not_before <= when <= self.not_after


@dataclass(frozen=True)
class TrustBundle:
    """A verified, loaded trust bundle: keys indexed by kid and status lists indexed by URI."""

    seq: int
    iat: int
    exp: int
    issuers: tuple[IssuerKey, ...]
    status_lists: Mapping[str, StatusListToken] = field(default_factory=dict)
    next_root: PublicKey | None = None  # the root key that will sign later bundles, announced by this one

    def keys_for(self, kid: bytes) -> tuple[IssuerKey, ...]:
        """Every issuer key with this kid (a verifier tries them all)."""
        return tuple(key for key in self.issuers if key.kid == kid)

    def check_fresh(self, now: int) -> tuple[str, ...]:
        """Raise ``clock_before_bundle`` / ``stale_trust_data`` or return warnings (old but usable)."""
        if now < self.iat - CLOCK_SKEW:
            raise InvalidCredential("clock_before_bundle", f"clock {now} is before bundle iat {self.iat}")
        age = now - self.iat
        if age > MAX_AGE or now > self.exp:
            raise InvalidCredential("stale_trust_data", f"trust bundle is {age // 3600} h old")
        return ("trust_data_older_than_24h",) if age > WARN_AGE else ()


def _issuer_to_cbor(key: IssuerKey) -> dict[str, Any]:
    return {
        "kid": key.kid,
        "alg": key.alg,
        "key": spki_der(key.public_key),
        "not_before": key.not_before,
        "not_after": key.not_after,
        "allowed_types": sorted(key.allowed_types),
    }


def build_bundle(
    *,
    seq: int,
    iat: int,
    issuers: Iterable[IssuerKey],
    status_lists: Iterable[bytes],
    root_key: PrivateKey,
    exp: int | None = None,
    next_root: PublicKey | None = None,
) -> bytes:
    """Sign a trust bundle with the platform root key; status lists are signed tokens, keyed by their URI.

    ``next_root`` announces the root key that will sign bundles after a rotation.
    """
    tokens = {}
    for raw in status_lists:
        message = cose.decode_sign1(raw)
        claims = cborio.as_map(cborio.loads(message.payload), "status list claims")
        tokens[cborio.as_text(claims.get(2), "status list sub")] = raw
    payload = {
        "seq": seq,
        "iat": iat,
        "exp": iat + MAX_AGE if exp is None else exp,
        "issuers": [_issuer_to_cbor(key) for key in issuers],
        "status_lists": tokens,
    }
    if next_root is not None:
        payload["next_root"] = spki_der(next_root)
    return cose.sign1(cborio.dumps(payload), root_key, protected={cose.HEADER_TYP: TYP_TRUST_BUNDLE})


def _issuer_from_cbor(obj: Any) -> IssuerKey:
    entry = cborio.as_map(obj, "issuer entry")
    types = cborio.as_list(entry.get("allowed_types"), "allowed_types")
    return IssuerKey(
        kid=cborio.as_bytes(entry.get("kid"), "issuer kid"),
        alg=cborio.as_int(entry.get("alg"), "issuer alg"),
        public_key=public_key_from_spki(cborio.as_bytes(entry.get("key"), "issuer key")),
        not_before=cborio.as_int(entry.get("not_before"), "issuer not_before"),
        not_after=cborio.as_int(entry.get("not_after"), "issuer not_after"),
        allowed_types=frozenset(cborio.as_text(t, "allowed type") for t in types),
    )


def load_bundle(
    data: bytes, root_keys: Iterable[PublicKey], *, now: int, held_seq: int | None = None
) -> TrustBundle:
    """Verify and parse a trust bundle, refusing a bad signature, a rollback or stale data.

    Reasons: ``trust_bundle_invalid`` (signature or structure), ``trust_bundle_rollback``,
    ``stale_trust_data``, ``clock_before_bundle``. Status list tokens inside must verify with a root key
    or an issuer key of the bundle and sit under their own URI.
    """
    roots = list(root_keys)
    try:
        message = cose.decode_sign1(data)
        if message.header(cose.HEADER_TYP) != TYP_TRUST_BUNDLE:
            raise InvalidCredential("malformed", f"typ is not {TYP_TRUST_BUNDLE}")
        cose.verify_with_any(message, roots)
        body = cborio.as_map(cborio.loads(message.payload), "trust bundle")
        issuers = tuple(_issuer_from_cbor(e) for e in cborio.as_list(body.get("issuers"), "issuers"))
        signers = roots + [key.public_key for key in issuers]
        lists = {}
        for uri, raw in cborio.as_map(body.get("status_lists"), "status_lists").items():
            token = parse_status_list_token(cborio.as_bytes(raw, "status list token"), signers)
            if token.uri != uri:
                raise InvalidCredential("malformed", f"status list {token.uri!r} filed under {uri!r}")
            lists[uri] = token
        announced = body.get("next_root")
        bundle = TrustBundle(
            seq=cborio.as_int(body.get("seq"), "seq"),
            iat=cborio.as_int(body.get("iat"), "iat"),
            exp=cborio.as_int(body.get("exp"), "exp"),
            issuers=issuers,
            status_lists=MappingProxyType(lists),
            next_root=None if announced is None else public_key_from_spki(cborio.as_bytes(announced, "next_root")),
        )
    except InvalidCredential as exc:
        raise InvalidCredential("trust_bundle_invalid", f"{exc.reason}: {exc.detail}") from None
    if held_seq is not None and bundle.seq < held_seq:
        raise InvalidCredential("trust_bundle_rollback", f"bundle seq {bundle.seq} < held seq {held_seq}")
    bundle.check_fresh(now)
    return bundle
