"""Forms of the pages. Labels, help texts and errors are Swedish; Django ties errors to fields
(``aria-describedby``, ``aria-invalid``) when a field is rendered with ``{{ field.as_field_group }}``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamkoll.web.lib.forms import year_choices

from .models import FindingCase, ReplaceMode
from .register import WHOLE_ORGANIZATION

REPORT_FORMATS = [("html", _("Webbsida (HTML)")), ("pdf", _("PDF")), ("docx", _("Word (DOCX)")),
                  ("xlsx", _("Excel (XLSX)"))]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Filer"),
        help_text=_("En eller flera CSV- eller XLSX-filer enligt dataformatet. Filerna kontrolleras först; "
                    "ingenting sparas förrän du har sett resultatet och bekräftat."),
        widget=MultipleFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    year = forms.IntegerField(label=_("År som uppgifterna gäller"), required=False, min_value=1990,
                              max_value=2100, help_text=_(
                                  "Frivilligt, till exempel 2025. Året räknas från inskrivningsdatumet. "
                                  "Uppgifter för andra år tas inte bort utan att du uttryckligen väljer det."))
    replace = forms.ChoiceField(
        label=_("Uppladdningen ersätter"), choices=ReplaceMode.choices, initial=ReplaceMode.YEAR, required=False,
        help_text=_("Standard: bara de år som filerna har rader för, per insats. Du ser vad som läggs till, "
                    "ändras och tas bort innan något sparas."))
    note = forms.CharField(label=_("Kommentar"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class UploadConfirmForm(forms.Form):
    allow_removal = forms.BooleanField(required=False)


class RowsFilterForm(forms.Form):
    """Filters of an intervention's individual rows (the store's ``enrolment_rows``)."""

    year = forms.TypedChoiceField(label=_("Inskrivningsår"), coerce=int, empty_value=None, required=False)
    sex = forms.ChoiceField(label=_("Kön"), required=False, choices=[
        ("", _("Alla")), ("women", _("Kvinnor")), ("men", _("Män")), ("other", _("Annat kön")),
        ("unknown", _("Okänt kön"))])
    state = forms.ChoiceField(label=_("Inskrivningen"), required=False, choices=[
        ("", _("Alla")), ("ongoing", _("Pågår")), ("ended", _("Avslutad"))])

    def __init__(self, *args: Any, years: Sequence[int] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = year_choices(years, blank=str(_("Alla år")))


class UpdateFindingsForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År att analysera"), coerce=int)

    def __init__(self, *args: Any, years: Sequence[int] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = year_choices(years)


class FindingFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}),
                        help_text=_("Ord i fyndets rubrik eller insatsens namn."))
    intervention = forms.ChoiceField(label=_("Insats"), required=False)
    year = forms.TypedChoiceField(label=_("År"), coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Alla"))] + list(FindingCase.Status.choices))
    dimension = forms.ChoiceField(label=_("Område"), required=False,
                                  choices=[("", _("Alla"))] + list(FindingCase.Dimension.choices))
    overdue = forms.BooleanField(label=_("Bara försenade åtgärder"), required=False)

    def __init__(self, *args: Any, years: Sequence[int] = (),
                 interventions: Sequence[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = year_choices(years, blank=str(_("Alla år")))
        choice = self.fields["intervention"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", _("Alla")), (WHOLE_ORGANIZATION, _("Hela organisationen")), *interventions]


class CloseCaseForm(forms.Form):
    """Close a case: as a justified difference (reason required) or with an action (what, who, when)."""

    JUSTIFIED = FindingCase.Status.JUSTIFIED
    ACTION = FindingCase.Status.ACTION_PLANNED

    decision = forms.ChoiceField(
        label=_("Beslut"), widget=forms.RadioSelect,
        choices=[(JUSTIFIED, _("Skillnaden är motiverad")), (ACTION, _("Skillnaden ska åtgärdas"))])
    justification = forms.CharField(label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Krävs om skillnaden är motiverad: vilka behov eller "
                                                "förutsättningar förklarar den?"))
    action_what = forms.CharField(label=_("Åtgärd"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Krävs om skillnaden ska åtgärdas: vad ska göras?"))
    action_who = forms.CharField(label=_("Ansvarig"), required=False, max_length=200)
    action_due = forms.DateField(label=_("Klart senast"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("Datum som ÅÅÅÅ-MM-DD."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == self.JUSTIFIED and not (data.get("justification") or "").strip():
            self.add_error("justification", _("Skriv varför skillnaden är motiverad."))
        if decision == self.ACTION:
            if not (data.get("action_what") or "").strip():
                self.add_error("action_what", _("Beskriv åtgärden."))
            if not (data.get("action_who") or "").strip():
                self.add_error("action_who", _("Ange vem som ansvarar för åtgärden."))
            if not data.get("action_due") and "action_due" not in self.errors:
                self.add_error("action_due", _("Ange när åtgärden ska vara klar."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Kommentar"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int, empty_value=None, required=False)
    intervention = forms.ChoiceField(label=_("Insats"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=REPORT_FORMATS, initial="pdf")

    def __init__(self, *args: Any, years: Sequence[int] = (), interventions: Sequence[Any] = (),
                 whole_organization: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = year_choices(years, blank=str(_("Alla år")))
        intervention = self.fields["intervention"]
        assert isinstance(intervention, forms.ChoiceField)
        options: list[tuple[str, Any]] = [("", _("Hela organisationen"))] if whole_organization else []
        intervention.choices = options + [(i.intervention_id, str(i)) for i in interventions]
        intervention.required = not whole_organization
