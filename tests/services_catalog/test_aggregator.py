"""The aggregator in virtual time: every source state, breakers, retries, bulkheads, deadlines and the cache."""

from __future__ import annotations

import json
from typing import Iterator

import pytest

from services_catalog.aggregator import Aggregator
from services_catalog.breaker import BreakerPolicy, BreakerState
from services_catalog.cache import CachePolicy, MemoryStore, ResultCache
from services_catalog.errors import DepartmentUnavailable
from services_catalog.results import Overview
from services_catalog.sandbox import SandboxDepartments, sandbox_departments
from services_catalog.sandbox.citizens import KIND_LICENSE_TYPES
from services_catalog.testing import DEMO_CITIZENS, ManualClock, VirtualTimeExecutor

CITIZEN = DEMO_CITIZENS[0].citizen
OTHER = DEMO_CITIZENS[1].citizen
LATENCY_MS = {"police": 100, "hrss": 200, "housing_fund": 300}


@pytest.fixture
def departments(clock: ManualClock) -> Iterator[SandboxDepartments]:
    deps = sandbox_departments(latency_ms=LATENCY_MS, clock=clock)
    yield deps
    deps.close()


@pytest.fixture
def store(clock: ManualClock) -> MemoryStore:
    return MemoryStore(clock)


def make(departments: SandboxDepartments, clock: ManualClock, executor: VirtualTimeExecutor,
         store: MemoryStore | None = None, **options: object) -> Aggregator:
    """Build an aggregator on the virtual clock with a fixed random source unless told otherwise."""
    settings: dict[str, object] = {"deadline_s": 1.0, "per_source_timeout_s": 0.8, "random": lambda: 0.5,
                                   "breaker_policy": BreakerPolicy(3, 30.0, 10.0)}
    if store is not None:
        settings["cache"] = ResultCache(store, clock=clock, policy=CachePolicy(10.0, 60.0, 600.0),
                                        key_secret=b"test")
    settings.update(options)
    return Aggregator(departments, clock=clock, executor=executor, **settings)  # type: ignore[arg-type]


@pytest.fixture
def agg(departments: SandboxDepartments, clock: ManualClock, executor: VirtualTimeExecutor) -> Aggregator:
    return make(departments, clock, executor)


@pytest.fixture
def cached(departments: SandboxDepartments, clock: ManualClock, executor: VirtualTimeExecutor,
           store: MemoryStore) -> Aggregator:
    return make(departments, clock, executor, store)


def states(overview: Overview) -> dict[str, str]:
    """Return each source's state."""
    return {code: r.state for code, r in overview.sources.items()}


# -- ok, timeout, error -------------------------------------------------------------------------------------

def test_all_ok_returns_when_the_slowest_answers(agg: Aggregator, clock: ManualClock) -> None:
    """Three departments at 0.1, 0.2 and 0.3 s: the overview is complete at 0.3 s with their latencies."""
    overview = agg.overview(CITIZEN)
    assert clock.monotonic() == pytest.approx(0.3)
    assert states(overview) == {"police": "ok", "hrss": "ok", "housing_fund": "ok"}
    assert {c: r.latency_ms for c, r in overview.sources.items()} == LATENCY_MS
    assert all(r.age_s == 0.0 and r.attempts == 1 for r in overview.sources.values())
    assert {lic.license_type for lic in overview.licenses} == {lic.license_type for lic in DEMO_CITIZENS[0].licenses}
    assert overview.social_security == DEMO_CITIZENS[0].social_security
    assert overview.housing_fund == DEMO_CITIZENS[0].housing_fund


def test_overview_is_json_ready(agg: Aggregator) -> None:
    """The overview dict names every source with state, latency, age and reason, and serialises to JSON."""
    data = agg.overview(CITIZEN).to_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["complete"] is True
    assert data["sources"]["hrss"] == {"state": "ok", "latency_ms": 200, "age_s": 0.0, "reason": None,
                                       "attempts": 1}
    assert data["housing_fund"]["balance_fen"] == DEMO_CITIZENS[0].housing_fund.balance_fen  # type: ignore[union-attr]


