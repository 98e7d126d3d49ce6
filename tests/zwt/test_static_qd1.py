"""The QD1 JavaScript modules and their vendored CBOR decoder are served from /static/ (Flask's static folder)."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_qd1_modules_are_served(client: FlaskClient) -> None:
    """A browser can import /static/qd1/qd1.mjs and everything it imports, the vendored cborg included."""
    for path in ("/static/qd1/qd1.mjs", "/static/qd1/verify.mjs", "/static/qd1/wallet_data.mjs",
                 "/static/vendor/cborg/cborg.js", "/static/vendor/cborg/lib/decode.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype in ("text/javascript", "application/javascript"), (path, response.mimetype)
    assert b"Apache License" in client.get("/static/vendor/cborg/LICENSE").data
