"""The public registration pages (no login): the form, the deadline, the waiting list, cancelling by the
e-mailed link (the next in line moves up and is told), the honeypot, the rate limit and the anonymous
evaluation. E-mail goes to Django's locmem backend."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.plans.event_models import EvaluationAnswer, Registration
from jamkoll.web.plans.events import evaluation_token

from .html_checks import check_page
from .test_web_plans_events_models import make_event

R = Registration.Status


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def form(n: int, **extra: Any) -> dict[str, str]:
    return {"name": f"Person {n}", "email": f"person{n}@example.se", "organisation": "Region Halland",
            "role": "Controller", "sex": "woman", "dietary": "", "accessibility": "", "website": "", **extra}


def url(event: Any) -> str:
    return reverse("signup:register", kwargs={"token": event.token})


def cancel_link(message: Any) -> str:
    found = re.search(r"https?://\S+/avboka/\S+/", message.body)
    assert found, message.body
    return found.group(0).split("testserver", 1)[1]


def test_the_form_is_accessible_and_says_why_and_how_long(org: Any) -> None:
    event = make_event(org, retention_days=45)
    page = Client().get(url(event))
    assert page.status_code == 200
    html = page.content.decode()
    assert not check_page(html)
    assert "<fieldset" in html and "<legend" in html and "Kön (frivilligt)" in html
    assert "Vi frågar för att kunna följa upp hur många kvinnor och män" in html
    assert "45 dagar efter evenemanget" in html and "artikel 5.1 e" in html
    assert "Vill inte uppge" in html and 'name="csrfmiddlewaretoken"' in html
    assert 'hidden aria-hidden="true"' in html  # the honeypot is out of sight and out of the accessibility tree


def test_an_unknown_token_is_404(db: None) -> None:
    assert Client().get("/anmalan/finns-inte/").status_code == 404


def test_registering_sends_a_confirmation(org: Any) -> None:
    event = make_event(org, capacity=10)
    response = Client().post(url(event), form(1, sex="", dietary="Vegetariskt"))
    assert response.status_code == 200 and "Tack för din anmälan" in response.content.decode()
    registration = Registration.objects.get()
    assert (registration.status, registration.sex, registration.dietary) == (R.CONFIRMED, "", "Vegetariskt")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["person1@example.se"]
    assert event.title in mail.outbox[0].subject and "/avboka/" in mail.outbox[0].body
    logged = AuditEvent.objects.get(action="event_registration_changed")
    assert "Person 1" not in str(logged.details) and "person1@" not in str(logged.details)


def test_errors_are_summarised_and_nothing_is_stored(org: Any) -> None:
    event = make_event(org)
    response = Client().post(url(event), form(1, email="inte-en-adress", name=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'href="#id_email"' in html and 'href="#id_name"' in html
    assert not Registration.objects.exists() and not mail.outbox


def test_after_the_deadline_registration_is_refused_in_swedish(org: Any) -> None:
    event = make_event(org, deadline_days=-1)
    page = Client().get(url(event)).content.decode()
    assert "stängde" in page and "registration-form" not in page
    response = Client().post(url(event), form(1))
    assert response.status_code == 400 and "Kontakta arrangören" in response.content.decode()
    assert not Registration.objects.exists() and not mail.outbox


def test_a_full_event_waitlists_and_a_cancellation_moves_the_next_up(org: Any) -> None:
    event = make_event(org, capacity=1)
    client = Client()
    client.post(url(event), form(1))
    page = client.post(url(event), form(2))
    assert "Du står på väntelistan" in page.content.decode()
    assert list(Registration.objects.order_by("id").values_list("status", flat=True)) == [R.CONFIRMED, R.WAITLISTED]
    assert "Evenemanget är fullt" in client.get(url(event)).content.decode()

    link = cancel_link(mail.outbox[0])
    confirm = client.get(link)
    assert confirm.status_code == 200 and "cancel-form" in confirm.content.decode()
    assert Registration.objects.filter(status=R.CANCELLED).count() == 0  # GET changes nothing
    mail.outbox.clear()
    done = client.post(link)
    assert done.status_code == 200 and "är avbokad" in done.content.decode()
    assert list(Registration.objects.order_by("id").values_list("status", flat=True)) == [R.CANCELLED, R.CONFIRMED]
    by_recipient = {m.to[0]: m.subject for m in mail.outbox}
    assert "avbokad" in by_recipient["person1@example.se"]
    assert "fått en plats" in by_recipient["person2@example.se"]
    assert "redan avbokad" in client.post(link).content.decode()


def test_a_forged_or_foreign_cancel_link_is_404(org: Any) -> None:
    event, other = make_event(org), make_event(org)
    Client().post(url(event), form(1))
    link = cancel_link(mail.outbox[0])
    assert Client().get(link.replace(event.token, other.token)).status_code == 404
    assert Client().post(link[:-3] + "xx/").status_code == 404
    assert Registration.objects.get().status == R.CONFIRMED


def test_a_bot_filling_the_honeypot_stores_nothing(org: Any) -> None:
    event = make_event(org)
    response = Client().post(url(event), form(1, website="https://spam.example"))
    assert response.status_code == 200
    assert not Registration.objects.exists() and not mail.outbox


def test_many_registrations_from_one_address_are_limited(org: Any, settings: Any) -> None:
    settings.JAMKOLL_SIGNUP_RATE = 3
    event = make_event(org)
    client = Client()
    statuses = [client.post(url(event), form(n)).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Registration.objects.count() == 3


def test_the_form_needs_the_csrf_token(org: Any) -> None:
    event = make_event(org)
    response = Client(enforce_csrf_checks=True).post(url(event), form(1))
    assert response.status_code == 403 and not Registration.objects.exists()


def test_the_evaluation_is_anonymous_and_answered_once(org: Any) -> None:
    event = make_event(org, days_ahead=-1, deadline_days=-2)
    registration = Registration.objects.create(event=event, name="Anna", email="anna@example.se", attended=True)
    absent = Registration.objects.create(event=event, name="Bo", email="bo@example.se", attended=False)
    link = reverse("signup:evaluate", kwargs={"token": event.token, "signed": evaluation_token(registration)})
    page = Client().get(link)
    assert page.status_code == 200 and not check_page(page.content.decode())
    assert Client().post(link, {"overall": "9", "useful": "4"}).status_code == 400
    assert Client().post(link, {"overall": "5", "useful": "4", "comment": "Bra övningar"}).status_code == 200
    answer = EvaluationAnswer.objects.get()
    assert (answer.overall, answer.useful, answer.comment) == (5, 4, "Bra övningar")
    assert not any(f.name == "registration" for f in EvaluationAnswer._meta.get_fields())
    assert "Tack för dina svar" in Client().get(link).content.decode()
    Client().post(link, {"overall": "1", "useful": "1"})
    assert EvaluationAnswer.objects.count() == 1
    # Only attendees have a working link.
    not_there = reverse("signup:evaluate", kwargs={"token": event.token, "signed": evaluation_token(absent)})
    assert Client().get(not_there).status_code == 404


def test_the_form_in_english(org: Any) -> None:
    from django.conf import settings

    event = make_event(org)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url(event)).content.decode()
    assert "Sex (voluntary)" in html and "Prefer not to say" in html and "Register me" in html
    assert "storage limitation under the GDPR, Article 5(1)(e)" in html


def test_a_failing_mail_server_keeps_the_registration_and_says_so(org: Any, settings: Any) -> None:
    from unittest import mock

    event = make_event(org)
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages",
                    side_effect=ConnectionRefusedError("no smtp")):
        response = Client().post(url(event), form(1))
    assert response.status_code == 200
    assert "bekräftelsen kunde inte skickas" in response.content.decode()
    assert Registration.objects.get().status == R.CONFIRMED
