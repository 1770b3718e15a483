"""Forms of events: the organiser's event and shift forms, attendance, and the public registration and
evaluation forms (no login; CSRF-protected; a honeypot field against bots)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.web.accounts.models import Organization

from .event_models import EvaluationAnswer, Event, Registration, Shift
from .models import Action

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_HELP = _("Datum och klockslag, till exempel 2026-03-12 09:00.")


class EventForm(forms.ModelForm):
    starts = forms.DateTimeField(label=_("Börjar"), widget=DATETIME_WIDGET, help_text=DATETIME_HELP,
                                 input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])
    ends = forms.DateTimeField(label=_("Slutar"), widget=DATETIME_WIDGET, help_text=DATETIME_HELP,
                               input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])

    class Meta:
        model = Event
        fields = ["title", "kind", "description", "starts", "ends", "place", "target_group", "capacity",
                  "registration_deadline", "retention_days", "co_organizers", "action"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "registration_deadline": DATE_WIDGET,
                   "co_organizers": forms.CheckboxSelectMultiple}
        help_texts = {
            "target_group": _("Till exempel chefer, politiker, controllers eller verksamhetsutvecklare."),
            "capacity": _("Lämna tomt om antalet inte är begränsat. När det är fullt hamnar nya anmälningar på "
                          "en väntelista."),
            "registration_deadline": _("Datum som ÅÅÅÅ-MM-DD. Anmälningar efter detta datum tas inte emot."),
            "retention_days": _("Namn, e-postadresser och andra uppgifter om deltagarna raderas så här många dagar "
                                "efter evenemanget (lämna tomt för standard: %(days)s dagar). Kvar blir bara antal."),
            "co_organizers": _("Samarbetsparter som arrangerar evenemanget tillsammans med er."),
            "action": _("Åtgärden i handlingsplanen som evenemanget genomför. Deltagarna per kön visas då i "
                        "planens uppföljning."),
        }

    def __init__(self, *args: Any, org: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from .event_models import default_retention_days

        self.fields["retention_days"].help_text = str(self.fields["retention_days"].help_text) % {
            "days": default_retention_days()}
        partners = self.fields["co_organizers"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = org.partners.all()
        if not partners.queryset.exists():
            del self.fields["co_organizers"]
        action = self.fields["action"]
        assert isinstance(action, forms.ModelChoiceField)
        action.queryset = Action.objects.filter(plan__organizations=org).distinct().select_related("plan")
        action.label_from_instance = lambda a: f"{a.plan.title}: {a.title}"
        action.empty_label = str(_("Ingen åtgärd"))
        if self.instance.pk:
            for name in ("starts", "ends"):
                value = getattr(self.instance, name)
                if value:
                    self.initial[name] = timezone.localtime(value).strftime(DATETIME_FORMAT)


class ShiftForm(forms.ModelForm):
    starts = forms.DateTimeField(label=_("Börjar"), widget=DATETIME_WIDGET, help_text=DATETIME_HELP,
                                 input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])
    ends = forms.DateTimeField(label=_("Slutar"), widget=DATETIME_WIDGET, help_text=DATETIME_HELP,
                               input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])

    class Meta:
        model = Shift
        fields = ["task", "starts", "ends", "staff"]
        widgets = {"staff": forms.CheckboxSelectMultiple}
        help_texts = {"task": _("Till exempel bemanning av utställningen eller registrering vid entrén."),
                      "staff": _("Medlemmar i de arrangerande organisationerna.")}

    def __init__(self, *args: Any, event: Event, **kwargs: Any):
        super().__init__(*args, **kwargs)
        staff = self.fields["staff"]
        assert isinstance(staff, forms.ModelMultipleChoiceField)
        staff.queryset = get_user_model().objects.filter(
            memberships__organization__in=event.organizer_ids(), is_active=True).distinct().order_by("username")
        staff.label_from_instance = lambda u: u.get_full_name() or u.get_username()


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(label=_("Deltog"), required=False, widget=forms.CheckboxSelectMultiple,
                                         help_text=_("Kryssa för alla anmälda som kom."))

    def __init__(self, *args: Any, registrations: list[Registration], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(r.pk), f"{r.name} ({r.organisation})" if r.organisation else r.name)
                         for r in registrations]
        self.initial.setdefault("attended", [str(r.pk) for r in registrations if r.attended])

    def attended_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["attended"]}


class RegistrationForm(forms.ModelForm):
    """The public registration form: only what the event needs."""

    sex = forms.ChoiceField(
        label=_("Kön (frivilligt)"), required=False, widget=forms.RadioSelect, choices=Registration.Sex.choices,
        help_text=_("Frivilligt. Vi frågar för att kunna följa upp hur många kvinnor och män som deltar, som en del "
                    "av arbetet med jämställdhet. Svaret redovisas bara som antal, aldrig så att du kan kännas "
                    "igen."))
    # A honeypot: hidden from people (and from assistive technology); bots fill in every field.
    website = forms.CharField(label=_("Lämna detta fält tomt"), required=False)

    class Meta:
        model = Registration
        fields = ["name", "email", "organisation", "role", "sex", "dietary", "accessibility"]
        labels = {"name": _("Namn"), "email": _("E-postadress"), "organisation": _("Organisation"),
                  "role": _("Roll eller yrke"), "dietary": _("Specialkost"),
                  "accessibility": _("Behov av anpassning")}
        help_texts = {"email": _("Hit skickar vi bekräftelsen, en påminnelse och länken för att avboka."),
                      "role": _("Till exempel chef, politiker, controller eller handläggare."),
                      "dietary": _("Frivilligt. Till exempel vegetariskt eller allergier."),
                      "accessibility": _("Frivilligt. Till exempel hörslinga, rullstolsplats eller tolk.")}
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"}),
                   "email": forms.EmailInput(attrs={"autocomplete": "email"}),
                   "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
                   "role": forms.TextInput(attrs={"autocomplete": "organization-title"})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("organisation", "role"):
            self.fields[name].required = True
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def registration_data(self) -> dict[str, Any]:
        return {name: (value.strip() if isinstance(value, str) else value)
                for name, value in self.cleaned_data.items() if name != "website"}


class EvaluationForm(forms.ModelForm):
    overall = forms.TypedChoiceField(label=_("Vad tyckte du om evenemanget som helhet? (1 = mycket dåligt, "
                                             "5 = mycket bra)"), coerce=int, widget=forms.RadioSelect,
                                     choices=EvaluationAnswer.RATINGS)
    useful = forms.TypedChoiceField(label=_("Hur användbart är det du lärde dig i ditt arbete? (1 = inte alls, "
                                            "5 = mycket)"), coerce=int, widget=forms.RadioSelect,
                                    choices=EvaluationAnswer.RATINGS)

    class Meta:
        model = EvaluationAnswer
        fields = ["overall", "useful", "comment"]
        labels = {"comment": _("Kommentar (frivilligt)")}
        help_texts = {"comment": _("Skriv inte ditt namn eller andras: svaret ska vara anonymt.")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 4, "maxlength": 3000})}
