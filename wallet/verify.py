"""The offline verifier a counter runs: QD1 text + trust bundle + clock -> one ``Verdict``.

Checks, in order: text layers and structure; trust data freshness; the headers (``alg`` and ``crit``
protected and understood, :func:`wallet.cose.check_headers`); key (by the protected kid, authoritative,
every key sharing it) and signature; claim length caps; the key's allowed license types and period; the
credential's iat (not after the clock plus ``CLOCK_SKEW``), nbf and exp; holder binding
(device signature over the presentation, ``t`` within ±90 s); status list entry; the counter's purpose;
replay. Every failure inside raises ``InvalidCredential`` and leaves here as one distinct reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import cbor2

from . import cborio, cose, cwt
from .codec import DEFAULT_PREFIX, decode_text_cbor
from .cti import expand_license_id
from .errors import InvalidCredential
from .holder import PRESENTATION_VERSION, presentation_signed_data
from .keys import VerificationKey
from .licenses import LicenseView, parse_disclosed
from .replay import ReplayCache
from .status_list import INVALID, SUSPENDED, VALID
from .trust import CLOCK_SKEW, TrustBundle
from .verdict import Verdict, accepted, rejected

__all__ = ["PRESENTATION_WINDOW", "Purpose", "verify", "verify_with_keys", "Decoded", "decode",
           "claims_json"]

#: The fields a counter needs and may see: a set, or a function of the license type (an item that takes
#: several kinds of license learns which one from the code itself).
Purpose = Iterable[str] | Callable[[str], Iterable[str]]

#: A presentation's ``t`` may differ from the verifier's clock by this much (the app refreshes every 30 s).
PRESENTATION_WINDOW = 90


@dataclass(frozen=True)
class Decoded:
    """A decoded (not yet trusted) QD1 text: the issuer's COSE_Sign1 and, if present, the holder's wrapper."""

    message: cose.Sign1
    issuer_cose: bytes
    presentation: tuple[int, bytes] | None  # (t, device signature)


def decode(text: str, *, prefix: str = DEFAULT_PREFIX) -> Decoded:
    """Decode a bare credential or a holder-bound presentation, raising ``InvalidCredential``."""
    obj = decode_text_cbor(text, prefix=prefix)
    is_array = isinstance(obj, (list, tuple))
    if is_array and obj and isinstance(obj[0], int) and not isinstance(obj[0], bool):
        version, issuer_cose, t, signature = cborio.as_list(obj, "presentation", 4)
        if version != PRESENTATION_VERSION:
            raise InvalidCredential("malformed", f"presentation version {version} is not supported")
        issuer_cose = cborio.as_bytes(issuer_cose, "presented credential")
        wrapper = (cborio.as_int(t, "presentation time"), cborio.as_bytes(signature, "device signature"))
        message = cose.sign1_from_cbor(cborio.loads(issuer_cose, reason="malformed"))
        return Decoded(message=message, issuer_cose=issuer_cose, presentation=wrapper)
    return Decoded(message=cose.sign1_from_cbor(obj), issuer_cose=b"", presentation=None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, cbor2.CBORTag):
        return {"tag": value.tag, "value": _jsonable(value.value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "items"):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def claims_json(claims: cwt.Claims) -> dict[str, Any]:
    """Return the CWT claims as JSON-ready data (bytes as hex, labels as strings, no license claim)."""
    out: dict[str, Any] = {str(k): _jsonable(v) for k, v in claims.extra.items()}
    for name in ("iss", "sub", "iat", "nbf", "exp"):
        if getattr(claims, name) is not None:
            out[name] = getattr(claims, name)
    if claims.cti is not None:
        out["cti"] = claims.cti.decode("utf-8", "replace")
    if claims.status is not None:
        out["status"] = {"uri": claims.status.uri, "idx": claims.status.idx}
    out["holder_key"] = claims.cnf is not None
    return out


def _signing_kid(message: cose.Sign1, *, qd1: bool) -> bytes:
    """The kid that selects the verification key: the protected one, authoritative when present.

    QD1 requires it protected; other profiles (the EU DCC) may name the key in the unprotected header
    when the protected one names none. A kid that names no trusted key is refused by the caller.
    """
    kid = message.protected_headers.get(cose.HEADER_KID)
    if kid is None and not qd1:
        kid = message.unprotected.get(cose.HEADER_KID)
    if kid is None:
        raise InvalidCredential("kid_not_protected", "QD1 needs the kid in the protected header" if qd1
                                else "no kid in either header")
    if not isinstance(kid, bytes):
        raise InvalidCredential("malformed", "kid must be a byte string")
    return kid


def _check_times(claims: cwt.Claims, now: int) -> None:
    if claims.iat is not None and claims.iat > now + CLOCK_SKEW:
        raise InvalidCredential("issued_in_future", f"issued at {claims.iat}, now {now}")
    if claims.nbf is not None and now < claims.nbf:
        raise InvalidCredential("not_yet_valid", f"valid from {claims.nbf}, now {now}")
    if claims.exp is not None and now >= claims.exp:
        raise InvalidCredential("expired", f"expired at {claims.exp}, now {now}")


def _check_holder(decoded: Decoded, claims: cwt.Claims, now: int) -> None:
    if decoded.presentation is None:
        if claims.cnf is not None:
            raise InvalidCredential("holder_binding_required", "shown without the holder's device signature")
        return
    if claims.cnf is None:
        raise InvalidCredential("holder_binding_failed", "presented, but the credential names no device key")
    t, signature = decoded.presentation
    try:
        signed = presentation_signed_data(decoded.issuer_cose, t)
        cose.verify_raw(cose.ALG_ES256, claims.cnf, signed, signature)
    except InvalidCredential as exc:
        raise InvalidCredential("holder_binding_failed", exc.detail) from None
    if abs(now - t) > PRESENTATION_WINDOW:
        raise InvalidCredential("presentation_too_old", f"presented at {t}, now {now}")


def _check_status(claims: cwt.Claims, bundle: TrustBundle, now: int) -> None:
    if claims.status is None:
        raise InvalidCredential("status_unknown", "the credential has no status list entry")
    token = bundle.status_lists.get(claims.status.uri)
    if token is None:
        raise InvalidCredential("status_unknown", f"no status list {claims.status.uri!r} in the trust data")
    if token.exp is not None and now >= token.exp:
        raise InvalidCredential("status_unknown", "the status list has expired")
    try:
        status = token.status_list.get(claims.status.idx)
    except IndexError:
        raise InvalidCredential("status_unknown", f"index {claims.status.idx} is outside the list") from None
    if status == INVALID:
        raise InvalidCredential("revoked", f"status list entry {claims.status.idx}")
    if status == SUSPENDED:
        raise InvalidCredential("suspended", f"status list entry {claims.status.idx}")
    if status != VALID:
        raise InvalidCredential("status_unknown", f"status value {status} has no meaning here")


def _replay_key(decoded: Decoded) -> bytes:
    # Keyed on what the device signed, not on the signature bytes: ECDSA signatures are malleable
    # ((r, s) and (r, n - s) both verify) and the text around them can be re-encoded.
    assert decoded.presentation is not None
    return hashlib.sha256(presentation_signed_data(decoded.issuer_cose, decoded.presentation[0])).digest()


def _view(claims: cwt.Claims) -> LicenseView:
    if claims.license is None:
        raise InvalidCredential("malformed", "no license claim")
    return parse_disclosed(claims.license)


def _filter(view: LicenseView, purpose: Purpose | None) -> dict[str, str]:
    if purpose is None:
        return dict(view.fields)
    wanted = set(purpose(view.type_code) if callable(purpose) else purpose)
    missing = sorted(wanted.difference(view.fields))
    if missing:
        raise InvalidCredential("insufficient_disclosure", f"missing {', '.join(missing)}")
    return {name: value for name, value in view.fields.items() if name in wanted}


def verify(
    text: str,
    bundle: TrustBundle,
    *,
    now: int,
    purpose: Purpose | None = None,
    replay_cache: ReplayCache | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> Verdict:
    """Verify a QD1 credential or presentation offline against ``bundle`` at ``now`` (epoch seconds).

    ``purpose`` is the set of fields the counter needs and may see, or a function of the license type
    returning it (whatever it raises, other than ``InvalidCredential``, propagates); ``replay_cache`` remembers
    presentations so each is accepted once. Never raises for bad input: it returns a rejected verdict.
    """
    facts: dict[str, Any] = {}
    try:
        decoded = decode(text, prefix=prefix)
        facts["holder_bound"] = decoded.presentation is not None
        warnings = list(bundle.check_fresh(now))
        message = decoded.message
        facts["kid"] = message.kid
        cose.check_headers(message)
        kid = _signing_kid(message, qd1=True)
        alg = message.protected_headers[cose.HEADER_ALG]
        if not isinstance(alg, int) or alg not in cose.ALG_NAMES:  # a map or an array is no dict key
            raise InvalidCredential("unsupported_algorithm", f"algorithm {alg!r}")
        candidates = bundle.keys_for(kid)
        if not candidates:
            raise InvalidCredential("unknown_key", "no trusted key has this kid")
        usable = [key for key in candidates if key.alg == alg]
        if not usable:
            raise InvalidCredential("bad_signature", "the key is not registered for this algorithm")
        signer_key = cose.verify_with_any(decoded.message, [key.public_key for key in usable])
        signer = next(key for key in usable if key.public_key is signer_key)
        claims = cwt.decode_claims(decoded.message.payload)
        view = _view(claims)
        facts.update(
            license_type=view.type_code,
            license_id=expand_license_id(claims.cti, view.license_type.gb_type_code, claims.iss),
            profile=view.profile,
            claims=claims_json(claims),
        )
        if claims.iat is None:
            raise InvalidCredential("malformed", "no iat claim")
        if not signer.allows(view.type_code):
            raise InvalidCredential("key_not_allowed_for_type", f"key may not sign {view.type_code}")
        if not signer.valid_at(claims.iat):
            raise InvalidCredential("key_not_valid_at_time", f"signed at {claims.iat}, outside key period")
        _check_times(claims, now)
        _check_holder(decoded, claims, now)
        _check_status(claims, bundle, now)
        fields = _filter(view, purpose)
        if decoded.presentation is not None:
            if replay_cache is None:
                warnings.append("replay_not_checked")
            elif replay_cache.seen_before(_replay_key(decoded), now=now, ttl=2 * PRESENTATION_WINDOW + 1):
                raise InvalidCredential("replayed", "this presentation was accepted before")
    except InvalidCredential as exc:
        return rejected(exc.reason, exc.detail, **facts)
    return accepted(fields=fields, warnings=tuple(warnings), **facts)


def verify_with_keys(
    text: str,
    keys: Sequence[VerificationKey],
    *,
    now: int,
    prefix: str = DEFAULT_PREFIX,
) -> Verdict:
    """Verify a signature and validity period only, against explicitly trusted keys (no status, no bundle).

    This is the integrator's path (``python -m wallet verify --key``) and works for EU DCC ``HC1:`` codes
    as well as QD1 ones. Only the keys whose kid the code names are tried: the protected kid, or for codes
    other than QD1 (QD1 prefix or a presentation) an unprotected one when the protected header has none.
    """
    facts: dict[str, Any] = {}
    try:
        decoded = decode(text, prefix=prefix)
        message = decoded.message
        facts.update(kid=message.kid, holder_bound=decoded.presentation is not None)
        if not keys:
            raise InvalidCredential("unknown_key", "no key given")
        cose.check_headers(message)
        kid = _signing_kid(message, qd1=prefix == DEFAULT_PREFIX or decoded.presentation is not None)
        named = [key.public_key for key in keys if key.kid == kid]
        if not named:
            raise InvalidCredential("unknown_key", "no given key has this kid")
        cose.verify_with_any(message, named)
        claims = cwt.decode_claims(decoded.message.payload)
        facts["claims"] = claims_json(claims)
        fields: dict[str, str] = {}
        if claims.license is not None:
            view = parse_disclosed(claims.license)
            fields = dict(view.fields)
            facts.update(license_type=view.type_code, profile=view.profile)
            facts["license_id"] = expand_license_id(claims.cti, view.license_type.gb_type_code, claims.iss)
        _check_times(claims, now)
        _check_holder(decoded, claims, now)
    except InvalidCredential as exc:
        return rejected(exc.reason, exc.detail, **facts)
    return accepted(fields=fields, **facts)