def test_hung_source_times_out_at_its_timeout(agg: Aggregator, departments: SandboxDepartments,
                                              clock: ManualClock) -> None:
    """A hung housing fund is reported ``timeout`` at its 0.8 s timeout while the others answered."""
    departments.scripts["housing_fund"].set(fault="hang")
    overview = agg.overview(CITIZEN)
    assert clock.monotonic() == pytest.approx(0.8)
    assert states(overview) == {"police": "ok", "hrss": "ok", "housing_fund": "timeout"}
    fund = overview.sources["housing_fund"]
    assert (fund.latency_ms, fund.reason, fund.value, fund.age_s) == (800, "timeout", None, None)
    assert overview.housing_fund is None and not overview.to_dict()["complete"]


def test_overall_deadline_caps_per_source_timeouts(departments: SandboxDepartments, clock: ManualClock,
                                                   executor: VirtualTimeExecutor) -> None:
    """A short per-source timeout fires first; a longer one is cut at the overall deadline."""
    timeouts = {"police": 0.5, "hrss": 2.0, "housing_fund": 2.0}
    agg = make(departments, clock, executor, per_source_timeout_s=timeouts)
    departments.scripts["police"].set(fault="hang")
    departments.scripts["hrss"].set(fault="hang")
    overview = agg.overview(CITIZEN)
    assert clock.monotonic() == pytest.approx(1.0)
    assert overview.sources["police"].latency_ms == 500 and overview.sources["hrss"].latency_ms == 1000
    assert states(overview) == {"police": "timeout", "hrss": "timeout", "housing_fund": "ok"}


@pytest.mark.parametrize(("fault", "reason", "calls"), [
    ({"fault": "5xx"}, "unavailable", 2),
    ({"fault": "refuse"}, "unavailable", 2),
    ({"fault": "malformed", "malformed": "bad_date"}, "malformed", 1),
    ({"fault": "4xx", "status": 403}, "rejected", 1),
])
def test_failures_are_errors_with_reasons(agg: Aggregator, departments: SandboxDepartments,
                                          fault: dict[str, object], reason: str, calls: int) -> None:
    """Each failure kind is ``error`` with its reason; only unavailability is retried."""
    departments.scripts["police"].set(**fault)
    result = agg.overview(CITIZEN).sources["police"]
    assert (result.state, result.reason, result.attempts, result.value) == ("error", reason, calls, None)
    assert departments.scripts["police"].operations() == ["records"] * calls


def test_unexpected_exception_in_a_call_is_an_error(agg: Aggregator) -> None:
    """A call that raises something other than DepartmentError still settles as ``error``."""
    def broken(timeout: float) -> int:
        raise KeyError("bug")

    gathered = agg.gather({"x": broken, "y": lambda timeout: 42})
    assert gathered.sources["x"].state == "error" and gathered.values() == {"y": 42}


def test_meanwhile_runs_while_the_calls_are_under_way(agg: Aggregator, clock: ManualClock) -> None:
    """The caller's own work runs once every call has begun and takes none of their time: the fan-out still
    ends when the slowest source answers."""
    begun: list[str] = []
    seen: list[tuple[float, list[str]]] = []

    def slow(name: str, seconds: float):  # noqa: ANN202 - a source call
        def call(timeout: float) -> str:
            begun.append(name)
            clock.sleep(seconds)
            return name
        return call

    def meanwhile() -> None:
        seen.append((clock.monotonic(), sorted(begun)))
        clock.sleep(0.05)

    gathered = agg.gather({"a": slow("a", 0.1), "b": slow("b", 0.2)}, meanwhile=meanwhile)
    assert seen == [(0.0, ["a", "b"])]
    assert gathered.values() == {"a": "a", "b": "b"} and clock.monotonic() == pytest.approx(0.2)


def test_a_failing_meanwhile_still_collects_every_source(agg: Aggregator, clock: ManualClock) -> None:
    """If the caller's work raises, the sources are waited for and settled before the exception goes on."""
    settled: list[str] = []

    def call(timeout: float) -> int:
        clock.sleep(0.1)
        settled.append("a")
        return 1

    def meanwhile() -> None:
        raise LookupError("caller's own failure")

    with pytest.raises(LookupError):
        agg.gather({"a": call}, meanwhile=meanwhile)
    assert settled == ["a"] and clock.monotonic() == pytest.approx(0.1)


# -- retry -----------------------------------------------------------------------------------------------

