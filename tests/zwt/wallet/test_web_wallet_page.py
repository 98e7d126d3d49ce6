"""What the web wallet needs from the service: the page and its service worker under the page's own CSP (no
WebAssembly, nothing inline, never framed), keeping the QD1 library and the vendored QR generator offline."""

from __future__ import annotations

import json
import re

from zwt.security_headers import WALLET_CSP


def test_the_wallet_page_and_its_service_worker_carry_the_page_csp(client):
    """Own origin only; the worker's scope is /wallet and it keeps the holder side, the QR generator, no decoder."""
    page = client.get("/wallet")
    assert page.status_code == 200 and page.mimetype == "text/html"
    csp = page.headers["Content-Security-Policy"]
    assert csp == WALLET_CSP and "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert b'<script type="module" src="/static/wallet/app.mjs">' in page.data
    assert b"<script>" not in page.data and b"style=" not in page.data and b"cdn" not in page.data.lower()
    worker = client.get("/wallet/sw.js")
    assert worker.mimetype == "text/javascript" and worker.headers["Service-Worker-Allowed"] == "/wallet"
    assert worker.headers["Content-Security-Policy"] == WALLET_CSP
    files = json.loads(re.search(rb"const FILES = (\[.*?\])\n", worker.data).group(1))
    assert files[0] == "/wallet"
    assert {"/static/wallet/app.mjs", "/static/qd1/holder.mjs", "/static/vendor/qrcode-generator/qrcode.mjs",
            "/static/common/api.mjs"} <= set(files)
    assert not any("zxing" in path or "/counter/" in path or "axe" in path for path in files)
    for path in files[1:]:
        assert client.get(path).status_code == 200, path
    assert b"__VERSION__" not in worker.data and b'const PREFIX = "zwt-wallet-"' in worker.data
