"""The citizen's web wallet in headless Chromium, both ends of an offline scan together: the wallet (a phone-sized
browser profile) and the counter console (another profile), each with its network really off (the browser
context's own switch). The wallet's clock is Playwright's page.clock, so the 30-second refresh needs no waiting.

Each test leaves screenshots of the states it went through in its own tmp_path (``wallet/``, ``counter/``,
``other-device/``), named in order.
"""

from __future__ import annotations

import base64
import statistics

import pytest

from wallet.keys import kid_of, public_key_from_spki
from wallet.verify import verify
from zwt.wallet_page import PAGE

from .conftest import CLERK_PASSWORD
from .console import Console
from .test_counter import DRIVING_FIELDS
from .wallet_page import WalletPage

pytestmark = pytest.mark.slow  # a real browser: seconds per test (make test-fast skips them)

PHONE = {"width": 412, "height": 915}
#: The page's device key as the page holds it: whether WebCrypto exports its private half, and its public SPKI
_DEVICE_KEY = """async () => {
  const { openStore } = await import('/static/wallet/store.mjs')
  const { keyPair } = await (await openStore()).get('device')
  let exported = 'exported'
  try { await crypto.subtle.exportKey('pkcs8', keyPair.privateKey) } catch (exc) { exported = exc.name }
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keyPair.publicKey))
  return { extractable: keyPair.privateKey.extractable, exported, spki: btoa(String.fromCharCode(...spki)) }
}"""
_DEVICE_HELD = """async () => {
  const { openStore } = await import('/static/wallet/store.mjs')
  return (await (await openStore()).get('device')) !== undefined
}"""


@pytest.fixture
def citizen(world):
    """Demo citizen 0 at level 2 with their licenses (password login by phone)."""
    return world.citizen(0)


def _wallet(new_context, tmp_path, name: str, *, paused_at: int | None = None, phone: bool = True) -> WalletPage:
    """A /wallet page in a fresh profile (phone-sized, else a PC's); with ``paused_at`` its clock stands still at
    that second until the test runs it on."""
    page = new_context(viewport=PHONE if phone else None).new_page()
    if paused_at is not None:
        page.clock.install(time=paused_at - 60)
        page.clock.pause_at(paused_at)
    wallet = WalletPage(page, tmp_path / name)
    wallet.open()
    return wallet


def _next_code(wallet: WalletPage) -> str:
    """Run the wallet's clock 30 s on; the page shows a new code, read back from a screenshot."""
    made = wallet.code_serial()
    wallet.page.clock.run_for(30_000)
    wallet.wait_until(f"Number(document.getElementById('qr').dataset.count) > {made}")
    return wallet.read_code()