def test_one_jittered_retry_recovers(agg: Aggregator, departments: SandboxDepartments) -> None:
    """A single 5xx is retried once after the jittered back-off and the source ends ``ok``."""
    script = departments.scripts["police"].then(fault="5xx")
    result = agg.overview(CITIZEN).sources["police"]
    assert (result.state, result.attempts) == ("ok", 2)
    # failed at 0.1, backed off 0.05 * (0.5 + 0.5), answered after another 0.1
    assert [c.at for c in script.calls] == pytest.approx([0.0, 0.15])
    assert result.latency_ms == 250


def test_retry_back_off_uses_the_injected_randomness(departments: SandboxDepartments, clock: ManualClock,
                                                     executor: VirtualTimeExecutor) -> None:
    """The back-off is base * (0.5 + random()), so the injected random source decides when the retry goes."""
    agg = make(departments, clock, executor, random=lambda: 0.9, retry_backoff_s=0.1)
    script = departments.scripts["police"].then(fault="5xx")
    agg.overview(CITIZEN)
    assert [c.at for c in script.calls] == pytest.approx([0.0, 0.24])


def test_no_retry_without_time_left(departments: SandboxDepartments, clock: ManualClock,
                                    executor: VirtualTimeExecutor) -> None:
    """A failure at 0.7 s with 0.15 s of back-off would end past the 0.8 s timeout, so it is not retried."""
    agg = make(departments, clock, executor, retry_backoff_s=0.15)
    script = departments.scripts["police"].set(latency_s=0.7).then(fault="5xx")
    result = agg.overview(CITIZEN).sources["police"]
    assert (result.state, result.attempts, result.latency_ms) == ("error", 1, 700)
    assert len(script.calls) == 1


def test_retry_gets_only_the_remaining_time(agg: Aggregator, departments: SandboxDepartments,
                                            clock: ManualClock) -> None:
    """A retry that would answer after the per-source timeout is cut off there as ``timeout``."""
    script = departments.scripts["police"].set(latency_s=0.4).then(fault="5xx")
    result = agg.overview(CITIZEN).sources["police"]
    assert (result.state, result.attempts, result.latency_ms) == ("timeout", 2, 800)
    assert len(script.calls) == 2 and clock.monotonic() == pytest.approx(0.8)


# -- circuit breaker ---------------------------------------------------------------------------------------

def test_breaker_opens_after_n_failures_and_skips_the_department(agg: Aggregator, departments: SandboxDepartments,
                                                                 clock: ManualClock) -> None:
    """Three malformed answers open police's breaker; then it is ``circuit_open`` without being called."""
    script = departments.scripts["police"].set(fault="malformed")
    for _ in range(3):
        assert agg.overview(CITIZEN).sources["police"].state == "error"
    assert agg.breaker("police").state is BreakerState.OPEN
    before = clock.monotonic()
    result = agg.overview(CITIZEN).sources["police"]
    assert (result.state, result.reason, result.latency_ms, result.attempts) == ("circuit_open", "circuit_open", 0, 0)
    assert len(script.calls) == 3 and clock.monotonic() - before == pytest.approx(0.3)


def test_timeouts_count_against_the_breaker(agg: Aggregator, departments: SandboxDepartments) -> None:
    """Three timeouts open the breaker, after which the hung department is no longer waited for."""
    departments.scripts["housing_fund"].set(fault="hang")
    for _ in range(3):
        assert agg.overview(CITIZEN).sources["housing_fund"].state == "timeout"
    assert agg.overview(CITIZEN).sources["housing_fund"].state == "circuit_open"


def test_client_errors_do_not_trip_the_breaker(agg: Aggregator, departments: SandboxDepartments) -> None:
    """Ten 4xx answers leave the breaker closed: the department is up, the request was wrong."""
    script = departments.scripts["police"].set(fault="4xx", status=400)
    for _ in range(10):
        assert agg.overview(CITIZEN).sources["police"].reason == "rejected"
    assert agg.breaker("police").state is BreakerState.CLOSED and len(script.calls) == 10


def test_failures_outside_the_window_are_forgotten(agg: Aggregator, departments: SandboxDepartments,
                                                   clock: ManualClock) -> None:
    """Two failures, 31 s of quiet, then one more: fewer than three within the 30 s window, still closed."""
    departments.scripts["police"].set(fault="malformed")
    agg.overview(CITIZEN)
    agg.overview(CITIZEN)
    clock.advance(31.0)
    agg.overview(CITIZEN)
    assert agg.breaker("police").state is BreakerState.CLOSED


