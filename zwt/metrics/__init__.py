"""Prometheus metrics of the service (``/metrics``): built per app by ``create_app``, see ``registry``."""

from __future__ import annotations

from .registry import BREAKER_VALUES, GaugeRead, Metrics, multiprocess_dir

__all__ = ["BREAKER_VALUES", "GaugeRead", "Metrics", "multiprocess_dir"]
