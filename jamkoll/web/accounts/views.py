"""Login, logout, password change and reset (Django's own views, Swedish templates), personal API tokens, and the
organisation's members page (for its admins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jamkoll.web.lib import audit
from jamkoll.web.lib import permissions as perm
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.lib.orgviews import org_context, org_view

from .forms import (
    AuditedPasswordResetForm,
    ExistingMemberForm,
    MembershipForm,
    NewMemberForm,
    NotificationPreferenceForm,
    ThrottledAuthenticationForm,
    TokenForm,
)
from .invitations import invitation_tokens, send_invitation
from .middleware import PASSWORD_CHANGE_REQUIRED
from .models import ApiToken, Membership, NotificationPreference, Organization, Role

# Password reset e-mails: at most this many requests per client address within the window send one.
RESET_PER_ADDRESS = 5
RESET_WINDOW = dt.timedelta(minutes=15)


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["throttled"] = bool(form is not None and form.has_error("__all__", "throttled"))
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        response = super().form_valid(form)
        if must_change_password(user):
            # An account made on the members page: its password was chosen by an admin. Until the user has
            # chosen their own, every page leads to the password change (PasswordChangeRequired).
            self.request.session[PASSWORD_CHANGE_REQUIRED] = True
            messages.info(self.request, _("Välkommen! Ditt lösenord valdes av en administratör. Välj ett eget "
                                          "lösenord nu."))
            return redirect("password_change")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """"Glömt lösenordet?": a link by e-mail to the account's address. The answer is the same whether or not
    an account has that address; at most ``RESET_PER_ADDRESS`` requests per client address and ``RESET_WINDOW``
    send e-mail (more get the same answer and no e-mail), so the form cannot be used to flood a mailbox."""

    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = AuditedPasswordResetForm

    def form_valid(self, form: Any) -> HttpResponse:
        since = timezone.now() - RESET_WINDOW
        recent = AuditEvent.objects.filter(action=audit.PASSWORD_RESET_REQUESTED, at__gte=since,
                                           ip=audit.client_ip(self.request)).count()
        audit.audit(self.request, audit.PASSWORD_RESET_REQUESTED, details={"sent": recent < RESET_PER_ADDRESS})
        if recent >= RESET_PER_ADDRESS:
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    audit_by = "reset"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The user chose their own password: an account made by an admin is no longer held on the change page.
        audit.audit(self.request, audit.PASSWORD_CHANGED, user=form.user, details={"by": self.audit_by})
        return response


class InvitationConfirmView(PasswordResetConfirmView):
    """A new member's invitation link (jamkoll.web.accounts.invitations): choose the first password, then log in."""

    token_generator = invitation_tokens
    template_name = "registration/invitation_confirm.html"
    audit_by = "invitation"
    reset_url_token = "valj-losenord"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Ditt lösenord är sparat. Logga in med ditt användarnamn och lösenordet."))
        return response

    def get_success_url(self) -> str:
        return str(reverse("login"))


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.audit(self.request, audit.PASSWORD_CHANGED)
        self.request.session.pop(PASSWORD_CHANGE_REQUIRED, None)
        return response



