from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .forms import ThrottledAdminAuthenticationForm
from .models import ApiToken, Intervention, Membership, NotificationPreference, Organization

# /admin/login/ is throttled like the site's login (accounts.throttle) and says so in the same words.
admin.site.login_form = ThrottledAdminAuthenticationForm


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org = data.get("organization") or getattr(self.instance, "organization", None)
        foreign = [i for i in data.get("interventions") or [] if org is None or i.organization_id != org.pk]
        if foreign:
            self.add_error("interventions", _("En rapportör kan bara tilldelas insatser i sin egen organisation."))
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["user"]
    filter_horizontal = ["interventions"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "created"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["partners"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The slug names the organisation's store folder.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, tuple[str, ...]]:
        return {"slug": ("name",)} if obj is None else {}


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["intervention_id", "name", "organization"]
    list_filter = ["organization"]
    search_fields = ["intervention_id", "name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    filter_horizontal = ["interventions"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created", "last_used"]
    search_fields = ["name", "user__username"]
    readonly_fields = ["hint", "created", "last_used"]
    fields = ["user", "name", "hint", "created", "last_used"]
    autocomplete_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, plain = ApiToken.issue(obj.user, obj.name)
        obj.pk, obj.token_hash, obj.hint, obj.created = token.pk, token.token_hash, token.hint, token.created
        self.message_user(request, _("Ny API-nyckel (visas bara nu, spara den): %(token)s") % {"token": plain})


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "decisions_due", "actions_overdue", "plan_revision", "language", "updated"]
    list_filter = ["decisions_due", "actions_overdue", "plan_revision", "language"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]
