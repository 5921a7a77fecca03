from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"

    def ready(self) -> None:
        from homeward.accounts import security  # noqa: F401
