"""Storage limitation for event registrations (GDPR art. 5(1)(e)): personal details are deleted a set time
after the event, and only aggregated counts remain.

The retention time is the event's own (:attr:`Event.retention_days`) or the installation's
(``JAMKOLL_EVENT_RETENTION_DAYS``, default 30 days), counted from the event's end. Purging an event
stores its counts by sex (registered and attended), by role and by organisation, the waiting-list and
cancellation counts in :attr:`Event.aggregates`, makes sure the event's activity holds the attendance
by sex, and then deletes every registration row (name, e-mail, organisation, role, needs). The
anonymous evaluation answers have no link to a person and are kept. Run daily from cron:
``python -m jamkoll.web purge_event_personal_data``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from .event_models import Event
from .events import EVENT_DATA_PURGED, figures, sync_activity
from .services import record


def due_for_purge(now: dt.datetime | None = None) -> list[Event]:
    """Events whose registrants' details are past their retention time and not yet deleted."""
    now = now or timezone.now()
    return [e for e in Event.objects.filter(purged__isnull=True, ends__lt=now).select_related("organization")
            if e.purge_after() <= now]


@transaction.atomic
def purge_event(event: Event, now: dt.datetime | None = None) -> int:
    """Keep the event's aggregated counts, delete its registrations; returns how many were deleted."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.purged is not None:
        return 0
    counted = figures(event)
    attended_marked = event.registrations.filter(attended__isnull=False).exists()
    if attended_marked:
        sync_activity(event)
    data = asdict(counted)
    event.aggregates = {
        "registered_by_sex": data["registered"], "attended_by_sex": data["attended"],
        "by_role": data["by_role"], "by_organisation": data["by_organisation"],
        "waitlisted": data["waitlisted"], "cancelled": data["cancelled"],
        "registered": sum(data["registered"].values()), "attended": sum(data["attended"].values()),
        "attendance_marked": attended_marked,
    }
    deleted, _detail = event.registrations.all().delete()
    event.purged = now
    event.save(update_fields=["aggregates", "purged"])
    record(None, EVENT_DATA_PURGED, event.organization, event, "purged", deleted=deleted,
           retention_days=event.retention)
    return deleted


def purge_event_personal_data(now: dt.datetime | None = None) -> dict[int, int]:
    """Purge every event that is due (see :func:`due_for_purge`); ``{event id: registrations deleted}``."""
    return {event.pk: purge_event(event, now) for event in due_for_purge(now)}
