"""Texts to a phone: one-time codes, and the security notices an account's phone gets (one place for both).

A code that cannot be sent fails its request (503 ``sms_unavailable``): the citizen can do nothing without
it. A notice that cannot be sent is logged and the action stands: refusing a password change because the
SMS gateway is down would help nobody.
"""

from __future__ import annotations

import logging

from services_catalog.errors import DepartmentError
from wallet.issuer import CHINA_TZ

from ..container import Services
from ..errors import ServiceUnavailable
from ..models import Account
from ..pii import mask_phone

__all__ = ["send_code", "send_text", "notify", "NOTICES"]

log = logging.getLogger("zwt.auth")

SIGNATURE = "【青岛政务通】"

CODE_TEXTS = {
    "register": "注册验证码 {code}，{minutes} 分钟内有效。请勿告诉他人。",
    "reset": "找回密码验证码 {code}，{minutes} 分钟内有效。如非本人操作，请忽略并注意账号安全。",
    "step_up": "身份确认验证码 {code}，{minutes} 分钟内有效，用于查看完整证照号码或绑定新设备。请勿告诉他人。",
    "phone": "手机号认证验证码 {code}，{minutes} 分钟内有效。请勿告诉他人。",
}

NOTICES = {
    # registering with a phone that already has an account: no code, just this
    "phone_has_account": "本手机号已注册青岛政务通账号，无需重复注册。如忘记密码，请在登录页选择“找回密码”。"
                         "如非本人操作，请忽略。",
    "new_device": "您的账号于 {at} 绑定了新设备“{name}”。如非本人操作，请立即修改密码并锁定卡包。",
    "new_sign_in": "您的账号于 {at} 在新的网络地址登录。如非本人操作，请立即修改密码。",
    "password_changed": "您的账号密码已于 {at} 修改，其他设备上的登录已退出。如非本人操作，请立即找回密码。",
    "password_reset": "您的账号已于 {at} 通过短信验证码重设密码，所有登录已退出。如非本人操作，请立即联系客服。",
    "recovered": "您的账号已于 {at} 通过人脸核验找回并重设密码，所有登录已退出。如非本人操作，请立即联系客服。",
    "frozen": "您在青岛政务通注册的账号已于 {at} 冻结：该身份证号的持有人已通过手机号和运营商实名核验。"
              "如有疑问请联系客服。",
    "id_number_attempt": "有人于 {at} 尝试用您的身份证号注册新的青岛政务通账号，未能成功。如非本人操作，"
                         "请注意保护个人信息。",
    "wallet_locked": "您的电子卡包已于 {at} 锁定，其他设备上的登录已退出。",
}


def send_text(phone: str, text: str, *, svc: Services) -> None:
    """Hand a text to the SMS gateway; 503 ``sms_unavailable`` when it fails."""
    try:
        svc.proofing.sms.send(phone, SIGNATURE + text, timeout=svc.config.proofing_timeout_s)
    except DepartmentError as exc:
        svc.metrics.sms_sends.labels("failed").inc()
        log.warning("sms not sent", extra={"phone": mask_phone(phone), "error": type(exc).__name__})
        raise ServiceUnavailable("sms_unavailable") from None
    svc.metrics.sms_sends.labels("sent").inc()


def send_code(phone: str, purpose: str, code: str, *, svc: Services) -> None:
    """Send a one-time code for ``purpose``."""
    minutes = max(1, svc.config.sms_code_seconds // 60)
    send_text(phone, CODE_TEXTS[purpose].format(code=code, minutes=minutes), svc=svc)


def notify(account: Account, event: str, *, svc: Services, **params: str) -> bool:
    """Tell the account's phone about a security event; log (never raise) when it cannot be sent."""
    if not account.phone:
        return False
    at = svc.clock.now().astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    try:
        send_text(account.phone, NOTICES[event].format(at=at, **params), svc=svc)
    except ServiceUnavailable:
        log.warning("security notice not sent", extra={"event": event, "subject": account.subject})
        return False
    return True
