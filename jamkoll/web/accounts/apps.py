from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jamkoll.web.accounts"
    label = "accounts"
    verbose_name = _("Organisationer och konton")

    def ready(self) -> None:
        from jamkoll.web.accounts import signals  # noqa: F401
