"""A list of countries written by Django's select templates and by Homeward's renderer
(`homeward/web/renderers.py`), side by side in one process: CPU per rendering.

    .venv/bin/python bench/bench_select_renderer.py [ROUNDS]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

import django

django.setup()

from django.forms.renderers import DjangoTemplates  # noqa: E402

from homeward.cases.forms import CaseFilterForm  # noqa: E402
from homeward.web.renderers import FormRenderer  # noqa: E402


def main(rounds: int) -> None:
    field = CaseFilterForm()["host"]
    cpu = {}
    for name, renderer in (("templates", DjangoTemplates()), ("homeward", FormRenderer())):
        field.form.renderer = renderer
        str(field)  # templates loaded, translations read
        start = time.process_time()
        for _ in range(rounds):
            str(field)
        cpu[name] = (time.process_time() - start) / rounds * 1000
    print(
        f"select_renderer rounds={rounds} templates_ms={cpu['templates']:.2f} "
        f"homeward_ms={cpu['homeward']:.2f} ratio={cpu['templates'] / cpu['homeward']:.1f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
