"""The password reset by e-mail: Django's views with Swedish pages and e-mail, no user enumeration, a limit on
e-mails per address, the password rules, and an audit event that ends an admin-chosen password's hold."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts.forms import RESET_PER_ACCOUNT
from jamkoll.web.accounts.views import RESET_PER_ADDRESS
from jamkoll.web.lib.models import AuditEvent

from .html_checks import check_page

NEW_PASSWORD = "blåbärsris-i-augusti-31"


def _link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/konto/losenord/aterstall/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_reset_by_e_mail(org: Any, members: dict[str, Any]) -> None:
    user = members["viewer"]
    user.email = "styrgrupp@example.org"
    user.save()
    client = Client()
    login = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login, "the login page links to the reset"
    page = client.get(reverse("password_reset")).content.decode()
    assert check_page(page) == [] and "<h1>Återställ lösenordet</h1>" in page
    response = client.post(reverse("password_reset"), {"email": "STYRGRUPP@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    done = client.get(response.url).content.decode()
    assert check_page(done) == [] and "Om det finns ett konto med den e-postadressen" in done
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["styrgrupp@example.org"] and message.subject == "Nytt lösenord för Jämkoll"
    assert user.username in message.body and "gäller i en timme" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and '<html lang="sv">' in html and _link(message) in html
    sent = AuditEvent.objects.get(action="mail_sent")
    assert sent.user == user and sent.details == {"kind": "password_reset"}
    assert "styrgrupp@example.org" not in str(sent.details), "the audit log names the account, not the address"
    # The link leads to a form (Django moves the token into the session and redirects once).
    form = client.get(_link(message), follow=True)
    html = form.content.decode()
    assert form.status_code == 200 and check_page(html) == [] and "<h1>Välj ett nytt lösenord</h1>" in html
    confirm_url = form.redirect_chain[-1][0]
    trivial = client.post(confirm_url, {"new_password1": "aaaaaaaaaaaa", "new_password2": "aaaaaaaaaaaa"})
    assert trivial.status_code == 200 and "minst 6 olika tecken" in trivial.content.decode()
    saved = client.post(confirm_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved.status_code == 302 and saved.url == reverse("password_reset_complete")
    assert check_page(client.get(saved.url).content.decode()) == []
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="password_changed", user=user, details={"by": "reset"}).exists()
    # The link works once.
    again = client.get(_link(message), follow=True).content.decode()
    assert "Länken går inte att använda" in again and check_page(again) == []
    assert Client().post(reverse("login"), {"username": user.username, "password": NEW_PASSWORD}).status_code == 302


def test_unknown_addresses_get_the_same_answer_and_no_e_mail(org: Any, members: dict[str, Any]) -> None:
    known = Client().post(reverse("password_reset"), {"email": "ingen@example.org"})
    assert known.status_code == 302 and known.url == reverse("password_reset_done")
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action="password_reset_requested").count() == 1
    assert not AuditEvent.objects.filter(action="mail_sent").exists()


def test_e_mails_per_address_are_limited(org: Any, members: dict[str, Any]) -> None:
    members["analyst"].email = "analys@example.org"
    members["analyst"].save()
    client = Client(REMOTE_ADDR="198.51.100.5")
    for _ in range(RESET_PER_ADDRESS + 3):
        response = client.post(reverse("password_reset"), {"email": "analys@example.org"})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == RESET_PER_ADDRESS, "no mailbox is flooded from one address"
    Client(REMOTE_ADDR="203.0.113.4").post(reverse("password_reset"), {"email": "analys@example.org"})
    assert len(mail.outbox) == RESET_PER_ADDRESS + 1


def test_e_mails_per_account_are_limited(org: Any, members: dict[str, Any]) -> None:
    members["analyst"].email = "analys@example.org"
    members["analyst"].save()
    for n in range(RESET_PER_ACCOUNT + 2):  # from ever new addresses: the same answer, no more e-mail
        response = Client(REMOTE_ADDR=f"198.51.100.{n + 10}").post(reverse("password_reset"),
                                                                   {"email": "analys@example.org"})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == RESET_PER_ACCOUNT
    members["viewer"].email = "styrgrupp@example.org"
    members["viewer"].save()
    Client(REMOTE_ADDR="198.51.100.99").post(reverse("password_reset"), {"email": "styrgrupp@example.org"})
    assert len(mail.outbox) == RESET_PER_ACCOUNT + 1, "another account is not affected"


def test_a_reset_ends_the_hold_of_an_admin_chosen_password(org: Any, members: dict[str, Any],
                                                           client_for: Any) -> None:
    first = "kvittra-sommarhus-1987"
    admin = client_for(members["admin"])
    admin.post(reverse("front:member_create", kwargs={"slug": org.slug}), {
        "username": "nyanna", "first_name": "Anna", "last_name": "Ny", "email": "anna@example.org",
        "password1": first, "password2": first, "role": "viewer"})
    assert len(mail.outbox) == 1, "the invitation"
    client = Client()
    client.post(reverse("password_reset"), {"email": "anna@example.org"})
    form = client.get(_link(mail.outbox[1]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post(reverse("login"), {"username": "nyanna", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response.url != reverse("password_change")


def test_english_e_mail(org: Any, members: dict[str, Any]) -> None:
    members["viewer"].email = "viewer@example.org"
    members["viewer"].save()
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("password_reset")).content.decode()
    assert "<h1>Reset your password</h1>" in page
    client.post(reverse("password_reset"), {"email": "viewer@example.org"})
    assert mail.outbox[0].subject == "New password for Jämkoll"
    assert "valid for one hour" in mail.outbox[0].body
    assert '<html lang="en">' in mail.outbox[0].alternatives[0][0] and "Choose a new password" in \
        mail.outbox[0].alternatives[0][0]
