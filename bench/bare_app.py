"""The reference for throughput benchmarks: a bare Flask app answering a small JSON document."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/bare")
def bare():
    """A constant JSON answer: what Flask + gunicorn cost with no work at all."""
    return jsonify({"status": "ok", "items": [{"id": i, "name": "事项"} for i in range(5)]})
