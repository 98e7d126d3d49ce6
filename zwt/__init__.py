"""Zhengwutong web service: the composition root ``create_app`` and nothing that runs at import."""

from __future__ import annotations

import concurrent.futures as cf
from typing import TYPE_CHECKING, Any, Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .clock import Clock, SystemClock
from .config import Config
from .container import Services
from .db import Database
from .pii import PiiCipher
from .shared_state import DatabaseSharedState, RedisSharedState, SharedState

if TYPE_CHECKING:
    from applications.files import BlobStore
    from services_catalog.clock import WaitingClock
    from services_catalog.departments import Departments
    from services_catalog.fence import Fence
    from services_catalog.ports import CreditPlatform, LicenseFeed
    from services_catalog.proofing import Proofing

__all__ = ["create_app"]


def create_app(config: Config | Mapping[str, Any] | None = None, *, clock: Clock | None = None,
               shared_state: SharedState | None = None, departments: Departments | None = None,
               department_clock: WaitingClock | None = None,
               department_executor: cf.Executor | None = None, proofing: Proofing | None = None,
               license_feeds: Mapping[str, LicenseFeed] | None = None, files: BlobStore | None = None,
               credit_platform: CreditPlatform | None = None) -> Flask:
    """Build the app: choose the database, shared state, clock, departments and keys.

    ``config`` is a ``Config`` or a mapping of ``ZWT_*`` names overriding the environment.
    ``departments`` replaces the configured department systems (tests pass sandboxes or fakes);
    ``department_clock`` and ``department_executor`` replace the home-screen aggregator's clock (which
    otherwise reads wall time from ``clock`` and waits in real time) and its thread pool. ``proofing``
    replaces the configured SMS, carrier and liveness services (tests pass a sandbox they steer);
    ``license_feeds`` the departments' license change feeds (``ZWT_LICENSE_FEEDS``, else in-process sandboxes);
    ``files`` the store of uploaded files (``ZWT_UPLOAD_STORE``).
    ``credit_platform`` the public credit platform (``ZWT_CREDIT_PLATFORM``, else the in-process sandbox).
    """
    cfg = config if isinstance(config, Config) else Config.from_env(overrides=config)
    app = Flask(__name__, instance_relative_config=False)
    from .http import ApiRequest

    app.request_class = ApiRequest
    app.config.update(SECRET_KEY=cfg.secret_key, TESTING=cfg.testing, DEBUG=cfg.debug,
                      MAX_CONTENT_LENGTH=cfg.max_content_length, JSON_SORT_KEYS=False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if cfg.trust_proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=cfg.trust_proxy_hops,  # type: ignore[method-assign]
                                x_proto=cfg.trust_proxy_hops)

    db = Database(cfg.database_url)
    db.init_app(app)
    redis_client = None
    if shared_state is None:
        if cfg.redis_url:
            import redis

            redis_client = redis.Redis.from_url(cfg.redis_url, socket_timeout=2, socket_connect_timeout=2)
            shared_state = RedisSharedState(redis_client, prefix=cfg.redis_prefix)
        else:
            shared_state = DatabaseSharedState(db.engine)
    clock = clock or SystemClock()
    departments = departments if departments is not None else _configured_departments(cfg)
    proofing = proofing if proofing is not None else _configured_proofing(cfg)
    license_feeds = license_feeds if license_feeds is not None else _configured_license_feeds(cfg)
    credit_platform = credit_platform if credit_platform is not None else _configured_credit_platform(cfg)
    from .applications.runtime import build_applications_runtime
    from .auth.tokens import TokenGate
    from .auth.verified import VerifiedTokens
    from .catalog.runtime import build_catalog_runtime
    from services_catalog.breaker import BreakerState

    from .metrics import Metrics, multiprocess_dir
    from .uploads.store import configured_store
    from .wallet_service.runtime import WalletRuntime

    metrics = Metrics(multiprocess_path=multiprocess_dir())  # one per app: see zwt.metrics.registry

    svc = Services(config=cfg, db=db, clock=clock,
                   pii=PiiCipher(cfg.pii_keys, cfg.pii_active_version, cfg.blind_index_key),
                   shared=shared_state, redis=redis_client, departments=departments, proofing=proofing,
                   tokens=TokenGate(shared_state, clock, VerifiedTokens(clock)),
                   catalog=build_catalog_runtime(cfg, clock, departments, redis_client,
                                                 department_clock=department_clock,
                                                 department_executor=department_executor,
                                                 observer=metrics),
                   wallet=WalletRuntime(), metrics=metrics, credit=credit_platform, license_feeds=license_feeds,
                   files=files if files is not None else configured_store(cfg),
                   applications=build_applications_runtime(cfg))
    from .catalog.repository import CHANGED_MARK
    from .wallet_service.keys import WALLET_CHANGED

    db.on_marked_end(CHANGED_MARK, svc.catalog.generations.invalidate)  # a worker sees its own writes at once
    db.on_marked_end(WALLET_CHANGED, svc.wallet.recheck_bundle)
    app.extensions["zwt"] = svc
    for code in departments:
        metrics.breaker_state(code, BreakerState.CLOSED)  # every department's series exists from the start

    from . import cli, ops
    from .auth import views as auth_views
    from .auth import views_me as account_views
    from .auth.tokens import init_jwt
    from .catalog import admin_views as services_admin
    from .docs import init_docs
    from .errors import register_error_handlers
    from .logging_setup import init_request_logging

    register_error_handlers(app)
    from .http import no_content_is_empty, refuse_unstorable_text

    refuse_unstorable_text(app)
    no_content_is_empty(app)
    from .security_headers import init_security_headers

    init_security_headers(app)
    init_jwt(app, svc)
    init_request_logging(app, cfg.log_level)
    from .metrics.views import bp as metrics_bp
    from .metrics.views import init_request_metrics

    init_request_metrics(app, svc)
    app.register_blueprint(ops.bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(account_views.bp)
    from .wallet_service import init_wallet_service

    init_wallet_service(app, svc)
    from .issuers import init_issuers

    init_issuers(app, svc)
    from .shared_data import init_shared_data

    init_shared_data(app)
    from .credit import bp as credit_bp

    app.register_blueprint(credit_bp)
    from .applications import init_applications

    init_applications(app, svc)
    from .ratings import init_ratings

    init_ratings(app)
    app.register_blueprint(services_admin.bp)
    from .catalog.views_citizen import bp as catalog_bp

    app.register_blueprint(catalog_bp)
    from .counter import bp as counter_bp

    app.register_blueprint(counter_bp)
    from .wallet_page import bp as wallet_page_bp

    app.register_blueprint(wallet_page_bp)
    from .uploads import init_uploads

    init_uploads(app)
    init_docs(app)
    cli.register(app)
    return app


def _department_fence(cfg: Config) -> Fence:
    """The networks outside systems must resolve into (``ZWT_DEPARTMENT_NETWORKS``) and the answer size cap."""
    from services_catalog.fence import Fence, parse_networks

    return Fence({code: parse_networks(nets) for code, nets in cfg.department_networks},
                 max_bytes=cfg.department_max_bytes)


def _configured_departments(cfg: Config) -> Departments:
    """Real department systems from ``ZWT_DEPARTMENTS``, else the in-process sandboxes."""
    if cfg.departments:
        from services_catalog.departments import Departments

        return Departments.from_config(cfg.departments, fence=_department_fence(cfg))
    from services_catalog.sandbox import DEMO_DEPARTMENTS, sandbox_departments

    return sandbox_departments(departments=DEMO_DEPARTMENTS, registry_path=cfg.sandbox_registry_path,
                               latency_ms=dict(cfg.sandbox_latency_ms))


def _configured_license_feeds(cfg: Config) -> dict[str, LicenseFeed]:
    """Departments' license feeds at ``ZWT_LICENSE_FEEDS``, else the in-process feed sandboxes of the demo."""
    if cfg.license_feeds is not None:
        import httpx

        from services_catalog.adapters import LicenseFeedAdapter

        limits = httpx.Limits(max_connections=4, max_keepalive_connections=2)
        return {code: LicenseFeedAdapter(code, httpx.Client(base_url=url, limits=limits))
                for code, url in cfg.license_feeds}
    from services_catalog.sandbox import sandbox_license_feeds

    feeds, _clients = sandbox_license_feeds()  # in-process: the clients hold no sockets
    return dict(feeds)


def _configured_credit_platform(cfg: Config) -> CreditPlatform:
    """The credit platform at ``ZWT_CREDIT_PLATFORM`` behind the department fence, else the in-process sandbox."""
    from services_catalog.sandbox.registry import PeopleRegistry

    if cfg.credit_platform:
        from services_catalog.adapters import CreditPlatformAdapter

        return CreditPlatformAdapter(_department_fence(cfg).client("credit", cfg.credit_platform))
    from services_catalog.sandbox.credit import CreditSandbox, sandbox_credit_platform

    return sandbox_credit_platform(CreditSandbox(registry=PeopleRegistry(cfg.sandbox_registry_path)))


def _configured_proofing(cfg: Config) -> Proofing:
    """The proofing gateway at ``ZWT_PROOFING_URL``, else the in-process telecom sandbox over the same people."""
    from services_catalog.proofing import Proofing, sandbox_proofing
    from services_catalog.sandbox.registry import PeopleRegistry

    if cfg.proofing_url:
        return Proofing.from_config(cfg.proofing_url, token=cfg.proofing_token)
    return sandbox_proofing(registry=PeopleRegistry(cfg.sandbox_registry_path), outbox_path=cfg.sms_outbox_path,
                            liveness_path=cfg.liveness_sessions_path)
