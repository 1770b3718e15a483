"""Board cases (ärenden) on a board meeting's agenda, each with a short gender-impact assessment.

Finnveden's board decided that the gender perspective is considered in every case handled by the
preparatory group and the board, not only in project applications. A case carries four answers — who
is affected, how women and men are affected, which data the assessment rests on, and the conclusion —
guided by the organisation's own template (:class:`AssessmentTemplate`, shipped text on first use).
A case may name the application, the finding or the plan revision it concerns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.web.accounts.models import Organization
from jamkoll.web.front.models import FindingCase

from .models import BoardMeeting, PlanRevision

# The shipped guidance (Swedish; the organisation edits its own copy).
DEFAULT_GUIDANCE = {
    "intro": "Beskriv kort hur ärendet påverkar kvinnor och män. Bedömningen följer med ärendet till protokollet.",
    "affected_help": "Vilka berörs av beslutet: deltagare, personal, medborgare, organisationer?",
    "women_men_help": "Påverkas kvinnor och män, flickor och pojkar olika? Får de samma nytta, resurser och "
                      "möjligheter?",
    "data_help": "Vilka könsuppdelade uppgifter bygger bedömningen på (statistik, fynd, uppföljning)? "
                 "Vad saknas?",
    "conclusion_help": "Slutsatsen: behövs ändringar i förslaget för att det ska bidra till jämställdhet, "
                       "eller är ärendet utan betydelse för kvinnor och män (och varför)?",
}


class AssessmentTemplate(models.Model):
    """An organisation's guidance for the gender-impact assessment of its board cases."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        related_name="assessment_template", verbose_name=_("organisation"))
    # Filled with DEFAULT_GUIDANCE when the template is first made (cases.assessment_template).
    intro = models.TextField(_("inledning"))
    affected_help = models.TextField(_("vägledning: vilka berörs"))
    women_men_help = models.TextField(_("vägledning: kvinnor och män"))
    data_help = models.TextField(_("vägledning: underlag"))
    conclusion_help = models.TextField(_("vägledning: slutsats"))

    class Meta:
        verbose_name = _("mall för jämställdhetsbedömning")
        verbose_name_plural = _("mallar för jämställdhetsbedömning")

    def __str__(self) -> str:
        return str(self.organization)


class BoardCase(models.Model):
    """One case on a board meeting's agenda, with its gender-impact assessment."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.PROTECT, related_name="cases",
                                verbose_name=_("styrelsemöte"))
    number = models.PositiveSmallIntegerField(_("paragraf"), default=1)
    title = models.CharField(_("ärende"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    decision = models.TextField(_("beslut"), blank=True)
    # What the case concerns (each optional, the organisation's own objects only).
    application = models.ForeignKey("funding.Application", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="board_cases", verbose_name=_("projektansökan"))
    finding = models.ForeignKey(FindingCase, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="board_cases", verbose_name=_("fynd"))
    revision = models.ForeignKey(PlanRevision, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="board_cases", verbose_name=_("revision av handlingsplan"))
    # The gender-impact assessment.
    affected = models.TextField(_("vilka berörs"), blank=True)
    women_men = models.TextField(_("hur berörs kvinnor och män"), blank=True)
    data = models.TextField(_("underlag"), blank=True)
    conclusion = models.TextField(_("slutsats"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("bedömd av"))
    assessed = models.DateTimeField(_("bedömd"), null=True, blank=True)
    created = models.DateTimeField(_("skapat"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "number", "id"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"

    @property
    def has_assessment(self) -> bool:
        """A case counts as assessed when the assessment states who is affected and a conclusion."""
        return bool(self.affected.strip() and self.conclusion.strip())
