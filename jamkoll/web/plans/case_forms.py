"""Forms of board cases: a case with its gender-impact assessment (guided by the organisation's template),
and the template itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamkoll.web.accounts.models import Organization
from jamkoll.web.front.models import FindingCase

from .case_models import AssessmentTemplate, BoardCase
from .cases import linkable_revisions


class BoardCaseForm(forms.ModelForm):
    class Meta:
        model = BoardCase
        fields = ["number", "title", "description", "decision", "application", "finding", "revision",
                  "affected", "women_men", "data", "conclusion"]
        widgets = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("description", "decision", "affected", "women_men", "data", "conclusion")}
        labels = {"number": _("Paragraf (§)")}
        help_texts = {"application": _("Om ärendet gäller en projektansökan."),
                      "finding": _("Om ärendet gäller ett fynd i fyndregistret."),
                      "revision": _("Om ärendet gäller en revision av handlingsplanen.")}

    def __init__(self, *args: Any, org: Organization, template: AssessmentTemplate, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from jamkoll.web.funding.models import Application

        for name, help_text in (("affected", template.affected_help), ("women_men", template.women_men_help),
                                ("data", template.data_help), ("conclusion", template.conclusion_help)):
            self.fields[name].help_text = help_text
        links: list[tuple[str, Any, Any]] = [
            ("application", Application.objects.filter(organization=org).order_by("-year", "title"),
             lambda a: f"{a.title} ({a.year})"),
            ("finding", FindingCase.objects.filter(organization=org).select_related("intervention").order_by(
                "-year", "finding_id"), lambda c: f"{c.title} ({c.year})"),
            ("revision", linkable_revisions(org).order_by("plan__title", "number"),
             lambda r: f"{r.plan.title}, revision {r.number} ({r.adopted_on:%Y-%m-%d})"),
        ]
        for name, queryset, label in links:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
            field.label_from_instance = label
            field.empty_label = "–"


class AssessmentTemplateForm(forms.ModelForm):
    class Meta:
        model = AssessmentTemplate
        fields = ["intro", "affected_help", "women_men_help", "data_help", "conclusion_help"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}
