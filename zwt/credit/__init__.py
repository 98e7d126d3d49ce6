"""Public credit (公共信用): the citizen's own credit record, and the standing an item's credit rule needs."""

from __future__ import annotations

from .lookups import CreditUnavailable, credit_record_for, credit_standing_for, record_broken_commitment
from .views import bp

__all__ = ["bp", "CreditUnavailable", "credit_record_for", "credit_standing_for", "record_broken_commitment"]
