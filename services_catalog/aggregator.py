"""Concurrent, resilient fan-out over departments: deadlines, bulkheads, breakers, one retry, SWR cache.

Views stay synchronous: :meth:`Aggregator.gather` submits one task per source to a shared executor and
waits on the injected clock until every source has answered or reached its own deadline (the earlier of
its per-source timeout and the request's overall deadline), then reports every source by name. An
``observer`` (``services_catalog.observer``) hears each call's outcome and each breaker's moves.
"""

from __future__ import annotations

import concurrent.futures as cf
import random as _random
import threading
from typing import Callable, Generic, Iterable, Mapping, TypeVar

from .breaker import BreakerPolicy, BreakerState, CircuitBreaker
from .bulkhead import Bulkhead
from .cache import Cached, Codec, JsonCodec, RecordCodec, ResultCache
from .clock import WaitingClock
from .departments import Department
from .errors import DepartmentError
from .observer import DepartmentObserver, NullObserver, call_outcome
from .ports import CitizenRecords
from .records import Citizen, CitizenRecord
from .results import Gathered, Overview, SourceResult

__all__ = ["Aggregator"]

T = TypeVar("T")
#: a source call gets the seconds it has left and returns its data or raises DepartmentError
SourceCall = Callable[[float], T]


def _ms(seconds: float) -> int:
    return max(int(round(seconds * 1000)), 0)


class _Attempt(Generic[T]):
    """One source's call within one request; the first of worker and waiter to settle it wins."""

    def __init__(self, name: str, call: SourceCall[T], *, started: float, deadline: float,
                 cached: Cached[T] | None, key: str | None, codec: Codec[T], retry: bool,
                 background: bool = False) -> None:
        self.name, self.call, self.started, self.deadline = name, call, started, deadline
        self.cached, self.key, self.codec, self.retry = cached, key, codec, retry
        self.background = background
        self.attempts = 0
        self.outcome: SourceResult[T] | None = None
        self.begun: threading.Event | None = None  # set by the worker as it takes the attempt up, when asked
        self._lock = threading.Lock()

    def settle(self, outcome: SourceResult[T]) -> bool:
        """Record the outcome unless one was recorded already; tell whether this one won."""
        with self._lock:
            if self.outcome is not None:
                return False
            self.outcome = outcome
            return True


