"""The camera path: Chromium's fake capture device plays a video file of a QR code (as a phone held up to a
counter's webcam would show it); the page finds the camera, decodes the frames with ZXing and verifies."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wallet.qr import render_png

from .conftest import CLERK_PASSWORD, chromium_path
from .console import Console
from .test_counter import _holder_bound

pytestmark = pytest.mark.slow  # a real browser: seconds per test (make test-fast skips them)

WIDTH, HEIGHT = 640, 480


def _y4m_of(png: bytes, path: Path) -> Path:
    """A one-frame YUV4MPEG2 (4:2:0) video of the image centred on white, the format Chromium's fake camera plays."""
    from PIL import Image

    code = Image.open(io.BytesIO(png)).convert("L")
    side = min(WIDTH, HEIGHT) - 40
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(code.resize((side, side), Image.NEAREST), ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    path.write_bytes(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + b"FRAME\n"
                     + frame.tobytes() + chroma + chroma)
    return path


def test_a_code_held_to_the_camera_is_verified(playwright, world, clerk, clock, live_url, tmp_path):
    """Camera button shown when there is a camera; the first readable frame is verified like a scan."""
    now = int(clock.timestamp())
    citizen = world.citizen(0)
    item = world.service_item()
    key, device_id = world.device(citizen)
    _, live = _holder_bound(world, citizen, key, device_id, item, t=now)
    video = _y4m_of(render_png(live(now), scale=4), tmp_path / "code.y4m")
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=[
        "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context(base_url=live_url, viewport={"width": 1366, "height": 768},
                                      permissions=["camera"])
        console = Console(context.new_page(), tmp_path / "shots")
        console.open(at=now)
        console.sign_in(clerk, CLERK_PASSWORD)
        console.pick_item(item)
        console.page.wait_for_selector("#camera:not([hidden])")
        console.page.click("#camera")
        console.page.wait_for_selector("#verdict:not(.idle)")
        verdict = console.verdict()
        console.shot("camera-valid")
        assert (verdict.colour, verdict.reason) == ("green", "valid"), verdict.text
        assert console.page.locator("#video").is_hidden()  # the camera stops once a code is read
    finally:
        browser.close()