def open_police(agg: Aggregator, departments: SandboxDepartments) -> None:
    """Open police's breaker with three malformed answers, then heal the department."""
    departments.scripts["police"].set(fault="malformed")
    for _ in range(3):
        agg.overview(CITIZEN)
    departments.scripts["police"].heal()
    assert agg.breaker("police").state is BreakerState.OPEN


def test_half_open_probe_success_closes(agg: Aggregator, departments: SandboxDepartments,
                                        clock: ManualClock) -> None:
    """After the 10 s cool-down one probe goes out; its success closes the breaker."""
    open_police(agg, departments)  # the third failure lands at 0.7 s
    clock.advance(9.0)
    assert agg.overview(CITIZEN).sources["police"].state == "circuit_open"
    clock.advance(1.0)
    assert agg.breaker("police").state is BreakerState.HALF_OPEN
    calls = len(departments.scripts["police"].calls)
    assert agg.overview(CITIZEN).sources["police"].state == "ok"
    assert len(departments.scripts["police"].calls) == calls + 1
    assert agg.breaker("police").state is BreakerState.CLOSED


def test_half_open_probe_failure_reopens(agg: Aggregator, departments: SandboxDepartments,
                                         clock: ManualClock) -> None:
    """A probe that fails is not retried and reopens the breaker for another full cool-down."""
    open_police(agg, departments)
    clock.advance(10.0)
    script = departments.scripts["police"].set(fault="5xx")
    calls = len(script.calls)
    result = agg.overview(CITIZEN).sources["police"]
    assert (result.state, result.attempts) == ("error", 1) and len(script.calls) == calls + 1
    assert agg.breaker("police").state is BreakerState.OPEN
    clock.advance(5.0)
    assert agg.overview(CITIZEN).sources["police"].state == "circuit_open"


def test_half_open_probe_that_hangs_reopens(agg: Aggregator, departments: SandboxDepartments,
                                            clock: ManualClock) -> None:
    """A probe that times out counts as a failure and reopens the breaker."""
    open_police(agg, departments)
    clock.advance(10.0)
    departments.scripts["police"].set(fault="hang")
    assert agg.overview(CITIZEN).sources["police"].state == "timeout"
    assert agg.breaker("police").state is BreakerState.OPEN


def test_half_open_admits_exactly_one_probe(agg: Aggregator, departments: SandboxDepartments,
                                            clock: ManualClock) -> None:
    """While the probe is in flight, other requests see ``circuit_open`` instead of piling on."""
    open_police(agg, departments)
    clock.advance(10.0)
    departments.scripts["police"].set(fault="hang")
    breaker = agg.breaker("police")
    assert breaker.allow() is True
    assert agg.overview(CITIZEN).sources["police"].state == "circuit_open"
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED


def test_open_breaker_answers_at_the_fastest_of_the_others(agg: Aggregator, departments: SandboxDepartments,
                                                           clock: ManualClock) -> None:
    """With the hung housing fund's breaker open, the overview is back when the slower of the others is."""
    departments.scripts["housing_fund"].set(fault="hang")
    for _ in range(3):
        agg.overview(CITIZEN)
    start = clock.monotonic()
    overview = agg.overview(CITIZEN)
    assert clock.monotonic() - start == pytest.approx(0.2)
    assert states(overview) == {"police": "ok", "hrss": "ok", "housing_fund": "circuit_open"}


# -- bulkhead ----------------------------------------------------------------------------------------------

def test_full_bulkhead_fails_fast_as_busy(departments: SandboxDepartments, clock: ManualClock,
                                          executor: VirtualTimeExecutor) -> None:
    """Hung calls keep their slots after timing out, so the next call fails fast as ``busy``."""
    agg = make(departments, clock, executor, bulkhead_size=1)
    script = departments.scripts["police"].set(fault="hang")
    assert agg.overview(CITIZEN).sources["police"].state == "timeout"
    assert agg.bulkhead("police").in_use == 1
    result = agg.overview(CITIZEN).sources["police"]
    assert (result.state, result.reason, result.latency_ms) == ("error", "busy", 0)
    assert len(script.calls) == 1
    script.heal()
    clock.settle()
    assert agg.bulkhead("police").in_use == 0
    assert agg.overview(CITIZEN).sources["police"].state == "ok"


