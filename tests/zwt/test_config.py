"""Configuration comes from ZWT_* variables; production refuses unsafe settings and says why."""

from __future__ import annotations

import base64
import os
from dataclasses import fields
from pathlib import Path

import pytest

from zwt import create_app
from zwt.config import DEV_SECRET, Config, ConfigError, declared, normalize_database_url, variable
from zwt.config_doc import MARKS, main, markdown_table, readme_with_table

STRONG = {
    "ZWT_ENV": "production", "ZWT_SECRET_KEY": "s" * 48,
    "ZWT_DATABASE_URL": "postgresql://app@db/zwt",
    "ZWT_PII_KEYS": "1:" + base64.b64encode(os.urandom(32)).decode(),
    "ZWT_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
    "ZWT_KEY_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
    "ZWT_PUBLIC_BASE_URL": "https://zwt.example.gov.cn",
}


def test_strong_production_settings_are_accepted():
    """A complete production configuration loads, with the psycopg driver selected."""
    cfg = Config.from_env(STRONG)
    assert cfg.is_production and cfg.database_url.startswith("postgresql+psycopg://")


def test_configured_departments_are_fenced_by_their_networks():
    """Production names each department's networks; the app's clients refuse an address outside them."""
    departments = {"ZWT_DEPARTMENTS": "police=police@http://10.12.0.7/api,hrss=hrss@http://127.0.0.1:9/api",
                   "ZWT_DEPARTMENT_NETWORKS": "police=10.13.0.0/16,hrss=127.0.0.0/8"}
    assert Config.from_env(STRONG | departments).department_networks[0] == ("police", ("10.13.0.0/16",))
    app = create_app({**departments, "ZWT_DATABASE_URL": "sqlite://"})
    from services_catalog.errors import DepartmentRejected
    from services_catalog.sandbox.citizens import DEMO_CITIZENS

    police = app.extensions["zwt"].departments["police"].adapter
    with pytest.raises(DepartmentRejected, match="10.12.0.7 is outside the department's networks"):
        police.check_identity(DEMO_CITIZENS[0].citizen, timeout=1.0)


def test_sandbox_latency_slows_the_named_in_process_department_only():
    """``ZWT_SANDBOX_LATENCY_MS`` (the load harness's slow department) reaches the sandboxes' scripts."""
    app = create_app({"ZWT_DATABASE_URL": "sqlite://", "ZWT_SANDBOX_LATENCY_MS": "police=1000, hrss=20"})
    scripts = app.extensions["zwt"].departments.scripts
    assert scripts["police"].behaviour.latency_s == 1.0
    assert scripts["hrss"].behaviour.latency_s == 0.02
    assert scripts["housing_fund"].behaviour.latency_s == 0.0


@pytest.mark.parametrize("change, reason", [
    ({"ZWT_DEBUG": "1"}, "ZWT_DEBUG"),
    ({"ZWT_SECRET_KEY": ""}, "ZWT_SECRET_KEY"),
    ({"ZWT_SECRET_KEY": "short"}, "ZWT_SECRET_KEY"),
    ({"ZWT_DATABASE_URL": "sqlite:///x.db"}, "SQLite"),
    ({"ZWT_PII_KEYS": ""}, "ZWT_PII_KEYS"),
    ({"ZWT_BLIND_INDEX_KEY": ""}, "ZWT_BLIND_INDEX_KEY"),
    ({"ZWT_KEY_ENCRYPTION_KEY": ""}, "ZWT_KEY_ENCRYPTION_KEY"),
    ({"ZWT_KEY_ENCRYPTION_KEY": "c2hvcnQ="}, "ZWT_KEY_ENCRYPTION_KEY"),
    ({"ZWT_DEPARTMENTS": "police=police@https://ga.example/api"}, "ZWT_DEPARTMENT_NETWORKS"),
])
def test_production_refuses_unsafe_settings(change, reason):
    """Debug, a weak secret, SQLite or missing keys stop a production start, naming the variable."""
    with pytest.raises(ConfigError, match=reason):
        Config.from_env(STRONG | change)


def test_create_app_refuses_unsafe_production():
    """The composition root itself will not build a production app with debug on."""
    with pytest.raises(ConfigError, match="ZWT_DEBUG"):
        create_app(STRONG | {"ZWT_DEBUG": "true"})


@pytest.mark.parametrize("ring, message", [
    ("1:notbase64!", "not '<version>:<base64 key>'"),
    ("1:" + base64.b64encode(b"short").decode(), "32 bytes"),
])
def test_bad_keyrings_are_explained(ring, message):
    """Malformed PII key rings are refused with a pointed message."""
    with pytest.raises(ConfigError, match=message):
        Config.from_env({"ZWT_PII_KEYS": ring})


def test_active_key_version_must_exist():
    """Pointing at a key version that is not in the ring is refused."""
    with pytest.raises(ConfigError, match="ZWT_PII_ACTIVE_VERSION"):
        Config.from_env({"ZWT_PII_KEYS": "1:" + base64.b64encode(os.urandom(32)).decode(),
                         "ZWT_PII_ACTIVE_VERSION": "7"})


