"""Login, logout and password change (Django's own views, Swedish templates) and personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamkoll.web.lib import audit

from .forms import ThrottledAuthenticationForm, TokenForm
from .models import ApiToken


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["throttled"] = bool(form is not None and form.has_error("__all__", "throttled"))
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.audit(self.request, audit.PASSWORD_CHANGED)
        return response


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a new token is shown once, on the page that created it."""
    form = TokenForm()
    created = None
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            token, created = ApiToken.issue(request.user, form.cleaned_data["name"])
            audit.audit(request, audit.TOKEN_CREATED, obj=token, details={"name": token.name})
            form = TokenForm()
        else:
            status = 400
    elif request.method != "GET":
        return HttpResponse(status=405)
    response = render(request, "accounts/tokens.html", {
        "form": form, "created": created, "tokens": ApiToken.objects.filter(user=request.user)}, status=status)
    if created:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    audit.audit(request, audit.TOKEN_REVOKED, obj=token, details={"name": token.name})
    token.delete()
    messages.success(request, _("API-nyckeln är borttagen."))
    return redirect("tokens")
