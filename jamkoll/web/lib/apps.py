from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibConfig(AppConfig):
    name = "jamkoll.web.lib"
    label = "lib"
    verbose_name = _("Granskningslogg")

    def ready(self) -> None:
        from jamkoll.web.lib import audit, pagecache

        audit.connect_signals()
        pagecache.connect_signals()
