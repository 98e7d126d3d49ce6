"""The citizen's message centre (消息中心) and the texts key events send: one place for both.

Every step of an application the citizen did not take leaves a message; the key ones (a correction asked
for, not accepted, decided, concluded) also go out by SMS through the SMS port (``zwt.auth.notify``), and a
text that cannot be sent is logged while the step stands. No text carries personal data: the item's name
and the application id, and the department's own words in the message centre only.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from applications import Event

from ..audit import access_denied
from ..auth.notify import send_text
from ..container import Services
from ..errors import NotFound, ServiceUnavailable
from ..models import Account, ApplicationRow, MessageRow

__all__ = ["post_for", "messages_of", "mark_read", "etag_of", "unread_count", "message_view"]

log = logging.getLogger("zwt.applications")

#: move -> (title, body template, goes out by SMS too)
TEXTS: dict[str, tuple[str, str, bool]] = {
    "submit": ("申请已提交", "您的“{item}”申请（办件号 {id}）已提交，部门将尽快处理。", False),
    "begin_pre_check": ("申请预审中", "您的“{item}”申请（办件号 {id}）已送达部门，正在预审。", False),
    "accept": ("申请已受理", "您的“{item}”申请（办件号 {id}）已受理。", False),
    "refuse": ("申请不予受理", "您的“{item}”申请（办件号 {id}）不予受理，请登录青岛政务通查看原因。", True),
    "request_correction": ("请补正材料", "您的“{item}”申请（办件号 {id}）需要补正，请登录青岛政务通查看并补正。", True),
    "supply_correction": ("补正已提交", "您的“{item}”申请（办件号 {id}）补正已提交。", False),
    "begin_review": ("申请审查中", "您的“{item}”申请（办件号 {id}）正在审查。", False),
    "decide": ("已作出决定", "您的“{item}”申请（办件号 {id}）已作出{outcome}决定，请登录青岛政务通查看。", True),
    "conclude": ("申请已办结", "您的“{item}”申请（办件号 {id}）已办结。", True),
    "withdraw": ("申请已撤回", "您的“{item}”申请（办件号 {id}）已撤回。", False),
}
_OUTCOME = {"approved": "准予", "denied": "不予"}


def post_for(sess: Session, row: ApplicationRow, event: Event, svc: Services) -> MessageRow:
    """Leave the message of ``event`` for the applicant, and text the key ones (the caller commits)."""
    title, template, by_sms = TEXTS[event.move]
    body = template.format(item=row.item_name, id=row.public_id,
                           outcome=_OUTCOME.get(str(event.details.get("outcome")), ""))
    shown = f"{body}\n{event.message}" if event.message else body
    message = MessageRow(account_id=row.account_id, application_id=row.id, kind=event.move, title=title,
                         body=shown, created_at=event.at)
    sess.add(message)
    if by_sms:
        account = sess.get(Account, row.account_id)
        if account is not None and account.phone:
            try:
                send_text(account.phone, body, svc=svc)
            except ServiceUnavailable:
                log.warning("application text not sent", extra={"event": event.move, "application": row.public_id})
    return message


def messages_of(sess: Session, account: Account, *, unread_only: bool, limit: int) -> list[MessageRow]:
    """The account's messages, newest first."""
    query = select(MessageRow).where(MessageRow.account_id == account.id)
    if unread_only:
        query = query.where(MessageRow.read_at.is_(None))
    return list(sess.scalars(query.order_by(MessageRow.id.desc()).limit(limit)))


def unread_count(sess: Session, account: Account) -> int:
    """How many of the account's messages are unread."""
    return sess.scalar(select(func.count()).select_from(MessageRow).where(
        MessageRow.account_id == account.id, MessageRow.read_at.is_(None))) or 0


def etag_of(sess: Session, account: Account) -> str:
    """A tag that changes whenever a message arrives or is read: one indexed aggregate, no message read."""
    count, newest, unread = sess.execute(select(
        func.count(), func.max(MessageRow.id),
        func.count(MessageRow.id).filter(MessageRow.read_at.is_(None))).where(MessageRow.account_id == account.id)
    ).one()
    return '"' + hashlib.sha256(f"{count}|{newest}|{unread}".encode()).hexdigest()[:32] + '"'


def mark_read(sess: Session, account: Account, message_id: int, svc: Services) -> MessageRow:
    """Mark one of the account's messages read (404 for anyone else's)."""
    message = sess.get(MessageRow, message_id)
    if message is None:
        raise NotFound()
    if message.account_id != account.id:
        access_denied("message", account)
        raise NotFound()
    if message.read_at is None:
        message.read_at = svc.clock.now()
    return message


def message_view(message: MessageRow, application_public_id: str | None) -> dict[str, object]:
    """A message as the API shows it."""
    return {"id": message.id, "kind": message.kind, "title": message.title, "body": message.body,
            "application_id": application_public_id, "created_at": message.created_at, "read": message.read_at
            is not None}
