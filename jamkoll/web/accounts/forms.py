from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.web.lib import audit
from jamkoll.web.lib.models import AuditEvent

from . import throttle
from .models import Intervention, Membership, NotificationPreference, Organization, Role

# Password reset e-mails per account, whatever the client address (the view also limits each address).
RESET_PER_ACCOUNT = 6
RESET_ACCOUNT_WINDOW = dt.timedelta(hours=1)


class ThrottledLoginMixin:
    """Says why a throttled login is refused (jamkoll.web.accounts.throttle), before any password is checked.
    The same words whether or not the user name exists."""

    request: Any
    cleaned_data: dict[str, Any]
    throttled_message = _("För många misslyckade inloggningar. Vänta en kvart och försök igen, eller be en "
                          "administratör om hjälp.")

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        decision = throttle.check(self.request, username)
        if decision:
            throttle.refuse(self.request, username, decision)
            raise ValidationError(self.throttled_message, code="throttled")
        return super().clean()  # type: ignore[misc,no-any-return]


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    """The site's login form."""


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The login form of ``/admin/`` (set as ``admin.site.login_form`` in accounts.admin)."""


class AuditedPasswordResetForm(PasswordResetForm):
    """Django's reset form; each e-mail it sends is written to the audit log (the account, never the address).
    An account gets at most ``RESET_PER_ACCOUNT`` reset e-mails within ``RESET_ACCOUNT_WINDOW``, whatever the
    client addresses asking (the view limits each address): no mailbox is flooded from many addresses."""

    def get_users(self, email: str) -> Any:
        since = timezone.now() - RESET_ACCOUNT_WINDOW
        for user in super().get_users(email):
            sent = AuditEvent.objects.filter(action=audit.MAIL_SENT, user=user, at__gte=since,
                                             details__kind="password_reset").count()
            if sent < RESET_PER_ACCOUNT:
                yield user

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
                  from_email: str | None, to_email: str, html_email_template_name: str | None = None) -> None:
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)
        audit.audit(getattr(self, "_request", None), audit.MAIL_SENT, user=context["user"],
                    details={"kind": "password_reset"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._request = kwargs.get("request")
        super().save(*args, **kwargs)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Namn på nyckeln"), max_length=100,
                           help_text=_("Till exempel vilket system som använder den."))


# -- the organisation's members (managed by its admins) -------------------------------------------


class MembershipForm(forms.Form):
    """A member's role and, for a reporter, the interventions (only the organisation's own) they report for."""

    role = forms.ChoiceField(
        label=_("Roll"), widget=forms.RadioSelect, choices=Role.choices,
        help_text=_("Administratörer och analytiker ser all organisationens data; administratörer hanterar "
                    "också medlemmarna. Rapportörer ser och laddar upp uppgifter bara för sina insatser. "
                    "Läsare (styrgruppen) ser sammanställd statistik och kan kommentera fynd."))
    interventions = forms.ModelMultipleChoiceField(
        label=_("Insatser för rapportören"), required=False, queryset=Intervention.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Krävs för rapportörer: de insatser personen lämnar uppgifter för. Andra roller ser alla "
                    "insatser, och valen här sparas inte för dem."))

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        field = self.fields["interventions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Intervention.objects.filter(organization=org).order_by("intervention_id")
        if not field.queryset.exists():
            field.help_text = _("Organisationen har inga insatser ännu. De läggs till när uppgifter laddas upp; "
                                "först därefter kan en rapportör tilldelas insatser.")

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._describe_groups()

    def _describe_groups(self) -> None:
        # Django describes a radio or checkbox group by its fieldset; name the error on each of its inputs too,
        # next to their aria-invalid.
        for name in self._errors or {}:
            if name in self.fields and self[name].use_fieldset:
                field = self[name]
                ids = [f"{field.auto_id}_helptext"] if field.help_text else []
                self.fields[name].widget.attrs["aria-describedby"] = " ".join([*ids, f"{field.auto_id}_error"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.REPORTER and not data.get("interventions") and "interventions" not in self.errors:
            self.add_error("interventions", _("Välj minst en insats som rapportören ska lämna uppgifter för."))
        if data.get("role") != Role.REPORTER:
            data["interventions"] = []
        return data


class ExistingMemberForm(MembershipForm):
    """Add a user who already has an account (in Jämkoll, perhaps as a member of another organisation).

    The account is named by its user name *and* its e-mail address, and a mismatch of either gets one and the
    same answer: an admin of one organisation cannot learn which user names exist elsewhere (no user name
    enumeration). Only someone who already knows both, i.e. knows the person, can add them.
    """

    field_order = ["username", "email", "role", "interventions"]

    username = forms.CharField(label=_("Användarnamn"), max_length=150,
                               help_text=_("Användarnamnet på ett konto som redan finns i Jämkoll."),
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label=_("Kontots e-postadress"),
                             help_text=_("E-postadressen som står i personens konto. Fråga personen om du inte "
                                         "vet den."),
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    no_match = _("Användarnamnet och e-postadressen hör inte till samma konto, eller så finns inget sådant "
                 "konto. Kontrollera båda med personen, eller välj ”Skapa ny användare”.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name, email = (data.get("username") or "").strip(), (data.get("email") or "").strip()
        if not name or not email:
            return data
        user = get_user_model()._default_manager.filter(username=name, email__iexact=email, is_active=True).first()
        if user is None:
            self.add_error("username", ValidationError(self.no_match, code="no_match"))
        elif Membership.objects.filter(user=user, organization=self.org).exists():
            self.add_error("username", ValidationError(
                _("%(name)s är redan medlem i organisationen.") % {"name": name}, code="member"))
        else:
            data["username"] = user
        return data


class NewMemberForm(MembershipForm):
    """Create an account and make it a member. With an e-mail address the person gets an invitation with a link
    to choose their own password (jamkoll.web.accounts.invitations); without one the admin chooses the first
    password and tells it to the person."""

    field_order = ["username", "first_name", "last_name", "email", "password1", "password2", "role",
                   "interventions"]

    username = forms.CharField(
        label=_("Användarnamn"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("Högst 150 tecken: bokstäver, siffror och @ . + - _"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    first_name = forms.CharField(label=_("Förnamn"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "off"}))
    last_name = forms.CharField(label=_("Efternamn"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label=_("E-postadress"), required=False,
                             help_text=_("Personen får en inbjudan med en länk där hen väljer sitt lösenord. "
                                         "Då behöver du inte välja något första lösenord."),
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    password1 = forms.CharField(
        label=_("Första lösenord"), strip=False, required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Behövs bara utan e-postadress. Minst 12 tecken varav minst 6 olika, inte för likt "
                    "användarnamnet eller namnet och inte ett vanligt lösenord. Berätta lösenordet för personen på "
                    "ett säkert sätt; hen ombeds byta det vid första inloggningen."))
    password2 = forms.CharField(label=_("Upprepa lösenordet"), strip=False, required=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_username(self) -> str:
        name: str = self.cleaned_data["username"].strip()
        if get_user_model()._default_manager.filter(username__iexact=name).exists():
            raise ValidationError(_("Det finns redan en användare med det användarnamnet. Välj ”Lägg till befintlig "
                                    "användare” för att lägga till den personen."), code="taken")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if not first and not second:
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", ValidationError(
                    _("Ange personens e-postadress (hen får en inbjudan) eller välj ett första lösenord nedan."),
                    code="email_or_password"))
        elif first != second:
            self.add_error("password2", _("Lösenorden är inte lika."))
        else:
            user_model = get_user_model()
            candidate = user_model(username=data.get("username") or "", first_name=data.get("first_name") or "",
                                   last_name=data.get("last_name") or "", email=data.get("email") or "")
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def create_user(self) -> Any:
        """The account; without a first password it has none usable until the invitation's link sets one."""
        data = self.cleaned_data
        return get_user_model()._default_manager.create_user(
            data["username"], email=data["email"], password=data["password1"] or None,
            first_name=data["first_name"], last_name=data["last_name"])


class NotificationPreferenceForm(forms.ModelForm):
    """The user's choice of e-mail notifications and their language."""

    class Meta:
        model = NotificationPreference
        fields = ["decisions_due", "actions_overdue", "plan_revision", "language"]