@pytest.mark.parametrize("url, expected", [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_urls_use_psycopg3(url, expected):
    """Plain PostgreSQL URLs are routed to the psycopg 3 driver."""
    assert normalize_database_url(url) == expected


def test_describe_hides_secrets():
    """The printable description leaves out keys and the secret."""
    shown = Config.from_env(STRONG).describe()
    assert "secret_key" not in shown and "pii_keys" not in shown and shown["env"] == "production"


def test_readme_configuration_table_is_the_generated_one():
    """README's table is exactly what the declarations generate: run ``make docs-config`` after adding one."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert readme_with_table(readme) == readme


def test_docs_config_rewrites_a_stale_table(tmp_path):
    """``--write`` replaces whatever sits between the markers and leaves the rest of the file alone."""
    stale = tmp_path / "README.md"
    stale.write_text(f"# title\n{MARKS[0]}| old |\n{MARKS[1]}\ntail\n", encoding="utf-8")
    assert main(["--write", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == f"# title\n{MARKS[0]}{markdown_table()}{MARKS[1]}\ntail\n"
    assert "`ZWT_BUNDLE_FRESHNESS_SECONDS` | number | `1.0`" in markdown_table()


def test_every_field_is_a_declared_setting_with_a_meaning():
    """No setting escapes the table: each field has its declaration, a meaning and a README type."""
    names = [variable(item) for item, spec in declared() if spec.meaning and spec.kind]
    assert names == ["ZWT_" + f.name.upper() for f in fields(Config)] and len(set(names)) == len(names)


def test_unset_or_empty_variables_take_the_defaults():
    """An empty value counts as unset, so the defaults (and the keys derived in development) apply."""
    cfg = Config.from_env({"ZWT_MAX_DEVICES": "", "ZWT_REDIS_URL": ""})
    assert (cfg.max_devices, cfg.redis_url, cfg.bundle_freshness_seconds) == (5, None, 1.0)
    assert len(cfg.blind_index_key) == 32 and cfg.pii_active_version == 1


def test_values_are_typed_from_their_declarations():
    """Numbers, booleans, lists and the ``TESTING`` alias come out typed."""
    cfg = Config.from_env({"ZWT_BUNDLE_FRESHNESS_SECONDS": "0", "ZWT_MAX_DEVICES": "2", "ZWT_DEBUG": "yes",
                           "TESTING": "1", "ZWT_DEPARTMENTS": "police=police@http://ga.test"})
    assert (cfg.bundle_freshness_seconds, cfg.max_devices, cfg.debug, cfg.testing) == (0.0, 2, True, True)
    assert cfg.departments == (("police", "police", "http://ga.test"),)


@pytest.mark.parametrize("change, message", [
    ({"ZWT_MAX_DEVICES": "many"}, "ZWT_MAX_DEVICES='many' is not a valid integer"),
    ({"ZWT_BUNDLE_FRESHNESS_SECONDS": "-1"}, "ZWT_BUNDLE_FRESHNESS_SECONDS must be ≥ 0 \\(it is -1.0\\)"),
    ({"ZWT_DEPARTMENT_TIMEOUT_S": "0"}, "ZWT_DEPARTMENT_TIMEOUT_S must be > 0"),
    ({"ZWT_LOG_LEVEL": "info"}, "ZWT_LOG_LEVEL must be one of DEBUG, INFO"),
    ({"ZWT_REDIS_URL": "http://cache"}, "ZWT_REDIS_URL must be a redis://"),
    ({"ZWT_DEPARTMENTS": "police"}, "ZWT_DEPARTMENTS: 'police' is not"),
    ({"ZWT_DEPARTMENT_NETWORKS": "police=10.1.0.0/33"}, "ZWT_DEPARTMENT_NETWORKS: 'police=10.1.0.0/33'"),
    ({"ZWT_DEPARTMENT_NETWORKS": "10.1.0.0/16"}, "is not 'department=network"),
    ({"ZWT_DEPARTMENT_MAX_BYTES": "10"}, "ZWT_DEPARTMENT_MAX_BYTES must be ≥ 1024"),
    ({"ZWT_BLIND_INDEX_KEY": "c2hvcnQ="}, "ZWT_BLIND_INDEX_KEY must be 32 bytes"),
    ({"ZWT_SANDBOX_LATENCY_MS": "police"}, "ZWT_SANDBOX_LATENCY_MS: 'police' is not 'department=milliseconds'"),
    ({"ZWT_SANDBOX_LATENCY_MS": "police=slow"}, "ZWT_SANDBOX_LATENCY_MS: 'police=slow'"),
    ({"ZWT_SANDBOX_LATENCY_MS": "police=-5"}, "ZWT_SANDBOX_LATENCY_MS: 'police=-5'"),
])
def test_bad_values_are_refused_naming_the_variable(change, message):
    """A value that does not parse or fails its check stops the start, in any environment."""
    with pytest.raises(ConfigError, match=message):
        Config.from_env(change)


def test_production_lists_every_unsafe_setting_at_once():
    """One start-up failure names every variable to fix, and never prints a secret."""
    with pytest.raises(ConfigError) as refused:
        Config.from_env({"ZWT_ENV": "production", "ZWT_DEBUG": "1"})
    message = str(refused.value)
    for name in ("ZWT_DEBUG", "ZWT_SECRET_KEY", "ZWT_DATABASE_URL", "ZWT_PII_KEYS", "ZWT_BLIND_INDEX_KEY",
                 "ZWT_KEY_ENCRYPTION_KEY"):
        assert name in message
    assert DEV_SECRET not in message
