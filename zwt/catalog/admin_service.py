"""Department registration use cases: create, read, list, edit, move through the lifecycle, audit, validate.

Each writing use case is one transaction: it commits once at the end and rolls back on any error, so a
refused request never leaves half an item behind. Another department's item is reported exactly like a
missing one.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import ETags

from services_catalog.lifecycle import (
    REVIEWED_ACTIONS,
    TransitionNotAllowed,
    allowed_actions,
    change_authors,
    requires_publish_validation,
    transition,
)
from services_catalog.validation import validate_for_publish
from services_catalog.violations import Violation

from ..audit import access_denied
from ..container import Services
from ..config import Config
from ..errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ValidationFailed,
    field_error,
)
from ..models import Account, ItemEvent, ServiceItemRow
from .admin_documents import check_document, document_problems, editable_dict, storable, violation_errors
from .registry import registry_names
from .repository import load_item, save_item

__all__ = ["ItemPage", "Report", "create_item", "get_item", "list_items", "replace_item", "patch_item",
           "apply_action", "item_history", "validate_document", "etag", "scoped_row", "writing",
           "live_edit_refused", "Actor"]

NOTE_MAX = 500


@dataclass(frozen=True)
class ItemPage:
    """One page of a department's items."""

    rows: list[ServiceItemRow]
    total: int
    page: int
    per_page: int


@dataclass(frozen=True)
class Report:
    """The outcome of checking a document without saving it."""

    valid: bool
    level: str
    violations: list[Violation]


def etag(row: ServiceItemRow) -> str:
    """The strong entity tag of an item: its version."""
    return f'"{row.version}"'


@contextmanager
def writing(sess: Session) -> Iterator[None]:
    """Run one use case as one transaction: commit at the end, roll back everything on any error."""
    try:
        yield
        sess.commit()
    except BaseException:
        sess.rollback()
        raise


def _may_see(account: Account, row: ServiceItemRow) -> bool:
    return account.role == "platform_admin" or row.department_code == account.department_code


def scoped_row(sess: Session, impl_code: str, account: Account, *, lock: bool = False) -> ServiceItemRow:
    """The item if this account's department owns it (a platform admin sees all), else 404 like a missing one."""
    if not storable(impl_code):
        raise NotFound()
    query = select(ServiceItemRow).where(ServiceItemRow.impl_code == impl_code)
    row = sess.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound()
    if not _may_see(account, row):
        access_denied("service_item", account)
        raise NotFound()
    return row


def _check_if_match(row: ServiceItemRow, if_match: ETags, *, required: bool) -> None:
    """Refuse a write based on a stale version (412) or, when ``required``, one that names none (428)."""
    if not if_match:
        if required:
            raise PreconditionRequired(extra={"current_version": row.version})
        return
    if if_match.star_tag or if_match.contains(str(row.version)):
        return
    raise PreconditionFailed(params={"version": row.version}, headers={"ETag": etag(row)},
                             extra={"current_version": row.version})


def _refuse_feed(row: ServiceItemRow) -> None:
    """An item synced from a department's own system is changed there: an edit here would be undone by
    the next sync (which never overwrites registered items either; see ``sync``)."""
    if row.source == "feed":
        raise Conflict("maintained_by_feed", extra={"current_status": row.status, "allowed_actions": []})


def live_edit_refused(row: ServiceItemRow, config: Config) -> bool:
    """Whether an edit of this item would change what citizens see without a second person: it is published
    and its department needs review (suspend, edit, and another admin resumes)."""
    return row.status == "published" and config.review_required(row.department_code)


def _refuse_live_edit(row: ServiceItemRow, config: Config) -> None:
    if live_edit_refused(row, config):
        raise Conflict("live_edit_needs_review", extra={"current_status": row.status,
                                                        "allowed_actions": list(allowed_actions(row.status))})


def _refuse_author(sess: Session, row: ServiceItemRow, action: str, account: Account, config: Config) -> None:
    """The two-person rule: whoever submitted or edited the change may not make it visible (403)."""
    if action not in REVIEWED_ACTIONS or not config.review_required(row.department_code):
        return
    events = sess.execute(select(ItemEvent.action, ItemEvent.actor).where(ItemEvent.item_id == row.id)
                          .order_by(ItemEvent.at, ItemEvent.id)).all()
    if account.subject in change_authors(events):
        raise Forbidden("second_reviewer_required", params={"action": action},
                        extra={"current_status": row.status, "allowed_actions": list(allowed_actions(row.status))})


