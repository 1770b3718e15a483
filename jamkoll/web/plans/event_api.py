"""The API of events, their registrations (the organisers' side) and board cases:
``/api/orgs/{slug}/events``, ``…/events/{id}/registrations``, ``…/board-meetings/{id}/cases``,
``…/board-cases/{id}``. The same permission functions as the pages decide; figures by sex are
published under disclosure control (``null`` where hidden)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from jamkoll.web.accounts.models import Organization
from jamkoll.web.lib import permissions as lib_perm

from . import permissions as perm
from .case_models import BoardCase
from .cases import linkable_revisions, next_number, save_case
from .event_figures import MARKER, ShownRow, attendance_table, figure_labels
from .event_models import Event, Registration
from .events import (
    EVENT_CHANGED,
    cancel,
    events_of,
    figures,
    record_attendance,
    registration_url,
    site_url,
)
from .models import Action, Activity, BoardMeeting
from .services import record

router = Router()
R = Registration.Status


def _org(request: HttpRequest, slug: str) -> Organization:
    return lib_perm.organization_for(request.user, slug)[0]


class Error(Schema):
    detail: str


def _invalid(detail: str) -> Status[Any]:
    return Status(400, Error(detail=detail))


# -- events ---------------------------------------------------------------------------------------


class BySex(Schema):
    """Counts by sex; null where disclosure control hides the count."""

    women: int | None
    men: int | None
    other: int | None
    total: int | None


class EventIn(Schema):
    title: str
    kind: str = "training"
    description: str = ""
    starts: dt.datetime
    ends: dt.datetime
    place: str
    target_group: str = ""
    capacity: int | None = None
    registration_deadline: dt.date
    retention_days: int | None = None
    action_id: int | None = None


class EventOut(Schema):
    id: int
    organization: str
    title: str
    kind: str
    description: str
    starts: dt.datetime
    ends: dt.datetime
    place: str
    target_group: str
    capacity: int | None
    registration_deadline: dt.date
    retention_days: int
    purged: dt.datetime | None
    action_id: int | None
    registration_url: str | None  # admins and analysts only
    registered: BySex
    attended: BySex


def _by_sex(row: ShownRow) -> BySex:
    values = [None if v == MARKER else int(v) for v in [*row.cells, row.total]]
    return BySex(women=values[0], men=values[1], other=values[2], total=values[3])


def _event_out(request: HttpRequest, event: Event, org: Organization) -> EventOut:
    attended, _rest, registered = attendance_table(figures(event), figure_labels()).rows
    return EventOut(
        id=event.pk, organization=event.organization.slug, title=event.title, kind=event.kind,
        description=event.description, starts=event.starts, ends=event.ends, place=event.place,
        target_group=event.target_group, capacity=event.capacity, registration_deadline=event.registration_deadline,
        retention_days=event.retention, purged=event.purged, action_id=event.action_id,
        registration_url=registration_url(event, site_url(request)) if perm.can_edit_governance(request.user, org)
        else None,
        registered=_by_sex(registered), attended=_by_sex(attended))


def _event(request: HttpRequest, org: Organization, event_id: int) -> Event:
    return get_object_or_404(events_of(org), pk=event_id)


@router.get("/orgs/{slug}/events", response=list[EventOut], tags=["evenemang"])
def list_events(request: HttpRequest, slug: str) -> list[EventOut]:
    """Events the organisation organises or co-organises, with registered and attended by sex (protected)."""
    org = _org(request, slug)
    lib_perm.require(perm.can_view_governance(request.user, org))
    return [_event_out(request, e, org) for e in events_of(org)]


@router.post("/orgs/{slug}/events", response={201: EventOut, 400: Error}, tags=["evenemang"])
def create_event(request: HttpRequest, slug: str, payload: EventIn) -> Status[Any]:
    """Create an event: ``kind`` is training, event, exhibition, theme_day or other; ``capacity`` null for no
    limit; ``action_id`` an action of one of the organisation's plans."""
    org = _org(request, slug)
    lib_perm.require(perm.can_edit_governance(request.user, org))
    if payload.kind not in Activity.Kind.values:
        return _invalid(f"Typen ska vara en av: {', '.join(Activity.Kind.values)}.")
    if not payload.title.strip() or not payload.place.strip():
        return _invalid("Ange namn och plats.")
    action = None
    if payload.action_id is not None:
        action = Action.objects.filter(plan__organizations=org, pk=payload.action_id).first()
        if action is None:
            return _invalid("Åtgärden finns inte i organisationens handlingsplaner.")
    event = Event(organization=org, created_by=request.user, title=payload.title.strip()[:300], kind=payload.kind,
                  description=payload.description, starts=payload.starts, ends=payload.ends,
                  place=payload.place.strip()[:300], target_group=payload.target_group.strip()[:300],
                  capacity=payload.capacity, registration_deadline=payload.registration_deadline,
                  retention_days=payload.retention_days, action=action)
    if (payload.capacity is not None and payload.capacity < 0) or (
            payload.retention_days is not None and not 0 <= payload.retention_days <= 3650):
        return _invalid("Antal platser och dagar kan inte vara negativa (högst 3650 dagar).")
    try:
        event.clean()
    except ValidationError as exc:
        return _invalid(" ".join(str(m) for m in exc.messages))
    with transaction.atomic():
        event.save()
        record(request, EVENT_CHANGED, org, event, "created", via="api")
    return Status(201, _event_out(request, event, org))


