"""Checking a successful answer against openapi.yaml's component schemas (random inputs rarely reach them)."""

from __future__ import annotations

from typing import Any

__all__ = ["conforms"]


def conforms(body: Any, name: str) -> None:
    """Validate ``body`` against components/schemas/``name`` of openapi.yaml."""
    import yaml
    from jsonschema import Draft202012Validator

    from zwt.docs import SPEC_PATH

    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    schema = spec["components"]["schemas"][name]
    Draft202012Validator({"components": spec["components"], **schema}).validate(body)
