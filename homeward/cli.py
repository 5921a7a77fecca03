"""The `homeward` console command: Django's management commands under one name.

`homeward demo`, `homeward serve`, `homeward stats`, `homeward migrate`,
`homeward createsuperuser` and every other management command run through it.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "homeward"
    if args[1:2] == ["demo"]:
        # The demo's invented staff sign in without a second factor (see settings).
        os.environ.setdefault("HOMEWARD_DEMO_MODE", "true")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
