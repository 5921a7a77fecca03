"""The database's own time for one page: every SELECT the page sends, run again under
PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)`, summed, the slowest shown with their plans.

    DATABASE_URL=postgres://... .venv/bin/python bench/explain_page.py coordinator /missions/
    DATABASE_URL=postgres://... .venv/bin/python bench/explain_page.py --plans 2 consul /

Signed in with the test client as ROLE (a demo user), like `bench_pages.py`. Printed: each
query's execution time (the server's, not the wire's), the total, and the plans of the
`--plans` slowest. The last line is name=value pairs. Wall time under load is inflated by
the machine's other tenants; the execution time is what the database itself spent.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import page_client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role")
    parser.add_argument("url")
    parser.add_argument("--plans", type=int, default=1, help="show the plans of the N slowest")
    parser.add_argument("--show", type=int, default=8, help="list the N slowest queries")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a setting to try"
    )
    parser.add_argument(
        "--read-only", action="store_true", help="leave nothing written (page_client.py)"
    )
    parser.add_argument(
        "--code", default=str(Path(__file__).resolve().parent.parent), help="the checkout"
    )
    args = parser.parse_args()
    page_client.setup(args.code, read_only=args.read_only)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = page_client.signed_in(args.role)
    with connection.cursor() as cursor:
        for setting in args.set:
            name, _, value = setting.partition("=")
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    page_client.ask(client, args.url)  # warm the cache alike for every query
    with CaptureQueriesContext(connection) as captured:
        response = page_client.ask(client, args.url)
    assert response.status_code == 200, response.status_code
    timed = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            timed.append((plan[0]["Execution Time"], sql, plan))
    total = sum(ms for ms, _, _ in timed)
    print(f"{args.role} {args.url}: {len(captured.captured_queries)} queries, "
          f"{len(timed)} reads, execution {total:.1f} ms")  # fmt: skip
    slowest = sorted(timed, key=lambda row: -row[0])
    for ms, sql, _ in slowest[: args.show]:
        print(f"  {ms:9.1f} ms  {sql[:220]}")
    for ms, sql, _ in slowest[: args.plans]:
        cursor = connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        print(f"\n--- {ms:.1f} ms\n{sql}\n" + "\n".join(row[0] for row in cursor.fetchall()))
    print(f"explain role={args.role} url={args.url} queries={len(captured.captured_queries)} "
          f"execution_ms={total:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
