"""The scheduled e-mail notifications (jamkoll.web.notifications.send) with Django's locmem backend: decisions due,
actions overdue and the yearly plan revision, each to the members who chose it and may see it, once per item and
day (and week), in the recipient's language, each e-mail in the audit log."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command

from jamkoll.web.accounts.models import Intervention, NotificationPreference
from jamkoll.web.front.models import FindingCase
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.notifications.models import SentNotification
from jamkoll.web.notifications.send import REPEAT_DAYS, send_notifications
from jamkoll.web.plans.case_models import BoardCase
from jamkoll.web.plans.models import Action, ActionPlan, BoardMeeting

TODAY = dt.date(2026, 11, 20)
BASE = "https://jamkoll.example.se"
DECISIONS = "Jämkoll: 2 beslut närmar sig"
OVERDUE = "Jämkoll: en försenad åtgärd"
REVISION = "Jämkoll: dags att revidera handlingsplanen"


@pytest.fixture
def scene(org: Any, other_org: Any, members: dict[str, Any]) -> dict[str, Any]:
    for name, user in members.items():
        user.email, user.first_name = f"{name}@example.org", name.capitalize()
        user.save()
    plan = ActionPlan.objects.create(owner=org, title="Jämställdhetsplanen", start_year=2026, end_year=2028)
    plan.organizations.set([org])
    overdue = Action.objects.create(plan=plan, title="Utbilda styrgruppen", owner="Kansliet",
                                    due=dt.date(2026, 10, 1))
    Action.objects.create(plan=plan, title="Gjord i tid", owner="Kansliet", due=dt.date(2026, 9, 1),
                          status=Action.Status.DONE)
    Action.objects.create(plan=plan, title="Kommer senare", owner="Kansliet", due=dt.date(2026, 12, 31))
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 11, 25), title="Styrelsemöte")
    case = BoardCase.objects.create(meeting=meeting, number=3, title="Revidering av handlingsplanen")
    decided = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 11, 10), title="Extra möte")
    BoardCase.objects.create(meeting=decided, number=1, title="Redan beslutat", decision="Bifall")
    finding = FindingCase.objects.create(
        organization=org, finding_id="component:INS02:arbetsgivarkontakt", year=2025,
        intervention=Intervention.objects.get_or_create(organization=org, intervention_id="INS02",
                                                        defaults={"name": "Jobbspåret"})[0],
        dimension="component", category="arbetsgivarkontakt", status=FindingCase.Status.ACTION_PLANNED,
        explanation="Kvinnor i Jobbspåret får arbetsgivarkontakt mer sällan än män.", action_due=dt.date(2026, 11, 15))
    # The other organisation's overdue action reaches nobody in this one.
    theirs = ActionPlan.objects.create(owner=other_org, title="Deras plan", start_year=2026, end_year=2026)
    theirs.organizations.set([other_org])
    Action.objects.create(plan=theirs, title="Hemlig åtgärd", owner="De", due=dt.date(2026, 1, 1))
    return {"plan": plan, "action": overdue, "meeting": meeting, "case": case, "finding": finding, **members}


def _to(subject: str) -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if m.subject == subject)


def _message(subject: str, address: str) -> Any:
    return next(m for m in mail.outbox if m.subject == subject and m.to == [address])


def _opt_out(user: Any, kind: str) -> None:
    preference = NotificationPreference.for_user(user)
    setattr(preference, kind, False)
    preference.save()


def test_decisions_due(scene: dict[str, Any]) -> None:
    _opt_out(scene["analyst"], "decisions_due")
    send_notifications(TODAY, BASE)
    # Defaults by role: admins, analysts and the steering group; not reporters; the analyst opted out.
    assert _to(DECISIONS) == ["admin@example.org", "viewer@example.org"]
    message = _message(DECISIONS, "viewer@example.org")
    assert message.body.startswith("Hej Viewer!")
    assert "§ 3 Revidering av handlingsplanen (Styrelsemöte 2026-11-25)" in message.body
    assert f"{BASE}/o/{scene['meeting'].organization.slug}/handlingsplan/styrelsemoten/{scene['meeting'].pk}/" \
        in message.body
    assert "Kvinnor i Jobbspåret får arbetsgivarkontakt mer sällan än män. (Jobbspåret) – sista dag var 2026-11-15" \
        in message.body
    assert "Redan beslutat" not in message.body and "Testförbundet" in message.body
    html = message.alternatives[0][0]
    assert f'href="{BASE}/o/{scene["finding"].organization.slug}/fynd/{scene["finding"].pk}/"' in html
    assert f'href="{BASE}/konto/aviseringar/"' in html


def test_decisions_due_only_what_the_user_may_see(scene: dict[str, Any]) -> None:
    reporter = NotificationPreference.for_user(scene["reporter"])  # reports for INS01, not INS02
    reporter.decisions_due = True
    reporter.save()
    send_notifications(TODAY, BASE)
    message = next(m for m in mail.outbox if m.to == ["reporter@example.org"])
    assert message.subject == "Jämkoll: ett beslut närmar sig"
    assert "Revidering av handlingsplanen" in message.body and "Jobbspåret" not in message.body


def test_actions_overdue(scene: dict[str, Any]) -> None:
    _opt_out(scene["admin"], "actions_overdue")
    send_notifications(TODAY, BASE)
    # The steering group does not get them by default; the other organisation's admin gets its own only.
    assert _to(OVERDUE) == ["analyst@example.org", "outsider@example.org"]
    assert "Hemlig åtgärd" in _message(OVERDUE, "outsider@example.org").body
    assert "Utbilda" not in _message(OVERDUE, "outsider@example.org").body
    body = _message(OVERDUE, "analyst@example.org").body
    assert "Utbilda styrgruppen (i Jämställdhetsplanen), skulle vara klar 2026-10-01" in body
    assert "Gjord i tid" not in body and "Kommer senare" not in body and "Hemlig" not in body
    assert f"{BASE}/o/{scene['plan'].owner.slug}/handlingsplan/{scene['plan'].pk}/" in body
    sent = AuditEvent.objects.get(action="mail_sent", user=scene["analyst"], details__kind="actions_overdue")
    assert sent.details["items"] == 1 and sent.organization == scene["plan"].owner


def test_plan_revision(scene: dict[str, Any]) -> None:
    _opt_out(scene["viewer"], "plan_revision")
    send_notifications(TODAY, BASE)
    assert _to(REVISION) == ["admin@example.org", "analyst@example.org", "outsider@example.org"]
    # The other organisation has registered no board meeting this year.
    assert "Inget styrelsemöte är registrerat i år" in _message(REVISION, "outsider@example.org").body
    body = _message(REVISION, "admin@example.org").body
    assert "Årets sista styrelsemöte är 2026-11-25 (Styrelsemöte)." in body
    assert "ska revideras varje år" in body
    # After the meeting without a revision, the reminder says so (a week later: not mailed again before that).
    send_notifications(TODAY + dt.timedelta(days=REPEAT_DAYS), BASE)
    late = [m for m in mail.outbox if m.subject == REVISION and m.to == ["admin@example.org"]][-1]
    assert "var 2026-11-25 (Styrelsemöte), men ingen revision är registrerad" in late.body


def test_idempotent_per_item_and_day(scene: dict[str, Any]) -> None:
    first = send_notifications(TODAY, BASE)
    # admin 3 kinds, analyst 3, viewer 2 (decisions, revision), the other organisation's admin 2.
    assert first.total == len(mail.outbox) == 10
    assert AuditEvent.objects.filter(action="mail_sent").count() == 10
    again = send_notifications(TODAY, BASE)
    assert again.total == 0 and len(mail.outbox) == 10, "no item twice on a day"
    assert send_notifications(TODAY + dt.timedelta(days=1), BASE).total == 0, "nor within the week"
    # A new item the next day is mailed alone.
    Action.objects.create(plan=scene["plan"], title="Ny försening", owner="Kansliet", due=dt.date(2026, 11, 1))
    mail.outbox.clear()
    assert send_notifications(TODAY + dt.timedelta(days=1), BASE).total == 2
    assert all("Ny försening" in m.body and "Utbilda" not in m.body for m in mail.outbox)
    assert SentNotification.objects.filter(key=f"action:{scene['action'].pk}").count() == 2
    mail.outbox.clear()
    assert send_notifications(TODAY + dt.timedelta(days=REPEAT_DAYS), BASE).total > 0, "a week later, again"


def test_a_failed_e_mail_is_tried_again(scene: dict[str, Any], monkeypatch: Any) -> None:
    def refuse(self: Any, fail_silently: bool = False) -> int:
        raise OSError("SMTP server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    assert send_notifications(TODAY, BASE).total == 0
    assert not SentNotification.objects.exists() and not AuditEvent.objects.filter(action="mail_sent").exists()
    monkeypatch.undo()
    assert send_notifications(TODAY, BASE).total == 10


def test_in_english_for_users_who_chose_english(scene: dict[str, Any]) -> None:
    preference = NotificationPreference.for_user(scene["admin"])
    preference.language = "en"
    preference.save()
    send_notifications(TODAY, BASE)
    subjects = sorted(m.subject for m in mail.outbox if m.to == ["admin@example.org"])
    assert subjects == ["Jämkoll: 2 decisions are due", "Jämkoll: 1 overdue action".replace("1", "one"),
                        "Jämkoll: time to revise the action plan"]
    body = next(m.body for m in mail.outbox if m.to == ["admin@example.org"] and "overdue" in m.subject)
    assert body.startswith("Hi Admin!") and "Utbilda styrgruppen (in Jämställdhetsplanen), due 2026-10-01" in body
    revision = next(m.body for m in mail.outbox if m.to == ["admin@example.org"] and "revise" in m.subject)
    assert "The year's last board meeting is on 2026-11-25 (Styrelsemöte)." in revision


def test_users_without_address_or_membership_get_nothing(scene: dict[str, Any]) -> None:
    scene["admin"].email = ""
    scene["admin"].save()
    send_notifications(TODAY, BASE)
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {"analyst@example.org", "viewer@example.org", "outsider@example.org"}


def test_management_command(scene: dict[str, Any]) -> None:
    out = StringIO()
    call_command("send_notifications", date="2026-11-20", base_url=BASE, stdout=out)
    assert "10 e-brev med" in out.getvalue() and len(mail.outbox) == 10
    call_command("send_notifications", date="2026-11-20", base_url=BASE, stdout=out)
    assert len(mail.outbox) == 10


def test_background_task(scene: dict[str, Any], settings: Any, monkeypatch: Any) -> None:
    from django.utils import timezone

    from jamkoll.web.notifications.tasks import send_notifications_task

    settings.JAMKOLL_BASE_URL = BASE
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    result = send_notifications_task.enqueue()
    assert result.return_value["mails"]["actions_overdue"] == 3 and len(mail.outbox) == 10
    assert all(BASE in m.body for m in mail.outbox)


def test_what_was_sent_is_listed_for_superusers(scene: dict[str, Any], client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    send_notifications(TODAY, BASE)
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = client_for(root)
    page = client.get("/admin/notifications/sentnotification/").content.decode()
    assert f"action:{scene['action'].pk}" in page
    assert client.get("/admin/notifications/sentnotification/add/").status_code == 403
    assert client.get("/admin/accounts/notificationpreference/").status_code == 200
