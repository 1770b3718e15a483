"""A new member's invitation: an e-mail with a link where the person chooses their own password.

The link carries Django's password-reset token machinery with its own salt and a longer life
(:data:`INVITATION_DAYS`): it works once (choosing a password changes the hash the token is made from)
and only for the account it was made for. The admin who adds the member never learns the password.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from jamkoll.web.lib.mail import send_to_user

from .models import Membership, NotificationPreference

INVITATION_DAYS = 7
INVITATION = "invitation"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens with their own salt (a reset link is no invitation link, nor the other way round)
    and valid for :data:`INVITATION_DAYS` days instead of the reset's hour."""

    key_salt = "jamkoll.web.accounts.invitations.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token) or token.count("-") != 1:
            return False
        ts_b36 = token.split("-")[0]
        try:
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return False
        age = self._num_seconds(self._now()) - ts
        return 0 <= age <= dt.timedelta(days=INVITATION_DAYS).total_seconds()


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user: Any) -> str:
    return reverse("invitation_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                                 "token": invitation_tokens.make_token(user)})


def send_invitation(request: HttpRequest, membership: Membership) -> bool:
    """Mail the new member a link to choose a password (False when the account has no e-mail address).
    Only what the person may know: the organisation, their role, their user name and who invited them."""
    user = membership.user
    language = NotificationPreference.for_user(user, getattr(request, "LANGUAGE_CODE", "sv")).language
    inviter = request.user
    return send_to_user(user, INVITATION, "accounts/mail/invitation", {
        "organization": membership.organization.name, "role": membership.get_role_display,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter.is_authenticated else "",
        "link": request.build_absolute_uri(invitation_path(user)), "days": INVITATION_DAYS,
    }, language=language, request=request, organization=membership.organization,
        details={"membership": membership.pk})