# -- cache: fresh, stale-while-revalidate, stale-if-error ------------------------------------------------------

def test_fresh_cache_answers_without_calling(cached: Aggregator, departments: SandboxDepartments,
                                             clock: ManualClock) -> None:
    """Within the 10 s fresh period the overview comes from the cache, ``ok`` with its age, instantly."""
    cached.overview(CITIZEN)
    clock.advance(4.0)
    start = clock.monotonic()
    overview = cached.overview(CITIZEN)
    assert clock.monotonic() == start
    assert states(overview) == {"police": "ok", "hrss": "ok", "housing_fund": "ok"}
    assert overview.sources["police"].age_s == pytest.approx(4.2)  # police answered at 0.1 s
    assert overview.social_security == DEMO_CITIZENS[0].social_security
    assert all(len(s.calls) == 1 for s in departments.scripts.values())


def test_stale_while_revalidate(cached: Aggregator, departments: SandboxDepartments, clock: ManualClock) -> None:
    """Past the fresh period the cached answer is served ``stale`` at once and refreshed in the background."""
    cached.overview(CITIZEN)
    clock.advance(20.0)
    start = clock.monotonic()
    overview = cached.overview(CITIZEN)
    assert clock.monotonic() == start
    assert {r.state for r in overview.sources.values()} == {"stale"}
    assert overview.sources["hrss"].reason == "revalidating"
    assert overview.sources["hrss"].age_s == pytest.approx(20.1)
    assert overview.housing_fund == DEMO_CITIZENS[0].housing_fund
    clock.advance(0.3)
    assert all(len(s.calls) == 2 for s in departments.scripts.values())
    again = cached.overview(CITIZEN)
    assert states(again) == {"police": "ok", "hrss": "ok", "housing_fund": "ok"}
    assert again.sources["police"].age_s == pytest.approx(0.2)


def test_revalidation_runs_once_per_entry(cached: Aggregator, departments: SandboxDepartments,
                                          clock: ManualClock) -> None:
    """Two stale reads while a refresh is in flight start only one refresh per department."""
    cached.overview(CITIZEN)
    clock.advance(20.0)
    cached.overview(CITIZEN)
    cached.overview(CITIZEN)
    clock.advance(1.0)
    assert all(len(s.calls) == 2 for s in departments.scripts.values())


@pytest.mark.parametrize(("fault", "reason"), [("5xx", "unavailable"), ("hang", "timeout"),
                                               ("malformed", "malformed")])
def test_stale_if_error_serves_the_last_answer_with_its_age(cached: Aggregator, departments: SandboxDepartments,
                                                            clock: ManualClock, fault: str, reason: str) -> None:
    """Past the revalidate period a failing department is served ``stale`` with its age and the reason."""
    cached.overview(CITIZEN)
    clock.advance(100.0)
    departments.scripts["police"].set(fault=fault)
    result = cached.overview(CITIZEN).sources["police"]
    assert (result.state, result.reason) == ("stale", reason)
    assert result.age_s == pytest.approx(100.2)
    expected = tuple(lic for lic in DEMO_CITIZENS[0].licenses if lic.license_type in KIND_LICENSE_TYPES["police"])
    assert result.value is not None and result.value.licenses == expected


def test_stale_if_error_when_the_circuit_is_open(cached: Aggregator, departments: SandboxDepartments,
                                                 clock: ManualClock) -> None:
    """An open breaker still lets the last good answer through as ``stale`` with reason circuit_open."""
    cached.overview(CITIZEN)
    clock.advance(100.0)
    departments.scripts["police"].set(fault="malformed")
    for _ in range(3):
        cached.overview(CITIZEN)
    result = cached.overview(CITIZEN).sources["police"]
    assert (result.state, result.reason, result.latency_ms) == ("stale", "circuit_open", 0)


def test_too_old_to_serve_is_an_error(cached: Aggregator, departments: SandboxDepartments,
                                      clock: ManualClock) -> None:
    """Past the 600 s stale-if-error limit a failure is reported without data."""
    cached.overview(CITIZEN)
    clock.advance(601.0)
    departments.scripts["police"].set(fault="5xx")
    result = cached.overview(CITIZEN).sources["police"]
    assert (result.state, result.value, result.age_s) == ("error", None, None)


