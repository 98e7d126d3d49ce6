"""Pre-check over HTTP (issue 19): the residence-permit item's ID card from the wallet, its social-security
record from hrss, a library file for the rest; a revoked license refused; a slow department pending, and an
upload standing in for it."""

from __future__ import annotations

import io
from typing import Any

import pytest

from services_catalog.examples import example_item
from services_catalog.handling import Satisfier
from services_catalog.items import Material
from services_catalog.sandbox import SandboxDepartments
from services_catalog.testing import DEMO_CITIZENS
from zwt.catalog.repository import save_item
from zwt.wallet_service.requirements import wallet_fields

from ..applications.conftest import RESIDENCE_FORM, item_code
from ..wallet.conftest import World
from ...applications.files.samples import PDF

URL = "/api/v1/me/applications/pre-check"
DEMO_ID = DEMO_CITIZENS[0].citizen.id_number
ID_CARD, SOCIAL, LEASE = "居民身份证", "社会保险缴费记录", "房屋租赁合同"


@pytest.fixture
def world(app: Any, client: Any, auth: Any, clock: Any) -> World:
    """Citizens and staff over HTTP."""
    return World(app, client, auth, clock)


def publish(world: World, seq: int = 1) -> str:
    """The residence permit taking online applications: ID card (license, else upload), social-security record
    (hrss shared data, else upload), a lease (upload only)."""
    svc = world.app.extensions["zwt"]
    item = example_item(
        impl_code=item_code(seq), name="居住证申领", status="published", department_code="police",
        accepts_online=True, online_depth=3, promised_time_limit=10, form_fields=RESIDENCE_FORM,
        materials=(Material(ID_CARD, satisfied_by=(Satisfier("license", "id_card", ("holder", "holder_code")),
                                                   Satisfier("upload"))),
                   Material(SOCIAL, form="electronic", satisfied_by=(
                       Satisfier("shared_data", source="social_security_record"), Satisfier("upload"))),
                   Material(LEASE, satisfied_by=(Satisfier("upload"),))))
    with svc.db.sessions() as sess:
        save_item(sess, item, source="registration", actor="test", action="create", now=world.clock.now())
        sess.commit()
    return item.impl_code


def upload(world: World, citizen: Any, data: bytes = PDF) -> str:
    """Put a PDF in the citizen's materials library; its id."""
    response = world.client.post("/api/v1/me/materials", headers=citizen.headers, content_type="multipart/form-data",
                                 data={"file": (io.BytesIO(data), "lease.pdf", "application/pdf")})
    assert response.status_code in (200, 201), response.json
    return str(response.json["id"])