def must_change_password(user: Any) -> bool:
    """The account was made on the members page (its first password chosen by an admin) and its user
    has not changed the password since. Read from the audit log, so logging in again does not escape it."""
    created = AuditEvent.objects.filter(action=audit.USER_CREATED, object_type=user._meta.model_name,
                                        object_id=str(user.pk)).order_by("-at").first()
    if created is None:
        return False
    return not AuditEvent.objects.filter(action=audit.PASSWORD_CHANGED, user=user, at__gte=created.at).exists()


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which e-mail notifications the user receives (defaults by role on first visit) and in which language."""
    preference = NotificationPreference.for_user(request.user, getattr(request, "LANGUAGE_CODE", "sv"))
    status = 200
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST, instance=preference)
        if form.is_valid():
            form.save()
            audit.audit(request, audit.NOTIFICATIONS_CHANGED, obj=preference,
                        details={name: form.cleaned_data[name] for name in form.fields})
            messages.success(request, _("Dina val av e-post är sparade."))
            return redirect("notification_settings")
        status = 400
    elif request.method == "GET":
        form = NotificationPreferenceForm(instance=preference)
    else:
        return HttpResponse(status=405)
    return render(request, "accounts/notification_settings.html", {
        "form": form, "has_email": bool((request.user.email or "").strip())}, status=status)


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


# -- the organisation's members (its admins manage them) ------------------------------------------


LAST_ADMIN = gettext_lazy("Organisationen måste ha minst en administratör. Du är den enda, så du kan inte ta bort dig "
               "själv eller byta din roll. Gör först någon annan medlem till administratör.")


def _require_admin(request: HttpRequest, org: Organization) -> None:
    perm.require(perm.can_manage_members(request.user, org))


def _member_or_404(org: Organization, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), organization=org, pk=pk)


def _leaves_no_admin(member: Membership, new_role: str | None) -> bool:
    """Would changing ``member`` to ``new_role`` (None: removing it) leave the organisation without an admin?"""
    if member.role != Role.ADMIN or new_role == Role.ADMIN:
        return False
    others = Membership.objects.select_for_update().filter(organization_id=member.organization_id, role=Role.ADMIN)
    return not others.exclude(pk=member.pk).exists()


def _intervention_ids(member: Membership) -> list[str]:
    return sorted(member.interventions.values_list("intervention_id", flat=True))


@org_view
@require_GET
def members(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    _require_admin(request, org)
    memberships = (Membership.objects.filter(organization=org).select_related("user")
                   .prefetch_related("interventions").order_by("user__username"))
    return render(request, "accounts/members.html", org_context(
        request, org, member, section="members", memberships=memberships, roles=Role.choices))


def _add_member(request: HttpRequest, org: Organization, member: Membership, form_class: type[MembershipForm],
                template_title: str) -> HttpResponse:
    _require_admin(request, org)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, org=org)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                new_user = isinstance(form, NewMemberForm)
                if isinstance(form, NewMemberForm):
                    user = form.create_user()
                    audit.audit(request, audit.USER_CREATED, organization=org, obj=user,
                                details={"username": user.get_username()})
                else:
                    user = data["username"]
                added = Membership.objects.create(user=user, organization=org, role=data["role"])
                added.interventions.set(data["interventions"])
                audit.audit(request, audit.MEMBER_ADDED, organization=org, obj=added, details={
                    "username": user.get_username(), "role": added.role, "new_user": new_user,
                    "interventions": _intervention_ids(added)})
            if new_user and user.email and send_invitation(request, added):
                messages.success(request, _("Kontot %(name)s är skapat och medlem som %(role)s. En inbjudan med en "
                                            "länk för att välja lösenord har skickats till personens "
                                            "e-postadress.") % {
                    "name": user.get_username(), "role": added.get_role_display().lower()})
            elif new_user:
                messages.success(request, _("Kontot %(name)s är skapat och medlem som %(role)s. Berätta "
                                            "användarnamnet och det första lösenordet för personen; hen ombeds "
                                            "byta lösenord vid första inloggningen.") % {
                    "name": user.get_username(), "role": added.get_role_display().lower()})
            else:
                messages.success(request, _("%(name)s är nu medlem som %(role)s.") % {
                    "name": user.get_username(), "role": added.get_role_display().lower()})
            return redirect("front:members", slug=org.slug)
        status = 400
    elif request.method == "GET":
        form = form_class(org=org, initial={"role": Role.VIEWER})
    else:
        return HttpResponse(status=405)
    return render(request, "accounts/member_form.html", org_context(
        request, org, member, section="members", form=form, title=template_title,
        new_user=form_class is NewMemberForm), status=status)


@org_view
def member_add(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    """Add an existing user, by user name."""
    return _add_member(request, org, member, ExistingMemberForm, _("Lägg till befintlig användare"))


@org_view
def member_create(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    """Create a user (with a first password chosen by the admin) and add them."""
    return _add_member(request, org, member, NewMemberForm, _("Skapa ny användare"))


@org_view
def member_detail(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponseBase:
    """Change a member's role and a reporter's interventions."""
    target = _member_or_404(org, pk)
    _require_admin(request, org)
    status = 200
    if request.method == "POST":
        form = MembershipForm(request.POST, org=org)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                if _leaves_no_admin(target, data["role"]):
                    form.add_error("role", LAST_ADMIN)
                else:
                    before = {"role": target.role, "interventions": _intervention_ids(target)}
                    target.role = data["role"]
                    target.save(update_fields=["role"])
                    target.interventions.set(data["interventions"])
                    after = {"role": target.role, "interventions": _intervention_ids(target)}
                    if after != before:
                        audit.audit(request, audit.MEMBER_CHANGED, organization=org, obj=target, details={
                            "username": target.user.get_username(), "before": before, "after": after})
            if form.is_valid():
                messages.success(request, _("Ändringarna för %(name)s är sparade.") % {
                    "name": target.user.get_username()})
                if target.user_id == request.user.pk and target.role != Role.ADMIN:
                    return redirect("front:dashboard", slug=org.slug)  # no longer an admin here
                return redirect("front:members", slug=org.slug)
        status = 400
    elif request.method == "GET":
        form = MembershipForm(org=org, initial={"role": target.role, "interventions": target.interventions.all()})
    else:
        return HttpResponse(status=405)
    return render(request, "accounts/member.html", org_context(
        request, org, member, section="members", form=form, target=target,
        is_self=target.user_id == request.user.pk), status=status)


@org_view
@require_POST
def member_remove(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponseBase:
    """Remove a member from the organisation (the user's account stays)."""
    target = _member_or_404(org, pk)
    _require_admin(request, org)
    name = target.user.get_username()
    with transaction.atomic():
        if _leaves_no_admin(target, None):
            messages.error(request, str(LAST_ADMIN))
            return redirect("front:member", slug=org.slug, pk=target.pk)
        audit.audit(request, audit.MEMBER_REMOVED, organization=org, obj=target, details={
            "username": name, "role": target.role, "interventions": _intervention_ids(target)})
        target.delete()
    messages.success(request, _("%(name)s är inte längre medlem i organisationen. Kontot finns kvar.") % {
        "name": name})
    if target.user_id == request.user.pk:
        return redirect("front:index")
    return redirect("front:members", slug=org.slug)
