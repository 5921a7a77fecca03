"""Read settings from environment variables, with defaults that run locally with no setup."""

from __future__ import annotations

import os


def envstr(name: str, default: str = "") -> str:
    """The variable's value; an empty or blank one counts as unset, so the default applies."""
    return os.environ.get(name, "").strip() or default


def envbool(name: str, default: str = "False") -> bool:
    value = envstr(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name}: expected true or false, got {value!r}")


def envint(name: str, default: str) -> int:
    value = envstr(name, default)
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}: expected a whole number, got {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]
