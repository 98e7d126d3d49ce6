"""Load harness (issue 17): two gunicorn nodes on PostgreSQL + Redis driven by locust, headless.

``python -m bench.load [--short]`` (``make bench-load`` / ``make bench-load-short``) provisions a scratch
database, starts the nodes, runs the four scenarios of docs/BENCHMARKS.md ("## Load") and prints a table per
run. Modules: ``nodes`` (scratch database, node processes, worker kills), ``people`` (citizens and counters
created through the service's own code paths), ``users`` (the locust users and their mix), ``tally`` (what the
service acknowledged, counted again in the database), ``report`` (tables, targets, CPU per process).
Only ``users`` and ``__main__`` import locust (the ``bench`` extra); ``tally`` is tested in ``make test``.
"""
