"""Runtime configuration: one typed :class:`Settings` built from the environment at startup.

Environment variables
---------------------
``ONCOTRIAL_DEBUG``
    ``1``/``true`` for development. Never in production.
``ONCOTRIAL_SECRET_KEY``
    Required unless debugging; a throw-away key is generated per process when debugging.
``DATABASE_URL``
    ``postgresql://user:password@host:port/name`` (psycopg 3). When unset, SQLite (WAL).
``ONCOTRIAL_SQLITE_PATH``
    The SQLite file (default ``oncotrial.sqlite3`` in the working directory).
``ONCOTRIAL_ALLOWED_HOSTS``
    Comma-separated host names (default ``localhost,127.0.0.1`` when debugging, none otherwise).
``ONCOTRIAL_HTTPS``
    ``1`` (default outside debugging): HTTPS only (redirect, HSTS, secure cookies). ``make run``
    sets ``0`` because it serves the local demo on http://127.0.0.1:8000.
``ONCOTRIAL_CACHE_URL``
    ``redis://host:port/db`` for the cache that holds login-throttling counters across
    processes; unset, a per-process memory cache.
``ONCOTRIAL_DB_CONN_MAX_AGE``
    Seconds a PostgreSQL connection is kept for later requests (default 60, 0 closes it after
    each request; 0 to 3600); a kept connection is checked before reuse.

Nothing here runs at import: :mod:`oncotrial.web.django_settings` calls
:meth:`Settings.from_env` once, when Django loads its settings.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: got {raw!r}; expected one of 1/0/true/false/yes/no/on/off.")


def _seconds(env: Mapping[str, str], name: str, default: int, *, upper: int) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if not 0 <= value <= upper:
        raise ImproperlyConfigured(
            f"{name}: got {raw!r}; expected a whole number of seconds from 0 to {upper}."
        )
    return value


def database_from_url(url: str, *, conn_max_age: int = 60) -> dict[str, object]:
    """Django ``DATABASES['default']`` for a ``postgresql://`` (or ``postgres://``) URL.

    Connections are kept ``conn_max_age`` seconds (checked before reuse): opening one per
    request cost about as much PostgreSQL time as the request itself (benchmarks/web.py).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"postgresql", "postgres"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL: got scheme {parts.scheme!r}; expected 'postgresql' "
            "(unset DATABASE_URL to use SQLite)."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL: the URL names no database (postgresql://host/NAME).")
    options = dict(parse_qsl(parts.query))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }


