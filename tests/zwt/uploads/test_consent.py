"""Reusing a library file in an application needs consent; each use is recorded; staff looks are logged."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from zwt.errors import NotFound, ValidationFailed
from zwt.models import Account
from zwt.uploads.consent import attach_material, open_for_staff

from ...applications.files.samples import PDF

URL = "/api/v1/me/materials"


def _account(subject: str) -> Account:
    from zwt.db import session

    found = session().scalar(select(Account).where(Account.subject == subject))
    assert found is not None
    return found


@pytest.fixture
def uploaded(client, auth):
    """A citizen with one PDF in their library: (citizen, material id)."""
    citizen = auth.register()
    made = client.post(URL, headers=citizen.headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(PDF), "户口本.pdf", "application/pdf")})
    assert made.status_code == 201, made.json
    return citizen, made.json["id"]


def test_reuse_without_consent_is_refused_naming_consent(app, uploaded):
    """``consent=False`` records nothing and is a 422 naming ``consent``."""
    citizen, material = uploaded
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            attach_material(_account(citizen.subject), material, consent=False)
    assert [e["field"] for e in refused.value.errors] == ["consent"]


def test_a_consented_use_is_recorded_listed_and_keeps_the_file(app, client, uploaded):
    """The use shows in the library's ``used_in``; deleting the entry later leaves the application its file."""
    citizen, material = uploaded
    with app.test_request_context():
        reference = attach_material(_account(citizen.subject), material, purpose="app_residence_permit_1")
    listed = client.get(URL, headers=citizen.headers).json["items"]
    assert [(u["reference"], u["purpose"]) for u in listed[0]["used_in"]] == [(reference, "app_residence_permit_1")]
    assert client.delete(f"{URL}/{material}", headers=citizen.headers).status_code == 204
    with app.test_request_context():
        staff = _account_of_staff(app)
        use, blob = open_for_staff(reference, staff, impl_code="370200-000-00-0001")
        with blob:
            assert blob.read() == PDF
        assert use.name == "户口本.pdf"


def _account_of_staff(app) -> Account:
    from zwt.cli import create_staff_account

    return create_staff_account(role="dept_admin", username="police-admin", display_name="王警官",
                                password="Staff2026ok", department_code="police")


def test_someone_elses_file_cannot_be_attached(app, auth, uploaded):
    """Another citizen naming the file gets the answer of a missing one."""
    _, material = uploaded
    stranger = auth.register()
    with app.test_request_context():
        with pytest.raises(NotFound):
            attach_material(_account(stranger.subject), material)


def test_a_staff_look_is_in_the_citizens_access_log(app, client, uploaded):
    """Department staff opening the file leaves a ``material_viewed`` row the citizen reads, with who looked."""
    citizen, material = uploaded
    with app.test_request_context():
        reference = attach_material(_account(citizen.subject), material, purpose="app_1")
        open_for_staff(reference, _account_of_staff(app), impl_code="370200-000-00-0001")[1].close()
    log = client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    assert [(e["event"], e["actor_role"], e["actor_name"], e["impl_code"], e["fields"]) for e in log] == [
        ("material_viewed", "dept_admin", "王警官", "370200-000-00-0001", ["file"])]
