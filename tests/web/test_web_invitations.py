"""A new member's invitation: an admin adds a person with an e-mail address and no password; the person gets an
e-mail with a link (Django's token machinery, its own salt, a week's life) where they choose their password."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from jamkoll.web.accounts.invitations import INVITATION_DAYS, InvitationTokenGenerator
from jamkoll.web.lib.models import AuditEvent

from .html_checks import check_page

OWN = "lingonris-vid-siljan-42"


def _link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/konto/inbjudan/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def _invite(org: Any, admin: Any, client_for: Any, **extra: str) -> Any:
    return client_for(admin).post(reverse("front:member_create", kwargs={"slug": org.slug}), {
        "username": "nyanna", "first_name": "Anna", "last_name": "Ny", "email": "anna@example.org",
        "password1": "", "password2": "", "role": "viewer", **extra})


def test_invited_member_chooses_a_password(org: Any, members: dict[str, Any], client_for: Any) -> None:
    response = _invite(org, members["admin"], client_for)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nyanna")
    assert not user.has_usable_password(), "nobody knows a password until the person chooses one"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"] and message.subject == "Välkommen till Jämkoll: Testförbundet"
    assert "Hej Anna Ny!" in message.body and "läsare (styrgrupp)" in message.body
    assert "Ditt användarnamn är nyanna" in message.body and f"gäller i {INVITATION_DAYS} dagar" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://testserver{_link(message)}"' in html
    sent = AuditEvent.objects.get(action="mail_sent")
    assert sent.user == user and sent.organization == org and sent.details["kind"] == "invitation"

    client = Client()
    form = client.get(_link(message), follow=True)
    page = form.content.decode()
    assert form.status_code == 200 and check_page(page) == [] and "<h1>Välj ditt lösenord</h1>" in page
    assert "Ditt användarnamn är nyanna" in page
    saved = client.post(form.redirect_chain[-1][0], {"new_password1": OWN, "new_password2": OWN})
    assert saved.status_code == 302 and saved.url == reverse("login")
    user.refresh_from_db()
    assert user.check_password(OWN)
    assert AuditEvent.objects.filter(action="password_changed", user=user, details={"by": "invitation"}).exists()
    # The person chose the password: logging in leads to the pages, not to the password change.
    login = Client().post(reverse("login"), {"username": "nyanna", "password": OWN})
    assert login.status_code == 302 and login.url == reverse("front:index")
    # The link works once.
    again = Client().get(_link(message), follow=True).content.decode()
    assert "Länken i inbjudan går inte att använda" in again and check_page(again) == []


def test_a_reset_token_is_no_invitation_and_invitations_expire(org: Any, members: dict[str, Any],
                                                              client_for: Any, monkeypatch: Any) -> None:
    _invite(org, members["admin"], client_for)
    user = get_user_model().objects.get(username="nyanna")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset_token = default_token_generator.make_token(user)
    page = Client().get(reverse("invitation_confirm", args=[uid, reset_token]), follow=True).content.decode()
    assert "Länken i inbjudan går inte att använda" in page
    link = _link(mail.outbox[0])
    later = dt.datetime.now() + dt.timedelta(days=INVITATION_DAYS + 1)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)
    page = Client().get(link, follow=True).content.decode()
    assert "Länken i inbjudan går inte att använda" in page


def test_a_new_member_needs_an_address_or_a_password(org: Any, members: dict[str, Any], client_for: Any) -> None:
    response = _invite(org, members["admin"], client_for, email="")
    assert response.status_code == 400
    assert "Ange personens e-postadress" in response.content.decode()
    assert not get_user_model().objects.filter(username="nyanna").exists() and mail.outbox == []


def test_an_invitation_in_english(org: Any, members: dict[str, Any], client_for: Any) -> None:
    admin = client_for(members["admin"])
    admin.post(reverse("set_language"), {"language": "en", "next": "/"})
    admin.post(reverse("front:member_create", kwargs={"slug": org.slug}), {
        "username": "nyanna", "first_name": "Anna", "last_name": "Ny", "email": "anna@example.org",
        "role": "viewer"})
    message = mail.outbox[0]
    assert message.subject == "Welcome to Jämkoll: Testförbundet"
    assert "Your user name is nyanna" in message.body and '<html lang="en">' in message.alternatives[0][0]
