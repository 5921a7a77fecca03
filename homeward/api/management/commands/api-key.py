"""`homeward api-key create|list|revoke`: API keys for partners' systems, from the console.

    homeward api-key create --name "KoBo, Iraq team" --agency CONS --role caseworker \\
        --scope agency --days 90
    homeward api-key list
    homeward api-key revoke hwk_3f9a1c2b4d --reason "laptop lost"

The key is printed once, by `create`; only its hash is kept.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from homeward.accounts.models import Agency, Scope
from homeward.api import keys
from homeward.api.models import ApiKey


class Command(BaseCommand):
    help = "Make, list or revoke API keys for partners' systems."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a key (printed once)")
        create.add_argument("--name", required=True, help="what the key is for")
        create.add_argument("--agency", required=True, help="the agency's short name")
        create.add_argument("--role", required=True, choices=sorted(keys.KEY_ROLES))
        create.add_argument("--scope", default=Scope.AGENCY, choices=Scope.values)
        create.add_argument("--days", type=int, default=90, help="days until it expires")
        create.add_argument("--rate", type=int, help="requests per minute (default: the setting)")
        listing = actions.add_parser("list", help="every key, with its last use")
        listing.add_argument("--agency", help="only this agency's keys")
        revoke = actions.add_parser("revoke", help="refuse a key from now on")
        revoke.add_argument("prefix", help="the key's prefix (hwk_ and ten letters), or the key")
        revoke.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except keys.ApiKeyError as error:
            raise CommandError(f"{error.field or 'api-key'}: {error.message}") from None

    def _create(self, options: dict[str, Any]) -> None:
        agency = Agency.objects.filter(short_name__iexact=options["agency"]).first()
        if agency is None:
            raise CommandError(f"--agency: there is no agency {options['agency']!r}.")
        made = keys.create_key(
            name=options["name"],
            agency=agency,
            role=options["role"],
            scope=options["scope"],
            expires_at=timezone.now() + timedelta(days=options["days"]),
            by=None,
            rate_per_minute=options["rate"],
        )
        self.stdout.write(
            f"Key for {made.key.account.username} ({options['role']}, "
            f"{agency.short_name}), expires {made.key.expires_at:%Y-%m-%d}."
        )
        self.stdout.write("Copy it now; it is not shown again:")
        self.stdout.write(made.secret)

    def _list(self, options: dict[str, Any]) -> None:
        listed = keys.keys_managed_by(None)
        if options["agency"]:
            listed = listed.filter(
                account__staff_profile__agency__short_name__iexact=options["agency"]
            )
        header = ("key", "name", "account", "role", "scope", "expires", "last used", "state")
        rows = [header] + [_row(key) for key in listed]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"].removeprefix(keys.KEY_PREFIX).split("_")[0]
        key = ApiKey.objects.filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"There is no key {options['prefix']!r}.")
        keys.revoke_key(key, by=None, reason=options["reason"])
        self.stdout.write(f"Revoked {keys.KEY_PREFIX}{key.prefix} ({key.name}).")


def _row(key: ApiKey) -> tuple[str, ...]:
    profile = key.account.staff_profile
    used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
    return (
        f"{keys.KEY_PREFIX}{key.prefix}",
        key.name,
        key.account.username,
        profile.role,
        profile.scope,
        f"{key.expires_at:%Y-%m-%d}",
        used,
        key.state,
    )
