"""What the event pages, the public registration and the API share: registering (with the waiting list),
cancelling by a signed link, reminders, attendance and the participant figures by sex.

E-mail goes through Django's e-mail framework (``EMAIL_BACKEND`` of the settings; the tests use the
locmem backend). Links in e-mails are absolute: from the request, or from ``JAMKOLL_BASE_URL`` when a
command runs without one. Registrations are changed under a row lock on the event, so two people
cannot take the last place at once and a cancellation moves exactly one person up from the waiting list.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jamkoll.web.accounts.models import Organization

from .event_models import Event, Registration
from .models import Activity
from .services import record

log = logging.getLogger("jamkoll.web.plans")

# Audit log actions (AuditEvent.action).
EVENT_CHANGED = "event_changed"
REGISTRATION_CHANGED = "event_registration_changed"
ATTENDANCE_RECORDED = "event_attendance_recorded"
EVENT_DATA_PURGED = "event_personal_data_purged"

CANCEL_SALT = "jamkoll.plans.event.cancel"
EVALUATION_SALT = "jamkoll.plans.event.evaluation"
# Reminders go out this many days before the event starts.
REMIND_DAYS_BEFORE = 2

R = Registration.Status
REGISTRATION_FIELDS = frozenset({"name", "email", "organisation", "role", "sex", "dietary", "accessibility"})
SEX_COLUMNS = ("woman", "man", "other")  # "other" also counts "prefer not to say" and unanswered


class RegistrationRefused(Exception):
    """The registration cannot be taken (deadline passed, or the event's data already deleted): a Swedish message."""


# -- links ----------------------------------------------------------------------------------------


def site_url(request: HttpRequest | None = None) -> str:
    """The installation's address without a trailing slash: from the request, else ``JAMKOLL_BASE_URL``."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return str(getattr(settings, "JAMKOLL_BASE_URL", "http://localhost:8000")).rstrip("/")


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def evaluation_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=EVALUATION_SALT)


def registration_for(event: Event, token: str, salt: str) -> Registration | None:
    """The registration a signed link names, if it belongs to ``event``; None for a forged or stale link."""
    try:
        pk = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    return Registration.objects.filter(event=event, pk=pk).first() if isinstance(pk, int) else None


def registration_url(event: Event, base: str) -> str:
    return base + reverse("signup:register", kwargs={"token": event.token})


def cancel_url(registration: Registration, base: str) -> str:
    return base + reverse("signup:cancel", kwargs={"token": registration.event.token,
                                                   "signed": cancel_token(registration)})


def evaluation_url(registration: Registration, base: str) -> str:
    return base + reverse("signup:evaluate", kwargs={"token": registration.event.token,
                                                     "signed": evaluation_token(registration)})


# -- e-mail ---------------------------------------------------------------------------------------


def _when(event: Event) -> str:
    starts, ends = timezone.localtime(event.starts), timezone.localtime(event.ends)
    if starts.date() == ends.date():
        return f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}"
    return f"{starts:%Y-%m-%d %H:%M} – {ends:%Y-%m-%d %H:%M}"


def _mail(registration: Registration, subject: str, lines: list[str]) -> None:
    event = registration.event
    body = "\n".join([_("Hej %(name)s,") % {"name": registration.name}, "", *lines, "",
                      _("Med vänliga hälsningar"), str(event.organization.name), ""])
    send_mail(f"{subject}: {event.title}", body, None, [registration.email], fail_silently=False)


def _event_lines(event: Event) -> list[str]:
    return [_("Evenemang: %(title)s") % {"title": event.title}, _("Tid: %(when)s") % {"when": _when(event)},
            _("Plats: %(place)s") % {"place": event.place}]


def _retention_line(event: Event) -> str:
    return _("Dina uppgifter raderas %(days)d dagar efter evenemanget.") % {"days": event.retention}


def mail_confirmation(registration: Registration, base: str) -> None:
    event = registration.event
    if registration.status == R.WAITLISTED:
        subject = _("Du står på väntelistan")
        first = _("Evenemanget är fullt och du står på väntelistan. Får du en plats skickar vi ett nytt e-brev.")
    else:
        subject = _("Bekräftelse på din anmälan")
        first = _("Tack för din anmälan. Du har en plats.")
    _mail(registration, subject, [first, "", *_event_lines(event), "",
                                  _("Kan du inte komma? Avboka här: %(url)s") % {"url": cancel_url(registration, base)},
                                  _retention_line(event)])


def mail_promoted(registration: Registration, base: str) -> None:
    _mail(registration, _("Du har fått en plats"), [
        _("En plats har blivit ledig och du är nu anmäld."), "", *_event_lines(registration.event), "",
        _("Kan du inte komma? Avboka här: %(url)s") % {"url": cancel_url(registration, base)}])


def mail_cancelled(registration: Registration) -> None:
    _mail(registration, _("Din anmälan är avbokad"), [
        _("Din anmälan till %(title)s är avbokad.") % {"title": registration.event.title}])


def mail_reminder(registration: Registration, base: str) -> None:
    _mail(registration, _("Påminnelse"), [
        _("Välkommen till evenemanget."), "", *_event_lines(registration.event), "",
        _("Kan du inte komma? Avboka här: %(url)s") % {"url": cancel_url(registration, base)}])


def mail_evaluation(registration: Registration, base: str) -> None:
    _mail(registration, _("Vad tyckte du?"), [
        _("Tack för att du deltog. Svara gärna på två frågor och lämna en kommentar. Svaren är anonyma: de "
          "sparas utan ditt namn och din e-postadress."), "", evaluation_url(registration, base)])


# -- registering and cancelling -------------------------------------------------------------------


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=R.CONFIRMED).count()


def places_left(event: Event) -> int | None:
    """Free places now (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - confirmed_count(event), 0)


def register(event: Event, data: dict[str, Any], *, base: str, request: HttpRequest | None = None,
             today: dt.date | None = None) -> Registration:
    """Take a registration: confirmed while there are places, otherwise on the waiting list; mail a confirmation.

    ``data`` holds the registration's fields (name, email, organisation, role, sex, dietary,
    accessibility). Raises :class:`RegistrationRefused` after the last registration day. When the e-mail
    cannot be sent the registration stands and ``registration.confirmation_sent`` is False.
    """
    with transaction.atomic():
        locked = Event.objects.select_for_update().select_related("organization").get(pk=event.pk)
        today = today or timezone.localdate()
        if locked.purged is not None or today > locked.registration_deadline:
            raise RegistrationRefused(
                _("Anmälan till %(title)s stängde %(date)s. Kontakta arrangören om du vill delta.") % {
                    "title": locked.title, "date": f"{locked.registration_deadline:%Y-%m-%d}"})
        full = locked.capacity is not None and confirmed_count(locked) >= locked.capacity
        fields = {k: v for k, v in data.items() if k in REGISTRATION_FIELDS}
        registration = Registration.objects.create(event=locked, status=R.WAITLISTED if full else R.CONFIRMED,
                                                   **fields)
        record(request, REGISTRATION_CHANGED, locked.organization, registration, "registered", user=None,
               event=locked.pk, status=registration.status)
    registration.confirmation_sent = True  # type: ignore[attr-defined]
    try:
        mail_confirmation(registration, base)
    except (OSError, smtplib.SMTPException):
        # The registration stands; the page tells the visitor that no e-mail went out (and the log, the admins).
        log.exception("event %s: the confirmation e-mail of registration %s could not be sent", locked.pk,
                      registration.pk)
        registration.confirmation_sent = False  # type: ignore[attr-defined]
    return registration


def _promote_next(event: Event, request: HttpRequest | None) -> Registration | None:
    """Move the first person on the waiting list up when a place is free (inside the caller's lock)."""
    if event.capacity is not None and confirmed_count(event) >= event.capacity:
        return None
    nxt = event.registrations.filter(status=R.WAITLISTED).order_by("created", "id").first()
    if nxt is None:
        return None
    nxt.status = R.CONFIRMED
    nxt.save(update_fields=["status"])
    record(request, REGISTRATION_CHANGED, event.organization, nxt, "promoted", user=None, event=event.pk)
    return nxt


def cancel(registration: Registration, *, base: str, request: HttpRequest | None = None,
           user: Any = None, notify: bool = True) -> Registration | None:
    """Cancel a registration (a no-op when already cancelled) and move the first on the waiting list up,
    mailing both; returns whoever moved up."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("organization").get(pk=registration.event_id)
        current = Registration.objects.select_related("event__organization").get(pk=registration.pk)
        if current.status == R.CANCELLED:
            return None
        was_confirmed = current.status == R.CONFIRMED
        current.status, current.cancelled = R.CANCELLED, timezone.now()
        current.save(update_fields=["status", "cancelled"])
        registration.status, registration.cancelled = current.status, current.cancelled
        record(request, REGISTRATION_CHANGED, event.organization, current, "cancelled", user=user, event=event.pk)
        promoted = _promote_next(event, request) if was_confirmed else None
    if notify:
        mail_cancelled(current)
    if promoted is not None:
        mail_promoted(promoted, base)
    return promoted


def fill_from_waiting_list(event: Event, *, base: str, request: HttpRequest | None = None) -> int:
    """After the capacity grew (or the limit was removed), move people up from the waiting list; how many."""
    moved = []
    with transaction.atomic():
        locked = Event.objects.select_for_update().select_related("organization").get(pk=event.pk)
        while (nxt := _promote_next(locked, request)) is not None:
            moved.append(nxt)
    for registration in moved:
        mail_promoted(registration, base)
    return len(moved)


# -- reminders and evaluation links ---------------------------------------------------------------


def send_reminders(now: dt.datetime | None = None, *, base: str | None = None,
                   days_before: int = REMIND_DAYS_BEFORE) -> int:
    """Mail a reminder to every confirmed registrant of events starting within ``days_before`` days who has
    not had one. Idempotent: each registration is reminded once (``Registration.reminded``)."""
    now = now or timezone.now()
    base = base or site_url()
    due = Registration.objects.filter(status=R.CONFIRMED, reminded__isnull=True, event__purged__isnull=True,
                                      event__starts__gt=now,
                                      event__starts__lte=now + dt.timedelta(days=days_before)).select_related(
        "event", "event__organization")
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminded__isnull=True).update(reminded=now)
            if claimed:
                mail_reminder(registration, base)
                sent += 1
    return sent


def send_evaluations(event: Event, *, base: str, now: dt.datetime | None = None) -> int:
    """Mail the evaluation link to everyone marked as attending who has not had it yet; how many."""
    now = now or timezone.now()
    sent = 0
    for registration in event.registrations.filter(attended=True, evaluation_sent__isnull=True):
        with transaction.atomic():
            if Registration.objects.filter(pk=registration.pk, evaluation_sent__isnull=True).update(
                    evaluation_sent=now):
                mail_evaluation(registration, base)
                sent += 1
    return sent


def send_due_evaluations(now: dt.datetime | None = None, *, base: str | None = None) -> int:
    """Evaluation links for every event that has ended and has attendance marked (the cron job's second half)."""
    now = now or timezone.now()
    base = base or site_url()
    events = Event.objects.filter(ends__lte=now, purged__isnull=True, registrations__attended=True,
                                  registrations__evaluation_sent__isnull=True).distinct()
    return sum(send_evaluations(event, base=base, now=now) for event in events)


# -- attendance and figures -----------------------------------------------------------------------


def sex_column(sex: str) -> str:
    return sex if sex in ("woman", "man") else "other"


@transaction.atomic
def record_attendance(event: Event, attended_ids: set[int], *, user: Any,
                      request: HttpRequest | None = None) -> Activity:
    """Mark who came (confirmed registrants in ``attended_ids``; the other confirmed ones did not come) and
    write the participants by sex into the event's activity (created on first use)."""
    confirmed = event.registrations.filter(status=R.CONFIRMED)
    confirmed.filter(pk__in=attended_ids).update(attended=True)
    confirmed.exclude(pk__in=attended_ids).update(attended=False)
    activity = sync_activity(event)
    record(request, ATTENDANCE_RECORDED, event.organization, event, "attendance", user=user,
           attended=len(attended_ids & set(confirmed.values_list("pk", flat=True))))
    return activity


def sync_activity(event: Event) -> Activity:
    """The event's activity with the attendance by sex (women, men, other or unknown)."""
    counts = attendance_by_sex(event)
    activity = event.activity
    if activity is None:
        activity = Activity(organization=event.organization)
    activity.title, activity.kind = event.title, event.kind
    activity.date = timezone.localdate(event.starts)
    activity.description = activity.description or event.description[:2000]
    activity.women, activity.men, activity.other = counts["woman"], counts["man"], counts["other"]
    activity.save()
    if event.activity_id != activity.pk:
        event.activity = activity
        event.save(update_fields=["activity"])
    return activity


def attendance_by_sex(event: Event) -> dict[str, int]:
    """Attendees by sex: from the registrations, or from the aggregates once they are deleted."""
    if event.purged is not None:
        stored = event.aggregates.get("attended_by_sex", {})
        return {c: int(stored.get(c, 0)) for c in SEX_COLUMNS}
    counts = Counter(sex_column(s) for s in event.registrations.filter(attended=True).values_list("sex", flat=True))
    return {c: counts.get(c, 0) for c in SEX_COLUMNS}


def _label(text: str) -> str:
    return " ".join(text.split()) or "–"


@dataclass
class Figures:
    """An event's counts: registered (confirmed or waitlisted, not cancelled) and attended, by sex, role and
    organisation. Raw counts, for disclosure control before they are shown (see :mod:`.figures`)."""

    registered: dict[str, int]
    attended: dict[str, int]
    by_role: dict[str, int] = field(default_factory=dict)
    by_organisation: dict[str, int] = field(default_factory=dict)
    waitlisted: int = 0
    cancelled: int = 0


def figures(event: Event) -> Figures:
    """The event's figures, live from the registrations or kept in the aggregates after the purge.

    Roles and organisations count the attendees once attendance is marked, otherwise the registered.
    """
    if event.purged is not None:
        a = event.aggregates
        return Figures(registered={c: int(a.get("registered_by_sex", {}).get(c, 0)) for c in SEX_COLUMNS},
                       attended={c: int(a.get("attended_by_sex", {}).get(c, 0)) for c in SEX_COLUMNS},
                       by_role=dict(a.get("by_role", {})), by_organisation=dict(a.get("by_organisation", {})),
                       waitlisted=int(a.get("waitlisted", 0)), cancelled=int(a.get("cancelled", 0)))
    rows = list(event.registrations.values_list("status", "sex", "attended", "role", "organisation"))
    active = [r for r in rows if r[0] == R.CONFIRMED]
    counted = [r for r in active if r[2]] or active
    registered = Counter(sex_column(r[1]) for r in rows if r[0] != R.CANCELLED)
    attended = Counter(sex_column(r[1]) for r in active if r[2])
    return Figures(registered={c: registered.get(c, 0) for c in SEX_COLUMNS},
                   attended={c: attended.get(c, 0) for c in SEX_COLUMNS},
                   by_role=dict(Counter(_label(r[3]) for r in counted)),
                   by_organisation=dict(Counter(_label(r[4]) for r in counted)),
                   waitlisted=sum(r[0] == R.WAITLISTED for r in rows),
                   cancelled=sum(r[0] == R.CANCELLED for r in rows))


# -- which events a user sees ---------------------------------------------------------------------


def events_of(org: Organization) -> QuerySet[Event]:
    """The events ``org`` organises or co-organises."""
    return Event.objects.filter(Q(organization=org) | Q(co_organizers=org)).distinct().select_related(
        "organization", "activity")
