"""Every audit action a person can see has words (audit/actions.py), not only a code."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

from homeward.audit.actions import LABELS, label
from homeward.cases.models import ShareKind

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = sorted({code.split(".")[0] for code in LABELS})
DOTTED = re.compile(r"\"((?:" + "|".join(PREFIXES) + r")\.[a-z_]+)\"")


def _recorded_codes() -> set[str]:
    """Every dotted string in the code under an action's prefix, less the model labels
    (`cases.childcase`) that name a record rather than an action."""
    models = {f"{m._meta.app_label}.{m._meta.model_name}" for m in apps.get_models()}
    codes: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if not {"tests", "migrations"} & set(path.parts) and path.name != "actions.py":
            codes.update(DOTTED.findall(path.read_text(encoding="utf-8")))
    return codes - models


def _formatted_codes() -> set[str]:
    """The codes written with f-strings (cases/services.py, releases/services.py)."""
    shares = {
        f"case.{kind}_{verb}"
        for kind in ShareKind.values
        for verb in ("offered", "accepted", "declined", "revoked")
    }
    return shares | {"releases.approved", "releases.rejected"}


def test_every_recorded_action_has_words() -> None:
    codes = _recorded_codes() | _formatted_codes()
    assert len(codes) > 60  # the scan found the record(...) calls
    assert sorted(codes - LABELS.keys()) == []


def test_an_unknown_code_shows_as_itself() -> None:
    assert label("case.viewed") == "Case opened"
    assert label("test.step") == "test.step"
