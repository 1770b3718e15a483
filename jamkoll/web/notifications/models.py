"""What the scheduled notifications have sent: one row per user, kind and item, so nothing is mailed twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentNotification(models.Model):
    """One item (a board case, a finding, an action, a year's plan revision) in one notification to one user.

    ``key`` names the item (``"boardcase:12"``, ``"action:7"``, ``"revision:3:2026"``); ``day`` is the local
    date it was sent. The unique constraint makes a second run on the same day send nothing again, even
    when two runs overlap.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("mottagare"))
    kind = models.CharField(_("slag"), max_length=32)
    key = models.CharField(_("sak"), max_length=100)
    day = models.DateField(_("dag"))
    sent = models.DateTimeField(_("skickad"), default=timezone.now)

    class Meta:
        ordering = ["-day", "id"]
        verbose_name = _("skickad avisering")
        verbose_name_plural = _("skickade aviseringar")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key", "day"],
                                               name="one_notification_per_item_and_day")]
        indexes = [models.Index(fields=["user", "kind", "key"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.day}"
