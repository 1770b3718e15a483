"""The login throttle (accounts/throttle.py): one throttle for the site's login, /admin/login/ and the API's
tokens; per user name and address, per address, per user name; and no stranger can lock a user out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts import throttle
from jamkoll.web.accounts.models import ApiToken
from jamkoll.web.lib.models import AuditEvent

from .conftest import PASSWORD
from .html_checks import check_page

STRANGER = "198.51.100.66"
USER_HOME = "203.0.113.10"
ELSEWHERE = "203.0.113.99"


def _login(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def _admin_login(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post(reverse("admin:login"), {
        "username": username, "password": password, "next": "/admin/"})


def _logged_in(response: Any) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def _age_failures(by: dt.timedelta = throttle.WINDOW) -> None:
    """Let time pass: the failures so far move out of the window."""
    for event in AuditEvent.objects.filter(action__in=throttle.FAILURES):
        AuditEvent.objects.filter(pk=event.pk).update(at=event.at - by)


def test_repeated_failures_lock_the_name_from_that_address_for_a_while(org: Any, members: dict[str, Any]) -> None:
    name = members["analyst"].username
    for _ in range(throttle.PER_NAME_AND_ADDRESS):
        response = _login(STRANGER, name, "gissning")
        assert "Fel användarnamn eller lösenord" in response.content.decode()
    response = _login(STRANGER, name.upper(), PASSWORD)
    html = response.content.decode()
    assert response.status_code == 200 and "För många misslyckade inloggningar" in html
    assert check_page(html) == []
    assert not _logged_in(response), "the right password does not get past the lock"
    event = AuditEvent.objects.get(action="login_throttled")
    assert (event.username, event.ip, event.details) == (name.upper(), STRANGER, {"reason": "name_and_address"})
    # The same user from another address, and another user from the same address, are not affected.
    assert _logged_in(_login(ELSEWHERE, name, PASSWORD))
    assert _logged_in(_login(STRANGER, members["viewer"].username, PASSWORD))
    # The lock ends with the window; refused attempts did not extend it.
    _age_failures()
    assert _logged_in(_login(STRANGER, name, PASSWORD))


def test_a_success_starts_the_count_again(org: Any, members: dict[str, Any]) -> None:
    name = members["viewer"].username
    for _ in range(throttle.PER_NAME_AND_ADDRESS - 1):
        _login(USER_HOME, name, "skrev-fel")
    assert _logged_in(_login(USER_HOME, name, PASSWORD))
    for _ in range(throttle.PER_NAME_AND_ADDRESS - 1):
        _login(USER_HOME, name, "skrev-fel-igen")
    assert _logged_in(_login(USER_HOME, name, PASSWORD)), "typos on two days are not a guessing attack"


def test_admin_login_is_throttled_like_the_site_login(org: Any, members: dict[str, Any]) -> None:
    staff = get_user_model().objects.create_user("driftansvarig", password=PASSWORD, is_staff=True,
                                                 is_superuser=True)
    assert _admin_login(USER_HOME, staff.username, PASSWORD).status_code == 302, "the admin's login works"
    # Failures on the site's login count for /admin/login/ and the other way round: one throttle.
    for _ in range(throttle.PER_NAME_AND_ADDRESS - 2):
        _login(STRANGER, staff.username, "gissning")
    for _ in range(2):
        response = _admin_login(STRANGER, staff.username, "gissning")
        assert response.status_code == 200 and "För många" not in response.content.decode()
    response = _admin_login(STRANGER, staff.username, PASSWORD)
    assert response.status_code == 200 and "För många misslyckade inloggningar" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session
    assert AuditEvent.objects.filter(action="login_failed", username=staff.username).count() == \
        throttle.PER_NAME_AND_ADDRESS
    assert AuditEvent.objects.filter(action="login_throttled", ip=STRANGER).count() == 1
    response = _login(STRANGER, staff.username, PASSWORD)
    assert "För många misslyckade inloggningar" in response.content.decode()


def test_every_authenticate_call_is_throttled(org: Any, members: dict[str, Any]) -> None:
    """A login path that calls Django's authenticate() directly (not through our forms) is refused too."""
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    name = members["admin"].username
    for _ in range(throttle.PER_NAME_AND_ADDRESS):
        _login(STRANGER, name, "gissning")
    request = RequestFactory().post("/", REMOTE_ADDR=STRANGER)
    assert authenticate(request, username=name, password=PASSWORD) is None
    event = AuditEvent.objects.filter(action="login_throttled").latest("at")
    assert (event.username, event.details) == (name, {"reason": "name_and_address"})
    assert AuditEvent.objects.filter(action="login_failed").count() == throttle.PER_NAME_AND_ADDRESS, \
        "a refused attempt is not counted as a failure"
    assert authenticate(RequestFactory().post("/", REMOTE_ADDR=USER_HOME), username=name,
                        password=PASSWORD) == members["admin"]


