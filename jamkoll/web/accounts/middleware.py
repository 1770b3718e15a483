"""Keep a user whose password an admin chose on the password change page until they choose their own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# The session key set at login for such a user (accounts.views.LoginView) and cleared by the change.
PASSWORD_CHANGE_REQUIRED = "jamkoll_password_change_required"
# Pages such a user may still reach: the password change itself, logging out, the language switch, files.
ALLOWED_PREFIXES = ("/static/", "/i18n/")
ALLOWED_NAMES = ("password_change", "password_change_done", "logout")


Handler = Callable[[HttpRequest], HttpResponse]


def password_change_required(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and request.session.get(PASSWORD_CHANGE_REQUIRED)
                and not request.path.startswith(ALLOWED_PREFIXES)
                and request.path not in {reverse(name) for name in ALLOWED_NAMES}):
            return redirect("password_change")
        return get_response(request)

    return middleware
