"""The verifier's answer to a counter clerk: valid or one distinct reason, with zh-CN and English text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["REASONS", "WARNINGS", "Verdict", "accepted", "rejected"]

#: Every reason a verification can fail with, and what the clerk's screen says.
REASONS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "not_qd1": ("不是电子证照二维码", "Not a QD1 license code"),
    "bad_base45": ("二维码内容已损坏（编码错误）", "The code is damaged (bad Base45)"),
    "bad_zlib": ("二维码内容已损坏（压缩数据错误）", "The code is damaged (bad compressed data)"),
    "too_large": ("二维码内容过大，拒绝处理", "The code is too large to be a license"),
    "bad_cbor": ("二维码内容已损坏（数据格式错误）", "The code is damaged (bad CBOR)"),
    "malformed": ("证照数据格式不正确", "The license data is malformed"),
    "unsupported_algorithm": ("不支持的签名算法", "Unsupported signature algorithm"),
    "alg_not_protected": ("签名算法未受签名保护，拒绝处理", "The signature algorithm is not in the signed header"),
    "unknown_critical_header": ("证照含有本机无法识别的关键参数，拒绝处理",
                                "The code has a critical header this verifier does not understand"),
    "kid_not_protected": ("证照未在签名数据中标明签发密钥", "The code does not name its signing key in the signed header"),
    "unknown_key": ("签发机构密钥未知，请同步信任数据", "Unknown issuer key; sync the trust data"),
    "bad_signature": ("签名无效，证照可能被篡改", "Invalid signature; the license may be forged"),
    "key_not_allowed_for_type": ("该签发密钥无权签发此类证照", "This key may not sign this license type"),
    "key_not_valid_at_time": ("签发时签发密钥不在有效期内", "The key was not valid when the license was signed"),
    "expired": ("证照已过期", "The license has expired"),
    "not_yet_valid": ("证照尚未生效", "The license is not yet valid"),
    "issued_in_future": ("证照签发时间晚于本机时间，请校准时钟",
                         "The license was issued after this device's time; check the clock"),
    "claim_too_long": ("证照数据项超出长度上限，拒绝处理", "A value in the license is longer than allowed"),
    "revoked": ("证照已被注销", "The license has been revoked"),
    "suspended": ("证照已被暂停使用", "The license is suspended"),
    "status_unknown": ("无法确认证照状态，请同步信任数据", "License status unknown; sync the trust data"),
    "stale_trust_data": ("信任数据已超过7天未更新，请联网同步",
                         "Trust data is more than 7 days old; go online to sync"),
    "clock_before_bundle": ("本机时间早于信任数据签发时间，请校准时钟",
                            "This device's clock is before the trust data was issued; fix the clock"),
    "trust_bundle_invalid": ("信任数据无效", "The trust data is invalid"),
    "trust_bundle_rollback": ("信任数据版本比现有版本旧", "The trust data is older than the one held"),
    "holder_binding_required": ("此证照须由持证人手机动态出示，不接受静态二维码",
                                "This license must be shown live from the holder's phone"),
    "holder_binding_failed": ("持证人设备签名无效", "The holder's device signature is invalid"),
    "presentation_too_old": ("动态码已过期或时间不符，请持证人刷新",
                             "The live code is outside ±90 s; ask the holder to refresh"),
    "replayed": ("该动态码已被使用过", "This live code has already been used"),
    "no_qr_code": ("图片中没有可识别的二维码", "No readable QR code in the image"),
    "insufficient_disclosure": ("出示的证照信息不足以办理此事项",
                                "The license does not disclose the fields this service needs"),
})

WARNINGS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "trust_data_older_than_24h": ("信任数据已超过24小时未更新", "Trust data is more than 24 hours old"),
    "replay_not_checked": ("未检查动态码重放", "Replay of the live code was not checked"),
    "rollback_not_checked": ("未检查信任数据是否被回退到旧版本（未使用状态目录）",
                             "Whether the trust data was rolled back to an older one was not checked "
                             "(no state directory)"),
})

_VALID = ("证照有效", "The license is valid")


@dataclass(frozen=True)
class Verdict:
    """The outcome of one verification; ``fields`` holds only what was disclosed and may be shown."""

    valid: bool
    reason: str | None
    message_zh: str
    message_en: str
    detail: str = ""
    kid: bytes | None = None
    license_type: str | None = None
    license_id: str | None = None
    profile: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    claims: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    holder_bound: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the verdict as JSON-ready data (the ``--json`` output of the CLI)."""
        return {
            "valid": self.valid,
            "reason": self.reason,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "detail": self.detail,
            "kid": self.kid.hex() if self.kid is not None else None,
            "type": self.license_type,
            "license_id": self.license_id,
            "profile": self.profile,
            "holder_bound": self.holder_bound,
            "warnings": list(self.warnings),
            "fields": dict(self.fields),
            "claims": dict(self.claims),
        }


def accepted(**facts: Any) -> Verdict:
    """Build a valid verdict carrying ``facts`` (kid, license_type, fields, ...)."""
    return Verdict(True, None, *_VALID, **facts)


def rejected(reason: str, detail: str = "", **facts: Any) -> Verdict:
    """Build a rejection with the clerk's messages for ``reason``."""
    zh, en = REASONS.get(reason, REASONS["malformed"])
    return Verdict(False, reason, zh, en, detail, **facts)
