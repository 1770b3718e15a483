"""The notification settings page (accounts.views.notification_settings) and its model: defaults by role on first
use, each user's own choices only, reachable from the account menu, audited."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from jamkoll.web.accounts.models import NotificationPreference
from jamkoll.web.lib.models import AuditEvent

from .conftest import make_member
from .html_checks import check_page


def test_defaults_by_role(org: Any, other_org: Any, members: dict[str, Any]) -> None:
    kinds = {role: NotificationPreference.defaults_for(members[role]) for role in ("admin", "analyst", "viewer",
                                                                                    "reporter")}
    assert kinds["admin"] == kinds["analyst"] == {"decisions_due": True, "actions_overdue": True,
                                                  "plan_revision": True}
    assert kinds["viewer"] == {"decisions_due": True, "actions_overdue": False, "plan_revision": True}
    assert kinds["reporter"] == dict.fromkeys(NotificationPreference.KINDS, False)
    # A reporter here who is an analyst elsewhere gets the analyst's defaults.
    make_member(other_org, "analyst", username="tvåroller")
    both = get_user_model().objects.get(username="tvåroller")
    from jamkoll.web.accounts.models import Membership

    Membership.objects.create(user=both, organization=org, role="reporter")
    assert NotificationPreference.defaults_for(both)["actions_overdue"] is True
    # Nobody without a membership gets anything by default; the first read saves the defaults.
    loner = get_user_model().objects.create_user("ensam")
    assert NotificationPreference.for_user(loner, "en").language == "en"
    assert not NotificationPreference.for_user(loner).wants("decisions_due")
    assert NotificationPreference.objects.filter(user=loner).count() == 1


def test_settings_page(org: Any, members: dict[str, Any], client_for: Any) -> None:
    viewer = members["viewer"]
    client = client_for(viewer)
    dashboard = client.get(reverse("front:dashboard", args=[org.slug])).content.decode()
    assert f'href="{reverse("notification_settings")}"' in dashboard, "in the account menu"
    page = client.get(reverse("notification_settings")).content.decode()
    assert check_page(page) == [] and "<h1>E-postaviseringar</h1>" in page
    assert 'id="no-email"' in page, "says that mail needs an address"
    checked = set(re.findall(r'<input type="checkbox" name="(\w+)"[^>]* checked>', page))
    assert checked == {"decisions_due", "plan_revision"}, "the steering group's defaults"
    viewer.email = "styrgrupp@example.org"
    viewer.save()
    page = client.get(reverse("notification_settings")).content.decode()
    assert "E-posten går till styrgrupp@example.org." in page and 'id="no-email"' not in page
    saved = client.post(reverse("notification_settings"), {"plan_revision": "on", "language": "en"})
    assert saved.status_code == 302 and saved.url == reverse("notification_settings")
    preference = NotificationPreference.objects.get(user=viewer)
    assert (preference.decisions_due, preference.actions_overdue, preference.plan_revision,
            preference.language) == (False, False, True, "en")
    event = AuditEvent.objects.get(action="notifications_changed")
    assert event.user == viewer and event.details == {"decisions_due": False, "actions_overdue": False,
                                                      "plan_revision": True, "language": "en"}
    # Only the user's own choices: another user's are untouched.
    assert not NotificationPreference.objects.filter(user=members["admin"]).exists()
    bad = client.post(reverse("notification_settings"), {"language": "fr"})
    assert bad.status_code == 400 and check_page(bad.content.decode()) == []


def test_settings_page_in_english(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["analyst"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("notification_settings")).content.decode()
    assert "<h1>E-mail notifications</h1>" in page and "Decisions due" in page and "Send me e-mail about" in page
    assert NotificationPreference.objects.get(user=members["analyst"]).language == "en", "first use: the page's"


def test_login_required(db: None, client: Any) -> None:
    response = client.get(reverse("notification_settings"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
