from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3.base import DatabaseWrapper

from oncotrial.web.settings import Settings


def test_database_url_selects_postgresql_with_psycopg() -> None:
    s = Settings.from_env(
        {
            "ONCOTRIAL_SECRET_KEY": "k" * 40,
            "DATABASE_URL": "postgresql://ot:p%40ss@db.example:6543/trial?sslmode=require",
        }
    )
    db = s.database()
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "trial",
        "ot",
        "p@ss",
        "db.example",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_is_the_default_and_runs_in_wal_mode(tmp_path: Path, django_db_blocker: Any) -> None:
    path = tmp_path / "trial.sqlite3"
    s = Settings.from_env({"ONCOTRIAL_SECRET_KEY": "k" * 40, "ONCOTRIAL_SQLITE_PATH": str(path)})
    wrapper = DatabaseWrapper(
        {
            **s.database(),
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
        },
        alias="wal-check",
    )
    with django_db_blocker.unblock():
        wrapper.ensure_connection()
        wrapper.close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(ImproperlyConfigured, match="ONCOTRIAL_SECRET_KEY"):
        Settings.from_env({})
    assert len(Settings.from_env({"ONCOTRIAL_DEBUG": "1"}).secret_key) >= 50


def test_secure_defaults_outside_debug() -> None:
    django = Settings.from_env({"ONCOTRIAL_SECRET_KEY": "k" * 40}).django()
    assert django["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"  # type: ignore[index]
    assert (
        django["SESSION_COOKIE_HTTPONLY"] and django["SESSION_COOKIE_SECURE"] and django["CSRF_COOKIE_SECURE"]
    )
    assert "django.middleware.csrf.CsrfViewMiddleware" in django["MIDDLEWARE"]  # type: ignore[operator]
    assert django["X_FRAME_OPTIONS"] == "DENY" and django["SECURE_HSTS_SECONDS"]


def test_a_bad_database_url_is_refused_at_startup() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        Settings.from_env({"ONCOTRIAL_SECRET_KEY": "k" * 40, "DATABASE_URL": "mysql://x/y"})


def test_postgresql_connections_are_kept_a_minute_by_default_and_checked_before_reuse() -> None:
    url = "postgresql://u@h/db"
    base = {"ONCOTRIAL_SECRET_KEY": "k" * 40, "DATABASE_URL": url}
    db = Settings.from_env(base).database()
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)
    assert Settings.from_env({**base, "ONCOTRIAL_DB_CONN_MAX_AGE": "0"}).database()["CONN_MAX_AGE"] == 0
    for bad in ("-1", "3601", "soon"):
        with pytest.raises(ImproperlyConfigured, match=f"ONCOTRIAL_DB_CONN_MAX_AGE: got '{bad}'"):
            Settings.from_env({**base, "ONCOTRIAL_DB_CONN_MAX_AGE": bad})
