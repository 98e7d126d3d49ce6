"""Online applications (办件): the application, its state machine, agents, time limits and working days.

Framework-free like ``wallet`` and ``services_catalog``: HTTP, storage, the outbox and the worker live in
``zwt.applications``. Catalog items are read through the ``HandlingItem`` protocol (``applications.items``).
"""

from __future__ import annotations

from .calendar import CityCalendar, WorkingCalendar, parse_city_calendar
from .errors import ApplicationError, CalendarFileInvalid, FieldProblem, FormInvalid, IllegalMove, MoveRefused
from .forms import FIELD_TYPES, FormFieldSpec, check_form
from .items import HandlingItem
from .model import (
    Actor,
    AgentAuthorisation,
    Application,
    Decision,
    Event,
    Pause,
    apply_move,
    is_decided,
    new_application,
)
from .states import MOVES, STATES, legal_moves, moves_to
from .time_limits import TimeLimit, time_limit

__all__ = [
    "Actor", "AgentAuthorisation", "Application", "ApplicationError", "CalendarFileInvalid", "CityCalendar",
    "Decision", "Event", "FIELD_TYPES", "FieldProblem", "FormFieldSpec", "FormInvalid", "HandlingItem",
    "IllegalMove", "MOVES", "MoveRefused", "Pause", "STATES", "TimeLimit", "WorkingCalendar", "apply_move",
    "check_form", "is_decided", "legal_moves", "moves_to", "new_application", "parse_city_calendar", "time_limit",
]