def test_cache_is_per_citizen(cached: Aggregator, departments: SandboxDepartments, store: MemoryStore) -> None:
    """Another citizen's overview is fetched for them, never served from the first citizen's entries."""
    cached.overview(CITIZEN)
    other = cached.overview(OTHER)
    assert {lic.holder_id_number for lic in other.licenses} == {OTHER.id_number}
    assert all(len(s.calls) == 2 for s in departments.scripts.values())
    assert len(store) == 6


def test_cache_keys_do_not_reveal_id_numbers(cached: Aggregator, store: MemoryStore) -> None:
    """Store keys are keyed hashes: no ID number or name appears in them."""
    cached.overview(CITIZEN)
    keys = list(store._data)
    assert keys and all(CITIZEN.id_number not in k and CITIZEN.id_number[-6:] not in k for k in keys)


def test_late_answer_refreshes_the_cache_not_the_result(cached: Aggregator, departments: SandboxDepartments,
                                                        clock: ManualClock) -> None:
    """An answer arriving after the timeout stays ``timeout`` in that response but is cached for the next."""
    departments.scripts["police"].set(latency_s=1.2)
    assert cached.overview(CITIZEN).sources["police"].state == "timeout"
    clock.advance(0.5)
    result = cached.overview(CITIZEN).sources["police"]
    assert (result.state, result.attempts) == ("ok", 0)
    assert result.age_s == pytest.approx(0.1)


def test_cache_outage_degrades_to_live_calls(departments: SandboxDepartments, clock: ManualClock,
                                             executor: VirtualTimeExecutor) -> None:
    """A store that raises (Redis down) is skipped: the overview is fetched live."""
    class BrokenStore:
        def get(self, key: str) -> bytes | None:
            raise ConnectionError("redis down")

        def set(self, key: str, value: bytes, ttl_s: float) -> None:
            raise ConnectionError("redis down")

    agg = Aggregator(departments, clock=clock, executor=executor,
                     cache=ResultCache(BrokenStore(), clock=clock))
    assert set(states(agg.overview(CITIZEN)).values()) == {"ok"}


def test_gather_caches_plain_json_values(cached: Aggregator, clock: ManualClock) -> None:
    """The generic gather caches JSON values per source under the caller's key."""
    calls = {"a": lambda timeout: {"n": 1}}
    assert cached.gather(calls, cache_key="k").sources["a"].value == {"n": 1}

    def fail(timeout: float) -> dict[str, int]:
        raise DepartmentUnavailable("a", "down")

    clock.advance(100.0)
    result = cached.gather({"a": fail}, cache_key="k").sources["a"]
    assert (result.state, result.value) == ("stale", {"n": 1})
    assert result.age_s == pytest.approx(100.0)


# -- the observer ------------------------------------------------------------------------------------------

class Recorder:
    """An observer that records what it hears, as the service's metrics count it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.moves: list[tuple[str, BreakerState]] = []

    def department_call(self, department: str, outcome: str) -> None:
        self.calls.append((department, outcome))

    def breaker_state(self, department: str, state: BreakerState) -> None:
        self.moves.append((department, state))


def test_the_observer_hears_every_call_outcome_and_breaker_move(departments: SandboxDepartments,
                                                                clock: ManualClock,
                                                                executor: VirtualTimeExecutor) -> None:
    """Each call is reported once with its outcome (a refused one as ``breaker_open``), and each breaker move
    with the new state: open after three failures, half-open for the probe, closed once it succeeds."""
    from collections import Counter

    recorder = Recorder()
    agg = make(departments, clock, executor, observer=recorder)
    departments.scripts["police"].set(fault="malformed")
    departments.scripts["housing_fund"].set(fault="hang")
    for _ in range(4):
        agg.overview(CITIZEN)
    assert Counter(recorder.calls) == {("police", "error"): 3, ("police", "breaker_open"): 1, ("hrss", "ok"): 4,
                                       ("housing_fund", "timeout"): 3, ("housing_fund", "breaker_open"): 1}
    assert recorder.moves == [("police", BreakerState.OPEN), ("housing_fund", BreakerState.OPEN)]
    departments.scripts["police"].heal()
    clock.advance(10.0)
    assert agg.overview(CITIZEN).sources["police"].state == "ok"
    assert [state for code, state in recorder.moves if code == "police"] == [
        BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED]
    assert recorder.calls.count(("police", "ok")) == 1
