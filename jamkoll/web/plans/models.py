"""Action plans with goals, actions and adopted revisions; board meetings; checklists; activities; the library.

An action plan belongs to the organisation that made it and may be shared with its partner
organisations (several associations often share one plan): the members of every sharing organisation
see it. A plan is adopted, and later revised, at a dated board meeting; each adoption keeps an
immutable snapshot of the plan (:class:`PlanRevision`), so any revision can be compared with the one
before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.reports.governance import NATIONAL_GOALS
from jamkoll.web.accounts.models import Organization
from jamkoll.web.front.models import FindingCase

NATIONAL_GOAL_CHOICES = [(key, sv) for key, (sv, _en) in NATIONAL_GOALS.items()]


class CharterSignature(models.Model):
    """That an organisation has signed the CEMR charter (and when): its plan goals may then name articles."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="charter_signature",
                                        verbose_name=_("organisation"))
    signed_on = models.DateField(_("undertecknad"), null=True, blank=True)

    class Meta:
        verbose_name = _("undertecknad CEMR-deklaration")
        verbose_name_plural = _("undertecknade CEMR-deklarationer")

    def __str__(self) -> str:
        return f"{self.organization} ({self.signed_on or '–'})"


class BoardMeeting(models.Model):
    """A dated board meeting of an organisation: where plans are adopted and revised."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="board_meetings",
                                     verbose_name=_("organisation"))
    date = models.DateField(_("datum"))
    title = models.CharField(_("benämning"), max_length=200, default="Styrelsemöte")
    note = models.CharField(_("anteckning"), max_length=500, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("styrelsemöte")
        verbose_name_plural = _("styrelsemöten")

    def __str__(self) -> str:
        return f"{self.title} {self.date:%Y-%m-%d}"


class ActionPlan(models.Model):
    """A gender-equality action plan (handlingsplan) of one organisation, possibly shared with partners."""

    owner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="owned_plans",
                              verbose_name=_("ansvarig organisation"))
    # Every organisation the plan is for, the owner included.
    organizations = models.ManyToManyField(Organization, related_name="action_plans",
                                           verbose_name=_("organisationer"))
    title = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("gäller från år"))
    end_year = models.PositiveSmallIntegerField(_("gäller till och med år"))
    created = models.DateTimeField(_("skapad"), default=timezone.now)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["-end_year", "title", "id"]
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Slutåret kan inte vara före startåret.")})

    def latest_revision(self) -> PlanRevision | None:
        return self.revisions.order_by("-number").first()


class Goal(models.Model):
    """A goal of a plan, tied to one of the six national gender-equality goals and, optionally, CEMR articles."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan"))
    title = models.CharField(_("mål"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    national_goal = models.CharField(_("jämställdhetspolitiskt delmål"), max_length=20,
                                     choices=NATIONAL_GOAL_CHOICES)
    cemr_articles = models.JSONField(_("artiklar i CEMR-deklarationen"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    """An action of a plan: what, who, by when, where it stands and what shows it is done."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Avbruten")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions",
                             verbose_name=_("mål"))
    title = models.CharField(_("åtgärd"), max_length=300)
    owner = models.CharField(_("ansvarig"), max_length=200)
    due = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    evidence = models.TextField(_("underlag"), blank=True)
    findings = models.ManyToManyField(FindingCase, blank=True, related_name="plan_actions",
                                      verbose_name=_("fynd i fyndregistret"))
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Past its deadline and neither done nor cancelled."""
        today = today or timezone.localdate()
        return (self.due is not None and self.due < today
                and self.status not in (self.Status.DONE, self.Status.CANCELLED))

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class PlanRevision(models.Model):
    """One adoption of a plan at a board meeting: a snapshot that is never changed afterwards."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("plan"))
    number = models.PositiveIntegerField(_("revision"))
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.PROTECT, related_name="revisions",
                                verbose_name=_("styrelsemöte"))
    adopted_on = models.DateField(_("antagen"))
    note = models.TextField(_("anteckning"), blank=True)
    snapshot = models.JSONField(_("planen som antogs"))
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("registrerad av"))
    created = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisioner")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_revision_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.plan} rev. {self.number} ({self.adopted_on:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An adopted revision is a record of what the board decided: it is written once.
        if self.pk is not None:
            raise ValidationError(_("En antagen revision kan inte ändras."))
        super().save(*args, **kwargs)

    def previous(self) -> PlanRevision | None:
        return self.plan.revisions.filter(number__lt=self.number).order_by("-number").first()


# -- checklists -----------------------------------------------------------------------------------


class ChecklistTemplate(models.Model):
    """An organisation's checklist: a titled list of questions. The shipped ones are copied in on first use."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="checklist_templates",
                                     verbose_name=_("organisation"))
    # The shipped checklist this one started from ("planning", "assessment"), or empty for the organisation's own.
    key = models.CharField(_("ursprung"), max_length=40, blank=True, editable=False)
    title = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    created = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("checklista")
        verbose_name_plural = _("checklistor")

    def __str__(self) -> str:
        return self.title


class ChecklistQuestion(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="questions",
                                 verbose_name=_("checklista"))
    section = models.CharField(_("avsnitt"), max_length=200, blank=True)
    text = models.CharField(_("fråga"), max_length=500)
    help_text = models.TextField(_("vägledning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")

    def __str__(self) -> str:
        return self.text


class ChecklistResponse(models.Model):
    """A checklist answered by an organisation (or one of its units) for a year."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="responses",
                                 verbose_name=_("checklista"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="checklist_responses",
                                     verbose_name=_("organisation"))
    unit = models.CharField(_("enhet"), max_length=200, blank=True,
                            help_text=_("Lämna tomt om checklistan gäller hela organisationen."))
    year = models.PositiveSmallIntegerField(_("år"))
    created = models.DateTimeField(_("skapad"), default=timezone.now)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["-year", "template__title", "unit", "id"]
        verbose_name = _("besvarad checklista")
        verbose_name_plural = _("besvarade checklistor")
        constraints = [models.UniqueConstraint(fields=["template", "organization", "unit", "year"],
                                               name="one_response_per_template_unit_and_year")]

    def __str__(self) -> str:
        return f"{self.template} {self.year} {self.unit}".strip()


class ChecklistAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Ja")
        PARTLY = "partly", _("Delvis")
        NO = "no", _("Nej")
        NOT_APPLICABLE = "not_applicable", _("Ej aktuellt")

    response = models.ForeignKey(ChecklistResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(_("svar"), max_length=16, choices=Answer.choices, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer or '–'}"


# -- activities and the library --------------------------------------------------------------------


class Activity(models.Model):
    """An event or training the organisation ran, with its participants by sex."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Utbildning")
        EVENT = "event", _("Evenemang")
        EXHIBITION = "exhibition", _("Utställning")
        THEME_DAY = "theme_day", _("Temadag")
        OTHER = "other", _("Annat")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="activities",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("namn"), max_length=300)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.TRAINING)
    date = models.DateField(_("datum"))
    description = models.TextField(_("beskrivning"), blank=True)
    women = models.PositiveIntegerField(_("kvinnor"), null=True, blank=True)
    men = models.PositiveIntegerField(_("män"), null=True, blank=True)
    # Participants of another or unknown sex are counted too: they are never left out of a total.
    other = models.PositiveIntegerField(_("annat eller okänt kön"), null=True, blank=True)
    created = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self) -> str:
        return f"{self.title} {self.date:%Y-%m-%d}"

    @property
    def total(self) -> int | None:
        counts = [n for n in (self.women, self.men, self.other) if n is not None]
        return sum(counts) if counts else None


class LibraryItem(models.Model):
    """A link or an uploaded document: the plan itself, evaluations, support material.

    Uploaded files are stored under the data folder (``library/<org slug>/``) by a random name and
    only served, as downloads, to those who may see the library.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", _("Handlingsplan")
        EVALUATION = "evaluation", _("Utvärdering")
        SUPPORT = "support", _("Stödmaterial")
        OTHER = "other", _("Annat")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="library_items",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.SUPPORT)
    description = models.TextField(_("beskrivning"), blank=True)
    url = models.URLField(_("länk"), max_length=1000, blank=True)
    file_name = models.CharField(_("filnamn"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("storlek"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("tillagd av"))
    created = models.DateTimeField(_("tillagd"), default=timezone.now)

    class Meta:
        ordering = ["kind", "title", "id"]
        verbose_name = _("dokument eller länk")
        verbose_name_plural = _("bibliotek")

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.stored_name)


# Events with registration and board cases live in their own modules; imported here so Django finds them.
from .case_models import AssessmentTemplate, BoardCase  # noqa: E402, F401
from .event_models import EvaluationAnswer, Event, Registration, Shift  # noqa: E402, F401
