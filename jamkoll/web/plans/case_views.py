"""Board cases: the minutes of a meeting (its agenda with every case's gender-impact assessment), a case's
form, and the organisation's assessment template. Every member reads the minutes; admins and analysts
write. Another organisation's meeting or case is 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jamkoll.web.accounts.models import Membership, Organization
from jamkoll.web.lib.orgviews import org_view

from . import case_forms
from . import permissions as perm
from .case_models import BoardCase
from .cases import ASSESSMENT_TEMPLATE_CHANGED, BOARD_CASE_CHANGED, assessment_template, next_number, save_case
from .models import BoardMeeting
from .services import record
from .views import _form_page, _page


def _meeting(org: Organization, pk: int) -> BoardMeeting:
    return get_object_or_404(BoardMeeting, organization=org, pk=pk)


def _minutes_url(org: Organization, meeting: BoardMeeting) -> str:
    return reverse("front:plans:minutes", kwargs={"slug": org.slug, "pk": meeting.pk})


@org_view
@require_GET
def minutes(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    meeting = _meeting(org, pk)
    perm.require(perm.can_view_plans(request.user, org))
    cases = list(meeting.cases.select_related("application", "finding", "revision__plan", "assessed_by"))
    return _page(request, org, member, "plans/minutes.html", "plans", meeting=meeting, cases=cases,
                 assessed=sum(c.has_assessment for c in cases), revisions=meeting.revisions.select_related("plan"))


@org_view
def case_edit(request: HttpRequest, org: Organization, member: Membership, pk: int,
              case_pk: int | None = None) -> HttpResponse:
    meeting = _meeting(org, pk)
    case = get_object_or_404(BoardCase, meeting=meeting, pk=case_pk) if case_pk is not None else None
    perm.require(perm.can_edit_plans(request.user, org))
    template = assessment_template(org)
    form = case_forms.BoardCaseForm(request.POST or None, instance=case or BoardCase(meeting=meeting), org=org,
                                    template=template,
                                    initial=None if case else {"number": next_number(meeting)})
    if request.method == "POST" and form.is_valid():
        saved = save_case(form.save(commit=False), request.user, request, created=case is None)
        messages.success(request, _("Ärendet är sparat.") if saved.has_assessment else
                         _("Ärendet är sparat, men saknar jämställdhetsbedömning."))
        return redirect(_minutes_url(org, meeting) + f"#case-{saved.pk}")
    delete_url = reverse("front:plans:board_case_delete", kwargs={"slug": org.slug, "pk": meeting.pk,
                                                                  "case_pk": case.pk}) if case else ""
    return _form_page(request, org, member, form, title=_("Ändra ärende") if case else _("Nytt ärende"),
                      section="plans", back=_minutes_url(org, meeting), delete_url=delete_url,
                      status=400 if form.is_bound else 200,
                      intro=f"{meeting.title} {meeting.date:%Y-%m-%d}. {template.intro}")


@org_view
@require_POST
def case_delete(request: HttpRequest, org: Organization, member: Membership, pk: int, case_pk: int) -> HttpResponse:
    meeting = _meeting(org, pk)
    case = get_object_or_404(BoardCase, meeting=meeting, pk=case_pk)
    perm.require(perm.can_edit_plans(request.user, org))
    record(request, BOARD_CASE_CHANGED, org, case, "deleted", meeting=meeting.pk)
    case.delete()
    messages.success(request, _("Ärendet är borttaget."))
    return redirect(_minutes_url(org, meeting))


@org_view
def template_edit(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_edit_plans(request.user, org))
    template = assessment_template(org)
    form = case_forms.AssessmentTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(request, ASSESSMENT_TEMPLATE_CHANGED, org, template, "changed")
        messages.success(request, _("Mallen för jämställdhetsbedömning är sparad."))
        return redirect("front:plans:meetings", slug=org.slug)
    return _form_page(request, org, member, form, title=_("Mall för jämställdhetsbedömning"), section="plans",
                      back=reverse("front:plans:meetings", kwargs={"slug": org.slug}),
                      status=400 if form.is_bound else 200,
                      intro=_("Vägledningen visas vid varje ärende. Bedömningen besvarar vilka som berörs, hur "
                              "kvinnor och män berörs, vilket underlag som finns och slutsatsen."))
