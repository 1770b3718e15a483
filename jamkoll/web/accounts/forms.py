from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.web.lib import audit
from jamkoll.web.lib.models import AuditEvent

# Guessing passwords: after this many failed logins for a user name within the window, the name is
# refused (even with the right password) until the window has passed. Counted from the audit log,
# so every process of the app agrees.
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW = dt.timedelta(minutes=15)


def login_throttled(username: str) -> bool:
    since = timezone.now() - LOGIN_WINDOW
    failures = AuditEvent.objects.filter(action=audit.LOGIN_FAILED, username__iexact=username, at__gte=since)
    return failures.count() >= LOGIN_MAX_FAILURES


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("För många misslyckade inloggningar för det här användarnamnet. Vänta en kvart och "
                       "försök igen, eller be en administratör om hjälp."),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        if username and login_throttled(username):
            audit.audit(self.request, audit.LOGIN_THROTTLED, user=None, username=username)
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Namn på nyckeln"), max_length=100,
                           help_text=_("Till exempel vilket system som använder den."))
