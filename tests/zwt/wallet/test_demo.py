"""Demo data: the demo citizens are verified, every department issues to them, keys exist, idempotently."""

from __future__ import annotations

from services_catalog.sandbox.citizens import DEMO_CITIZENS
from services_catalog.sandbox.issued import holdings_of
from wallet.license_types import REGISTRY


def _pushes(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("  push ", "  pull "))]


def test_load_demo_fills_every_wallet_with_all_21_types_idempotently(world):
    """``load-demo`` twice: the second pushes are ``unchanged`` and pulls find nothing new; every demo wallet
    holds what ``holdings_of`` (README's table) says, all 21 types between them; a driving licence presents."""
    runner = world.app.test_cli_runner()
    first = runner.invoke(args=["load-demo", "--catalog-items", "0"])
    second = runner.invoke(args=["load-demo", "--catalog-items", "0"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert len(_pushes(first.output)) == 8 and not any("refused" in line and "refused=0" not in line
                                                       for line in _pushes(first.output)), first.output
    assert all("stored=0" in line for line in _pushes(second.output)), second.output
    seen = set()
    for demo in DEMO_CITIZENS:
        token = world.auth.login(demo.phone, "Demo2026pass").json["access_token"]
        items = world.client.get("/api/v1/me/licenses", headers={"Authorization": f"Bearer {token}"}).json["items"]
        held = [(item["license_type"], (item["organisation"] or {}).get("name")) for item in items]
        assert sorted(held, key=str) == sorted(holdings_of(demo), key=str), demo.citizen.name
        seen |= {code for code, _ in held}
    assert seen == set(REGISTRY)
    citizen = world.auth.login("13800000001", "Demo2026pass").json
    headers = {"Authorization": f"Bearer {citizen['access_token']}"}
    licenses = world.client.get("/api/v1/me/licenses", headers=headers).json
    driving = next(item["id"] for item in licenses["items"] if item["license_type"] == "driving_license")
    made = world.client.post(f"/api/v1/me/licenses/{driving}/presentations", json={}, headers=headers)
    assert made.status_code == 201
