"""What online applications keep per process: the working-day calendar, read once at start."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from applications import CalendarFileInvalid, WorkingCalendar, parse_city_calendar

from ..config import Config

__all__ = ["ApplicationsRuntime", "build_applications_runtime"]

log = logging.getLogger("zwt.applications")


@dataclass
class ApplicationsRuntime:
    """The calendar time limits are counted in, and the unknown years already warned about."""

    calendar: WorkingCalendar
    _warned: set[int] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def warn_unknown(self, years: tuple[int, ...]) -> None:
        """Log once per process that a time limit counted only weekends in ``years``."""
        with self._lock:
            new = [y for y in years if y not in self._warned]
            self._warned.update(new)
        for year in new:
            log.warning("working-day calendar does not know the year; only weekends count",
                        extra={"event": "calendar_unknown_year", "year": year})


def build_applications_runtime(cfg: Config) -> ApplicationsRuntime:
    """The runtime of ``cfg``: the city's holiday file (``ZWT_HOLIDAY_FILE``) over the library's calendar."""
    city = None
    if cfg.holiday_file:
        path = Path(cfg.holiday_file)
        try:
            city = parse_city_calendar(path.read_text(encoding="utf-8"), name=path.name)
        except (OSError, UnicodeDecodeError, CalendarFileInvalid) as exc:
            raise SystemExit(f"ZWT_HOLIDAY_FILE {cfg.holiday_file}: {exc}") from None
    return ApplicationsRuntime(WorkingCalendar(city))
