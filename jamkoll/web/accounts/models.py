"""Organisations, their interventions, members with roles, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """An organisation whose data Jämkoll holds: its members see its data, nobody else does."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Samordningsförbund")
        MUNICIPALITY = "municipality", _("Kommun")
        REGION = "region", _("Region")
        COUNTY_BOARD = "county_board", _("Länsstyrelse")
        AGENCY = "agency", _("Myndighet")
        OTHER = "other", _("Annan organisation")

    name = models.CharField(_("namn"), max_length=200)
    # The slug names the organisation's analysis store folder: it does not change once set.
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True,
                            help_text=_("Används i adresser och som mappnamn; kan inte ändras i efterhand."))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION)
    partners = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("samarbetsparter"),
                                      help_text=_("Organisationer som arbetar tillsammans med denna. "
                                                  "Ger ingen tillgång till varandras data."))
    created = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Intervention(models.Model):
    """An intervention (insats) of an organisation, as named in its imported data."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="interventions",
                                     verbose_name=_("organisation"))
    intervention_id = models.CharField(_("insats-id"), max_length=64)
    name = models.CharField(_("namn"), max_length=300, blank=True)

    class Meta:
        ordering = ["intervention_id"]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        constraints = [models.UniqueConstraint(fields=["organization", "intervention_id"],
                                               name="unique_intervention_per_organization")]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.name}".strip()


class Role(models.TextChoices):
    ADMIN = "admin", _("Administratör")
    ANALYST = "analyst", _("Analytiker")
    REPORTER = "reporter", _("Rapportör")
    VIEWER = "viewer", _("Läsare (styrgrupp)")


class Membership(models.Model):
    """A user's role in one organisation; reporters also have the interventions they report for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("användare"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    interventions = models.ManyToManyField(Intervention, blank=True, related_name="reporters",
                                           verbose_name=_("tilldelade insatser"),
                                           help_text=_("Insatser som en rapportör lämnar uppgifter för."))
    created = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        ordering = ["organization__name", "user__username"]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.get_role_display()})"

    def assigned_ids(self) -> frozenset[str]:
        """The intervention ids assigned to this member (cached on the object)."""
        cached: frozenset[str] | None = getattr(self, "_assigned_ids", None)
        if cached is None:
            cached = frozenset(self.interventions.values_list("intervention_id", flat=True))
            self._assigned_ids = cached
        return cached


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: only its SHA-256 is stored; the token itself is shown once."""

    PREFIX = "jk_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("användare"))
    name = models.CharField(_("namn"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("början av nyckeln"), max_length=12, editable=False)
    created = models.DateTimeField(_("skapad"), default=timezone.now)
    last_used = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user: Any, name: str) -> tuple[ApiToken, str]:
        """Create a token for ``user``; return the stored object and the one-time plain text."""
        plain = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, token_hash=hash_token(plain), hint=plain[:10])
        return token, plain

    @classmethod
    def user_for(cls, plain: str) -> Any | None:
        """The active user a token belongs to, or None; records when the token was used."""
        if not plain.startswith(cls.PREFIX):
            return None
        token = cls.objects.select_related("user").filter(token_hash=hash_token(plain)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used is None or (now - token.last_used).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used=now)
        return token.user


class NotificationPreference(models.Model):
    """Which e-mail notifications a user receives, and in which language. Made on first use with the defaults
    of the user's roles (:meth:`for_user`); the user changes it on the notification settings page."""

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Svenska")
        ENGLISH = "en", _("Engelska")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name=_("användare"))
    decisions_due = models.BooleanField(
        _("Beslut som närmar sig"), default=False,
        help_text=_("Ärenden på styrelsemöten utan beslut och fynd vars sista dag närmar sig eller har passerat."))
    actions_overdue = models.BooleanField(
        _("Försenade åtgärder"), default=False,
        help_text=_("Åtgärder i handlingsplanen vars sista dag har passerat utan att de är genomförda."))
    plan_revision = models.BooleanField(
        _("Årlig revision av handlingsplanen"), default=False,
        help_text=_("Påminnelse inför årets sista styrelsemöte, där handlingsplanen ska revideras."))
    language = models.CharField(_("Språk i e-post"), max_length=2, choices=Language.choices, default="sv")
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    KINDS = ("decisions_due", "actions_overdue", "plan_revision")
    # Defaults by role: the steering group decides and revises; admins and analysts also follow the actions.
    ROLE_DEFAULTS = {
        Role.ADMIN: {"decisions_due", "actions_overdue", "plan_revision"},
        Role.ANALYST: {"decisions_due", "actions_overdue", "plan_revision"},
        Role.VIEWER: {"decisions_due", "plan_revision"},
        Role.REPORTER: set(),
    }

    class Meta:
        verbose_name = _("val av e-postaviseringar")
        verbose_name_plural = _("val av e-postaviseringar")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def defaults_for(cls, user: Any) -> dict[str, bool]:
        kinds: set[str] = set()
        for role in Membership.objects.filter(user=user).values_list("role", flat=True):
            kinds |= cls.ROLE_DEFAULTS.get(role, set())
        return {kind: kind in kinds for kind in cls.KINDS}

    @classmethod
    def for_user(cls, user: Any, language: str = "sv") -> NotificationPreference:
        """The user's choices; on first use, the defaults of the user's roles (saved)."""
        found = cls.objects.filter(user=user).first()
        if found is not None:
            return found
        lang = language if language in cls.Language.values else "sv"
        return cls.objects.get_or_create(user=user, defaults={**cls.defaults_for(user), "language": lang})[0]

    def wants(self, kind: str) -> bool:
        return kind in self.KINDS and bool(getattr(self, kind))
