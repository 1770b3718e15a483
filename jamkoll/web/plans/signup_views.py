"""The public pages of an event, without login: ``/anmalan/<token>/`` (register), ``…/avboka/<signed>/``
(cancel by the signed link in the e-mail) and ``…/utvardering/<signed>/`` (the anonymous evaluation).

The token is random (128 bits), so events cannot be enumerated. Forms are CSRF-protected; a honeypot
field and a per-address limit (``JAMKOLL_SIGNUP_RATE`` registrations per hour, default 20) keep bots
out. A registration after the last registration day is refused with a Swedish message.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamkoll.web.lib.audit import client_ip

from .event_forms import EvaluationForm, RegistrationForm
from .event_models import EvaluationAnswer, Event, Registration
from .events import (
    CANCEL_SALT,
    EVALUATION_SALT,
    RegistrationRefused,
    cancel,
    places_left,
    register,
    registration_for,
    site_url,
)

R = Registration.Status
RATE_WINDOW_SECONDS = 3600


def _event(token: str) -> Event:
    return get_object_or_404(Event.objects.select_related("organization"), token=token)


def _rate_limited(request: HttpRequest, event: Event) -> bool:
    """Count this address's registration attempts in the last hour; True once over the limit."""
    limit = int(getattr(settings, "JAMKOLL_SIGNUP_RATE", 20))
    key = f"jamkoll:signup:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > limit


def _render(request: HttpRequest, template: str, status: int = 200, **context: object) -> HttpResponse:
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest, token: str) -> HttpResponse:
    event = _event(token)
    form = RegistrationForm(request.POST or None)
    refused = ""
    if not event.registration_open():
        refused = _("Anmälan till %(title)s stängde %(date)s. Kontakta arrangören om du vill delta.") % {
            "title": event.title, "date": f"{event.registration_deadline:%Y-%m-%d}"}
    status = 200
    if request.method == "POST":
        if _rate_limited(request, event):
            return _render(request, "plans/signup/refused.html", 429, event=event,
                           message=_("För många anmälningar från samma adress. Försök igen om en timme."))
        if form.is_bot():
            # Answer as if it went well, so the bot learns nothing; nothing is stored.
            return _render(request, "plans/signup/thanks.html", event=event, waitlisted=False, mailed=True)
        if refused:
            status = 400
        elif form.is_valid():
            try:
                registration = register(event, form.registration_data(), base=site_url(request), request=request)
            except RegistrationRefused as exc:
                refused, status = str(exc), 400
            else:
                return _render(request, "plans/signup/thanks.html", event=event,
                               waitlisted=registration.status == R.WAITLISTED,
                               mailed=getattr(registration, "confirmation_sent", True))
        else:
            status = 400
    return _render(request, "plans/signup/register.html", status, event=event, form=None if refused else form,
                   refused=refused, places_left=places_left(event), co_organizers=event.co_organizers.all())


@require_http_methods(["GET", "POST"])
def cancel_view(request: HttpRequest, token: str, signed: str) -> HttpResponse:
    event = _event(token)
    registration = registration_for(event, signed, CANCEL_SALT)
    if registration is None:
        raise Http404(_("Länken gäller inte längre."))
    done = registration.status == R.CANCELLED
    if request.method == "POST" and not done:
        cancel(registration, base=site_url(request), request=request)
        return _render(request, "plans/signup/cancel.html", event=event, done=True, just_now=True)
    return _render(request, "plans/signup/cancel.html", event=event, done=done, just_now=False)


@require_http_methods(["GET", "POST"])
def evaluate_view(request: HttpRequest, token: str, signed: str) -> HttpResponse:
    event = _event(token)
    registration = registration_for(event, signed, EVALUATION_SALT)
    if registration is None or not registration.attended:
        raise Http404(_("Länken gäller inte längre."))
    if registration.evaluated:
        return _render(request, "plans/signup/evaluated.html", event=event)
    form = EvaluationForm(request.POST or None, instance=EvaluationAnswer(event=event))
    if request.method == "POST" and form.is_valid():
        # Stored without any link to the person; the registration only notes that it has answered.
        form.save()
        Registration.objects.filter(pk=registration.pk).update(evaluated=True)
        return _render(request, "plans/signup/evaluated.html", event=event)
    return _render(request, "plans/signup/evaluate.html", 400 if form.is_bound else 200, event=event, form=form)
