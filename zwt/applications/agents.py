"""Agents (代办): a holder records an authorisation for another citizen to apply for one item on their behalf.

The holder names the agent the way a service hall would, by name and resident ID number; the account is
found by the ID number's blind index and must be an active citizen proofed to the application level. Any
failure to find one answers the same (``agent_id_number``: ``no_eligible_agent``) whether the ID number has
no account, the name differs, or the account is not proofed enough, and counts toward the real-name
throttle of the holder, so the route is no way to learn who has an account.

An application made by the agent belongs to the holder (its applicant); the agent is its submit event's
actor and may read it, supply a correction or withdraw it while the authorisation covers it
(``applications.AgentAuthorisation.covers``, the one rule). A revocation, by the holder, or the agent's
declining, ends it at once, also on the applications already made under it. Granting, ending and applying
are written to both people's access logs.

The authorisation covers what the item's materials need of the holder: the agent may consent to the holder's
licenses and shared department records standing in for them (``materials.consent``), made and logged in the
holder's name as when the holder applies, and sees only each material's state, never the record. The holder's
materials library stays the holder's: library files (``materials.uploads``) are refused to an agent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from applications import Actor, AgentAuthorisation
from applications.states import AGENT, APPLICANT
from services_catalog.items import ServiceItem
from wallet.identifiers import normalize_resident_id

from ..audit import access_denied
from ..auth.accounts import find_by_id_number
from ..auth.throttle import Throttle
from ..container import Services
from ..db import session
from ..errors import Conflict, Forbidden, NotFound, TooManyRequests, ValidationFailed, field_error
from ..masking import mask
from ..models import Account, AgentAuthorisationRow, ApplicationRow
from ..wallet_service import access_log
from .store import new_public_id

__all__ = ["EVIDENCE", "Acting", "grant", "authorisations_of", "end", "authorisation_view", "acting_for",
           "acting_on", "applied", "agent_view"]

#: how the holder's consent was taken: in the app, signed in with a second factor
EVIDENCE = "holder_consent_in_app"
#: access-log events, in both people's logs
GRANTED, REVOKED, DECLINED, APPLIED = "agent_granted", "agent_revoked", "agent_declined", "agent_applied"


def _domain(row: AgentAuthorisationRow, agent: Account) -> AgentAuthorisation:
    """The domain authorisation; a revoked one ends when it was revoked."""
    ends = row.expires_at if row.revoked_at is None else min(row.expires_at, row.revoked_at)
    return AgentAuthorisation(agent.subject, row.item_code, row.granted_at, ends, row.evidence)


def _state(row: AgentAuthorisationRow, now: dt.datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    return "active" if row.granted_at <= now < row.expires_at else "expired"


def _log(sess: Session, row: AgentAuthorisationRow, event: str, actor: Account, *, svc: Services,
         detail: Mapping[str, Any] | None = None) -> None:
    """One row in the holder's access log and one in the agent's."""
    for account_id, role in ((row.holder_account_id, "holder"), (row.agent_account_id, "agent")):
        access_log.record(sess, at=svc.clock.now(), event=event, source="app", account_id=account_id, actor=actor,
                          impl_code=row.item_code,
                          detail={"authorisation": row.public_id, "role": role, **(detail or {})})


def _eligible_agent(holder: Account, name: str, id_number: str, *, svc: Services, address: str) -> Account:
    """The agent's account, or one answer for every reason there is none (throttled like a real-name check)."""
    cfg = svc.config
    throttle = Throttle(svc.shared, window_seconds=cfg.identity_window_seconds)
    keys = [f"agent:who:{holder.subject}", "agent:addr:" + address]
    now = svc.clock.timestamp()
    try:
        throttle.reserve({key: cfg.identity_max_mismatches for key in keys}, now=now)
    except TooManyRequests as exc:
        raise TooManyRequests(exc.params["retry_after"], code="too_many_identity_checks") from None
    agent = find_by_id_number(normalize_resident_id(id_number), svc=svc)
    if agent is not None and agent.id == holder.id:
        throttle.release(keys, now=now)
        raise ValidationFailed.field("agent_id_number", "agent_is_holder")
    if (agent is None or agent.role != "citizen" or agent.status != "active"
            or agent.display_name.strip() != name.strip() or agent.proofing_level < cfg.application_level):
        raise ValidationFailed.field("agent_id_number", "no_eligible_agent")  # the reserved place stays
    throttle.release(keys, now=now)
    return agent


