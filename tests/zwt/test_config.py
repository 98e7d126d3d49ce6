"""Configuration comes from ZWT_* variables; production refuses unsafe settings and says why."""

from __future__ import annotations

import base64
import os

import pytest

from zwt import create_app
from zwt.config import Config, ConfigError, normalize_database_url

STRONG = {
    "ZWT_ENV": "production", "ZWT_SECRET_KEY": "s" * 48,
    "ZWT_DATABASE_URL": "postgresql://app@db/zwt",
    "ZWT_PII_KEYS": "1:" + base64.b64encode(os.urandom(32)).decode(),
    "ZWT_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
    "ZWT_KEY_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
}


def test_strong_production_settings_are_accepted():
    """A complete production configuration loads, with the psycopg driver selected."""
    cfg = Config.from_env(STRONG)
    assert cfg.is_production and cfg.database_url.startswith("postgresql+psycopg://")


@pytest.mark.parametrize("change, reason", [
    ({"ZWT_DEBUG": "1"}, "ZWT_DEBUG"),
    ({"ZWT_SECRET_KEY": ""}, "ZWT_SECRET_KEY"),
    ({"ZWT_SECRET_KEY": "short"}, "ZWT_SECRET_KEY"),
    ({"ZWT_DATABASE_URL": "sqlite:///x.db"}, "SQLite"),
    ({"ZWT_PII_KEYS": ""}, "ZWT_PII_KEYS"),
    ({"ZWT_BLIND_INDEX_KEY": ""}, "ZWT_BLIND_INDEX_KEY"),
    ({"ZWT_KEY_ENCRYPTION_KEY": ""}, "ZWT_KEY_ENCRYPTION_KEY"),
    ({"ZWT_KEY_ENCRYPTION_KEY": "c2hvcnQ="}, "ZWT_KEY_ENCRYPTION_KEY"),
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