def _refuse_cancelled(row: ServiceItemRow) -> None:
    if row.status == "cancelled":
        raise Conflict("item_cancelled", params={"status": row.status},
                       extra={"current_status": row.status, "allowed_actions": []})


def create_item(sess: Session, body: Any, account: Account, svc: Services) -> ServiceItemRow:
    """Register a new draft; its ``impl_code`` must be new anywhere in the catalog (409 otherwise)."""
    item = check_document(sess, body, account, status="draft")
    taken = Conflict("impl_code_taken", params={"impl_code": item.impl_code},
                     errors=[field_error("impl_code", "taken")])
    with writing(sess):
        if sess.scalar(select(ServiceItemRow.id).where(ServiceItemRow.impl_code == item.impl_code)):
            raise taken
        try:
            result = save_item(sess, item, source="registration", actor=account.subject, action="create",
                               now=svc.clock.now(), status="draft", version=1)
        except IntegrityError:  # a concurrent create of the same code won the race
            raise taken from None
    return result.row


def get_item(sess: Session, impl_code: str, account: Account) -> ServiceItemRow:
    """One item of the account's department."""
    return scoped_row(sess, impl_code, account)


def list_items(sess: Session, account: Account, *, status: str | None, department: str | None, page: int,
               per_page: int) -> ItemPage:
    """The account's department's items (a platform admin may pick any department), newest change first."""
    if department and not storable(department):
        raise ValidationFailed.field("department", "invalid_text")
    query = select(ServiceItemRow)
    if account.role != "platform_admin":
        query = query.where(ServiceItemRow.department_code == account.department_code)
    elif department:
        query = query.where(ServiceItemRow.department_code == department)
    if status:
        query = query.where(ServiceItemRow.status == status)
    total = sess.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = sess.scalars(query.order_by(ServiceItemRow.updated_at.desc(), ServiceItemRow.id.desc())
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return ItemPage(list(rows), int(total), page, per_page)


def _save_edit(sess: Session, row: ServiceItemRow, body: Any, account: Account,
               now: dt.datetime) -> ServiceItemRow:
    """Store an edit that keeps the item's status and meets its rules; an identical document changes nothing.

    ``status``, ``version`` and ``department_name`` may be echoed back unchanged from a GET; the code cannot
    change.
    """
    if isinstance(body, Mapping):
        echoed = (("status", row.status), ("version", row.version), ("department_name", row.department_name))
        body = {k: v for k, v in body.items() if not (k, v) in echoed}
        if body.get("impl_code", row.impl_code) != row.impl_code:
            raise ValidationFailed.field("impl_code", "immutable")
    item = check_document(sess, body, account, status=row.status)
    return save_item(sess, item, source=row.source, actor=account.subject, action="update", now=now,
                     status=row.status).row


def replace_item(sess: Session, impl_code: str, body: Any, if_match: ETags, account: Account,
                 svc: Services) -> ServiceItemRow:
    """Replace the whole document (``If-Match`` required); the status stays and must still hold."""
    with writing(sess):
        row = scoped_row(sess, impl_code, account, lock=True)
        _check_if_match(row, if_match, required=True)
        _refuse_feed(row)
        _refuse_cancelled(row)
        _refuse_live_edit(row, svc.config)
        return _save_edit(sess, row, body, account, svc.clock.now())


def _merge(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge key by key, ``null`` removes, anything else replaces."""
    if not isinstance(patch, Mapping):
        return patch
    out = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = _merge(out.get(key), value)
    return out


def patch_item(sess: Session, impl_code: str, patch: Any, if_match: ETags, account: Account,
               svc: Services) -> ServiceItemRow:
    """Apply a JSON merge patch to the document (``If-Match`` required); removed keys take their defaults."""
    if not isinstance(patch, Mapping):
        raise ValidationFailed.field("body", "invalid_type")
    with writing(sess):
        row = scoped_row(sess, impl_code, account, lock=True)
        _check_if_match(row, if_match, required=True)
        _refuse_feed(row)
        _refuse_cancelled(row)
        _refuse_live_edit(row, svc.config)
        return _save_edit(sess, row, _merge(editable_dict(load_item(row)), patch), account, svc.clock.now())


def _note_last_event(sess: Session, row: ServiceItemRow, note: str) -> None:
    """Attach the actor's note to the audit event ``save_item`` has just added for this row."""
    event = sess.scalar(select(ItemEvent).where(ItemEvent.item_id == row.id).order_by(ItemEvent.id.desc()))
    if event is not None:
        event.note = note


def apply_action(sess: Session, impl_code: str, action: str, note: str, if_match: ETags, account: Account,
                 svc: Services) -> ServiceItemRow:
    """Move the item through the lifecycle, audited; ``If-Match`` is checked when sent."""
    with writing(sess):
        row = scoped_row(sess, impl_code, account, lock=True)
        if len(note) > NOTE_MAX:
            raise ValidationFailed.field("note", "length")
        if not storable(note):
            raise ValidationFailed.field("note", "invalid_text")
        if action == "reject" and not note.strip():
            raise ValidationFailed.field("note", "required")
        _check_if_match(row, if_match, required=False)
        _refuse_feed(row)
        try:
            new_status = transition(row.status, action)
        except TransitionNotAllowed:
            allowed = list(allowed_actions(row.status))
            raise Conflict("transition_not_allowed",
                           params={"status": row.status, "action": action, "allowed": ", ".join(allowed) or "-"},
                           extra={"current_status": row.status, "allowed_actions": allowed}) from None
        _refuse_author(sess, row, action, account, svc.config)
        item = load_item(row)
        if requires_publish_validation(action):
            problems = validate_for_publish(item)
            if problems:
                raise ValidationFailed("not_publishable", errors=violation_errors(problems))
        result = save_item(sess, item, source=row.source, actor=account.subject, action=action,
                           now=svc.clock.now(), status=new_status)
        if note:
            _note_last_event(sess, result.row, note)
        return result.row


@dataclass(frozen=True)
class Actor:
    """Who an audit event's actor is, as a reader of the history sees them."""

    name: str | None
    role: str | None


SYNC_PREFIX = "sync:"
SUBJECT_PREFIX = "u_"  # ``zwt.auth.accounts.new_subject``


def item_history(sess: Session, impl_code: str, account: Account) -> tuple[list[ItemEvent], dict[str, Actor]]:
    """The item's audit trail, oldest first, and each actor's display name and role, resolved now.

    An account subject reads as the account's display name and role; ``sync:<department>`` as the department's
    own system (its registered name, role ``department_system``); any other actor (the demo loader) as itself
    with role ``system``. A subject whose account is gone has neither.
    """
    row = scoped_row(sess, impl_code, account)
    events = list(sess.scalars(select(ItemEvent).where(ItemEvent.item_id == row.id)
                               .order_by(ItemEvent.at, ItemEvent.id)))
    actors = {e.actor for e in events}
    found = sess.execute(select(Account.subject, Account.display_name, Account.role)
                         .where(Account.subject.in_(actors))).all()
    known = {subject: Actor(name, role) for subject, name, role in found}
    systems = {a: a[len(SYNC_PREFIX):] for a in actors if a.startswith(SYNC_PREFIX) and a not in known}
    names = registry_names(sess, systems.values())
    for actor in actors - set(known):
        if actor in systems:
            known[actor] = Actor(names.get(systems[actor], systems[actor]), "department_system")
        elif actor.startswith(SUBJECT_PREFIX):  # an account that no longer exists
            known[actor] = Actor(None, None)
        else:  # a named process of the platform (the demo loader)
            known[actor] = Actor(actor, "system")
    return events, known


def validate_document(sess: Session, body: Any, account: Account, *, level: str) -> Report:
    """Check a document against the draft or publish rules without saving anything."""
    _, problems = document_problems(sess, body, account, "draft" if level == "draft" else "published")
    return Report(valid=not problems, level=level, violations=problems)
