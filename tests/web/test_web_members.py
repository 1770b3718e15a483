"""The members page: an organisation's admins add (existing or new) users, change roles and a reporter's
interventions, and remove members; the last admin cannot leave; every change is audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from jamkoll.web.accounts.models import Intervention, Membership
from jamkoll.web.lib.models import AuditEvent

from .conftest import make_member
from .html_checks import check_page

STRONG = "kvittra-sommarhus-1987"


def _url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"front:{name}", kwargs={"slug": org.slug, **kwargs})


def _ok_page(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    html: str = response.content.decode()
    assert check_page(html) == []
    return html


def _interventions(org: Any, *ids: str) -> list[Intervention]:
    return [Intervention.objects.get_or_create(organization=org, intervention_id=i)[0] for i in ids]


def test_list_shows_members_to_admins_only(org: Any, other_org: Any, members: dict[str, Any],
                                           client_for: Any) -> None:
    members["reporter"].first_name, members["reporter"].last_name = "Rut", "Rapportör"
    members["reporter"].save()
    html = _ok_page(client_for(members["admin"]).get(_url("members", org)))
    assert "<h1>Medlemmar</h1>" in html and 'aria-current="page">Medlemmar</a>' in html
    for role in ("admin", "analyst", "reporter", "viewer"):
        assert members[role].username in html
    assert "Rut Rapportör" in html and "INS01" in html and "aldrig" in html
    assert "outsider" not in html, "another organisation's members are not listed"
    for role in ("analyst", "reporter", "viewer"):
        response = client_for(members[role]).get(_url("members", org))
        assert response.status_code == 403
        dashboard = client_for(members[role]).get(_url("dashboard", org)).content.decode()
        assert _url("members", org) not in dashboard, "the nav link is for admins only"
    assert client_for(members["outsider"]).get(_url("members", org)).status_code == 404


def test_add_an_existing_user(org: Any, other_org: Any, members: dict[str, Any], client_for: Any) -> None:
    members["outsider"].email = "Ute@Example.org"
    members["outsider"].save()
    client = client_for(members["admin"])
    _ok_page(client.get(_url("member_add", org)))
    response = client.post(_url("member_add", org), {"username": "outsider", "email": "ute@example.org",
                                                     "role": "analyst"})
    assert response.status_code == 302 and response.url == _url("members", org)
    added = Membership.objects.get(organization=org, user=members["outsider"])
    assert added.role == "analyst"
    assert Membership.objects.filter(organization=other_org, user=members["outsider"]).exists()
    event = AuditEvent.objects.get(action="member_added")
    assert (event.user, event.organization, event.object_id) == (members["admin"], org, str(added.pk))
    assert event.details == {"username": "outsider", "role": "analyst", "new_user": False, "interventions": []}
    # An existing member is refused, tied to the field.
    html = _ok_page(client.post(_url("member_add", org), {"username": "outsider", "email": "ute@example.org",
                                                          "role": "viewer"}), 400)
    assert "redan medlem" in html and 'aria-invalid="true"' in html
    assert Membership.objects.filter(organization=org).count() == 5


def test_adding_does_not_tell_which_user_names_exist(org: Any, other_org: Any, members: dict[str, Any],
                                                     client_for: Any) -> None:
    """An admin of one organisation cannot learn whether a user name exists elsewhere: an unknown name, a
    wrong e-mail address and an account without one get the very same page."""
    members["outsider"].email = "ute@example.org"
    members["outsider"].save()
    client = client_for(members["admin"])

    def answer(name: str, email: str) -> str:
        html = _ok_page(client.post(_url("member_add", org), {"username": name, "email": email, "role": "viewer"}),
                        400)
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)  # differs on every page
        return main.replace(name, "NAMN").replace(email, "EPOST")

    unknown = answer("finns-inte", "ute@example.org")
    assert "hör inte till samma konto" in unknown and 'aria-invalid="true"' in unknown
    assert answer("outsider", "gissad@example.org") == unknown
    assert answer(members["viewer"].username, "ingen@example.org") == unknown, "no e-mail on the account"
    assert not Membership.objects.filter(organization=org, user=members["outsider"]).exists()


def test_add_a_new_user(org: Any, members: dict[str, Any], client_for: Any) -> None:
    from django.test import Client

    client = client_for(members["admin"])
    _ok_page(client.get(_url("member_create", org)))
    data = {"username": "nyanna", "first_name": "Anna", "last_name": "Ny", "email": "anna@example.org",
            "password1": STRONG, "password2": STRONG, "role": "viewer"}
    response = client.post(_url("member_create", org), data)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nyanna")
    assert (user.get_full_name(), user.email, user.is_staff) == ("Anna Ny", "anna@example.org", False)
    assert user.check_password(STRONG)
    assert Membership.objects.get(organization=org, user=user).role == "viewer"
    actions = AuditEvent.objects.exclude(action="login").order_by("pk").values_list("action", flat=True)
    # With an e-mail address the new member is also invited (tests/web/test_web_invitations.py).
    assert list(actions) == ["user_created", "member_added", "mail_sent"]
    assert [m.to for m in mail.outbox] == [["anna@example.org"]] and STRONG not in mail.outbox[0].body
    assert STRONG not in str(list(AuditEvent.objects.values_list("details", flat=True)))
    # Until the new user has chosen a password of their own, every page leads to the password change,
    # also after logging in again; the API-token page too (no token can be made to get around it).
    anna = Client()
    first = anna.post(reverse("login"), {"username": "nyanna", "password": STRONG})
    assert first.status_code == 302 and first.url == reverse("password_change")
    for page in (reverse("front:dashboard", args=[org.slug]), reverse("tokens"), "/"):
        assert anna.get(page).url == reverse("password_change"), page
    again = Client()
    assert again.post(reverse("login"), {"username": "nyanna", "password": STRONG}).url == reverse("password_change")
    assert again.get(reverse("front:dashboard", args=[org.slug])).url == reverse("password_change")
    own = "ett-eget-lösenord-för-anna-2026"
    changed = again.post(reverse("password_change"), {"old_password": STRONG, "new_password1": own,
                                                      "new_password2": own})
    assert changed.status_code == 302
    assert again.get(reverse("front:dashboard", args=[org.slug])).status_code == 200
    later = Client()
    assert later.post(reverse("login"), {"username": "nyanna", "password": own}).url == reverse("front:index")
    # A taken user name is refused.
    html = _ok_page(client.post(_url("member_create", org), {**data, "username": "NYANNA"}), 400)
    assert "Det finns redan en användare" in html


@pytest.mark.parametrize(("password", "repeat", "error"), [
    ("kort", "kort", "lösenordet är för kort"),
    ("password1234", "password1234", "vanligt"),
    ("123456789012", "123456789012", "enbart numeriskt"),
    (STRONG, STRONG + "x", "Lösenorden är inte lika"),
])
def test_a_weak_or_mistyped_password_is_refused(org: Any, members: dict[str, Any], client_for: Any,
                                                password: str, repeat: str, error: str) -> None:
    response = client_for(members["admin"]).post(_url("member_create", org), {
        "username": "nyanna", "first_name": "Anna", "last_name": "Ny", "email": "", "password1": password,
        "password2": repeat, "role": "viewer"})
    html = _ok_page(response, 400)
    assert error in html
    assert not get_user_model().objects.filter(username="nyanna").exists()
    assert not AuditEvent.objects.filter(action__in=["user_created", "member_added"]).exists()


def test_change_role_and_a_reporters_interventions(org: Any, other_org: Any, members: dict[str, Any],
                                                   client_for: Any) -> None:
    client = client_for(members["admin"])
    viewer = Membership.objects.get(organization=org, user=members["viewer"])
    ins01, ins02, ins03 = _interventions(org, "INS01", "INS02", "INS03")
    foreign = Intervention.objects.create(organization=other_org, intervention_id="X01")
    html = _ok_page(client.get(_url("member", org, pk=viewer.pk)))
    assert "INS02" in html and "X01" not in html, "only the organisation's own interventions are offered"
    # A reporter needs interventions, and only the organisation's own.
    html = _ok_page(client.post(_url("member", org, pk=viewer.pk), {"role": "reporter"}), 400)
    assert "Välj minst en insats" in html
    html = _ok_page(client.post(_url("member", org, pk=viewer.pk),
                                {"role": "reporter", "interventions": [ins02.pk, foreign.pk]}), 400)
    assert "Välj ett giltigt alternativ" in html
    viewer.refresh_from_db()
    assert viewer.role == "viewer" and not viewer.interventions.exists()

    response = client.post(_url("member", org, pk=viewer.pk), {"role": "reporter",
                                                                "interventions": [ins02.pk, ins03.pk]})
    assert response.status_code == 302 and response.url == _url("members", org)
    viewer.refresh_from_db()
    assert viewer.role == "reporter" and set(viewer.interventions.all()) == {ins02, ins03}
    event = AuditEvent.objects.get(action="member_changed")
    assert event.details == {"username": members["viewer"].username,
                             "before": {"role": "viewer", "interventions": []},
                             "after": {"role": "reporter", "interventions": ["INS02", "INS03"]}}
    # The new reporter sees those interventions only.
    reporter_client = client_for(members["viewer"])
    assert reporter_client.get(_url("intervention", org, intervention_id="INS02")).status_code == 200
    assert reporter_client.get(_url("intervention", org, intervention_id="INS01")).status_code == 403
    # Another role drops the interventions.
    client.post(_url("member", org, pk=viewer.pk), {"role": "analyst", "interventions": [ins01.pk]})
    viewer.refresh_from_db()
    assert viewer.role == "analyst" and not viewer.interventions.exists()
    assert AuditEvent.objects.filter(action="member_changed").count() == 2
    # Another organisation's membership is not found.
    outsider = Membership.objects.get(organization=other_org)
    assert client.get(_url("member", org, pk=outsider.pk)).status_code == 404
    assert client.post(_url("member_remove", org, pk=outsider.pk)).status_code == 404


def test_remove_a_member_keeps_the_user(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["admin"])
    reporter = Membership.objects.get(organization=org, user=members["reporter"])
    assert client.get(_url("member_remove", org, pk=reporter.pk)).status_code == 405
    response = client.post(_url("member_remove", org, pk=reporter.pk))
    assert response.status_code == 302 and response.url == _url("members", org)
    assert not Membership.objects.filter(pk=reporter.pk).exists()
    assert get_user_model().objects.filter(pk=members["reporter"].pk).exists()
    event = AuditEvent.objects.get(action="member_removed")
    assert event.object_id == str(reporter.pk)
    assert event.details == {"username": members["reporter"].username, "role": "reporter", "interventions": ["INS01"]}
    assert client_for(members["reporter"]).get(_url("dashboard", org)).status_code == 404


def test_the_last_admin_cannot_leave_or_step_down(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["admin"])
    own = Membership.objects.get(organization=org, user=members["admin"])
    html = _ok_page(client.post(_url("member", org, pk=own.pk), {"role": "analyst"}), 400)
    assert "Organisationen måste ha minst en administratör" in html
    response = client.post(_url("member_remove", org, pk=own.pk), follow=True)
    assert "Organisationen måste ha minst en administratör" in _ok_page(response)
    own.refresh_from_db()
    assert own.role == "admin"
    assert not AuditEvent.objects.filter(action__in=["member_changed", "member_removed"]).exists()

    # With a second admin, the first may step down (and lands on the dashboard) or leave.
    second = make_member(org, "admin", username="andra-admin")
    response = client.post(_url("member", org, pk=own.pk), {"role": "analyst"})
    assert response.status_code == 302 and response.url == _url("dashboard", org)
    own.refresh_from_db()
    assert own.role == "analyst"
    second_client = client_for(second)
    response = second_client.post(_url("member_remove", org, pk=own.pk))
    assert response.status_code == 302
    second_own = Membership.objects.get(organization=org, user=second)
    assert second_client.post(_url("member_remove", org, pk=second_own.pk)).status_code == 302
    assert Membership.objects.filter(organization=org, role="admin").count() == 1


def test_an_admin_other_than_the_last_may_remove_themself(org: Any, members: dict[str, Any],
                                                          client_for: Any) -> None:
    make_member(org, "admin", username="andra-admin")
    client = client_for(members["admin"])
    own = Membership.objects.get(organization=org, user=members["admin"])
    response = client.post(_url("member_remove", org, pk=own.pk))
    assert response.status_code == 302 and response.url == reverse("front:index")
    assert client.get(_url("members", org)).status_code == 404
