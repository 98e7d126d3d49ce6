"""``Idempotency-Key``: a POST retried with the same key creates one resource, and gets the first answer again.

A view opts in with ``@idempotent(scope, owner=...)`` under its auth guard (``owner`` names the signed-in
account). Without the header nothing changes. With it:

- the key (1-255 visible ASCII characters) is claimed for (scope, owner) in its own short transaction,
  together with a fingerprint of the request (method, path with query, body);
- the first request runs; a 2xx answer is kept (sealed, for answers may carry a credential) and any other
  outcome gives the key back, so a failed try may be retried under the same key;
- a retry with the same fingerprint gets the kept answer (same status, body, ``Location`` and ``ETag``, with
  ``Idempotent-Replayed: true``) and creates nothing; one with a different body is 422 on
  ``Idempotency-Key`` (``idempotency_key_reused``); one arriving while the first still runs is 409
  ``idempotency_key_in_use`` with ``Retry-After``.

A claim whose request died mid-way (no answer after ``PENDING_SECONDS``) may be taken over by a retry.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from typing import Any, Callable, TypeVar, cast

from flask import Response, current_app, request
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .container import Services, services
from .db import session
from .errors import Conflict, ValidationFailed
from .models import IdempotencyKey

__all__ = ["HEADER", "idempotent", "PENDING_SECONDS"]

HEADER = "Idempotency-Key"
PENDING_SECONDS = 60
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
_TABLE = "idempotency_keys"
_KEPT_HEADERS = ("Location", "ETag")
F = TypeVar("F", bound=Callable[..., Any])


def idempotent(scope: str, *, owner: Callable[[], str]) -> Callable[[F], F]:
    """Make a POST view idempotent under the client's ``Idempotency-Key`` (see the module text)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = request.headers.get(HEADER)
            if key is None:
                return view(*args, **kwargs)
            if not _KEY.fullmatch(key):
                raise ValidationFailed.field(HEADER, "format")
            svc, who = services(), owner()
            kept = _claim(svc, scope, who, key, _fingerprint())
            if kept is not None:
                return _replay(svc, kept)
            try:
                response = current_app.make_response(view(*args, **kwargs))
            except BaseException:
                session().rollback()  # SQLite: free the write lock before the key is given back
                _give_back(svc, scope, who, key)
                raise
            if 200 <= response.status_code < 300:
                _keep(svc, scope, who, key, response)
            else:
                _give_back(svc, scope, who, key)
            return response

        return cast(F, wrapper)

    return decorate


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.full_path.encode(), request.get_data(cache=True)):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _where(scope: str, owner: str, key: str) -> Any:
    return (IdempotencyKey.scope == scope) & (IdempotencyKey.owner == owner) & (IdempotencyKey.key == key)


def _claim(svc: Services, scope: str, owner: str, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Claim the key (None: this request goes ahead), or return the kept answer to replay."""
    now = svc.clock.now()
    insert = pg_insert if svc.db.dialect == "postgresql" else sqlite_insert
    table = IdempotencyKey.__table__
    with svc.db.engine.begin() as conn:
        claimed = conn.execute(insert(table).values(scope=scope, owner=owner, key=key, fingerprint=fingerprint,
                                                    created_at=now)
                               .on_conflict_do_nothing().returning(table.c.key)).first()
        if claimed is not None:
            return None
        row = conn.execute(select(IdempotencyKey.__table__).where(_where(scope, owner, key))).one()
        if row.fingerprint != fingerprint:
            raise ValidationFailed.field(HEADER, "idempotency_key_reused")
        if row.status is not None:
            return IdempotencyKey(**row._mapping)
        abandoned = now - dt.timedelta(seconds=PENDING_SECONDS)
        taken = conn.execute(update(IdempotencyKey).where(_where(scope, owner, key), IdempotencyKey.status.is_(None),
                                                          IdempotencyKey.created_at <= abandoned)
                             .values(created_at=now)).rowcount
        if taken == 1:
            return None
    raise Conflict("idempotency_key_in_use", headers={"Retry-After": "1"})


def _row_id(scope: str, owner: str, key: str) -> str:
    return f"{scope}|{owner}|{key}"


def _keep(svc: Services, scope: str, owner: str, key: str, response: Response) -> None:
    """Store the answer the first request got, sealed to this key."""
    answer = json.dumps({"body": response.get_data(as_text=True), "mimetype": response.mimetype,
                         "headers": {h: response.headers[h] for h in _KEPT_HEADERS if h in response.headers}},
                        ensure_ascii=False)
    sealed, version = svc.pii.encrypt(answer, table=_TABLE, column="response", row=_row_id(scope, owner, key))
    with svc.db.engine.begin() as conn:
        conn.execute(update(IdempotencyKey).where(_where(scope, owner, key))
                     .values(status=response.status_code, response_enc=sealed, response_key_version=version))


def _give_back(svc: Services, scope: str, owner: str, key: str) -> None:
    with svc.db.engine.begin() as conn:
        conn.execute(delete(IdempotencyKey).where(_where(scope, owner, key), IdempotencyKey.status.is_(None)))


def _replay(svc: Services, kept: IdempotencyKey) -> Response:
    assert kept.response_enc is not None and kept.response_key_version is not None and kept.status is not None
    answer = json.loads(svc.pii.decrypt(kept.response_enc, kept.response_key_version, table=_TABLE,
                                        column="response", row=_row_id(kept.scope, kept.owner, kept.key)))
    response = Response(answer["body"], status=kept.status, mimetype=answer["mimetype"])
    response.headers.update(answer["headers"])
    response.headers["Idempotent-Replayed"] = "true"
    return response