def grant(holder: Account, item: ServiceItem, *, agent_name: str, agent_id_number: str, valid_days: int,
          svc: Services, address: str) -> AgentAuthorisationRow:
    """Record the holder's authorisation of the agent for ``item`` (an online one) for ``valid_days`` days."""
    agent = _eligible_agent(holder, agent_name, agent_id_number, svc=svc, address=address)
    now = svc.clock.now()
    sess = session()
    for held in sess.scalars(select(AgentAuthorisationRow).where(
            AgentAuthorisationRow.holder_account_id == holder.id, AgentAuthorisationRow.agent_account_id == agent.id,
            AgentAuthorisationRow.item_code == item.impl_code, AgentAuthorisationRow.revoked_at.is_(None))):
        if _state(held, now) == "active":
            raise Conflict("agent_already_authorised", errors=[field_error("agent_id_number", "already_authorised")],
                           extra={"authorisation_id": held.public_id})
    row = AgentAuthorisationRow(public_id=new_public_id("ag_"), holder_account_id=holder.id,
                                agent_account_id=agent.id, item_code=item.impl_code, granted_at=now,
                                expires_at=now + dt.timedelta(days=valid_days), evidence=EVIDENCE)
    sess.add(row)
    sess.flush()
    _log(sess, row, GRANTED, holder, svc=svc)
    sess.commit()
    return row


def authorisations_of(account: Account) -> list[AgentAuthorisationRow]:
    """The authorisations the account granted or holds, newest first."""
    return list(session().scalars(select(AgentAuthorisationRow).where(or_(
        AgentAuthorisationRow.holder_account_id == account.id, AgentAuthorisationRow.agent_account_id == account.id))
        .order_by(AgentAuthorisationRow.id.desc()).limit(200)))


def end(account: Account, public_id: str, *, svc: Services) -> AgentAuthorisationRow:
    """The holder revokes, or the agent declines (404 for anyone else, audited); ending twice changes nothing.

    The applications made under it stop admitting the agent at once: their copy of it ends now too.
    """
    sess = session()
    row = sess.scalar(select(AgentAuthorisationRow).where(AgentAuthorisationRow.public_id == public_id)
                      .with_for_update())
    if row is None:
        raise NotFound()
    if account.id not in (row.holder_account_id, row.agent_account_id):
        access_denied("agent_authorisation", account)
        raise NotFound()
    if row.revoked_at is None:
        by_holder = account.id == row.holder_account_id
        row.revoked_at, row.revoked_by = svc.clock.now(), "holder" if by_holder else "agent"
        ends = min(row.expires_at, row.revoked_at).isoformat()
        for app in sess.scalars(select(ApplicationRow).where(ApplicationRow.account_id == row.holder_account_id,
                                                             ApplicationRow.agent.is_not(None))):
            if app.agent is not None and app.agent.get("authorisation_id") == row.public_id:
                app.agent = {**app.agent, "expires_at": ends}
        _log(sess, row, REVOKED if by_holder else DECLINED, account, svc=svc)
        sess.commit()
    return row


def _name(account: Account | None) -> str | None:
    return None if account is None else mask("name", account.display_name)


def authorisation_view(row: AgentAuthorisationRow, account: Account, now: dt.datetime) -> dict[str, Any]:
    """An authorisation as one of its two parties sees it: the other party's name masked, never a number."""
    granted = row.holder_account_id == account.id
    other = session().get(Account, row.agent_account_id if granted else row.holder_account_id)
    return {"id": row.public_id, "direction": "granted" if granted else "received",
            "agent_name": _name(other) if granted else None, "holder_name": None if granted else _name(other),
            "impl_code": row.item_code, "granted_at": row.granted_at.isoformat(),
            "expires_at": row.expires_at.isoformat(),
            "revoked_at": None if row.revoked_at is None else row.revoked_at.isoformat(),
            "revoked_by": row.revoked_by, "evidence": row.evidence, "state": _state(row, now)}


