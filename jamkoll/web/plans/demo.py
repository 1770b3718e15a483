"""The demo association's governance: an action plan shared with its partner, adopted and revised at dated
board meetings, both shipped checklists answered in part, activities with participants by sex, a library.

Called by ``load_demo``; does nothing when the organisation already has a plan (the command may be rerun).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jamkoll.web.accounts.models import Organization
from jamkoll.web.front.models import FindingCase

from .checklists import ASSESSMENT, PLANNING, ensure_shipped_templates
from .models import (
    Action,
    ActionPlan,
    Activity,
    BoardMeeting,
    CharterSignature,
    ChecklistResponse,
    Goal,
    LibraryItem,
)
from .services import adopt_revision, save_answers, store_library_file

S = Action.Status


@transaction.atomic
def load_plans_demo(org: Organization, users: dict[str, Any], stdout: Any = None) -> ActionPlan | None:
    """Create the demo governance data for ``org``; ``users`` by user name (``admin``, ``analytiker``)."""
    if ActionPlan.objects.filter(owner=org).exists():
        return None
    admin = users.get("admin")
    analyst = users.get("analytiker") or admin
    year = timezone.localdate().year
    CharterSignature.objects.get_or_create(organization=org, defaults={"signed_on": dt.date(2019, 3, 14)})

    # Board meetings: last year's and this year's (the year's last one in December: the yearly revision).
    meetings = {}
    for y, month, day in [(year - 1, 2, 21), (year - 1, 6, 13), (year - 1, 12, 11),
                          (year, 2, 19), (year, 5, 21), (year, 9, 17), (year, 12, 10)]:
        meetings[(y, month)] = BoardMeeting.objects.create(organization=org, date=dt.date(y, month, day),
                                                           title="Styrelsemöte")

    plan = ActionPlan.objects.create(
        owner=org, title="Handlingsplan för jämställdhet och jämlikhet", start_year=year - 1, end_year=year + 1,
        description=("Gemensam handlingsplan för förbundet och dess parter. Planen följs upp varje år i "
                     "årsrapporten och revideras vid årets sista styrelsemöte."))
    plan.organizations.set([org, *org.partners.all()])

    resources = Goal.objects.create(
        plan=plan, order=1, national_goal="economy", cemr_articles=["8", "9", "27"],
        title="Kvinnor och män får insatser och resurser efter behov, inte efter kön",
        description="Skillnader i delinsatser och resurser som inte förklaras av behov ska åtgärdas.")
    power = Goal.objects.create(
        plan=plan, order=2, national_goal="power", cemr_articles=["2", "3"],
        title="Jämn könsfördelning i styrgrupper och beredningsgrupp")
    violence = Goal.objects.create(
        plan=plan, order=3, national_goal="violence", cemr_articles=["22"],
        title="Personalen kan upptäcka och agera vid våld i nära relationer")

    cases = list(FindingCase.objects.filter(organization=org).order_by("-year", "finding_id")[:3])
    internship = Action.objects.create(
        plan=plan, goal=resources, title="Erbjud arbetsträning och praktik på lika villkor i alla insatser",
        owner="Förbundschefen", due=dt.date(year, 6, 30), status=S.ONGOING)
    internship.findings.set(cases[:2])
    Action.objects.create(
        plan=plan, goal=resources, title="Könsuppdelad budgetuppföljning per insats",
        owner="Ekonom", due=dt.date(year - 1, 12, 31), status=S.DONE,
        evidence="Budgetuppföljningen i årsredovisningen redovisar kostnad per kvinna och man.")
    Action.objects.create(
        plan=plan, goal=power, title="Nominera enligt 40/60-principen till styrgrupperna",
        owner="Styrelsens ordförande", due=dt.date(year, 3, 31), status=S.PLANNED)
    dropped = Action.objects.create(
        plan=plan, goal=violence, title="Informationsblad om våld i nära relationer",
        owner="Kommunikatör", due=dt.date(year - 1, 10, 31), status=S.PLANNED)
    adopt_revision(plan, meetings[(year - 1, 12)], admin, note="Planen antogs, § 41.")

    # The revision in May, after the findings register: a new goal and action, one action replaced.
    equal = Goal.objects.create(
        plan=plan, order=4, national_goal="health", cemr_articles=["10", "14"],
        title="Insatserna är tillgängliga oavsett diskrimineringsgrund")
    Action.objects.create(
        plan=plan, goal=equal, title="Tillgänglighetsgranska lokaler och blanketter",
        owner="Processledare", due=dt.date(year, 11, 30), status=S.ONGOING)
    training = Action.objects.create(
        plan=plan, goal=violence, title="Utbildning om våld i nära relationer för alla handläggare",
        owner="Processledare", due=dt.date(year, 4, 30), status=S.DONE,
        evidence="Deltagarlistor från utbildningen i april (se Aktiviteter).")
    dropped.delete()
    if len(cases) > 2:
        training.findings.set(cases[2:])
    internship.due = dt.date(year, 9, 30)
    internship.save()
    adopt_revision(plan, meetings[(year, 5)], admin,
                   note="Reviderad efter fyndregistret: nytt mål om tillgänglighet, § 18.")

    _checklists(org, year, analyst)
    _activities(org, year)
    _library(org, plan, admin)
    if stdout is not None:
        stdout.write(f"Handlingsplan med 2 antagna revisioner, {len(meetings)} styrelsemöten, checklistor, "
                     "aktiviteter och bibliotek.")
    return plan


def _checklists(org: Organization, year: int, user: Any) -> None:
    templates = {t.key: t for t in ensure_shipped_templates(org)}
    planning = ChecklistResponse.objects.create(template=templates[PLANNING], organization=org, year=year - 1)
    questions = list(templates[PLANNING].questions.all())
    answers = ["yes", "partly", "yes", "yes", "partly", "no", "yes", "not_applicable", "partly"]
    comments = {1: "Fyndregistret visar skillnader i praktik; se åtgärd i handlingsplanen.",
                5: "Blanketterna har bara kvinna och man som svar.",
                8: "Hörslinga saknas i två av lokalerna."}
    save_answers(planning, {q.pk: (answers[i], comments.get(i, "")) for i, q in enumerate(questions[:len(answers)])},
                 user)
    assessment = ChecklistResponse.objects.create(template=templates[ASSESSMENT], organization=org, year=year,
                                                  unit="Beredningsgruppen")
    questions = list(templates[ASSESSMENT].questions.all())
    save_answers(assessment, {questions[0].pk: ("yes", ""), questions[1].pk: ("partly", "Behoven beskrivs men "
                                                                              "inte uppdelat på kön."),
                              questions[2].pk: ("no", "")}, user)


def _activities(org: Organization, year: int) -> None:
    for title, kind, date, women, men, other in [
        ("Chefsutbildning mot sexuella trakasserier", "training", dt.date(year - 1, 11, 8), 9, 6, 0),
        ("Utställningen Kvinnor och män i Siljan-Västerdal", "exhibition", dt.date(year - 1, 3, 8), 140, 95, 12),
        ("Utbildning om våld i nära relationer", "training", dt.date(year, 4, 16), 22, 7, 1),
        ("Temadag: jämställd och jämlik rehabilitering", "theme_day", dt.date(year, 10, 2), 31, 18, 2),
        ("Nätverksträff för handläggare", "event", dt.date(year, 5, 28), 14, 3, None),
    ]:
        Activity.objects.create(organization=org, title=title, kind=kind, date=date, women=women, men=men,
                                other=other)


def _library(org: Organization, plan: ActionPlan, user: Any) -> None:
    LibraryItem.objects.create(organization=org, title="Jämställdhetsintegrering – stöd och metoder",
                               kind=LibraryItem.Kind.SUPPORT, url="https://www.jamstalldhetsmyndigheten.se/",
                               added_by=user, description="Jämställdhetsmyndighetens stödmaterial.")
    LibraryItem.objects.create(organization=org, title="CEMR-deklarationen för jämställdhet",
                               kind=LibraryItem.Kind.SUPPORT, url="https://www.ccre-cemr.org/", added_by=user)
    text = "\n".join([plan.title, "", *(f"- {g.title}" for g in plan.goals.all())]) + "\n"
    item = LibraryItem(organization=org, title="Handlingsplanen som antogs (text)", kind=LibraryItem.Kind.PLAN,
                       added_by=user)
    store_library_file(item, ContentFile(text.encode("utf-8"), name="handlingsplan.txt"))
    item.save()
