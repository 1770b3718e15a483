"""Storage limitation: registrants' personal details are deleted the set time after the event (a frozen
clock), leaving only the aggregated counts, which keep feeding the activity, the event page and the report."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.plans.event_models import Event, Registration
from jamkoll.web.plans.events import figures, record_attendance
from jamkoll.web.plans.retention import due_for_purge, purge_event_personal_data
from jamkoll.web.plans.summary import activity_summaries

from .test_web_plans_events_models import make_event

ENDED = dt.datetime(2026, 3, 12, 16, 0, tzinfo=dt.UTC)


def _event_with_people(org: Any, retention_days: int | None = None) -> Event:
    event = Event.objects.create(organization=org, title="Temadag", starts=ENDED - dt.timedelta(hours=6), ends=ENDED,
                                 place="Halmstad", registration_deadline=dt.date(2026, 3, 1),
                                 retention_days=retention_days)
    people = [("woman", "Politiker", "Region Halland")] * 6 + [("man", "Controller", "Halmstads kommun")] * 5 + [
        ("unspecified", "Controller", "Region Halland"), ("man", "Politiker", "Laholms kommun")]
    regs = [Registration.objects.create(event=event, name=f"Namn {i}", email=f"n{i}@example.se", sex=sex, role=role,
                                        organisation=organisation, dietary="Glutenfritt")
            for i, (sex, role, organisation) in enumerate(people)]
    Registration.objects.create(event=event, name="Avbokad", email="a@example.se", sex="woman",
                                status=Registration.Status.CANCELLED)
    record_attendance(event, {r.pk for r in regs[:11]}, user=None)  # the last two did not come
    return event


def test_nothing_is_deleted_before_the_retention_time(org: Any) -> None:
    event = _event_with_people(org)  # the installation's default: 30 days
    with mock.patch("django.utils.timezone.now", return_value=ENDED + dt.timedelta(days=29, hours=23)):
        assert due_for_purge() == []
        assert purge_event_personal_data() == {}
    assert event.registrations.count() == 14


def test_after_the_retention_time_only_the_aggregates_remain(org: Any, members: dict[str, Any]) -> None:
    event = _event_with_people(org)
    before = figures(event)
    later = ENDED + dt.timedelta(days=30, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert purge_event_personal_data() == {event.pk: 14}
    event.refresh_from_db()
    assert event.purged == later
    assert not Registration.objects.filter(event=event).exists()
    assert event.aggregates["registered_by_sex"] == {"woman": 6, "man": 6, "other": 1}
    assert event.aggregates["attended_by_sex"] == {"woman": 6, "man": 5, "other": 0}
    assert event.aggregates["by_role"] == {"Politiker": 6, "Controller": 5}
    assert event.aggregates["by_organisation"] == {"Region Halland": 6, "Halmstads kommun": 5}
    assert event.aggregates["cancelled"] == 1 and event.aggregates["attended"] == 11
    # No name, e-mail or need survives anywhere in the event.
    stored = str(Event.objects.filter(pk=event.pk).values().get())
    assert "Namn" not in stored and "example.se" not in stored and "Glutenfritt" not in stored
    # The figures read the same from the aggregates, and the activity keeps the attendance by sex.
    assert figures(event) == before
    [summary] = activity_summaries(org, 2026)
    assert (summary.women, summary.men, summary.other) == (6, 5, 0)
    assert AuditEvent.objects.filter(action="event_personal_data_purged", object_id=str(event.pk)).exists()
    # The event page says so; registration is closed for good.
    client = Client()
    client.force_login(members["admin"])
    page = client.get(reverse("front:plans:event", kwargs={"slug": org.slug, "pk": event.pk})).content.decode()
    assert "personuppgifter är raderade" in page and "Namn 1" not in page
    assert "stängde" in Client().get(reverse("signup:register", kwargs={"token": event.token})).content.decode()
    # Purging again does nothing.
    with mock.patch("django.utils.timezone.now", return_value=later + dt.timedelta(days=1)):
        assert purge_event_personal_data() == {}


def test_an_events_own_retention_time_wins(org: Any, settings: Any) -> None:
    settings.JAMKOLL_EVENT_RETENTION_DAYS = 90
    short = _event_with_people(org, retention_days=7)
    default = _event_with_people(org)
    assert default.retention == 90
    with mock.patch("django.utils.timezone.now", return_value=ENDED + dt.timedelta(days=8)):
        assert set(purge_event_personal_data()) == {short.pk}
    assert default.registrations.exists()


def test_the_command_purges_what_is_due(org: Any) -> None:
    old = make_event(org, days_ahead=-40, deadline_days=-45)
    Registration.objects.create(event=old, name="Gammal", email="g@example.se")
    current = make_event(org)
    Registration.objects.create(event=current, name="Ny", email="n@example.se")
    out = StringIO()
    call_command("purge_event_personal_data", stdout=out)
    assert "1 evenemang rensade, 1 anmälningar raderade" in out.getvalue()
    assert list(Registration.objects.values_list("name", flat=True)) == ["Ny"]
    assert Event.objects.get(pk=old.pk).purged is not None and Event.objects.get(pk=current.pk).purged is None
