from __future__ import annotations

from homeward.disclosure import Table


def grid(rows: dict[str, list[int]], columns: str = "xyz") -> Table:
    """A 2-D table written as {row: [counts by column]}."""
    return Table.from_rows(
        ["row", "column"],
        [
            {"row": name, "column": column, "count": count}
            for name, counts in rows.items()
            for column, count in zip(columns, counts, strict=True)
        ],
    )
