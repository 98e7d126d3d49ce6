"""The counter console in headless Chromium with the network really off (the browser context's, not a flag).

Each test leaves screenshots of the states it went through in its own tmp_path (``shots/``), named in order.
"""

from __future__ import annotations

import pytest

from wallet.holder import present

from .conftest import CLERK_PASSWORD
from .console import Console

pytestmark = pytest.mark.slow  # a real browser: seconds per test (make test-fast skips them)

DRIVING_FIELDS = {"holder_name", "holder_code", "valid_from", "valid_until", "license_class"}


def _holder_bound(world, citizen, key, device_id, item, *, t):
    """A live code for the citizen's driving licence, made through the API and signed by the phone at t."""
    shown = world.present(citizen, world.license_id(citizen, "driving_license"), impl_code=item, device_id=device_id)
    assert shown.status_code == 201, shown.json
    return shown.json["qd1"], (lambda at: present(shown.json["qd1"], key, now=at))


def test_offline_scans_replay_revocation_reload_and_upload(world, clerk, context, clock, tmp_path):
    """Sync, go offline, verify a holder-bound code (green, the item's fields only), the same code again
    (replayed), random text and an HC1: code (not a license); revoke over the API: still green offline with the
    trust age shown; reload offline: nothing lost; back online: synced, red revoked, records reach the
    citizen's access log."""
    now = int(clock.timestamp())
    citizen = world.citizen(0)
    item = world.service_item()
    key, device_id = world.device(citizen)
    _, live = _holder_bound(world, citizen, key, device_id, item, t=now)
    console = Console(context.new_page(), tmp_path / "shots")
    console.open(at=now)
    console.shot("sign-in")
    console.sign_in(clerk, CLERK_PASSWORD)
    console.wait_offline_ready()
    assert "seq" in console.trust_line()
    console.pick_item(item)
    console.shot("synced")

    context.set_offline(True)
    first = live(now)
    green = console.scan(first)
    console.shot("valid")
    assert (green.colour, green.reason) == ("green", "valid"), green.text
    assert set(green.fields) == DRIVING_FIELDS
    assert green.fields["holder_name"] == "姓名" and "有效" in green.text
    assert 0 < console.elapsed_ms() < 10_000  # printed by the page; the figure itself is reported, not asserted

    again = console.scan(first)
    console.shot("replayed")
    assert (again.colour, again.reason) == ("red", "replayed") and "已被使用" in again.text

    for text in ("hello, not a code", "HC1:NCFOXN%TS3DH3ZSUZK+.V0ET"):
        other = console.scan(text)
        assert (other.colour, other.reason) == ("red", "not_qd1")
        assert "这不是电子证照二维码" in other.text and "过期" not in other.text
    console.shot("not-a-license")

    identifier = next(x["identifier"] for x in world.licenses(citizen) if x["license_type"] == "driving_license")
    revoked = world.client.post(f"/api/v1/admin/licenses/{identifier}/status",
                                json={"action": "revoke", "reason": "吊销"}, headers=world.admin("police"))
    assert revoked.status_code == 200, revoked.json
    still = console.scan(live(now + 1))
    console.shot("revoked-but-offline")
    assert still.colour == "green", still.text
    assert "小时" in console.trust_line()
    assert console.waiting() == 5

    console.page.reload()
    console.page.wait_for_selector("body[data-ready]", state="attached")
    console.shot("reloaded-offline")
    assert console.waiting() == 5
    assert not console.page.locator("#console-view").is_hidden()

    context.set_offline(False)
    console.page.wait_for_selector("body[data-sync=synced]", state="attached")
    console.wait_waiting(0)
    console.pick_item(item)
    red = console.scan(live(now + 2))
    console.shot("revoked-online")
    assert (red.colour, red.reason) == ("red", "revoked") and "注销" in red.text

    console.wait_waiting(0)  # online: each scan is uploaded at once
    log = world.client.get("/api/v1/me/access-log", headers=citizen.headers).json["items"]
    offline = [e for e in log if e["source"] == "offline"]
    assert sorted(e["verdict"] for e in offline) == ["replayed", "revoked", "valid", "valid"]
    assert all(e["reported_by"] == "counter" and e["impl_code"] == item for e in offline)
