"""The organisers' event pages under ``/o/<slug>/evenemang/``: list, new and edit, the event with its public
link, shifts, figures (under disclosure control) and registrations, attendance, and the evaluation mail.

Viewers (the steering group) see events and their protected figures; only admins and analysts see the
registrants (personal details) and change anything. Another organisation's event is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jamkoll.web.accounts.models import Membership, Organization
from jamkoll.web.lib.orgviews import org_view

from . import event_forms
from . import permissions as perm
from .event_figures import evaluation_allowed, evaluation_minimum, event_figures, figure_labels, sex_columns
from .event_models import EvaluationAnswer, Event, Registration, Shift
from .events import (
    EVENT_CHANGED,
    events_of,
    figures,
    fill_from_waiting_list,
    places_left,
    record_attendance,
    registration_url,
    send_evaluations,
    site_url,
)
from .services import record
from .views import _form_page, _page

R = Registration.Status
def _event(request: HttpRequest, org: Organization, pk: int) -> Event:
    return get_object_or_404(events_of(org), pk=pk)


def _event_url(org: Organization, event: Event) -> str:
    return reverse("front:plans:event", kwargs={"slug": org.slug, "pk": event.pk})


@org_view
@require_GET
def events(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_view_governance(request.user, org))
    items = events_of(org).annotate(
        n_confirmed=Count("registrations", filter=Q(registrations__status=R.CONFIRMED), distinct=True),
        n_waitlisted=Count("registrations", filter=Q(registrations__status=R.WAITLISTED), distinct=True))
    return _page(request, org, member, "plans/events.html", "activities", events=items)


def _save_event(request: HttpRequest, org: Organization, form: event_forms.EventForm, created: bool) -> Event:
    with transaction.atomic():
        event = form.save(commit=False)
        if created:
            event.organization, event.created_by = org, request.user
        event.save()
        form.save_m2m()
        record(request, EVENT_CHANGED, org, event, "created" if created else "changed")
    return event


@org_view
def event_new(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_edit_governance(request.user, org))
    form = event_forms.EventForm(request.POST or None, org=org, instance=Event(organization=org))
    if request.method == "POST" and form.is_valid():
        event = _save_event(request, org, form, created=True)
        messages.success(request, _("Evenemanget är skapat. Dela anmälningslänken med målgruppen."))
        return redirect(_event_url(org, event))
    return _form_page(request, org, member, form, title=_("Nytt evenemang"), section="activities",
                      back=reverse("front:plans:events", kwargs={"slug": org.slug}),
                      status=400 if form.is_bound else 200)


@org_view
def event_edit(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    event = _event(request, org, pk)
    # The organising organisation changes the event; co-organisers staff it and mark attendance.
    perm.require(perm.can_edit_governance(request.user, org) and event.organization_id == org.pk)
    form = event_forms.EventForm(request.POST or None, org=org, instance=event)
    if request.method == "POST" and form.is_valid():
        saved = _save_event(request, org, form, created=False)
        moved = fill_from_waiting_list(saved, base=site_url(request), request=request)
        messages.success(request, _("Evenemanget är sparat."))
        if moved:
            messages.info(request, _("%(n)d personer flyttades upp från väntelistan och har fått e-post.") % {
                "n": moved})
        return redirect(_event_url(org, saved))
    return _form_page(request, org, member, form, title=_("Ändra evenemanget"), section="activities",
                      back=_event_url(org, event), status=400 if form.is_bound else 200)


@org_view
@require_GET
def event(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = _event(request, org, pk)
    perm.require(perm.can_view_governance(request.user, org))
    editor = perm.can_edit_governance(request.user, org)
    answers = list(EvaluationAnswer.objects.filter(event=item))
    evaluation = None
    if evaluation_allowed(len(answers)):
        evaluation = {"n": len(answers), "overall": sum(a.overall for a in answers) / len(answers),
                      "useful": sum(a.useful for a in answers) / len(answers),
                      "comments": [a.comment for a in answers if a.comment] if editor else []}
    return _page(request, org, member, "plans/event.html", "activities", event=item, editor=editor,
                 public_url=registration_url(item, site_url(request)), places_left=places_left(item),
                 figures=event_figures(item, figures(item), figure_labels()),
                 registrations=item.registrations.order_by("status", "created", "id") if editor else None,
                 shifts=item.shifts.prefetch_related("staff"), n_answers=len(answers), evaluation=evaluation,
                 evaluation_min=evaluation_minimum(),
                 shift_form=event_forms.ShiftForm(event=item, prefix="shift") if editor else None,
                 co_organizers=item.co_organizers.order_by("name"), sex_columns=sex_columns(),
                 count_columns=[_("Antal")])


@org_view
@require_POST
def shift_add(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = _event(request, org, pk)
    perm.require(perm.can_edit_governance(request.user, org))
    form = event_forms.ShiftForm(request.POST, event=item, prefix="shift", instance=Shift(event=item))
    if form.is_valid():
        shift = form.save()
        record(request, EVENT_CHANGED, org, shift, "shift_added", event=item.pk,
               staff=sorted(shift.staff.values_list("pk", flat=True)))
        messages.success(request, _("Arbetspasset är sparat."))
        return redirect(_event_url(org, item) + "#shifts-heading")
    return _form_page(request, org, member, form, title=_("Nytt arbetspass"), section="activities",
                      back=_event_url(org, item), status=400, intro=str(item))


@org_view
@require_POST
def shift_delete(request: HttpRequest, org: Organization, member: Membership, pk: int, shift_pk: int) -> HttpResponse:
    item = _event(request, org, pk)
    shift = get_object_or_404(Shift, event=item, pk=shift_pk)
    perm.require(perm.can_edit_governance(request.user, org))
    record(request, EVENT_CHANGED, org, shift, "shift_deleted", event=item.pk)
    shift.delete()
    messages.success(request, _("Arbetspasset är borttaget."))
    return redirect(_event_url(org, item) + "#shifts-heading")


@org_view
def attendance(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = _event(request, org, pk)
    perm.require(perm.can_edit_governance(request.user, org))
    registrations = list(item.registrations.filter(status=R.CONFIRMED).order_by("name", "id"))
    form = event_forms.AttendanceForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        activity = record_attendance(item, form.attended_ids(), user=request.user, request=request)
        messages.success(request, _("Närvaron är sparad: %(n)d deltog. Aktiviteten har fått deltagarna per kön.")
                         % {"n": activity.total or 0})
        return redirect(_event_url(org, item))
    return _page(request, org, member, "plans/attendance.html", "activities", status=400 if form.is_bound else 200,
                 event=item, form=form, purged=item.purged is not None)


@org_view
@require_POST
def evaluation_send(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = _event(request, org, pk)
    perm.require(perm.can_edit_governance(request.user, org))
    sent = send_evaluations(item, base=site_url(request))
    record(request, EVENT_CHANGED, org, item, "evaluation_sent", sent=sent)
    if sent:
        messages.success(request, _("Länken till utvärderingen skickades till %(n)d deltagare.") % {"n": sent})
    else:
        messages.info(request, _("Ingen ny deltagare att skicka utvärderingen till. Markera närvaron först."))
    return redirect(_event_url(org, item))
