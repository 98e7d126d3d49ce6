"""Electronic-license credentials: issue, present and verify QD1 QR codes offline."""

from wallet.codec import decode_text, encode_text
from wallet.errors import InvalidCredential
from wallet.holder import generate_device_key, present
from wallet.issuer import issue
from wallet.keys import (
    VerificationKey,
    generate_ed25519,
    generate_p256,
    kid_of,
    load_private_key,
    load_verification_key,
    private_key_to_pem,
)
from wallet.replay import MemoryReplayCache, ReplayCache
from wallet.status_list import StatusList, parse_status_list_token, sign_status_list
from wallet.trust import IssuerKey, TrustBundle, build_bundle, load_bundle
from wallet.verdict import REASONS, Verdict
from wallet.verify import verify, verify_with_keys

__all__ = [
    # credential core (issue / present / verify)
    "InvalidCredential",
    "issue",
    "present",
    "generate_device_key",
    "verify",
    "verify_with_keys",
    "Verdict",
    "REASONS",
    "ReplayCache",
    "MemoryReplayCache",
    "encode_text",
    "decode_text",
    # keys, trust bundle, status lists
    "generate_p256",
    "generate_ed25519",
    "kid_of",
    "VerificationKey",
    "load_verification_key",
    "private_key_to_pem",
    "load_private_key",
    "IssuerKey",
    "TrustBundle",
    "build_bundle",
    "load_bundle",
    "StatusList",
    "sign_status_list",
    "parse_status_list_token",
]