class Aggregator:
    """Calls departments concurrently and always answers by the deadline with every source's state."""

    def __init__(
        self,
        departments: Mapping[str, Department],
        *,
        clock: WaitingClock,
        executor: cf.Executor,
        deadline_s: float = 1.0,
        per_source_timeout_s: float | Mapping[str, float] = 0.8,
        cache: ResultCache | None = None,
        random: Callable[[], float] = _random.Random().random,
        breaker_policy: BreakerPolicy = BreakerPolicy(),
        bulkhead_size: int = 8,
        retry_backoff_s: float = 0.05,
        observer: DepartmentObserver | None = None,
    ) -> None:
        self.departments = departments
        self.observer: DepartmentObserver = observer or NullObserver()
        self.deadline_s = deadline_s
        self.cache = cache
        self._clock, self._executor, self._random = clock, executor, random
        self._timeouts = per_source_timeout_s
        self._breaker_policy, self._bulkhead_size = breaker_policy, bulkhead_size
        self._backoff = retry_backoff_s
        self._lock = threading.Lock()
        self._breakers: dict[str, CircuitBreaker] = {}
        self._bulkheads: dict[str, Bulkhead] = {}
        self._refreshing: set[str] = set()

    @property
    def clock(self) -> WaitingClock:
        """The clock deadlines and data ages are measured on."""
        return self._clock

    # -- per-source state -------------------------------------------------------------------------------
    def breaker(self, source: str) -> CircuitBreaker:
        """Return the circuit breaker of a source (created on first use)."""
        with self._lock:
            if source not in self._breakers:
                self._breakers[source] = CircuitBreaker(
                    self._clock, self._breaker_policy,
                    on_change=lambda state: self.observer.breaker_state(source, state))
            return self._breakers[source]

    def bulkhead(self, source: str) -> Bulkhead:
        """Return the bulkhead of a source (created on first use)."""
        with self._lock:
            if source not in self._bulkheads:
                self._bulkheads[source] = Bulkhead(self._bulkhead_size)
            return self._bulkheads[source]

    def _timeout(self, source: str) -> float:
        if isinstance(self._timeouts, Mapping):
            return self._timeouts.get(source, self.deadline_s)
        return self._timeouts

    # -- the home screen ----------------------------------------------------------------------------------
    def overview(self, citizen: Citizen) -> Overview:
        """Fetch a citizen's records from every department at once; cached per citizen."""
        calls = {code: _records_call(dept.adapter, citizen) for code, dept in self.departments.items()}
        cache_key = f"records\x1f{citizen.id_number}\x1f{citizen.name}"
        return Overview(self.gather(calls, cache_key=cache_key, codec=RecordCodec()))

    # -- the fan-out --------------------------------------------------------------------------------------
    def gather(self, calls: Mapping[str, SourceCall[T]], *, cache_key: str | None = None,
               codec: Codec[T] | None = None, retry: bool = True,
               deadline_s: float | None = None, meanwhile: Callable[[], None] | None = None) -> Gathered[T]:
        """Run ``calls`` (source name -> call taking its remaining seconds) and report every source.

        With ``cache_key`` answers are cached per source: fresh ones are served without a call, older
        ones are served ``stale`` while a background call refreshes them, and on failure the last good
        answer is served ``stale`` with its age. ``retry`` allows one jittered retry of reads. ``deadline_s``
        replaces the aggregator's overall deadline for this fan-out. ``meanwhile`` is the caller's own work
        (its database reads, say): it runs in the calling thread once every call is under way, so it takes
        none of the departments' time; if it raises, every source is still collected before the exception
        goes on.
        """
        start = self._clock.monotonic()
        deadline = start + (self.deadline_s if deadline_s is None else deadline_s)
        use_codec: Codec[T] = codec if codec is not None else JsonCodec()
        results: dict[str, SourceResult[T]] = {}
        pending: dict[cf.Future[None], _Attempt[T]] = {}
        for name, call in calls.items():
            key = self.cache.key(cache_key, name) if self.cache and cache_key is not None else None
            cached = self.cache.get(key, use_codec) if self.cache and key else None
            if self.cache and cached and cached.age_s < self.cache.policy.fresh_s:
                results[name] = SourceResult("ok", cached.value, 0, cached.age_s)
                continue
            if self.cache and key and cached and cached.age_s < self.cache.policy.revalidate_s:
                results[name] = SourceResult("stale", cached.value, 0, cached.age_s, "revalidating")
                self._revalidate(name, call, key, use_codec, retry)
                continue
            attempt = _Attempt(name, call, started=start, deadline=min(start + self._timeout(name), deadline),
                               cached=cached, key=key, codec=use_codec, retry=retry)
            refused = self._admit(attempt)
            if refused is not None:
                results[name] = refused
                continue
            if meanwhile is not None:
                attempt.begun = self._clock.event()
            pending[self._executor.submit(self._run, attempt)] = attempt
        try:
            if meanwhile is not None:
                self._until_begun(pending.values())
                meanwhile()
        finally:
            self._wait(pending, results)
        ordered = {name: results[name] for name in calls}
        return Gathered(ordered, _ms(self._clock.monotonic() - start))

    def _until_begun(self, attempts: Iterable[_Attempt[T]]) -> None:
        """Block until a worker has taken up each attempt (or its deadline passes): the caller's own work then
        runs beside the calls instead of holding up their start."""
        for attempt in attempts:
            if attempt.begun is not None:
                self._clock.wait_event(attempt.begun, attempt.deadline - self._clock.monotonic())

    def _wait(self, pending: dict[cf.Future[None], _Attempt[T]], results: dict[str, SourceResult[T]]) -> None:
        """Collect each attempt into ``results`` as it answers or reaches its deadline."""
        while pending:
            now = self._clock.monotonic()
            for future, attempt in list(pending.items()):
                if future.done() or attempt.deadline <= now:
                    results[attempt.name] = self._collect(attempt, now)
                    del pending[future]
            if pending:
                self._clock.wait_futures(pending, min(a.deadline for a in pending.values()) - now)

    def _collect(self, attempt: _Attempt[T], now: float) -> SourceResult[T]:
        """Take the worker's outcome, or settle the attempt as timed out (counted by the breaker)."""
        if attempt.settle(self._failure(attempt, "timeout", now)):
            self.breaker(attempt.name).record_failure()
            self.observer.department_call(attempt.name, "timeout")
        assert attempt.outcome is not None
        return attempt.outcome

    def _admit(self, attempt: _Attempt[T]) -> SourceResult[T] | None:
        """Take a bulkhead slot and the breaker's permission, or return why not (busy / circuit_open)."""
        bulkhead = self.bulkhead(attempt.name)
        if not bulkhead.try_acquire():
            self.observer.department_call(attempt.name, call_outcome("busy"))
            return self._failure(attempt, "busy", attempt.started)
        if not self.breaker(attempt.name).allow():
            bulkhead.release()
            self.observer.department_call(attempt.name, call_outcome("circuit_open"))
            return self._failure(attempt, "circuit_open", attempt.started)
        return None

    def _failure(self, attempt: _Attempt[T], reason: str, now: float) -> SourceResult[T]:
        """Describe a failed source, serving the cached answer as stale if it is young enough."""
        latency = _ms(now - attempt.started)
        cached = attempt.cached
        if self.cache and cached and cached.age_s < self.cache.policy.stale_if_error_s:
            return SourceResult("stale", cached.value, latency, cached.age_s, reason, attempt.attempts)
        state = reason if reason in ("timeout", "circuit_open") else "error"
        return SourceResult(state, None, latency, None, reason, attempt.attempts)

    def _revalidate(self, name: str, call: SourceCall[T], key: str, codec: Codec[T], retry: bool) -> None:
        """Refresh a stale cache entry in the background, at most one refresh per entry at a time."""
        with self._lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)
        now = self._clock.monotonic()
        attempt = _Attempt(name, call, started=now, deadline=now + self._timeout(name), cached=None, key=key,
                           codec=codec, retry=retry, background=True)
        if self._admit(attempt) is not None:
            self._refreshing.discard(key)
            return
        future = self._executor.submit(self._run, attempt)
        future.add_done_callback(lambda _: self._refreshing.discard(key))

    # -- the worker side ----------------------------------------------------------------------------------
    def _run(self, attempt: _Attempt[T]) -> None:
        """Call the source (retrying once if allowed), settle the outcome, then free the bulkhead slot."""
        if attempt.begun is not None:
            attempt.begun.set()
        breaker = self.breaker(attempt.name)
        try:
            self._call_with_retry(attempt, breaker)
        finally:
            self.bulkhead(attempt.name).release()

    def _call_with_retry(self, attempt: _Attempt[T], breaker: CircuitBreaker) -> None:
        error: DepartmentError | None = None
        for number in (1, 2):
            remaining = attempt.deadline - self._clock.monotonic()
            if remaining <= 0:
                break
            attempt.attempts = number
            try:
                value = attempt.call(remaining)
            except DepartmentError as exc:
                error = exc
            except Exception as exc:  # a bug in a call must not leave the source unsettled
                error = DepartmentError(attempt.name, f"{type(exc).__name__}: {exc}")
            else:
                return self._succeed(attempt, value, breaker)
            backoff = self._backoff * (0.5 + self._random())
            if (number == 2 or not attempt.retry or not error.retryable
                    or breaker.state is not BreakerState.CLOSED
                    or self._clock.monotonic() + backoff >= attempt.deadline):
                break
            breaker.record_failure()  # the first attempt counts; the retry settles the outcome
            if breaker.state is not BreakerState.CLOSED:
                break
            self._clock.sleep(backoff)
        now = self._clock.monotonic()
        reason = error.reason if error else "timeout"
        result = self._failure(attempt, reason, now)
        if attempt.settle(result):
            self.observer.department_call(attempt.name, call_outcome(reason))
            if error is None or error.trips_breaker:
                breaker.record_failure()
            else:
                breaker.record_success()  # a rejection proves the department is up

    def _succeed(self, attempt: _Attempt[T], value: T, breaker: CircuitBreaker) -> None:
        now = self._clock.monotonic()
        if self.cache and attempt.key:
            self.cache.put(attempt.key, value, attempt.codec)  # even a late answer refreshes the cache
        result = SourceResult("ok", value, _ms(now - attempt.started), 0.0, None, attempt.attempts)
        if attempt.settle(result):
            late = attempt.background and now > attempt.deadline
            self.observer.department_call(attempt.name, call_outcome("timeout" if late else None))
            if late:
                breaker.record_failure()
            else:
                breaker.record_success()


def _records_call(port: CitizenRecords, citizen: Citizen) -> SourceCall[CitizenRecord]:
    def call(timeout: float) -> CitizenRecord:
        return port.records(citizen, timeout=timeout)

    return call