@router.get("/orgs/{slug}/events/{event_id}", response=EventOut, tags=["evenemang"])
def get_event(request: HttpRequest, slug: str, event_id: int) -> EventOut:
    org = _org(request, slug)
    event = _event(request, org, event_id)
    lib_perm.require(perm.can_view_governance(request.user, org))
    return _event_out(request, event, org)


class RegistrationOut(Schema):
    id: int
    name: str
    email: str
    organisation: str
    role: str
    sex: str  # woman, man, other, unspecified (prefer not to say) or empty (not answered)
    dietary: str
    accessibility: str
    status: str  # confirmed, waitlisted, cancelled
    attended: bool | None
    created: dt.datetime


class RegistrationPatch(Schema):
    attended: bool | None = None
    status: str | None = None  # only "cancelled"


def _registration_out(r: Registration) -> RegistrationOut:
    return RegistrationOut(id=r.pk, name=r.name, email=r.email, organisation=r.organisation, role=r.role, sex=r.sex,
                           dietary=r.dietary, accessibility=r.accessibility, status=r.status, attended=r.attended,
                           created=r.created)


@router.get("/orgs/{slug}/events/{event_id}/registrations", response=list[RegistrationOut], tags=["evenemang"])
def list_registrations(request: HttpRequest, slug: str, event_id: int) -> list[RegistrationOut]:
    """The registrants (personal details; admins and analysts only; empty once deleted after the retention time)."""
    org = _org(request, slug)
    event = _event(request, org, event_id)
    lib_perm.require(perm.can_edit_governance(request.user, org))
    record(request, EVENT_CHANGED, org, event, "registrations_exported", via="api")
    return [_registration_out(r) for r in event.registrations.all()]


@router.patch("/orgs/{slug}/events/{event_id}/registrations/{registration_id}",
              response={200: RegistrationOut, 400: Error}, tags=["evenemang"])
def update_registration(request: HttpRequest, slug: str, event_id: int, registration_id: int,
                        payload: RegistrationPatch) -> Status[Any]:
    """Mark attendance (``attended``) of a confirmed registrant, or cancel (``status: cancelled``; the first on
    the waiting list moves up and gets e-mail)."""
    org = _org(request, slug)
    event = _event(request, org, event_id)
    registration = get_object_or_404(Registration, event=event, pk=registration_id)
    lib_perm.require(perm.can_edit_governance(request.user, org))
    changes = payload.dict(exclude_unset=True)
    if changes.get("status") not in (None, R.CANCELLED) or not changes:
        return _invalid("Ange attended (true/false) eller status \"cancelled\".")
    if "attended" in changes:
        if registration.status != R.CONFIRMED:
            return _invalid("Bara anmälda (inte väntelista eller avbokade) kan markeras som deltagare.")
        attended = set(event.registrations.filter(status=R.CONFIRMED, attended=True).values_list("pk", flat=True))
        if changes["attended"]:
            attended.add(registration.pk)
        else:
            attended.discard(registration.pk)
        record_attendance(event, attended, user=request.user, request=request)
    if changes.get("status") == R.CANCELLED:
        cancel(registration, base=site_url(request), request=request, user=request.user)
    registration.refresh_from_db()
    return Status(200, _registration_out(registration))


# -- board cases ----------------------------------------------------------------------------------


