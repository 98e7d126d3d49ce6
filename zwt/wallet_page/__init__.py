"""The citizen's web wallet: the phone end of an offline scan, in a browser (``/wallet``).

Everything it runs is in ``zwt/static/wallet/`` (the page's ES modules and style), ``zwt/static/common/``
(what it shares with the counter console) and ``zwt/static/qd1/`` (the QD1 holder side), plus the vendored QR
generator; this blueprint only serves the page and its service worker under the page's own
Content-Security-Policy (``zwt.offline_page``). The page talks to the ordinary citizen API for everything else.
"""

from __future__ import annotations

from ..offline_page import OfflinePage
from ..security_headers import WALLET_CSP

__all__ = ["bp", "PAGE", "SCOPE"]

SCOPE = "/wallet"
PAGE = OfflinePage(scope=SCOPE, folder="wallet", offline_dirs=("qd1", "vendor/cborg", "vendor/qrcode-generator"),
                   csp=WALLET_CSP)

bp = PAGE.blueprint("wallet_page")
