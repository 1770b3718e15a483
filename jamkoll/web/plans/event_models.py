"""Events with public registration, staffing shifts, attendance and anonymous evaluation.

An event (a training, theme day, exhibition or workshop) belongs to the organisation that made it and
may be co-organised by partner organisations. Anyone with the event's link (a random token, never the
primary key) registers without logging in. Registrants' personal details are kept only until the
retention time after the event has passed (GDPR art. 5(1)(e), storage limitation); then the
registrations are deleted and only the aggregated counts in :attr:`Event.aggregates` remain.

Attendance feeds the event's :class:`~jamkoll.web.plans.models.Activity` (participants by sex), which
the plan follow-up and the yearly report's governance chapter read under disclosure control.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.web.accounts.models import Organization

from .models import Action, Activity

# How long registrants' personal details are kept after an event, unless the event says otherwise.
DEFAULT_RETENTION_DAYS = 30


def default_retention_days() -> int:
    """``JAMKOLL_EVENT_RETENTION_DAYS`` in the settings, or :data:`DEFAULT_RETENTION_DAYS`."""
    return int(getattr(settings, "JAMKOLL_EVENT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def new_token() -> str:
    """A random, URL-safe token of 128 bits: the event's public registration link."""
    return secrets.token_urlsafe(16)


class Event(models.Model):
    """A training, theme day, exhibition or workshop with registration."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events",
                                     verbose_name=_("organisation"))
    co_organizers = models.ManyToManyField(Organization, blank=True, related_name="co_organized_events",
                                           verbose_name=_("medarrangörer"))
    title = models.CharField(_("namn"), max_length=300)
    kind = models.CharField(_("typ"), max_length=16, choices=Activity.Kind.choices, default=Activity.Kind.TRAINING)
    description = models.TextField(_("beskrivning"), blank=True)
    starts = models.DateTimeField(_("börjar"))
    ends = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=300)
    target_group = models.CharField(_("målgrupp"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("antal platser"), null=True, blank=True)
    registration_deadline = models.DateField(_("sista anmälningsdag"))
    retention_days = models.PositiveSmallIntegerField(_("dagar personuppgifterna sparas efter evenemanget"),
                                                      null=True, blank=True)
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
                               verbose_name=_("åtgärd i handlingsplanen"))
    activity = models.OneToOneField(Activity, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="event", verbose_name=_("aktivitet"))
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    # Counts that outlive the registrations: by sex, role and organisation (see retention.py).
    aggregates = models.JSONField(default=dict, blank=True, editable=False)
    purged = models.DateTimeField(_("personuppgifter raderade"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("skapad av"))
    created = models.DateTimeField(_("skapat"), default=timezone.now)

    class Meta:
        ordering = ["-starts", "id"]
        verbose_name = _("evenemang")
        verbose_name_plural = _("evenemang")

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts):%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts and self.ends and self.ends < self.starts:
            errors["ends"] = _("Evenemanget kan inte sluta innan det börjar.")
        if self.starts and self.registration_deadline and self.registration_deadline > timezone.localdate(
                self.starts):
            errors["registration_deadline"] = _("Sista anmälningsdag kan inte vara efter evenemanget.")
        if errors:
            raise ValidationError(errors)

    @property
    def retention(self) -> int:
        return self.retention_days if self.retention_days is not None else default_retention_days()

    def purge_after(self) -> dt.datetime:
        """When the registrants' personal details are deleted."""
        return self.ends + dt.timedelta(days=self.retention)

    def registration_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.purged is None and today <= self.registration_deadline

    def organizer_ids(self) -> list[int]:
        return [self.organization_id, *self.co_organizers.values_list("pk", flat=True)]


class Shift(models.Model):
    """A staffing shift at an event, for members of the organising organisations."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("evenemang"))
    starts = models.DateTimeField(_("börjar"))
    ends = models.DateTimeField(_("slutar"))
    task = models.CharField(_("uppgift"), max_length=200)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="event_shifts",
                                   verbose_name=_("personal"))

    class Meta:
        ordering = ["starts", "id"]
        verbose_name = _("arbetspass")
        verbose_name_plural = _("arbetspass")

    def __str__(self) -> str:
        return f"{self.task} {timezone.localtime(self.starts):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": _("Passet måste sluta efter att det börjar.")})


class Registration(models.Model):
    """One person's registration: only what the event needs, deleted after the retention time."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Anmäld")
        WAITLISTED = "waitlisted", _("På väntelistan")
        CANCELLED = "cancelled", _("Avbokad")

    class Sex(models.TextChoices):
        WOMAN = "woman", _("Kvinna")
        MAN = "man", _("Man")
        OTHER = "other", _("Annat")
        UNSPECIFIED = "unspecified", _("Vill inte uppge")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("evenemang"))
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-postadress"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("roll eller yrke"), max_length=200, blank=True)
    # Voluntary: empty when not answered.
    sex = models.CharField(_("kön"), max_length=16, choices=Sex.choices, blank=True)
    dietary = models.CharField(_("specialkost"), max_length=500, blank=True)
    accessibility = models.CharField(_("behov av anpassning"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    attended = models.BooleanField(_("deltog"), null=True, blank=True)
    created = models.DateTimeField(_("anmäld"), default=timezone.now)
    cancelled = models.DateTimeField(_("avbokad"), null=True, blank=True)
    reminded = models.DateTimeField(_("påminnelse skickad"), null=True, blank=True)
    evaluation_sent = models.DateTimeField(_("utvärdering skickad"), null=True, blank=True)
    # That the person has answered the evaluation (the answer itself is stored without any link to them).
    evaluated = models.BooleanField(default=False)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")

    def __str__(self) -> str:
        return f"{self.event.title}: {self.get_status_display()}"


class EvaluationAnswer(models.Model):
    """One anonymous evaluation of an event: ratings and a comment, with no link to the person."""

    RATINGS = [(n, str(n)) for n in range(1, 6)]

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evaluations",
                              verbose_name=_("evenemang"))
    overall = models.PositiveSmallIntegerField(_("helhetsbetyg"), choices=RATINGS)
    useful = models.PositiveSmallIntegerField(_("nytta i arbetet"), choices=RATINGS)
    comment = models.TextField(_("kommentar"), blank=True)
    # The day only (not the time), so an answer cannot be matched to when an e-mail link was used.
    day = models.DateField(_("dag"), default=timezone.localdate)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("utvärderingssvar")
        verbose_name_plural = _("utvärderingssvar")

    def __str__(self) -> str:
        return f"{self.event.title}: {self.overall}/{self.useful}"
