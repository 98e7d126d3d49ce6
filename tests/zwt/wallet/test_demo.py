"""Demo data: the demo citizens are verified with their licenses, and the keys exist, idempotently."""

from __future__ import annotations

from services_catalog.sandbox.citizens import DEMO_CITIZENS


def test_load_demo_verifies_citizens_and_fetches_licenses(world):
    """``load-demo`` twice prints the same wallet lines; the first demo citizen can show a driving licence."""
    runner = world.app.test_cli_runner()
    first = runner.invoke(args=["load-demo", "--catalog-items", "0"])
    second = runner.invoke(args=["load-demo", "--catalog-items", "0"])
    assert first.exit_code == second.exit_code == 0, first.output
    wallet_lines = [[line for line in r.output.splitlines() if line.startswith("  13800000001 (")]
                    for r in (first, second)]
    assert wallet_lines[0] == wallet_lines[1] and "driving_license" in wallet_lines[0][0]
    citizen = world.auth.login("13800000001", "Demo2026pass").json
    headers = {"Authorization": f"Bearer {citizen['access_token']}"}
    licenses = world.client.get("/api/v1/me/licenses", headers=headers).json
    assert licenses["identity_verified"] and len(licenses["items"]) == len(DEMO_CITIZENS[0].licenses)
    driving = next(item["id"] for item in licenses["items"] if item["license_type"] == "driving_license")
    made = world.client.post(f"/api/v1/me/licenses/{driving}/presentations", json={}, headers=headers)
    assert made.status_code == 201
