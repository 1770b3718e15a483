"""The application form, its goals (a formset that works without JavaScript), assessment and decision.

The gender perspective is required, not optional: the problem analysis and the budget must speak of
women and of men, and every goal must be measurable: an indicator Jämkoll computes from the imported
data, numeric baseline and target for women and for men, a unit and a follow-up year. A goal in
words only ("öka jämställdheten") is refused with an error on its indicator field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from jamkoll.analysis.goals import INDICATORS
from jamkoll.ingest.schema import KNOWN_COMPONENTS, OUTCOMES

from .models import Application, Assessment, Goal

OUTCOME_CHOICES = [o for o in OUTCOMES if o != "okänd"]
PARAMETER_CHOICES: list[tuple[Any, Any]] = [
    ("", _("– inget (behövs bara för utfall och delinsatser) –")),
    (_("Utfall efter avslut"), [(o, o.replace("_", " ")) for o in OUTCOME_CHOICES]),
    (_("Delinsatser"), [(c, c) for c in KNOWN_COMPONENTS]),
]
_WOMEN = re.compile(r"kvinn|flick|women|woman", re.IGNORECASE)
_MEN = re.compile(r"\bmän\b|\bman\b|\bmännen|\bmäns\b|pojk|\bmen\b", re.IGNORECASE)

NOT_MEASURABLE = _("Målet går inte att mäta. Välj en indikator som Jämkoll kan följa upp i insatsens uppgifter "
                   "(till exempel andel som går till arbete) och ange utgångsläge och målvärde för kvinnor och "
                   "för män. Mål som bara beskrivs i ord, som ”öka jämställdheten”, godtas inte.")


def _speaks_of_both(text: str) -> bool:
    return bool(_WOMEN.search(text) and _MEN.search(text))


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["title", "applicant", "intervention", "year", "problem_analysis", "followup_plan", "budget_sek",
                  "budget_reach"]
        widgets = {
            "problem_analysis": forms.Textarea(attrs={"rows": 5}),
            "followup_plan": forms.Textarea(attrs={"rows": 3}),
            "budget_reach": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "intervention": _("Insatsen som projektet gäller, om den redan finns i Jämkoll. Vid beviljande "
                              "kopplas ansökan till en insats."),
            "problem_analysis": _("Beskriv problemet för kvinnor och för män: vilka som finns i målgruppen, "
                                  "vilka skillnader som finns och varför. Krävs."),
            "followup_plan": _("Hur följs projektet upp uppdelat på kön: vilka uppgifter lämnas och när? Krävs."),
            "budget_reach": _("Hur når budgeten kvinnor och män: personaltid, kostnader och tid per kön. Krävs."),
            "year": _("Till exempel 2026."),
        }

    def __init__(self, *args: Any, interventions: Sequence[Any] = (), intervention_required: bool = False,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["intervention"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = interventions  # type: ignore[assignment]
        field.required = intervention_required
        field.empty_label = str(_("– ny insats, väljs vid beslut –"))
        self.fields["year"].validators += [MinValueValidator(2000), MaxValueValidator(2100)]

    def clean_problem_analysis(self) -> str:
        text: str = self.cleaned_data["problem_analysis"]
        if not _speaks_of_both(text):
            raise forms.ValidationError(_("Problemanalysen måste beskriva situationen för både kvinnor och män."))
        return text

    def clean_followup_plan(self) -> str:
        text: str = self.cleaned_data["followup_plan"]
        if not (_speaks_of_both(text) or re.search(r"\bkön|könsuppdel", text, re.IGNORECASE)):
            raise forms.ValidationError(_("Beskriv hur uppföljningen delas upp på kön (kvinnor och män)."))
        return text

    def clean_budget_reach(self) -> str:
        text: str = self.cleaned_data["budget_reach"]
        if not _speaks_of_both(text):
            raise forms.ValidationError(_("Beskriv hur budgeten når både kvinnor och män."))
        return text


class GoalForm(forms.ModelForm):
    parameter = forms.ChoiceField(label=_("Utfall eller delinsats"), choices=PARAMETER_CHOICES, required=False,
                                  help_text=_("För indikatorer om utfall eller delinsatser."))

    class Meta:
        model = Goal
        fields = ["description", "indicator", "parameter", "unit", "baseline_women", "baseline_men",
                  "target_women", "target_men", "year"]
        help_texts = {"description": _("Frivilligt: målet i ord. Det som följs upp är indikatorn och värdena.")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Blank choices and no browser-side "required": the form explains what is missing itself.
        for name in ("indicator", "unit", "baseline_women", "baseline_men", "target_women", "target_men", "year"):
            self.fields[name].required = False
        for name in ("indicator", "unit"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("– välj –")), *[c for c in field.choices if c[0]]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("indicator")
        if not kind:
            self.add_error("indicator", NOT_MEASURABLE)
            return data
        indicator = INDICATORS[kind]
        parameter = data.get("parameter") or ""
        if indicator.parameter == "outcome" and parameter not in OUTCOME_CHOICES:
            self.add_error("parameter", _("Välj vilket utfall indikatorn gäller (till exempel arbete)."))
        elif indicator.parameter == "component" and parameter not in KNOWN_COMPONENTS:
            self.add_error("parameter", _("Välj vilken delinsats indikatorn gäller (till exempel praktik)."))
        elif not indicator.parameter:
            data["parameter"] = ""
        unit = data.get("unit")
        if not unit:
            self.add_error("unit", _("Ange enhet."))
        elif unit != indicator.unit:
            self.add_error("unit", _("Enheten passar inte indikatorn: välj %(unit)s.") % {
                "unit": dict(self.fields["unit"].choices).get(indicator.unit, indicator.unit)})  # type: ignore[attr-defined]
        for name in ("baseline_women", "baseline_men", "target_women", "target_men"):
            value = data.get(name)
            if value is None:
                if name not in self.errors:
                    self.add_error(name, _("Ange ett tal."))
            elif value < 0:
                self.add_error(name, _("Värdet kan inte vara negativt."))
            elif indicator.unit == "percent" and kind != "target_group_reach" and value > 100:
                self.add_error(name, _("En andel kan inte vara större än 100 procent."))
        year = data.get("year")
        if year is None:
            if "year" not in self.errors:
                self.add_error("year", _("Ange vilket år målet ska följas upp."))
        elif not 2000 <= year <= 2100:
            self.add_error("year", _("Ange ett år mellan 2000 och 2100."))
        return data


GoalFormSet = inlineformset_factory(Application, Goal, form=GoalForm, extra=1, min_num=1, validate_min=True,
                                    can_delete=True, max_num=10, validate_max=True)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [*Assessment.CHECKLIST, "gender_marker", "comment"]
        widgets = {"gender_marker": forms.RadioSelect, "comment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"gender_marker": _("OECD:s jämställdhetsmarkör.")}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Beslut"), widget=forms.RadioSelect, choices=[
        (Application.Status.FUNDED, _("Bevilja")), (Application.Status.REJECTED, _("Avslå"))])
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=forms.DateInput(attrs={"type": "date"},
                                                                                  format="%Y-%m-%d"),
                                 help_text=_("Datum som ÅÅÅÅ-MM-DD."))
    decided_by = forms.CharField(label=_("Beslutat av"), max_length=200,
                                 help_text=_("Till exempel Styrelsen eller förbundschefen på delegation."))
    intervention = forms.ChoiceField(label=_("Insats som finansieras"), required=False,
                                     help_text=_("Krävs vid beviljande: uppföljningen hämtar insatsens uppgifter."))
    note = forms.CharField(label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, interventions: Sequence[Any] = (), assessed: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["intervention"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("– välj –"))] + [(i.intervention_id, str(i)) for i in interventions]
        self.interventions = {i.intervention_id: i for i in interventions}
        self.assessed = assessed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Application.Status.FUNDED:
            if not data.get("intervention"):
                self.add_error("intervention", _("Ange vilken insats ansökan finansierar."))
            if not self.assessed:
                self.add_error("decision", _("Beredningsgruppen måste bedöma ansökan innan den kan beviljas."))
        return data

    def decide_arguments(self) -> dict[str, Any]:
        """The valid form as the keyword arguments of :func:`jamkoll.web.funding.services.decide`."""
        data = self.cleaned_data
        return {"decision": data["decision"], "decided_on": data["decided_on"], "decided_by": data["decided_by"],
                "note": data["note"], "intervention": self.interventions.get(data["intervention"])}
