"""Tiny helpers that read settings from the environment and fail loudly on bad values."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envfloat(name: str, default: str, minimum: float = 0.0) -> float:
    value = os.environ.get(name, default).strip()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not number >= minimum or number == float("inf"):
        raise ImproperlyConfigured(f"{name} must be a number of at least {minimum:g}, got {value!r}")
    return number


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envcache(name: str, default_directory, part: str = "") -> dict:
    """A cache that every worker shares, from a URL: `redis://…` (or `rediss://`, `unix://`) is Django's Redis cache
    (redis-py); `file:///an/absolute/folder` Django's file-based cache in that folder; unset, a file-based cache in
    `default_directory`. A `part` is a cache of its own on the same service: its keys prefixed on Redis, a subfolder
    of files (culled apart from the rest)."""
    url = os.environ.get(name, "").strip()
    if not url:
        return _file_cache(os.path.join(str(default_directory), part))
    scheme = url.partition("://")[0].lower()
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": part}
    if scheme == "file" and url.startswith("file:///"):
        return _file_cache(os.path.join(url.removeprefix("file://"), part))
    raise ImproperlyConfigured(f"{name} must be a redis://, rediss://, unix:// or file:/// URL, got {url!r}")


def _file_cache(directory: str) -> dict:
    # A throttle history per client address, list totals, and the public responses of the current content version.
    # Each write lists the folder to cull a third past MAX_ENTRIES: five thousand files list in a few milliseconds,
    # and only a response not yet kept writes.
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": directory,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