def test_one_address_guessing_over_many_names_is_stopped(org: Any, members: dict[str, Any]) -> None:
    # Password spraying: one guess for each of many names (most of which do not exist) from one address.
    for i in range(throttle.PER_ADDRESS):
        response = _login(STRANGER, f"namn{i}", "Sommar2026!")
        assert "Fel användarnamn eller lösenord" in response.content.decode()
    # Now the address is refused for every name, even a right password, and says so in the same words.
    response = _login(STRANGER, members["viewer"].username, PASSWORD)
    assert "För många misslyckade inloggningar" in response.content.decode() and not _logged_in(response)
    assert AuditEvent.objects.get(action="login_throttled").details == {"reason": "address"}
    # Nobody else is affected.
    assert _logged_in(_login(USER_HOME, members["viewer"].username, PASSWORD))
    _age_failures()
    assert _logged_in(_login(STRANGER, members["viewer"].username, PASSWORD))


def test_strangers_cannot_lock_a_user_out(org: Any, members: dict[str, Any]) -> None:
    """Guessing from many addresses: the name is refused from addresses it has not logged in from, but never
    from the user's own (known) address, and not for longer than the window."""
    name = members["analyst"].username
    assert _logged_in(_login(USER_HOME, name, PASSWORD))  # the user's usual address
    addresses = [f"198.51.100.{i}" for i in range(throttle.PER_NAME // throttle.PER_NAME_AND_ADDRESS + 1)]
    for address in addresses:
        for _ in range(throttle.PER_NAME_AND_ADDRESS):
            _login(address, name, "gissning")
    fresh = _login(ELSEWHERE, name, PASSWORD)
    assert not _logged_in(fresh), "a new address is refused while the name is under attack"
    assert AuditEvent.objects.filter(action="login_throttled").latest("at").details == {"reason": "name"}
    assert _logged_in(_login(USER_HOME, name, PASSWORD)), "the user's own address still works"
    # The attackers keep hammering: refused attempts do not count, so the lock still ends with the window.
    for address in addresses:
        assert "För många" in _login(address, name, "gissning").content.decode()
    _age_failures()
    assert _logged_in(_login(ELSEWHERE, name, PASSWORD))


def test_messages_do_not_tell_whether_a_user_exists(org: Any, members: dict[str, Any]) -> None:
    def error_of(response: Any) -> str:
        html: str = response.content.decode()
        return html.split('id="login-error">')[1].split("</div>")[0]

    existing = error_of(_login(USER_HOME, members["viewer"].username, "fel-lösenord"))
    unknown = error_of(_login(USER_HOME, "finns-inte-alls", "fel-lösenord"))
    assert existing == unknown
    for _ in range(throttle.PER_NAME_AND_ADDRESS):
        _login(STRANGER, members["viewer"].username, "x")
        _login(STRANGER, "finns-inte-alls", "x")
    assert error_of(_login(STRANGER, members["viewer"].username, "x")) == \
        error_of(_login(STRANGER, "finns-inte-alls", "x"))


def test_api_tokens_are_throttled_per_address(org: Any, members: dict[str, Any]) -> None:
    _token, plain = ApiToken.issue(members["analyst"], "Statistiksystemet")

    def call(address: str, secret: str) -> int:
        client = Client(REMOTE_ADDR=address)
        return int(client.get("/api/orgs", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code)

    assert call(STRANGER, plain) == 200
    for i in range(throttle.PER_ADDRESS):
        assert call(STRANGER, f"{ApiToken.PREFIX}gissning{i}") == 401
    assert AuditEvent.objects.filter(action="token_failed", ip=STRANGER).count() == throttle.PER_ADDRESS
    assert call(STRANGER, plain) == 401, "a refused address gets nothing, even with a valid token"
    assert AuditEvent.objects.get(action="login_throttled").details == {"reason": "address"}
    assert call(USER_HOME, plain) == 200
    # The address's failed tokens also stop its password guessing: one count per address.
    assert "För många" in _login(STRANGER, members["viewer"].username, PASSWORD).content.decode()
    _age_failures()
    assert call(STRANGER, plain) == 200