def test_two_ended_offline_scan_replay_lock_and_access_log(world, auth, citizen, clerk, new_context, clock, tmp_path):
    """1. Sign in on /wallet, register the device (step-up by SMS code), fetch a credential bound to it for an
    item. 2. /wallet offline (reloaded from its service worker): the QR code on screen, read from a screenshot,
    verifies in Python too. 3. Typed with Enter into /counter, synced and offline too: green, the item's fields
    only. 4. 30 s later on the wallet's clock a new code shows and verifies; the first again is replayed.
    5. The citizen locks the wallet from a second profile; the counter syncs; the bound credential is red.
    6. The access log on /wallet shows the uploaded offline scans, reported by the counter."""
    now = int(clock.timestamp())
    item = world.service_item()
    driving = world.license_id(citizen, "driving_license")

    wallet = _wallet(new_context, tmp_path, "wallet", paused_at=now)
    wallet.shot("sign-in")
    wallet.sign_in(citizen.phone, citizen.password)
    wallet.shot("licenses")
    wallet.fetch(driving, f"item:{item}", lambda: auth.code(citizen.phone))
    wallet.shot("credential-fetched")
    devices = world.client.get("/api/v1/me/devices", headers=citizen.headers).json["items"]
    assert [d["name"] for d in devices] == ["网页钱包"]
    wallet.wait_offline_ready()

    wallet.page.context.set_offline(True)
    wallet.page.reload()
    wallet.page.wait_for_selector("body[data-ready]", state="attached")
    assert wallet.page.evaluate("navigator.onLine") is False
    wallet.show_code()
    wallet.shot("code-offline")
    first = wallet.read_code()
    assert first.startswith("QD1:") and wallet.code_time() == now
    assert "请调高屏幕亮度" in wallet.page.inner_text("#code-view")
    assert wallet.page.locator("#qr-status").get_attribute("role") == "status"
    in_python = verify(first, world.bundle(), now=now)
    assert in_python.valid and in_python.holder_bound and set(in_python.fields) == DRIVING_FIELDS, in_python

    console = Console(new_context().new_page(), tmp_path / "counter")
    console.open(at=now)
    console.sign_in(clerk, CLERK_PASSWORD)
    console.wait_offline_ready()
    console.pick_item(item)
    console.page.context.set_offline(True)
    green = console.scan(first)
    console.shot("first-code-green")
    assert (green.colour, green.reason) == ("green", "valid"), green.text
    assert set(green.fields) == DRIVING_FIELDS

    second = _next_code(wallet)
    wallet.shot("code-refreshed")
    assert second != first and wallet.code_time() == now + 30
    console.page.clock.set_fixed_time(now + 30)
    assert console.scan(second).colour == "green"
    replayed = console.scan(first)
    console.shot("first-code-replayed")
    assert (replayed.colour, replayed.reason) == ("red", "replayed")

    other = _wallet(new_context, tmp_path, "other-device", phone=False)  # the citizen's PC
    other.sign_in(citizen.phone, citizen.password)
    said = other.lock()
    other.shot("locked")
    assert "1" in said
    console.page.context.set_offline(False)  # back online, the console syncs by itself (its 'online' event)
    console.page.evaluate("document.body.dataset.sync = ''")
    console.page.click("#sync")  # and by hand: whichever fetch comes second may find the new bundle held (304)
    console.wait_until("['synced', 'unchanged'].includes(document.body.dataset.sync)")
    console.wait_waiting(0)
    third = _next_code(wallet)  # the lost phone, still offline, still makes codes
    console.page.clock.set_fixed_time(now + 60)
    red = console.scan(third)
    console.shot("after-lock-red")
    assert (red.colour, red.reason) == ("red", "suspended"), red.text
    console.wait_waiting(0)

    log = other.access_log()
    other.shot("access-log")
    offline = [row for row in log if row["source"] == "offline"]
    assert sorted(row["verdict"] for row in offline) == ["replayed", "suspended", "valid", "valid"]
    assert all("窗口离线核验后上报" in row["text"] and "counter-01" in row["text"] for row in offline)


def test_the_device_key_cannot_be_exported_and_is_the_registered_one(world, auth, citizen, new_context, clock,
                                                                     tmp_path):
    """The page's private key is a non-extractable CryptoKey (WebCrypto refuses to export it); its public half
    is the key the service registered (same kid); a profile credential is shown too."""
    wallet = _wallet(new_context, tmp_path, "wallet")
    wallet.sign_in(citizen.phone, citizen.password)
    wallet.fetch(world.license_id(citizen, "id_card"), "profile:minimal", lambda: auth.code(citizen.phone))
    held = wallet.page.evaluate(_DEVICE_KEY)
    assert held["extractable"] is False and held["exported"] == "InvalidAccessError"
    registered = world.client.get("/api/v1/me/devices", headers=citizen.headers).json["items"]
    assert [d["kid"] for d in registered] == [kid_of(public_key_from_spki(base64.b64decode(held["spki"]))).hex()]


