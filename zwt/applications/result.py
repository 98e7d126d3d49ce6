"""The result of an approval into the wallet: the item's result license, issued by the deciding department
through the same ledger as every standard-interface issue (``zwt.issuers.ledger.apply_records``), so it is
signed by that department's key when shown and verifies offline like any other license."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from sqlalchemy.orm import Session

from services_catalog.impl_code import parse_impl_code
from wallet.issuer import CHINA_TZ

from ..auth.accounts import read_id_number
from ..catalog.repository import load_item, row_by_impl_code
from ..container import Services
from ..db import session
from ..errors import ValidationFailed, field_error
from ..issuers.ledger import Line, apply_records
from ..models import Account, ApplicationRow

__all__ = ["issue_result", "VALIDITY_DAYS"]

#: how long a license issued as an application's result is valid when the department names no end
VALIDITY_DAYS = 365


def issue_result(row: ApplicationRow, applicant: Account, license_fields: Mapping[str, Any], *,
                 svc: Services, sess: Session | None = None) -> str | None:
    """Issue the item's result license to the applicant in the caller's transaction; its serial, or None when
    the item's result is no wallet license. The license's own fields come from the decision (the department
    knows them), else from form fields of the same name; a field the license type refuses is a 422."""
    sess = sess if sess is not None else session()
    item_row = row_by_impl_code(sess, row.item_code)
    if item_row is None:
        return None
    item = load_item(item_row)
    kinds = [o.e_license_type for o in item.outputs if o.e_license_type]
    id_number = read_id_number(applicant, svc=svc)
    parts = parse_impl_code(item.impl_code)
    if not kinds or id_number is None or parts is None:
        return None
    today = svc.clock.now().astimezone(CHINA_TZ).date()
    fields = dict(license_fields)
    until = fields.pop("valid_until", (today + dt.timedelta(days=VALIDITY_DAYS)).isoformat())
    serial = row.public_id.replace("_", "-")
    record = {"op": "issue", "license_type": kinds[0], "serial": serial, "version": 1,
              "holder": {"id_number": id_number, "name": applicant.display_name},
              "issuer_code": parts.implementer, "issuer_name": item.department_name or item.department_code,
              "issued_on": today.isoformat(), "valid_from": today.isoformat(), "valid_until": until,
              "fields": fields}
    report = apply_records(sess, row.department_code, [Line(1, record)], allowed={kinds[0]}, svc=svc,
                           all_or_nothing=True)
    if report.refused:
        problem = report.refused[0]
        raise ValidationFailed(errors=[field_error(f"license_fields.{problem.field}", problem.reason or "invalid")])
    return serial