class BoardCaseIn(Schema):
    title: str
    number: int | None = None
    description: str = ""
    decision: str = ""
    application_id: int | None = None
    finding_id: int | None = None  # the case's id in the findings register
    revision_id: int | None = None
    affected: str = ""
    women_men: str = ""
    data: str = ""
    conclusion: str = ""


class BoardCasePatch(Schema):
    title: str | None = None
    description: str | None = None
    decision: str | None = None
    affected: str | None = None
    women_men: str | None = None
    data: str | None = None
    conclusion: str | None = None


class BoardCaseOut(Schema):
    id: int
    meeting_id: int
    meeting_date: dt.date
    number: int
    title: str
    description: str
    decision: str
    application_id: int | None
    finding_id: int | None
    revision_id: int | None
    affected: str
    women_men: str
    data: str
    conclusion: str
    has_assessment: bool


def _case_out(case: BoardCase) -> BoardCaseOut:
    return BoardCaseOut(id=case.pk, meeting_id=case.meeting_id, meeting_date=case.meeting.date, number=case.number,
                        title=case.title, description=case.description, decision=case.decision,
                        application_id=case.application_id, finding_id=case.finding_id,
                        revision_id=case.revision_id, affected=case.affected, women_men=case.women_men,
                        data=case.data, conclusion=case.conclusion, has_assessment=case.has_assessment)


@router.get("/orgs/{slug}/board-meetings/{meeting_id}/cases", response=list[BoardCaseOut], tags=["styrelseärenden"])
def list_board_cases(request: HttpRequest, slug: str, meeting_id: int) -> list[BoardCaseOut]:
    """A board meeting's agenda: its cases with their gender-impact assessments."""
    org = _org(request, slug)
    meeting = get_object_or_404(BoardMeeting, organization=org, pk=meeting_id)
    lib_perm.require(perm.can_view_plans(request.user, org))
    return [_case_out(c) for c in meeting.cases.select_related("meeting")]


@router.post("/orgs/{slug}/board-meetings/{meeting_id}/cases", response={201: BoardCaseOut, 400: Error},
             tags=["styrelseärenden"])
def create_board_case(request: HttpRequest, slug: str, meeting_id: int, payload: BoardCaseIn) -> Status[Any]:
    """Add a case; it counts as assessed when ``affected`` and ``conclusion`` are written."""
    from jamkoll.web.front.models import FindingCase
    from jamkoll.web.funding.models import Application

    org = _org(request, slug)
    meeting = get_object_or_404(BoardMeeting, organization=org, pk=meeting_id)
    lib_perm.require(perm.can_edit_plans(request.user, org))
    if not payload.title.strip():
        return _invalid("Ange ärendets rubrik.")
    links: dict[str, Any] = {}
    for name, value, queryset in (("application", payload.application_id, Application.objects.filter(organization=org)),
                                  ("finding", payload.finding_id, FindingCase.objects.filter(organization=org)),
                                  ("revision", payload.revision_id, linkable_revisions(org))):
        if value is not None:
            links[name] = queryset.filter(pk=value).first()
            if links[name] is None:
                return _invalid(f"{name}_id {value} finns inte i organisationen.")
    case = BoardCase(meeting=meeting, number=payload.number or next_number(meeting), title=payload.title.strip()[:300],
                     description=payload.description, decision=payload.decision, affected=payload.affected,
                     women_men=payload.women_men, data=payload.data, conclusion=payload.conclusion, **links)
    save_case(case, request.user, request, created=True, via="api")
    return Status(201, _case_out(case))


@router.patch("/orgs/{slug}/board-cases/{case_id}", response={200: BoardCaseOut, 400: Error},
              tags=["styrelseärenden"])
def update_board_case(request: HttpRequest, slug: str, case_id: int, payload: BoardCasePatch) -> Status[Any]:
    """Change a case or its assessment (any of title, description, decision, affected, women_men, data,
    conclusion)."""
    org = _org(request, slug)
    case = get_object_or_404(BoardCase.objects.select_related("meeting"), meeting__organization=org, pk=case_id)
    lib_perm.require(perm.can_edit_plans(request.user, org))
    changes = payload.dict(exclude_unset=True)
    if "title" in changes and not (changes["title"] or "").strip():
        return _invalid("Ange ärendets rubrik.")
    for name, value in changes.items():
        setattr(case, name, (value or "").strip() if name == "title" else (value or ""))
    save_case(case, request.user, request, created=False, via="api")
    return Status(200, _case_out(case))