def test_binding_after_a_refresh_asks_for_a_fresh_login_then_the_code(world, auth, citizen, new_context, tmp_path):
    """The tab's token was refreshed (not fresh): the step-up is refused and the page asks for the password
    again, then for the SMS code (a wrong one is said so), then binds. Removing the device from the page forgets
    its credentials."""
    wallet = _wallet(new_context, tmp_path, "wallet")
    wallet.sign_in(citizen.phone, citizen.password)
    held = wallet.page.evaluate("JSON.parse(sessionStorage.getItem('zwt-wallet-tokens'))")
    pair = world.client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {held['refresh']}"}).json
    wallet.page.evaluate("([a, r]) => sessionStorage.setItem('zwt-wallet-tokens', "
                         "JSON.stringify({access: a, refresh: r}))", [pair["access_token"], pair["refresh_token"]])
    wallet.page.select_option("#license", world.license_id(citizen, "driving_license"))
    wallet.page.click("#fetch")
    wallet.page.wait_for_selector("#stepup-box:not([hidden])")
    wallet.page.fill("#sms-code", auth.code(citizen.phone))
    wallet.page.click("#stepup-form button[type=submit]")
    wallet.page.wait_for_selector("#login-view:not([hidden])")
    wallet.shot("fresh-login-asked")
    assert "重新输入密码" in wallet.page.inner_text("#login-note")
    wallet.page.fill("#username", citizen.phone)
    wallet.page.fill("#password", citizen.password)
    wallet.page.click("#login-form button[type=submit]")
    wallet.page.wait_for_selector("#stepup-box:not([hidden])")
    code = auth.code(citizen.phone)
    wallet.page.fill("#sms-code", "000000" if code != "000000" else "111111")
    wallet.page.click("#stepup-form button[type=submit]")
    wallet.wait_until("document.getElementById('stepup-error').textContent !== ''")
    wallet.shot("wrong-code")
    wallet.page.fill("#sms-code", code)
    wallet.page.click("#stepup-form button[type=submit]")
    wallet.page.wait_for_selector("body[data-fetched]", state="attached")
    assert wallet.page.locator("#held li").count() == 1
    wallet.shot("bound-after-fresh-login")

    wallet.page.locator("#devices li button").click()
    wallet.page.wait_for_selector("#held-empty:not([hidden])")
    wallet.shot("device-removed")
    assert world.client.get("/api/v1/me/devices", headers=citizen.headers).json["items"] == []
    assert wallet.page.evaluate(_DEVICE_HELD) is False


def test_fresh_code_time_page_weight_english_and_accessibility(world, auth, citizen, new_context, tmp_path, capsys):
    """The time from a held credential to a fresh code drawn (target <= 100 ms) over 10 codes (the first one
    apart: it compiles the code paths) and the page weight are printed; English on the switch; axe-core finds
    nothing serious or critical on the sign-in view, the wallet and the code; with text twice as large nothing
    runs off the screen."""
    wallet = _wallet(new_context, tmp_path, "wallet")  # the page's own clock: performance.now() as it runs
    found = wallet.axe_violations()
    wallet.sign_in(citizen.phone, citizen.password)
    wallet.fetch(world.license_id(citizen, "driving_license"), "profile:standard", lambda: auth.code(citizen.phone))
    found += wallet.axe_violations()
    times = []
    for _ in range(10):
        wallet.show_code()
        times.append(wallet.made_in_ms())
        wallet.page.click("#close-code")
    wallet.show_code()
    found += wallet.axe_violations()
    wallet.page.click("#lang")
    wallet.wait_until("document.documentElement.lang === 'en'")
    wallet.shot("code-english")
    assert "Turn your screen brightness up" in wallet.page.inner_text("#code-view")
    assert "QR code valid" in wallet.page.locator("#qr-status").inner_text()
    wallet.page.click("#close-code")
    found += wallet.axe_violations()
    wallet.shot("wallet-english")
    wallet.page.evaluate("document.documentElement.style.fontSize = '200%'")  # the browser's largest text
    wallet.show_code()
    wallet.shot("code-large-text")
    assert wallet.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert wallet.page.evaluate("document.getElementById('qr').getBoundingClientRect().right <= window.innerWidth")
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    files = PAGE.offline_files()
    weight = {suffix: sum(p.stat().st_size for p in files if p.suffix == suffix) for suffix in (".mjs", ".js", ".css")}
    with capsys.disabled():
        print(f"\nweb wallet: a fresh code made and drawn in Chromium: first {times[0]:.1f} ms, then over "
              f"{len(times) - 1} codes median {statistics.median(times[1:]):.1f} ms, max {max(times[1:]):.1f} ms "
              f"(target <= 100 ms); page weight "
              f"JS {(weight['.mjs'] + weight['.js']) / 1024:.0f} KiB + CSS {weight['.css'] / 1024:.1f} KiB, "
              f"{len(files)} files kept offline")
    assert all(t > 0 for t in times)
