"""The worker's cached catalog generation: re-read after max_age, at once after an invalidation, and a
read that straddles an invalidation is not kept."""

from __future__ import annotations

from zwt.catalog.freshness import GenerationCache
from zwt.catalog.repository import bump_catalog_generation, generation
from zwt.clock import FixedClock
from zwt.db import session


def test_generation_is_reread_after_max_age_and_after_invalidation(app, clock):
    """Within max_age the cached value stands; past it, or once invalidated, the database answers."""
    cache = GenerationCache(2.0, clock)
    with app.app_context():
        start = cache.get(session())
        with app.extensions["zwt"].db.sessions() as other:  # another node commits a change
            bump_catalog_generation(other)
            other.commit()
        assert cache.get(session()) == start
        clock.advance(2)
        assert cache.get(session()) == start + 1
        with app.extensions["zwt"].db.sessions() as other:
            bump_catalog_generation(other)
            other.commit()
        cache.invalidate()
        assert cache.get(session()) == start + 2


def test_a_read_that_straddles_an_invalidation_is_not_kept(app):
    """A value read before another thread's commit is returned once but not cached."""
    reads: list[int] = []

    def read_while_another_thread_commits(sess):
        reads.append(generation(sess))
        if len(reads) == 1:
            cache.invalidate()  # the other thread's commit lands while this read is in flight
        return reads[-1]

    cache = GenerationCache(60.0, FixedClock(), read=read_while_another_thread_commits)
    with app.app_context():
        cache.get(session())
        cache.get(session())
        cache.get(session())
    assert len(reads) == 2  # the straddling read was not kept; the next one was
