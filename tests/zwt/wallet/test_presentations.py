"""Presentations over HTTP: profiles, service items (data minimisation), QR images with ETags, validation."""

from __future__ import annotations

import pytest

from wallet.qr import read_image
from wallet.verify import verify


def test_profiles_disclose_what_they_name_and_expire_in_minutes(world):
    """Minimal hides the licence details; the unbound credential expires after the configured minutes."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    minimal = world.present(citizen, lic, profile="minimal").json
    assert minimal["fields"] == ["holder_name", "holder_code_masked", "valid_from", "valid_until"]
    full = world.present(citizen, lic, profile="full").json
    assert "holder_code" in full["fields"] and "file_number" in full["fields"]
    seconds = world.app.extensions["zwt"].config.presentation_unbound_seconds
    verdict = verify(minimal["qd1"], world.bundle(), now=world.now + seconds)
    assert verdict.reason == "expired"


def test_the_default_id_card_presentation_does_not_re_identify(world):
    """Issue 12: the default (standard) ID-card QR shows neither the birth date nor the issuing authority, and
    the counter's verdict carries no more than the masked number, which leaves 10,000+ candidate numbers."""
    citizen = world.citizen(0)
    made = world.present(citizen, world.license_id(citizen, "id_card")).json
    assert made["profile"] == "standard"
    assert not {"birth_date", "issuing_authority", "holder_code"} & set(made["fields"])
    verdict = verify(made["qd1"], world.bundle(), now=world.now)
    assert verdict.valid and "holder_code_masked" in verdict.fields and "birth_date" not in verdict.fields


def test_qr_images_are_cached_with_etags(world):
    """PNG and SVG decode back to the QD1 text, and their ETag answers 304; another citizen gets 404."""
    citizen, other = world.citizen(0), world.citizen(1)
    made = world.present(citizen, world.license_id(citizen, "id_card")).json
    png = world.client.get(made["png_url"], headers=citizen.headers)
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert read_image(png.data) == made["qd1"]
    cached = world.client.get(made["png_url"], headers={**citizen.headers, "If-None-Match": png.headers["ETag"]})
    assert cached.status_code == 304
    svg = world.client.get(made["svg_url"], headers=citizen.headers)
    assert svg.mimetype == "image/svg+xml" and svg.headers["ETag"] != png.headers["ETag"]
    assert world.client.get(made["png_url"], headers=other.headers).status_code == 404


@pytest.mark.parametrize("body, field, code", [
    ({"profile": "everything"}, "profile", "one_of"),
    ({"profile": "minimal", "impl_code": "X"}, "impl_code", "one_of_profile_or_impl_code"),
    ({"impl_code": "NO-SUCH-ITEM"}, "impl_code", "unknown_service_item"),
    ({"device_id": "dev_missing"}, "device_id", "unknown_device"),
    ({"role": "admin"}, "role", "unknown_field"),
])
def test_presentation_validation_names_the_field(world, body, field, code):
    """Bad presentation requests are 422s naming the field and the rule."""
    citizen = world.citizen(0)
    response = world.present(citizen, world.license_id(citizen, "id_card"), **body)
    assert response.status_code == 422
    assert (response.json["errors"][0]["field"], response.json["errors"][0]["code"]) == (field, code)


def test_item_that_does_not_need_this_license_is_422(world):
    """Showing a housing fund certificate for a driving-licence item is refused before anything is signed."""
    citizen = world.citizen(0)
    item = world.service_item()
    response = world.present(citizen, world.license_id(citizen, "housing_fund_certificate"), impl_code=item)
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "license_not_required"
    assert world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"] == []


def test_a_citizen_below_the_release_level_cannot_present(world, auth):
    """Licenses are released only from level 2: 403 before anything else."""
    stranger = auth.register()
    response = world.present(stranger, "lic_anything", profile="minimal")
    assert response.status_code == 403 and response.json["code"] == "proofing_level_too_low"


def test_a_presentation_and_its_log_row_are_stored_together(world):
    """The stored presentation renders, and the citizen's log records it once, with its fields and no item."""
    citizen = world.citizen(0)
    lic = world.license_id(citizen, "driving_license")
    made = world.present(citizen, lic, profile="minimal").json
    assert world.client.get(made["svg_url"], headers=citizen.headers).status_code == 200
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    assert [(e["event"], e["source"], e["license_id"], e["fields"], e["impl_code"]) for e in log] == [
        ("presented", "app", lic, made["fields"], None)]