@dataclass(frozen=True)
class Acting:
    """Who an application is made for (its applicant), by whom (the actor), under which authorisation."""

    applicant: Account
    actor: Actor
    agent: AgentAuthorisation | None = None
    record: dict[str, Any] | None = None  # ``ApplicationRow.agent``, as ``store.to_domain`` reads it
    authorisation: AgentAuthorisationRow | None = None


def acting_for(account: Account, on_behalf_of: str | None, item_code: str, *, at: dt.datetime,
               materials: Mapping[str, Any] | None, svc: Services) -> Acting:
    """The applicant and actor of a new application: the account itself, or with ``on_behalf_of`` the holder
    whose authorisation of this account covers ``item_code`` at ``at`` (403 naming ``on_behalf_of`` when it
    no longer does or names another item; 422 when it names none of the account's)."""
    if on_behalf_of is None:
        return Acting(account, Actor(APPLICANT, account.subject))
    if materials is not None and materials.get("uploads"):  # the library is the holder's own: never an agent's
        raise ValidationFailed.field("materials.uploads", "not_for_agent")
    sess = session()
    row = sess.scalar(select(AgentAuthorisationRow).where(AgentAuthorisationRow.public_id == on_behalf_of))
    if row is None or row.agent_account_id != account.id:
        if row is not None:
            access_denied("agent_authorisation", account)
        raise ValidationFailed.field("on_behalf_of", "unknown_authorisation")
    holder = sess.get(Account, row.holder_account_id)
    assert holder is not None
    agent = _domain(row, account)
    if not agent.covers(account.subject, item_code, at):
        problem = ("authorisation_revoked" if row.revoked_at is not None else "other_item"
                   if row.item_code != item_code else "authorisation_expired")
        raise Forbidden("agent_not_authorised", errors=[field_error("on_behalf_of", problem)])
    if holder.status != "active":
        raise Forbidden("agent_not_authorised", errors=[field_error("on_behalf_of", "holder_inactive")])
    record = {"authorisation_id": row.public_id, "agent_id": account.subject,
              "granted_at": agent.granted_at.isoformat(), "expires_at": agent.expires_at.isoformat(),
              "evidence": agent.evidence}
    return Acting(holder, Actor(AGENT, account.subject), agent, record, row)


def applied(sess: Session, acting: Acting, application: ApplicationRow, *, by: Account, svc: Services) -> None:
    """An application ``by`` an agent goes into both people's access logs (the caller commits)."""
    if acting.authorisation is not None:
        _log(sess, acting.authorisation, APPLIED, by, svc=svc, detail={"application": application.public_id})


def acting_on(account: Account, row: ApplicationRow, *, svc: Services) -> tuple[Actor, str] | None:
    """The actor ``account`` is on an application and the applicant's subject: its applicant, or the agent
    who made it while their authorisation still covers it; None for anyone else."""
    if row.account_id == account.id:
        return Actor(APPLICANT, account.subject), account.subject
    if row.agent is None or row.agent.get("agent_id") != account.subject:
        return None
    sess = session()
    found = sess.scalar(select(AgentAuthorisationRow).where(
        AgentAuthorisationRow.public_id == row.agent.get("authorisation_id")))
    holder = sess.get(Account, row.account_id)
    if (found is None or holder is None or found.agent_account_id != account.id
            or not _domain(found, account).covers(account.subject, row.item_code, svc.clock.now())):
        return None
    return Actor(AGENT, account.subject), holder.subject


def agent_view(row: ApplicationRow) -> dict[str, Any] | None:
    """Who applied for whom, names masked (None for an application the applicant made themselves)."""
    if row.agent is None:
        return None
    sess = session()
    found = sess.scalar(select(AgentAuthorisationRow).where(
        AgentAuthorisationRow.public_id == row.agent.get("authorisation_id")))
    agent = None if found is None else sess.get(Account, found.agent_account_id)
    return {"authorisation_id": row.agent.get("authorisation_id"), "agent_name": _name(agent),
            "holder_name": _name(sess.get(Account, row.account_id))}