def sqlite_database(path: Path) -> dict[str, object]:
    """Django ``DATABASES['default']`` for SQLite in WAL mode with immediate transactions.

    ``transaction_mode="IMMEDIATE"`` takes the write lock when a transaction starts, so
    that concurrent writers queue instead of failing half-way ("database is locked").
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting Oncotrial reads, typed and checked once at startup."""

    debug: bool
    secret_key: str
    database_url: str | None
    sqlite_path: Path
    allowed_hosts: tuple[str, ...]
    https: bool = True
    cache_url: str | None = None
    conn_max_age: int = 60

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build and check the settings from ``env`` (default: ``os.environ``)."""
        env = os.environ if env is None else env
        debug = _flag(env, "ONCOTRIAL_DEBUG", False)
        secret_key = env.get("ONCOTRIAL_SECRET_KEY", "")
        if not secret_key:
            if not debug:
                raise ImproperlyConfigured(
                    "ONCOTRIAL_SECRET_KEY: not set. Suggestion: set a long random value "
                    "(python -c 'import secrets; print(secrets.token_urlsafe(50))'); only "
                    "ONCOTRIAL_DEBUG=1 generates a throw-away key."
                )
            secret_key = secrets.token_urlsafe(50)
        elif len(secret_key) < 32 and not debug:
            raise ImproperlyConfigured("ONCOTRIAL_SECRET_KEY: shorter than 32 characters.")
        hosts_raw = env.get("ONCOTRIAL_ALLOWED_HOSTS", "localhost,127.0.0.1" if debug else "")
        url = env.get("DATABASE_URL") or None
        settings = cls(
            debug=debug,
            secret_key=secret_key,
            database_url=url,
            sqlite_path=Path(env.get("ONCOTRIAL_SQLITE_PATH", "oncotrial.sqlite3")),
            allowed_hosts=tuple(h.strip() for h in hosts_raw.split(",") if h.strip()),
            https=_flag(env, "ONCOTRIAL_HTTPS", not debug),
            cache_url=env.get("ONCOTRIAL_CACHE_URL") or None,
            conn_max_age=_seconds(env, "ONCOTRIAL_DB_CONN_MAX_AGE", 60, upper=3600),
        )
        settings.database()  # check the URL now, not on first query
        return settings

    def database(self) -> dict[str, object]:
        if self.database_url:
            return database_from_url(self.database_url, conn_max_age=self.conn_max_age)
        return sqlite_database(self.sqlite_path)

    def cache(self) -> dict[str, object]:
        if self.cache_url:
            if not self.cache_url.startswith(("redis://", "rediss://")):
                raise ImproperlyConfigured(
                    f"ONCOTRIAL_CACHE_URL: got {self.cache_url!r}; expected a redis:// URL."
                )
            return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": self.cache_url}
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "oncotrial"}

    def django(self) -> dict[str, object]:
        """The Django settings module's names, secure by default."""
        secure = self.https
        return {
            "DEBUG": self.debug,
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": list(self.allowed_hosts),
            "DATABASES": {"default": self.database()},
            "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
            "INSTALLED_APPS": [
                "django.contrib.auth",
                "django.contrib.contenttypes",
                "django.contrib.sessions",
                "django.contrib.messages",
                "oncotrial.persistence.apps.PersistenceConfig",
                "oncotrial.web.apps.WebConfig",
            ],
            "MIDDLEWARE": [
                "django.middleware.security.SecurityMiddleware",
                "oncotrial.web.middleware.RequestIdMiddleware",
                "oncotrial.web.middleware.SecurityHeadersMiddleware",
                "django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.common.CommonMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
                "django.contrib.auth.middleware.AuthenticationMiddleware",
                "oncotrial.web.middleware.LoginRequiredMiddleware",
                "django.contrib.messages.middleware.MessageMiddleware",
                "django.middleware.clickjacking.XFrameOptionsMiddleware",
            ],
            "ROOT_URLCONF": "oncotrial.web.urls",
            "WSGI_APPLICATION": "oncotrial.web.wsgi.application",
            "TEMPLATES": [
                {
                    "BACKEND": "django.template.backends.django.DjangoTemplates",
                    "DIRS": [],
                    "APP_DIRS": True,
                    "OPTIONS": {
                        "context_processors": [
                            "django.template.context_processors.request",
                            "django.contrib.auth.context_processors.auth",
                            "django.contrib.messages.context_processors.messages",
                            "oncotrial.web.context.navigation",
                        ]
                    },
                }
            ],
            "AUTH_USER_MODEL": "persistence.User",
            "PASSWORD_HASHERS": [
                "django.contrib.auth.hashers.Argon2PasswordHasher",
                "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            ],
            "AUTH_PASSWORD_VALIDATORS": [
                {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
                {
                    "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                    "OPTIONS": {"min_length": 12},
                },
                {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
                {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
            ],
            "LOGIN_URL": "/login/",
            "LOGIN_REDIRECT_URL": "/",
            "CACHES": {"default": self.cache()},
            "LOGGING": {
                "version": 1,
                "disable_existing_loggers": False,
                "handlers": {"console": {"class": "logging.StreamHandler"}},
                "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
            },
            "USE_TZ": True,
            "TIME_ZONE": "UTC",
            "LANGUAGE_CODE": "en",
            "USE_I18N": True,
            # Sessions and CSRF
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SECURE": secure,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_AGE": 8 * 3600,
            "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
            "CSRF_COOKIE_HTTPONLY": True,
            "CSRF_COOKIE_SECURE": secure,
            "CSRF_COOKIE_SAMESITE": "Lax",
            # Security headers
            "SECURE_CONTENT_TYPE_NOSNIFF": True,
            "SECURE_REFERRER_POLICY": "same-origin",
            "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
            "X_FRAME_OPTIONS": "DENY",
            "SECURE_SSL_REDIRECT": secure,
            "SECURE_HSTS_SECONDS": 31_536_000 if secure else 0,
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": secure,
        }
