"""Where a page's CPU goes: one page asked N times under cProfile, with the test client,
on a registry built by `bench/registry.py`.

    HOMEWARD_DATA_DIR=/tmp/registry-100k .venv/bin/python bench/profile_page.py consul /cases/ 20
    ... bench/profile_page.py consul /cases/123/ 20 --top 40
    ... bench/profile_page.py consul /cases/123/notes/ 10 --post text=hello

Prints the CPU per request, the share of the request's time in each part (sessions and
sign-in, the audit trail, template rendering, SQL executed, the view's own Python), and
the functions that cost most, by their own time and by cumulative time. The parts overlap
where they nest (a query run from inside a template counts under both).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from typing import Any

import page_client

# A part of the request: the functions whose cumulative time is that part's.
PARTS = {
    "sessions (load and save)": [
        ("django/contrib/sessions/backends/db.py", "load"),
        ("django/contrib/sessions/backends/db.py", "save"),
        ("django/contrib/sessions/backends/db.py", "exists"),
    ],
    "user and auth (get_user)": [("django/contrib/auth/__init__.py", "get_user")],
    "otp (is_verified)": [("django_otp/middleware.py", "_verify_user")],
    "audit entries (record)": [("homeward/audit/services.py", "record")],
    "template rendering": [("django/template/response.py", "rendered_content")],
    "render() shortcut": [("django/shortcuts.py", "render")],
    "SQL execute": [
        ("django/db/backends/utils.py", "_execute"),
        ("django/db/backends/utils.py", "_execute_many"),
    ],
    "model instances (from_db)": [("django/db/models/base.py", "from_db")],
    "gettext": [("django/utils/translation/trans_real.py", "gettext")],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role")
    parser.add_argument("url")
    parser.add_argument("requests", type=int, nargs="?", default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--post", action="append", help="field=value: POST instead of GET")
    parser.add_argument("--code", default=".", help="the checkout to profile")
    parser.add_argument(
        "--new-connection", action="store_true", help="a new database connection per request"
    )
    parser.add_argument(
        "--split", action="store_true", help="CPU of each part, timed without the profiler"
    )
    parser.add_argument(
        "--read-only", action="store_true", help="leave nothing written (page_client.py)"
    )
    args = parser.parse_args()
    page_client.setup(args.code, read_only=args.read_only)
    from django.db import connection

    client = page_client.signed_in(args.role)
    data = dict(pair.split("=", 1) for pair in args.post or [])

    def ask() -> None:
        if args.new_connection:
            connection.close()  # as `homeward serve` did after each request
        response = page_client.ask(client, args.url, data)
        if response.status_code not in (200, 302):
            raise SystemExit(f"{args.url}: {response.status_code}")

    ask()  # warm: templates compiled, connection open
    ask()
    if args.split:
        _split(ask, args.requests)
        return
    profile = cProfile.Profile(time.process_time)
    cpu = time.process_time()
    profile.enable()
    for _ in range(args.requests):
        ask()
    profile.disable()
    cpu = (time.process_time() - cpu) / args.requests
    stats = pstats.Stats(profile)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    print(f"{args.role} {args.url}: CPU {1000 * cpu:.1f} ms a request (under the profiler)")
    print(f"profiled time {1000 * total / args.requests:.1f} ms a request; parts:")
    for part, functions in PARTS.items():
        spent = _cumulative(stats, functions)
        print(f"  {part:28} {1000 * spent / args.requests:7.1f} ms  {100 * spent / total:5.1f} %")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue().split("\n", 6)[-1])


# Timed apart without cProfile (whose overhead inflates small Python calls most): each
# outermost call of these, in CPU time. "module:Class.method".
SPLIT = {
    "sessions (load and save)": [
        "django.contrib.sessions.backends.db:SessionStore.load",
        "django.contrib.sessions.backends.db:SessionStore.save",
    ],
    "user (get_user)": ["django.contrib.auth:get_user"],
    "audit entries (record)": ["homeward.audit.services:record"],
    "templates (render)": ["django.template.backends.django:Template.render"],
    "  of which form widgets": ["django.forms.boundfield:BoundField.as_widget"],
    "SQL compiled (as_sql)": ["django.db.models.sql.compiler:SQLCompiler.as_sql"],
    "SQL run (execute)": [
        "django.db.backends.utils:CursorWrapper._execute",
        "django.db.backends.utils:CursorWrapper._executemany",
    ],
    "gettext": ["django.utils.translation.trans_real:gettext"],
}


def _split(ask: Any, requests: int) -> None:
    import importlib

    spent = dict.fromkeys(SPLIT, 0.0)
    for part, targets in SPLIT.items():
        for target in targets:
            module_name, _, path = target.partition(":")
            owner: Any = importlib.import_module(module_name)
            *parents, name = path.split(".")
            for parent in parents:
                owner = getattr(owner, parent)
            original = getattr(owner, name)
            setattr(owner, name, _timed(original, part, spent))
    cpu = time.process_time()
    for _ in range(requests):
        ask()
    cpu = (time.process_time() - cpu) / requests
    print(f"CPU {1000 * cpu:.1f} ms a request (parts timed apart; they nest):")
    for part, seconds in spent.items():
        share = seconds / requests
        print(f"  {part:28} {1000 * share:7.1f} ms  {100 * share / cpu:5.1f} %")


def _timed(function: Any, part: str, spent: dict[str, float]) -> Any:
    depth = [0]

    def timed(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent[part] += time.process_time() - start

    return timed


def _cumulative(stats: pstats.Stats, functions: list[tuple[str, str]]) -> float:
    spent = 0.0
    for (path, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if any(path.endswith(suffix) and name == wanted for suffix, wanted in functions):
            spent += row[3]
    return spent


if __name__ == "__main__":
    main()
