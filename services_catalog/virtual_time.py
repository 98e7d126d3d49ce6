"""A virtual-time clock for deterministic tests of concurrent code: time moves only when everyone waits.

The *driver* thread (the test; by default the thread that made the clock) and the tasks of
:meth:`ManualClock.executor` are the participants. Whenever every participant is blocked in a clock wait
and none of them can proceed, the clock jumps to the earliest pending wake-up. So "police answers at
0.1, hrss at 0.2, the housing fund hangs" plays out in order, instantly, the same way every run. At equal
times the tasks go first: the driver's own timeout fires only once the tasks due then have settled.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, TypeVar

__all__ = ["ManualClock", "VirtualTimeExecutor", "VirtualTimeDeadlock"]

T = TypeVar("T")


class VirtualTimeDeadlock(RuntimeError):
    """Every participant waits and none has a timeout: virtual time cannot move."""


@dataclass
class _Waiter:
    wake: float | None
    predicate: Callable[[], bool] | None
    driver: bool
    participant: bool


class _ClockEvent(threading.Event):
    """An event whose ``set()`` wakes the clock's waiters."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self._clock = clock

    def set(self) -> None:
        super().set()
        self._clock._poke()


class ManualClock:
    """A clock with virtual time that advances to the next wake-up when all participants are blocked."""

    def __init__(self, start: float = 1_795_000_000.0, *, driver: threading.Thread | None = None) -> None:
        self._cond = threading.Condition()
        self._mono = 0.0
        self._wall_start = start
        self._driver = driver or threading.current_thread()
        self._tasks = 0
        self._waiters: list[_Waiter] = []
        self._local = threading.local()

    # -- reading time ---------------------------------------------------------------------------------
    def now(self) -> float:
        """Virtual wall-clock time, POSIX seconds."""
        return self._wall_start + self._mono

    def monotonic(self) -> float:
        """Virtual seconds since the clock was made."""
        return self._mono

    # -- waiting ----------------------------------------------------------------------------------------
    def sleep(self, seconds: float) -> None:
        """Block until virtual time has moved ``seconds`` on."""
        self._wait(None, max(seconds, 0.0))

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of virtual time pass, running everything due meanwhile (driver only)."""
        if threading.current_thread() is not self._driver:
            raise RuntimeError("only the driver thread advances a ManualClock")
        self.sleep(seconds)

    def settle(self) -> None:
        """Return once every task is blocked or done at the current virtual time (driver only)."""
        self.advance(0.0)

    def event(self) -> threading.Event:
        """Return an event whose ``set()`` wakes this clock's waiters."""
        return _ClockEvent(self)

    def wait_event(self, event: threading.Event, timeout: float | None) -> bool:
        """Block until ``event`` is set or ``timeout`` virtual seconds pass."""
        return self._wait(event.is_set, timeout)

    def wait_futures(self, futures: Iterable[cf.Future[Any]], timeout: float | None) -> set[cf.Future[Any]]:
        """Block until a future is done or ``timeout`` virtual seconds pass; return the done ones."""
        pending = list(futures)
        for future in pending:
            future.add_done_callback(lambda _: self._poke())
        self._wait(lambda: any(f.done() for f in pending), timeout)
        return {f for f in pending if f.done()}

    def executor(self) -> VirtualTimeExecutor:
        """Return an executor whose tasks take part in virtual time (one thread per task)."""
        return VirtualTimeExecutor(self)

    # -- machinery --------------------------------------------------------------------------------------
    def _poke(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _task_started(self) -> None:
        with self._cond:
            self._tasks += 1

    def _task_finished(self) -> None:
        with self._cond:
            self._tasks -= 1
            self._cond.notify_all()

    def _wait(self, predicate: Callable[[], bool] | None, timeout: float | None) -> bool:
        is_driver = threading.current_thread() is self._driver
        participant = is_driver or getattr(self._local, "task", False)
        with self._cond:
            me = _Waiter(None if timeout is None else self._mono + max(timeout, 0.0), predicate, is_driver,
                         participant)
            self._waiters.append(me)
            self._cond.notify_all()
            try:
                while True:
                    if predicate is not None and predicate():
                        return True
                    if self._due(me):
                        return False
                    moved = self._maybe_advance()
                    if moved is None and is_driver:
                        raise VirtualTimeDeadlock("every participant waits without a timeout")
                    if not moved:
                        self._cond.wait()
            finally:
                self._waiters.remove(me)
                self._cond.notify_all()

    def _due(self, waiter: _Waiter) -> bool:
        if waiter.wake is None or self._mono < waiter.wake:
            return False
        return not waiter.driver or self._tasks_quiet()

    def _runnable(self, waiter: _Waiter) -> bool:
        return bool(waiter.predicate is not None and waiter.predicate()) or self._due(waiter)

    def _tasks_quiet(self) -> bool:
        tasks = [w for w in self._waiters if w.participant and not w.driver]
        return len(tasks) >= self._tasks and not any(self._runnable(w) for w in tasks)

    def _maybe_advance(self) -> bool | None:
        """Jump to the next wake-up if all participants are blocked; None if there is none (deadlock)."""
        driver_waiting = any(w.driver for w in self._waiters)
        if not driver_waiting or not self._tasks_quiet():
            return False
        if any(self._runnable(w) for w in self._waiters if w.participant):
            return False
        wakes = [w.wake for w in self._waiters if w.wake is not None and w.wake > self._mono]
        if not wakes:
            return None
        self._mono = min(wakes)
        self._cond.notify_all()
        return True


class VirtualTimeExecutor(cf.Executor):
    """Runs each task on its own thread, counted as a virtual-time participant until its future is set."""

    def __init__(self, clock: ManualClock) -> None:
        self._clock = clock
        self._threads: list[threading.Thread] = []

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> cf.Future[T]:
        """Start ``fn`` on a new thread and return its future."""
        future: cf.Future[T] = cf.Future()
        self._clock._task_started()

        def run() -> None:
            self._clock._local.task = True
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args, **kwargs))
                    except BaseException as exc:  # the future carries it to the caller
                        future.set_exception(exc)
            finally:
                # only after the future is set, so nobody sees "all quiet" while a result is in flight
                self._clock._task_finished()

        thread = threading.Thread(target=run, daemon=True, name="virtual-time-task")
        self._threads.append(thread)
        thread.start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Join the task threads when ``wait`` (release hung fakes first)."""
        if wait:
            for thread in self._threads:
                thread.join()
