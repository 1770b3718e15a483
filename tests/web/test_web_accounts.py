"""Login, logout, password change and API tokens; failed logins are audited. The throttle of every login path:
test_web_login_throttle.py; the password reset: test_web_password_reset.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts.models import ApiToken
from jamkoll.web.lib.models import AuditEvent

from .conftest import PASSWORD
from .html_checks import check_page


def test_login_page_is_swedish_and_accessible(db: None) -> None:
    response = Client().get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert check_page(html) == []
    assert '<html lang="sv">' in html and "<h1>Logga in</h1>" in html
    assert '<label for="id_username">Användarnamn</label>' in html


def test_pages_need_login(org: Any) -> None:
    response = Client().get(reverse("front:dashboard", args=[org.slug]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_failed_login_is_audited_and_explained(org: Any, members: dict[str, Any]) -> None:
    client = Client(REMOTE_ADDR="192.0.2.7")
    response = client.post(reverse("login"), {"username": members["viewer"].username, "password": "fel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert check_page(html) == []
    assert "Fel användarnamn eller lösenord" in html and 'aria-describedby="login-error"' in html
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.username, event.ip, event.user) == (members["viewer"].username, "192.0.2.7", None)
    assert "fel" not in str(event.details)


def test_login_goes_to_the_only_organization(org: Any, members: dict[str, Any]) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": members["viewer"].username, "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("front:dashboard", args=[org.slug])
    assert AuditEvent.objects.filter(action="login", user=members["viewer"]).exists()
    assert client.post(reverse("logout")).status_code == 302
    assert AuditEvent.objects.filter(action="logout", user=members["viewer"]).exists()
    assert client.get(reverse("front:index")).status_code == 302


def test_users_of_several_organizations_choose(org: Any, other_org: Any, members: dict[str, Any],
                                               client_for: Any) -> None:
    from .conftest import make_member

    user = make_member(org, "viewer", username="tvåsidig")
    from jamkoll.web.accounts.models import Membership

    Membership.objects.create(user=user, organization=other_org, role="viewer")
    html = client_for(user).get(reverse("front:index")).content.decode()
    assert check_page(html) == []
    assert f'href="/o/{org.slug}/"' in html and f'href="/o/{other_org.slug}/"' in html


def test_password_change(org: Any, members: dict[str, Any]) -> None:
    client = Client()
    client.force_login(members["analyst"])
    page = client.get(reverse("password_change")).content.decode()
    assert check_page(page) == []
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "ett-nytt-och-langt-losen-77", "new_password2":
        "ett-nytt-och-langt-losen-77"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="password_changed", user=members["analyst"]).exists()
    bad = client.post(reverse("password_change"), {"old_password": "fel", "new_password1": "a",
                                                    "new_password2": "b"})
    assert bad.status_code == 200 and check_page(bad.content.decode()) == []


@pytest.mark.parametrize(("password", "reason"), [
    ("aaaaaaaaaaaa", "minst 6 olika tecken"),
    ("abababababababab", "minst 6 olika tecken"),
    ("AaAaAaBbBbBbCc", "minst 6 olika tecken"),
    ("kort-1", "för kort"),
    ("123456789012", "enbart numeriskt"),
    ("password1234", "alldeles för vanligt"),
])
def test_trivial_passwords_are_refused(org: Any, members: dict[str, Any], password: str, reason: str) -> None:
    client = Client()
    client.force_login(members["analyst"])
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password})
    html = response.content.decode()
    assert response.status_code == 200 and reason in html, html
    assert check_page(html) == []
    members["analyst"].refresh_from_db()
    assert members["analyst"].check_password(PASSWORD), "the password is unchanged"


def test_password_rules_apply_to_every_form_that_sets_one() -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_password("aaaaaaaaaaaa")
    assert "password_too_few_distinct" in [e.code for e in refused.value.error_list]
    validate_password("kvittra-sommarhus-1987")  # long, varied, not common: accepted


def test_api_tokens_page(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["analyst"])
    response = client.post(reverse("tokens"), {"name": "Statistiksystemet"})
    html = response.content.decode()
    assert check_page(html) == []
    token = ApiToken.objects.get(user=members["analyst"])
    plain = html.split('id="new-token-value">')[1].split("<")[0]
    assert ApiToken.user_for(plain) == members["analyst"]
    assert "no-store" in response["Cache-Control"]
    assert plain not in client.get(reverse("tokens")).content.decode()
    # Someone else's token cannot be removed.
    assert client_for(members["viewer"]).post(reverse("token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 302
    assert not ApiToken.objects.exists()
    assert {"token_created", "token_revoked"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_english_via_the_language_switch(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["viewer"])
    url = reverse("front:dashboard", args=[org.slug])
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in swedish.content.decode(), "Swedish first, whatever the browser prefers"
    assert swedish.headers["Content-Language"] == "sv"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("front:dashboard", args=[org.slug])).content.decode()
    assert '<html lang="en">' in html
    assert "Overview: Testförbundet" in html and "Skip to main content" in html
    assert check_page(html) == []
