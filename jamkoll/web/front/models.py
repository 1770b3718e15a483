"""Uploads (versioned submissions) and the findings register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.web.accounts.models import Intervention, Organization
from jamkoll.web.lib.language import report_language


class ReplaceMode(models.TextChoices):
    YEAR = "year", _("Insatsernas år i filerna")
    INTERVENTION = "intervention", _("Alla år för insatserna i filerna")
    ALL = "all", _("Hela databasen")


class Submission(models.Model):
    """One upload of one or several files: checked first, imported only when confirmed.

    A rejected or cancelled upload leaves nothing in the analysis store; the uploaded files
    themselves are deleted once the upload is accepted, rejected or cancelled (only names,
    sizes and SHA-256 sums are kept, so a later file can be matched to what was imported).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Kontrollerad, väntar på bekräftelse")
        ACCEPTED = "accepted", _("Inläst")
        REJECTED = "rejected", _("Avvisad")
        CANCELLED = "cancelled", _("Avbruten")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="submissions",
                                     verbose_name=_("organisation"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="submissions", verbose_name=_("uppladdad av"))
    created = models.DateTimeField(_("uppladdad"), default=timezone.now)
    decided = models.DateTimeField(_("avgjord"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    year = models.PositiveSmallIntegerField(_("år som uppgifterna gäller"), null=True, blank=True)
    note = models.CharField(_("kommentar"), max_length=500, blank=True)
    # [{"name": ..., "size": ..., "sha256": ...}] in upload order.
    files = models.JSONField(_("filer"), default=list)
    interventions = models.JSONField(_("insatser"), default=list)
    report = models.JSONField(_("importrapport"), null=True, blank=True)
    problems = models.JSONField(_("fel"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("antal fel"), default=0)
    staging = models.CharField(max_length=100, blank=True, editable=False)
    # What the upload replaces (jamkoll.ingest.scope): the intervention's years in the files (year), every
    # year of the interventions (intervention) or the whole store (all).
    replace = models.CharField(_("ersätter"), max_length=16, choices=ReplaceMode.choices, default=ReplaceMode.YEAR)
    # The store version the check was made against, and the version the confirmed upload wrote.
    base_version = models.PositiveIntegerField(_("kontrollerad mot version"), null=True, blank=True)
    store_version = models.PositiveIntegerField(_("databasversion"), null=True, blank=True)
    # The background task importing the upload once confirmed (jamkoll.web.front.tasks).
    task_id = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("uppladdning")
        verbose_name_plural = _("uppladdningar")

    def __str__(self) -> str:
        names = ", ".join(f["name"] for f in self.files)
        return f"#{self.pk} {names} ({self.get_status_display()})"

    @property
    def file_names(self) -> list[str]:
        return [f["name"] for f in self.files]


class SubmissionVersion(models.Model):
    """The version an accepted submission gave an intervention's data: 1, 2, 3, … per intervention."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="versions",
                                     verbose_name=_("insats"))
    version = models.PositiveIntegerField(_("version"))

    class Meta:
        ordering = ["intervention__intervention_id", "-version"]
        verbose_name = _("version")
        verbose_name_plural = _("versioner")
        constraints = [models.UniqueConstraint(fields=["intervention", "version"],
                                               name="one_version_number_per_intervention")]

    def __str__(self) -> str:
        return f"{self.intervention.intervention_id} v{self.version}"


class FindingCase(models.Model):
    """A possible unjustified difference from the analysis, followed until it is justified or acted on."""

    class Dimension(models.TextChoices):
        PARTICIPATION = "participation", _("Deltagande")
        COMPONENT = "component", _("Delinsatser")
        OUTCOME = "outcome", _("Resultat")
        RESOURCE = "resource", _("Resurser")

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        JUSTIFIED = "justified", _("Motiverad skillnad")
        ACTION_PLANNED = "action_planned", _("Åtgärd planerad")
        DONE = "done", _("Åtgärdad")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cases",
                                     verbose_name=_("organisation"))
    finding_id = models.CharField(_("fynd-id"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"))
    intervention = models.ForeignKey(Intervention, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="cases", verbose_name=_("insats"))
    dimension = models.CharField(_("område"), max_length=32, choices=Dimension.choices)
    category = models.CharField(_("kategori"), max_length=200)
    explanation = models.TextField(_("beskrivning från analysen"))
    finding = models.JSONField(_("fyndet"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    justification = models.TextField(_("motivering"), blank=True)
    action_what = models.TextField(_("åtgärd"), blank=True)
    action_who = models.CharField(_("ansvarig"), max_length=200, blank=True)
    action_due = models.DateField(_("klart senast"), null=True, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="later",
                                 verbose_name=_("samma fynd tidigare år"))
    created = models.DateTimeField(_("skapad"), default=timezone.now)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["-year", "finding_id"]
        verbose_name = _("fynd")
        verbose_name_plural = _("fyndregister")
        constraints = [models.UniqueConstraint(fields=["organization", "finding_id", "year"],
                                               name="one_case_per_finding_and_year")]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.year}"

    def _words(self) -> tuple[Any, str, dict[str, str]]:
        """The stored finding, the reader's language and the intervention's name, for the reports layer."""

        from jamkoll.analysis.results import Finding

        lang = report_language()
        names = {self.intervention.intervention_id: self.intervention.name} if self.intervention else {}
        return Finding.from_dict(self.finding), lang, {k: v for k, v in names.items() if v}

    @property
    def description(self) -> str:
        """The finding in the reader's language (the active Django language), written by
        :func:`jamkoll.reports.explain.explain` from the stored finding; the Swedish snapshot in
        ``explanation`` when the stored finding is empty."""
        from jamkoll.reports.explain import explain

        if not self.finding:
            return self.explanation
        return explain(*self._words())

    @property
    def brief(self) -> str:
        """The finding's first sentence, whole (a list shows it instead of cutting the full text)."""
        from jamkoll.reports.explain import explain

        if not self.finding:
            return self.explanation
        finding, lang, names = self._words()
        return explain(finding, lang, names, brief=True)

    @property
    def title(self) -> str:
        """A short plain headline (:func:`jamkoll.reports.explain.title`), in the reader's language."""
        from jamkoll.reports.explain import title

        if not self.finding:
            return self.explanation.split(". ", 1)[0]
        return title(*self._words())

    @property
    def topic(self) -> str:
        """What was compared, with its area ("Delinsatser: arbetsgivarkontakt")."""
        from jamkoll.reports.explain import topic

        if not self.finding:
            return f"{self.get_dimension_display()}: {self.category}"
        finding, lang, _names = self._words()
        return topic(finding, lang)

    @property
    def intervention_name(self) -> str:
        """The intervention's name (its id when it has none); empty for the whole organisation."""
        if self.intervention is None:
            return ""
        return self.intervention.name or self.intervention.intervention_id

    def active_plan_actions(self) -> list[Any]:
        """The plan actions linked to the case that are neither done nor cancelled."""
        return [a for a in self.plan_actions.all() if a.status not in ("done", "cancelled")]

    @property
    def deadline(self) -> dt.date | None:
        """When the case should be acted on: its own action's deadline, or the earliest deadline of the
        plan actions linked to it that are still to be done."""
        dates = [d for d in [self.action_due, *(a.due for a in self.active_plan_actions())] if d is not None]
        return min(dates) if dates else None

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.JUSTIFIED, self.Status.DONE)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """A planned action past its due date and not done."""
        today = today or timezone.localdate()
        return self.status == self.Status.ACTION_PLANNED and self.action_due is not None and self.action_due < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @classmethod
    def overdue_q(cls, today: dt.date | None = None) -> models.Q:
        return models.Q(status=cls.Status.ACTION_PLANNED, action_due__lt=today or timezone.localdate())


class FindingComment(models.Model):
    case = models.ForeignKey(FindingCase, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("skribent"))
    created = models.DateTimeField(_("skriven"), default=timezone.now)
    text = models.TextField(_("kommentar"))

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")

    def __str__(self) -> str:
        return f"{self.case} – {self.author}: {self.text[:40]}"


class FindingEvent(models.Model):
    """The history of a case: creation, recurrence, every status change and edit, every comment."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Skapad från analysen")
        RECURRED = "recurred", _("Återkommer från tidigare år")
        STATUS = "status", _("Status ändrad")
        COMMENT = "comment", _("Kommentar")

    case = models.ForeignKey(FindingCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("tid"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("användare"))
    kind = models.CharField(_("händelse"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("från"), max_length=16, blank=True, choices=FindingCase.Status.choices)
    to_status = models.CharField(_("till"), max_length=16, blank=True, choices=FindingCase.Status.choices)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.at:%Y-%m-%d}"
