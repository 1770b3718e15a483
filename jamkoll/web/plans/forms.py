"""Forms of the plan, checklist, activity and library pages. Swedish labels, help texts and errors, tied
to their fields when rendered with ``lib/form_fields.html``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.web.accounts.models import Organization
from jamkoll.web.front.models import FindingCase

from .charter import CEMR_ARTICLES
from .models import (
    Action,
    ActionPlan,
    Activity,
    BoardMeeting,
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    ChecklistTemplate,
    Goal,
    LibraryItem,
)
from .services import LIBRARY_EXTENSIONS, LIBRARY_MAX_BYTES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_HELP = _("Datum som ÅÅÅÅ-MM-DD.")


class PlanForm(forms.ModelForm):
    start_year = forms.IntegerField(label=_("Gäller från år"), min_value=2000, max_value=2100,
                                    help_text=_("Till exempel 2025."))
    end_year = forms.IntegerField(label=_("Gäller till och med år"), min_value=2000, max_value=2100,
                                  help_text=_("Till exempel 2027."))
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Delas med"), required=False, queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Samarbetsparter som har samma handlingsplan. Deras medlemmar kan se planen."))

    class Meta:
        model = ActionPlan
        fields = ["title", "description", "start_year", "end_year"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, org: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.org = org
        field = self.fields["shared_with"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = org.partners.all()
        # Only the owning organisation decides whom the plan is shared with.
        if not field.queryset.exists() or (self.instance.pk and self.instance.owner_id != org.pk):
            del self.fields["shared_with"]
        elif self.instance.pk:
            self.initial["shared_with"] = list(self.instance.organizations.exclude(pk=org.pk))


class GoalForm(forms.ModelForm):
    cemr_articles = forms.MultipleChoiceField(
        label=_("Artiklar i CEMR-deklarationen"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(n, f"{n}. {sv}") for n, (sv, _en) in CEMR_ARTICLES.items()],
        help_text=_("De artiklar i den europeiska deklarationen för jämställdhet som målet arbetar mot."))

    class Meta:
        model = Goal
        fields = ["title", "description", "national_goal", "cemr_articles", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"national_goal": _("Det av de sex jämställdhetspolitiska delmålen som målet bidrar till."),
                      "order": _("Mål med lägre tal visas först.")}

    def __init__(self, *args: Any, charter_signed: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not charter_signed:
            # Articles only mean something for an organisation that has signed the charter.
            del self.fields["cemr_articles"]


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "goal", "owner", "due", "status", "evidence", "findings"]
        widgets = {"due": DATE_WIDGET, "evidence": forms.Textarea(attrs={"rows": 3}),
                   "findings": forms.CheckboxSelectMultiple}
        help_texts = {"owner": _("Person eller funktion, till exempel förbundschefen."), "due": DATE_HELP,
                      "evidence": _("Hur det visas att åtgärden är genomförd: protokoll, rapport, statistik."),
                      "findings": _("Fynd i fyndregistret som åtgärden svarar på.")}

    def __init__(self, *args: Any, plan: ActionPlan, org: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ModelChoiceField)
        goal.queryset = plan.goals.all()
        goal.empty_label = str(_("Inget särskilt mål"))
        findings = self.fields["findings"]
        assert isinstance(findings, forms.ModelMultipleChoiceField)
        # Only this organisation's findings: a shared plan's partners do not see each other's register.
        self._cases: QuerySet[FindingCase] = FindingCase.objects.filter(organization=org).select_related(
            "intervention").order_by(
            "-year", "finding_id")
        findings.queryset = self._cases
        findings.label_from_instance = lambda case: f"{case.title} ({case.year}): {case.get_status_display()}"
        if not findings.queryset.exists():
            del self.fields["findings"]

    def clean_findings(self) -> Any:
        chosen = self.cleaned_data["findings"]
        if self.instance.pk:
            # Links to another organisation's findings are not shown here: keep them as they were.
            hidden = self.instance.findings.exclude(pk__in=self._cases.values("pk"))
            return list(chosen) + list(hidden)
        return chosen


class MeetingForm(forms.ModelForm):
    class Meta:
        model = BoardMeeting
        fields = ["date", "title", "note"]
        widgets = {"date": DATE_WIDGET}
        help_texts = {"date": DATE_HELP}


class ReviseForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Styrelsemöte"), queryset=BoardMeeting.objects.none(),
                                     help_text=_("Mötet som antog planen. Registrera mötet först om det saknas."))
    note = forms.CharField(label=_("Vad ändrades och varför"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Frivilligt, till exempel paragraf i protokollet."))

    def __init__(self, *args: Any, org: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        meeting = self.fields["meeting"]
        assert isinstance(meeting, forms.ModelChoiceField)
        # The board of the organisation whose pages these are adopts (a partner records its own adoption).
        meeting.queryset = BoardMeeting.objects.filter(organization=org).order_by("-date")
        meeting.label_from_instance = lambda m: f"{m.date:%Y-%m-%d} {m.title}"

    def clean_meeting(self) -> BoardMeeting:
        """A board can only have adopted the plan at a meeting that has taken place."""
        meeting: BoardMeeting = self.cleaned_data["meeting"]
        if meeting.date > timezone.localdate():
            raise forms.ValidationError(
                _("Mötet %(date)s har inte ägt rum än. Registrera antagandet efter mötet.")
                % {"date": f"{meeting.date:%Y-%m-%d}"})
        return meeting


class CharterForm(forms.Form):
    signed = forms.BooleanField(label=_("Organisationen har undertecknat CEMR-deklarationen"), required=False)
    signed_on = forms.DateField(label=_("Undertecknad"), required=False, widget=DATE_WIDGET, help_text=DATE_HELP)


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = ChecklistQuestion
        fields = ["section", "text", "help_text", "order"]
        widgets = {"help_text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"section": _("Frågor med samma avsnitt visas tillsammans."),
                      "order": _("Frågor med lägre tal visas först.")}


class StartResponseForm(forms.ModelForm):
    class Meta:
        model = ChecklistResponse
        fields = ["template", "unit", "year"]

    def __init__(self, *args: Any, org: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        template = self.fields["template"]
        assert isinstance(template, forms.ModelChoiceField)
        template.queryset = ChecklistTemplate.objects.filter(organization=org)
        self.instance.organization = org
        year = self.fields["year"]
        assert isinstance(year, forms.IntegerField)
        year.min_value, year.max_value = 2000, 2100
        self.initial.setdefault("year", timezone.localdate().year)

    def validate_unique(self) -> None:
        # The organisation is not a form field, so Django's own check would skip the constraint.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error(None, _("Checklistan är redan påbörjad för den enheten och det året."))


class AnswersForm(forms.Form):
    """One answer and one comment per question of a checklist: fields ``answer_<id>`` and ``comment_<id>``."""

    def __init__(self, *args: Any, questions: list[ChecklistQuestion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, q in enumerate(questions, start=1):
            self.fields[f"answer_{q.pk}"] = forms.ChoiceField(
                label=f"{number}. {q.text}", required=False, help_text=q.help_text, widget=forms.RadioSelect,
                choices=[("", _("Inte besvarad"))] + list(ChecklistAnswer.Answer.choices))
            self.fields[f"comment_{q.pk}"] = forms.CharField(
                label=_("Kommentar till fråga %(number)d") % {"number": number}, required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self) -> list[tuple[ChecklistQuestion, Any, Any]]:
        """(question, answer field, comment field) in question order, for the template."""
        return [(q, self[f"answer_{q.pk}"], self[f"comment_{q.pk}"]) for q in self.questions]

    def answers(self) -> dict[int, tuple[str, str]]:
        return {q.pk: (self.cleaned_data[f"answer_{q.pk}"], self.cleaned_data[f"comment_{q.pk}"].strip())
                for q in self.questions}


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "kind", "date", "description", "women", "men", "other"]
        widgets = {"date": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"date": DATE_HELP,
                      "other": _("Deltagare med annan könstillhörighet eller där kön inte är känt. "
                                 "De räknas alltid med i totalen.")}


class LibraryForm(forms.ModelForm):
    url = forms.URLField(label=_("Länk"), required=False, max_length=1000, assume_scheme="https",
                         help_text=_("En länk, eller ladda upp en fil nedan."))
    file = forms.FileField(label=_("Fil"), required=False,
                           help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument eller text, högst 25 MB."))

    class Meta:
        model = LibraryItem
        fields = ["title", "kind", "description", "url", "file"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if Path(upload.name).suffix.lower() not in LIBRARY_EXTENSIONS:
            raise forms.ValidationError(_("Filtypen stöds inte. Ladda upp PDF, Word, Excel, PowerPoint, "
                                          "OpenDocument eller text."))
        if upload.size > LIBRARY_MAX_BYTES:
            raise forms.ValidationError(_("Filen är större än 25 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not data.get("file") and "file" not in self.errors and "url" not in self.errors:
            self.add_error("url", _("Ange en länk eller ladda upp en fil."))
        if data.get("url") and data.get("file"):
            self.add_error("file", _("Ange antingen en länk eller en fil, inte båda."))
        return data
