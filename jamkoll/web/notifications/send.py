"""Send the scheduled notifications (decisions due, actions overdue, the yearly plan revision).

One e-mail per user and kind, listing every item due in each organisation the user is a member of and may
see, in the user's language, only for the kinds the user chose (``NotificationPreference``). Idempotent:
every item mailed is recorded (:class:`SentNotification`) before the e-mail goes out, and an item is not
mailed to the same user again within :data:`REPEAT_DAYS` days, so running the command twice on a day (or
twice at once) sends nothing twice. A failed e-mail releases its records, so the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from jamkoll.web.accounts.models import Membership, NotificationPreference, Organization
from jamkoll.web.lib.mail import send_to_user
from jamkoll.web.plans.events import site_url

from .items import COLLECTORS, KINDS, Item
from .models import SentNotification

log = logging.getLogger("jamkoll.web")

# An item already mailed to a user is mailed again after this many days at the earliest.
REPEAT_DAYS = 7


@dataclass
class Section:
    organization: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Outcome:
    """What a run sent: e-mails per kind, and the items in them."""

    mails: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    items: int = 0

    @property
    def total(self) -> int:
        return sum(self.mails.values())


def recipients() -> Iterable[Any]:
    """Active users with an e-mail address and at least one membership."""
    return (get_user_model().objects.filter(is_active=True, memberships__isnull=False).exclude(email="")
            .distinct().order_by("pk"))


def _fresh(user: Any, kind: str, items: list[Item], today: dt.date) -> list[Item]:
    recent = set(SentNotification.objects.filter(
        user=user, kind=kind, key__in=[i.key for i in items],
        day__gt=today - dt.timedelta(days=REPEAT_DAYS), day__lte=today).values_list("key", flat=True))
    return [i for i in items if i.key not in recent]


def _claim(user: Any, kind: str, items: list[Item], today: dt.date) -> list[int] | None:
    """Record the items as sent today; None when another run got there first."""
    try:
        with transaction.atomic():
            return [SentNotification.objects.create(user=user, kind=kind, key=i.key, day=today).pk for i in items]
    except IntegrityError:
        return None


def send_for_user(user: Any, today: dt.date, base: str, outcome: Outcome) -> None:
    preference = NotificationPreference.for_user(user)
    memberships = list(Membership.objects.filter(user=user).select_related("organization")
                       .order_by("organization__name"))
    for kind in KINDS:
        if not preference.wants(kind):
            continue
        with translation.override(preference.language):  # item titles are written in the user's language
            sections: list[tuple[Organization, list[Item]]] = []
            for membership in memberships:
                org = membership.organization
                found = _fresh(user, kind, COLLECTORS[kind](org, user, today), today)
                if found:
                    sections.append((org, found))
        if not sections:
            continue
        items = [i for _org, found in sections for i in found]
        claimed = _claim(user, kind, items, today)
        if claimed is None:
            continue
        orgs = [org for org, _found in sections]
        try:
            send_to_user(user, kind, f"notifications/mail/{kind}", {
                "sections": [Section(org.name, [_absolute(i, base) for i in found]) for org, found in sections],
                "count": len(items), "today": today, "settings_url": base + reverse("notification_settings")},
                language=preference.language, organization=orgs[0] if len(orgs) == 1 else None,
                details={"items": len(items), "day": today.isoformat()})
        except Exception:  # SMTP down, refused address: release the records so the next run tries again
            SentNotification.objects.filter(pk__in=claimed).delete()
            log.exception("notification %s to user %s could not be sent", kind, user.pk)
            continue
        outcome.mails[kind] += 1
        outcome.items += len(items)


def _absolute(item: Item, base: str) -> Item:
    return Item(item.key, item.item, item.title, item.date, item.passed, base + item.path, item.detail)


def send_notifications(today: dt.date | None = None, base: str | None = None) -> Outcome:
    """Send every user the notifications due ``today`` (default: the local date); links start with ``base``
    (default ``JAMKOLL_BASE_URL``)."""
    today = today or timezone.localdate()
    base = (base or site_url()).rstrip("/")
    outcome = Outcome()
    for user in recipients():
        send_for_user(user, today, base, outcome)
    return outcome