def check(world: World, citizen: Any, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    """POST a pre-check; the answer."""
    response = world.client.post(URL, json=body, headers=citizen.headers)
    assert response.status_code == status, response.json
    return dict(response.json)


def by_name(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The answer's materials by name."""
    return {m["name"]: m for m in answer["materials"]}


def test_id_card_and_social_security_without_paper_and_a_library_file_for_the_rest(world: World) -> None:
    """The ID card from the wallet (only the fields the material needs), the social-security record fetched from
    hrss with its digest, the lease missing until the citizen names a library file for it."""
    citizen = world.citizen(0)
    impl_code = publish(world)
    first = check(world, citizen, {"impl_code": impl_code})
    got = by_name(first)
    assert first["complete"] is False and (first["satisfied"], first["pending"], first["missing"]) == (2, 0, 1)
    assert got[ID_CARD]["state"] == "satisfied"
    assert got[ID_CARD]["by"] == {"kind": "license", "license_type": "id_card",
                                  "license_id": world.license_id(citizen, "id_card"),
                                  "fields": list(wallet_fields("id_card", ("holder", "holder_code")))}
    assert "birth_date" not in got[ID_CARD]["by"]["fields"]
    shared = got[SOCIAL]["by"]
    assert got[SOCIAL]["state"] == "satisfied" and shared["kind"] == "shared_data"
    assert shared["source"] == "social_security_payments" and shared["department_code"] == "hrss"
    stored = world.client.get("/api/v1/me/shared-data", headers=citizen.headers).json["items"]
    record = next(i["record"] for i in stored if i["source"] == "social_security_payments")
    assert (record["id"], record["digest"]) == (shared["record_id"], shared["digest"])
    assert got[LEASE] == {"name": LEASE, "state": "missing", "by": None, "problems": [],
                          "ways": [{"kind": "upload", "license_type": None, "fields": [], "source": None}]}

    lease = upload(world, citizen)
    second = check(world, citizen, {"impl_code": impl_code, "uploads": {LEASE: lease}})
    assert second["complete"] is True and second["missing"] == 0
    assert by_name(second)[LEASE]["by"] == {"kind": "upload", "material_id": lease, "type": "pdf", "size": len(PDF)}
    assert by_name(second)[SOCIAL]["by"]["digest"] == shared["digest"]  # refetched, unchanged


def test_a_revoked_license_is_refused_as_a_material(world: World) -> None:
    """With the ID card revoked the material is not satisfied by it, and the answer says why."""
    citizen = world.citizen(0)
    impl_code = publish(world)
    lic = next(item for item in world.licenses(citizen) if item["license_type"] == "id_card")
    revoked = world.client.post(f"/api/v1/admin/licenses/{lic['identifier']}/status",
                                json={"action": "revoke", "reason": "lost"}, headers=world.admin("police"))
    assert revoked.status_code == 200, revoked.json
    got = by_name(check(world, citizen, {"impl_code": impl_code}))[ID_CARD]
    assert got["state"] == "missing" and got["by"] is None
    assert got["problems"] == [{"kind": "license", "license_type": "id_card", "reason": "license_revoked"}]


def test_a_slow_department_leaves_its_material_pending_and_an_upload_can_stand_in(
        world: World, departments: SandboxDepartments) -> None:
    """hrss hangs: the social-security record is pending (not failed) within the deadline; naming a library
    file for it satisfies it by upload instead."""
    citizen = world.citizen(0)
    impl_code = publish(world)
    departments.scripts["hrss"].set(fault="hang")
    answer = check(world, citizen, {"impl_code": impl_code})
    got = by_name(answer)[SOCIAL]
    assert got["state"] == "pending" and answer["pending"] == 1 and got["by"] is None
    assert got["problems"] == [{"kind": "shared_data", "source": "social_security_payments", "reason": "timeout"}]
    assert by_name(answer)[ID_CARD]["state"] == "satisfied"
    scan = upload(world, citizen)
    fallback = by_name(check(world, citizen, {"impl_code": impl_code, "uploads": {SOCIAL: scan, LEASE: scan}}))
    assert fallback[SOCIAL]["state"] == "satisfied" and fallback[SOCIAL]["by"]["kind"] == "upload"


def test_bad_input_names_the_field(world: World) -> None:
    """An unknown item, an unknown material name or someone else's file are refused, naming what is wrong."""
    citizen, other = world.citizen(0), world.citizen(1)
    impl_code = publish(world)
    unknown = check(world, citizen, {"impl_code": item_code(99)}, 422)
    assert unknown["errors"][0]["field"] == "impl_code"
    wrong = check(world, citizen, {"impl_code": impl_code, "uploads": {"护照": "mat_x"}}, 422)
    assert wrong["errors"][0]["field"] == "uploads.护照"
    missing = check(world, citizen, {}, 422)
    assert missing["errors"][0]["field"] == "impl_code"
    theirs = upload(world, other)
    check(world, citizen, {"impl_code": impl_code, "uploads": {LEASE: theirs}}, 404)


def test_someone_elses_file_is_a_404_and_the_department_look_up_is_still_logged(world: World) -> None:
    """The files are read while hrss is asked: naming another citizen's file answers 404, and the look-up that
    was already under way is still stored and in the citizen's access log."""
    citizen, other = world.citizen(0), world.citizen(1)
    impl_code = publish(world)
    theirs = upload(world, other)
    check(world, citizen, {"impl_code": impl_code, "uploads": {LEASE: theirs}}, 404)
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    assert [e["license_type"] for e in log if e["event"] == "shared_fetched"] == ["social_security_payments"]
    stored = world.client.get("/api/v1/me/shared-data", headers=citizen.headers).json["items"]
    assert next(i["record"] for i in stored if i["source"] == "social_security_payments") is not None


FORM = {"address": "青岛市崂山区海尔路1号", "reason": "work", "since": "2026-01-05"}


def apply(world: World, citizen: Any, impl_code: str, materials: dict[str, Any], status: int = 201) -> dict[str, Any]:
    """POST an application with its material choices; the answer."""
    response = world.client.post("/api/v1/me/applications", headers=citizen.headers,
                                 json={"impl_code": impl_code, "form": FORM, "materials": materials})
    assert response.status_code == status, response.json
    return dict(response.json)


def kept_materials(world: World, public_id: str) -> dict[str, Any]:
    """The material rows stored with an application, by name."""
    from sqlalchemy import select

    from zwt.models import ApplicationMaterial, ApplicationRow

    svc = world.app.extensions["zwt"]
    with svc.db.sessions() as sess:
        row = sess.scalar(select(ApplicationRow).where(ApplicationRow.public_id == public_id))
        return {m.name: m for m in sess.scalars(select(ApplicationMaterial)
                                                .where(ApplicationMaterial.application_id == row.id))}


def test_submission_fills_the_id_card_and_social_security_without_paper_and_reuses_a_file(world: World) -> None:
    """The application keeps a QD1 credential of the ID card (signed by the police, only the needed fields, in
    the access log as a presentation), the hrss record's digest, and a consented use of the library file; a
    second application reuses the same file."""
    from wallet.verify import verify
    from zwt.applications.materials import open_credential

    citizen = world.citizen(0)
    world.device(citizen)  # a registered phone: the department's credential is still unbound
    impl_code = publish(world)
    lease = upload(world, citizen)
    choices = {"consent": [ID_CARD, SOCIAL], "uploads": {LEASE: lease}}
    refused = apply(world, citizen, impl_code, {"uploads": {LEASE: lease}}, 422)
    assert sorted(e["field"] for e in refused["errors"]) == [f"materials.{ID_CARD}", f"materials.{SOCIAL}"]
    assert {e["code"] for e in refused["errors"]} == {"consent_required"}
    first = apply(world, citizen, impl_code, choices)
    kept = kept_materials(world, first["id"])
    assert {n: m.kind for n, m in kept.items()} == {ID_CARD: "license", SOCIAL: "shared_data", LEASE: "upload"}
    needed = list(wallet_fields("id_card", ("holder", "holder_code")))
    assert sorted(kept[ID_CARD].fields) == sorted(needed)
    svc = world.app.extensions["zwt"]
    text = open_credential(first["id"], kept[ID_CARD], svc)
    verdict = verify(text, world.bundle(), now=world.now)
    assert verdict.valid and verdict.license_type == "id_card" and sorted(verdict.fields) == sorted(needed)
    assert kept[ID_CARD].credential_enc is not None and b"QD1:" not in kept[ID_CARD].credential_enc
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    assert any(e["event"] == "presented" and e.get("impl_code") == impl_code for e in log)
    stored = world.client.get("/api/v1/me/shared-data", headers=citizen.headers).json["items"]
    record = next(i["record"] for i in stored if i["source"] == "social_security_payments")
    assert (kept[SOCIAL].reference, kept[SOCIAL].digest) == (record["id"], record["digest"])

    second = apply(world, citizen, impl_code, choices)
    again = kept_materials(world, second["id"])
    assert again[LEASE].reference != kept[LEASE].reference
    library = world.client.get("/api/v1/me/materials", headers=citizen.headers).json["items"]
    assert len(library) == 1
    assert sorted(u["purpose"] for u in library[0]["used_in"]) == sorted([first["id"], second["id"]])


def test_submission_with_a_revoked_license_is_refused(world: World) -> None:
    """A revoked ID card does not fill the material: the submission names it as missing, nothing is written."""
    citizen = world.citizen(0)
    impl_code = publish(world)
    lic = next(item for item in world.licenses(citizen) if item["license_type"] == "id_card")
    world.client.post(f"/api/v1/admin/licenses/{lic['identifier']}/status",
                      json={"action": "revoke", "reason": "lost"}, headers=world.admin("police"))
    lease = upload(world, citizen)
    answer = apply(world, citizen, impl_code, {"consent": [ID_CARD, SOCIAL], "uploads": {LEASE: lease}}, 422)
    assert answer["errors"] == [{"field": f"materials.{ID_CARD}", "code": "material_missing",
                                 "message": answer["errors"][0]["message"]}]
    assert world.client.get("/api/v1/me/applications", headers=citizen.headers).json["items"] == []


def test_submission_waits_for_a_slow_department_or_falls_back_to_an_upload(
        world: World, departments: SandboxDepartments) -> None:
    """hrss hangs: submission is a 409 naming the pending material (nothing written; submit again later), or,
    as the citizen chooses, goes through with a library file for it."""
    citizen = world.citizen(0)
    impl_code = publish(world)
    scan = upload(world, citizen)
    departments.scripts["hrss"].set(fault="hang")
    waiting = apply(world, citizen, impl_code, {"consent": [ID_CARD, SOCIAL], "uploads": {LEASE: scan}}, 409)
    assert waiting["pending"] == [SOCIAL] and waiting["errors"][0]["code"] == "material_pending"
    assert world.client.get("/api/v1/me/applications", headers=citizen.headers).json["items"] == []
    fallback = apply(world, citizen, impl_code, {"consent": [ID_CARD], "uploads": {LEASE: scan, SOCIAL: scan}})
    assert kept_materials(world, fallback["id"])[SOCIAL].kind == "upload"
    departments.release_all()
    departments.scripts["hrss"].set(fault=None)
    later = apply(world, citizen, impl_code, {"consent": [ID_CARD, SOCIAL], "uploads": {LEASE: scan}})
    assert kept_materials(world, later["id"])[SOCIAL].kind == "shared_data"


def test_every_submission_runs_the_pre_check_first_even_without_material_choices(
        world: World, departments: SandboxDepartments) -> None:
    """An application that names no ``materials`` is still pre-checked: the ID card and the social-security
    record are not used without consent, the lease is missing, each named in one 422, nothing written; with
    hrss hanging it is the 409 of a pending material, as with choices."""
    citizen = world.citizen(0)
    impl_code = publish(world)
    bare = world.client.post("/api/v1/me/applications", headers=citizen.headers,
                             json={"impl_code": impl_code, "form": FORM})
    assert bare.status_code == 422 and bare.headers["Content-Type"].startswith("application/problem+json")
    assert sorted((e["field"], e["code"]) for e in bare.json["errors"]) == sorted([
        (f"materials.{ID_CARD}", "consent_required"), (f"materials.{SOCIAL}", "consent_required"),
        (f"materials.{LEASE}", "material_missing")])
    departments.scripts["hrss"].set(fault="hang")
    waiting = world.client.post("/api/v1/me/applications", headers=citizen.headers,
                                json={"impl_code": impl_code, "form": FORM})
    assert waiting.status_code == 409 and waiting.json["pending"] == [SOCIAL]
    departments.release_all()
    departments.scripts["hrss"].set(fault=None)
    assert world.client.get("/api/v1/me/applications", headers=citizen.headers).json["items"] == []


def test_department_staff_see_only_what_each_material_needs_and_each_look_is_logged(world: World) -> None:
    """The police's staff see the ID card's needed fields (the number masked), the hrss record, the file's name
    and size, nothing else; another department's staff get a 404; the citizen's access log has the look."""
    citizen = world.citizen(0)
    impl_code = publish(world)
    lease = upload(world, citizen)
    made = apply(world, citizen, impl_code, {"consent": [ID_CARD, SOCIAL], "uploads": {LEASE: lease}})
    url = f"/api/v1/admin/applications/{made['id']}/materials"
    assert world.client.get(url, headers=world.admin("hrss")).status_code == 404
    response = world.client.get(url, headers=world.admin("police"))
    assert response.status_code == 200, response.json
    shown = {m["name"]: m for m in response.json["materials"]}
    needed = set(wallet_fields("id_card", ("holder", "holder_code")))
    assert shown[ID_CARD]["verdict"] == "valid" and set(shown[ID_CARD]["fields"]) == needed
    assert "birth_date" not in shown[ID_CARD]["fields"] and "address" not in shown[ID_CARD]["fields"]
    assert DEMO_ID not in response.get_data(as_text=True)
    assert shown[SOCIAL]["source"] == "social_security_payments" and shown[SOCIAL]["fields"]
    assert shown[LEASE]["file"]["size"] == len(PDF) and shown[LEASE]["fields"] == {}
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    looks = [e for e in log if e["event"] == "materials_viewed"]
    assert len(looks) == 1 and looks[0]["impl_code"] == impl_code


def test_department_staff_download_a_file_given_for_a_material_and_each_download_is_logged(world: World) -> None:
    """The police's staff download the lease the citizen gave: its type, as an attachment, never cached or
    sniffed, logged as ``material_viewed``; another department, a material filled otherwise, or no material of
    the application answer 404."""
    citizen = world.citizen(0)
    impl_code = publish(world)
    lease = upload(world, citizen)
    made = apply(world, citizen, impl_code, {"consent": [ID_CARD, SOCIAL], "uploads": {LEASE: lease}})
    url = f"/api/v1/admin/applications/{made['id']}/materials/{{}}/file"
    police = world.admin("police")
    assert world.client.get(url.format(LEASE), headers=world.admin("hrss")).status_code == 404
    for name in (ID_CARD, SOCIAL, "护照", "x" * 201):
        assert world.client.get(url.format(name), headers=police).status_code == 404, name
    response = world.client.get(url.format(LEASE), headers=police)
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    downloads = [e for e in log if e["event"] == "material_viewed"]
    assert len(downloads) == 1 and downloads[0]["impl_code"] == impl_code and downloads[0]["fields"] == ["file"]
