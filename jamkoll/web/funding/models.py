"""Project applications (projektansökningar) with measurable goals, their assessment and decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.analysis.goals import INDICATORS, IndicatorSpec
from jamkoll.reports.goals import indicator_label
from jamkoll.web.accounts.models import Intervention, Organization

INDICATOR_CHOICES = [
    ("outcome_share", _("Andel som når ett utfall efter avslut (t.ex. arbete)")),
    ("component_share", _("Andel som erbjuds en delinsats (t.ex. praktik)")),
    ("mean_hours", _("Personaltid per deltagare, medelvärde")),
    ("mean_cost", _("Kostnad per deltagare, medelvärde")),
    ("mean_days", _("Tid i insatsen, medelvärde")),
    ("participants", _("Antal deltagare")),
    ("participant_share", _("Andel av deltagarna")),
    ("target_group_reach", _("Deltagare per 100 i målgruppen")),
]
assert {k for k, _label in INDICATOR_CHOICES} == set(INDICATORS)

UNIT_CHOICES = [
    ("percent", _("procent")),
    ("count", _("antal")),
    ("sek", _("kronor")),
    ("hours", _("timmar")),
    ("days", _("dagar")),
]


class Application(models.Model):
    """A request for funding of an intervention, with the gender perspective required throughout."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")
        ASSESSED = "assessed", _("Bedömd av beredningsgruppen")
        FUNDED = "funded", _("Beviljad")
        REJECTED = "rejected", _("Avslagen")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="applications",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("projektets namn"), max_length=200)
    applicant = models.CharField(_("sökande"), max_length=200)
    intervention = models.ForeignKey(Intervention, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="applications", verbose_name=_("insats"))
    year = models.PositiveSmallIntegerField(_("första året"))
    problem_analysis = models.TextField(_("problemanalys per kön"))
    followup_plan = models.TextField(_("planerad könsuppdelad uppföljning"))
    budget_sek = models.PositiveBigIntegerField(_("sökt belopp (kr)"))
    budget_reach = models.TextField(_("hur budgeten når kvinnor och män"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="applications", verbose_name=_("skapad av"))
    created = models.DateTimeField(_("skapad"), default=timezone.now)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)
    submitted = models.DateTimeField(_("inskickad"), null=True, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decided_by = models.CharField(_("beslutat av"), max_length=200, blank=True)
    decision_note = models.TextField(_("beslutsmotivering"), blank=True)
    decision_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                             blank=True, related_name="+", verbose_name=_("beslut registrerat av"))

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("projektansökan")
        verbose_name_plural = _("projektansökningar")

    def __str__(self) -> str:
        return self.title

    @property
    def latest_assessment(self) -> Assessment | None:
        return self.assessments.order_by("-assessed_at", "-id").first()

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.FUNDED, self.Status.REJECTED)


class Goal(models.Model):
    """A measurable goal: an indicator Jämkoll computes from the data, baseline and target per sex, a year."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="goals",
                                    verbose_name=_("ansökan"))
    description = models.CharField(_("målet i ord"), max_length=300, blank=True)
    indicator = models.CharField(_("indikator"), max_length=32, choices=INDICATOR_CHOICES)
    parameter = models.CharField(_("utfall eller delinsats"), max_length=64, blank=True)
    unit = models.CharField(_("enhet"), max_length=16, choices=UNIT_CHOICES)
    baseline_women = models.FloatField(_("utgångsläge kvinnor"))
    baseline_men = models.FloatField(_("utgångsläge män"))
    target_women = models.FloatField(_("målvärde kvinnor"))
    target_men = models.FloatField(_("målvärde män"))
    year = models.PositiveSmallIntegerField(_("uppföljningsår"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return indicator_label(self.spec)

    @property
    def spec(self) -> IndicatorSpec:
        return IndicatorSpec(self.indicator, self.parameter)


class Assessment(models.Model):
    """The preparatory group's (beredningsgruppens) assessment: a checklist and a gender marker."""

    class Marker(models.IntegerChoices):
        NOT_TARGETED = 0, _("0 – inte inriktad på jämställdhet")
        SIGNIFICANT = 1, _("1 – jämställdhet är ett väsentligt mål")
        PRINCIPAL = 2, _("2 – jämställdhet är huvudsyftet")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assessments",
                                    verbose_name=_("ansökan"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("bedömd av"))
    assessed_at = models.DateTimeField(_("bedömd"), default=timezone.now)
    problem_by_sex = models.BooleanField(_("Problemanalysen beskriver kvinnors och mäns situation"), default=False)
    goals_measurable = models.BooleanField(_("Målen är mätbara för kvinnor och för män"), default=False)
    followup_by_sex = models.BooleanField(_("Uppföljningen är könsuppdelad"), default=False)
    budget_by_sex = models.BooleanField(_("Budgeten visar hur resurserna når kvinnor och män"), default=False)
    target_group = models.BooleanField(_("Målgruppens könsfördelning är känd och beaktad"), default=False)
    gender_marker = models.PositiveSmallIntegerField(_("jämställdhetsmarkör"), choices=Marker.choices)
    comment = models.TextField(_("beredningsgruppens kommentar"), blank=True)

    CHECKLIST = ("problem_by_sex", "goals_measurable", "followup_by_sex", "budget_by_sex", "target_group")

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")

    def __str__(self) -> str:
        return f"{self.application} ({self.gender_marker})"

    @property
    def fulfilled(self) -> int:
        return sum(bool(getattr(self, name)) for name in self.CHECKLIST)

    def checklist(self) -> list[tuple[str, bool]]:
        return [(str(self._meta.get_field(name).verbose_name), bool(getattr(self, name))) for name in self.CHECKLIST]
