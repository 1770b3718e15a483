"""The demo association's governance: an action plan shared with its partner, adopted and revised at dated
board meetings whose cases carry gender-impact assessments, both shipped checklists answered in part,
activities with participants by sex, events with registrations and attendance, a library.

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
from jamkoll.web.front.register import link_plan_actions

from .case_models import BoardCase
from .cases import assessment_template, save_case
from .checklists import ASSESSMENT, PLANNING, ensure_shipped_templates
from .event_models import Event, Registration, Shift
from .events import sync_activity
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
    link_plan_actions(cases[:2], internship, admin)
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
        link_plan_actions(cases[2:], training, admin)
    internship.due = dt.date(year, 9, 30)
    internship.save()
    adopt_revision(plan, meetings[(year, 5)], admin,
                   note="Reviderad efter fyndregistret: nytt mål om tillgänglighet, § 18.")

    _checklists(org, year, analyst)
    _activities(org, year)
    _library(org, plan, admin)
    _events(org, training, admin)
    _board_cases(org, meetings, year, plan, cases, admin)
    if stdout is not None:
        stdout.write(f"Handlingsplan med 2 antagna revisioner, {len(meetings)} styrelsemöten med bedömda ärenden, "
                     "checklistor, aktiviteter, evenemang med anmälningar och bibliotek.")
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


# Made-up registrants (no real people): (name, organisation, role, sex, attended).
_PEOPLE = [
    ("Anna Exempelsson", "Exempelkommunen", "Enhetschef", "woman", True),
    ("Bo Testsson", "Försäkringskassan", "Handläggare", "man", True),
    ("Cecilia Demo", "Arbetsförmedlingen", "Enhetschef", "woman", True),
    ("Dana Prov", "Region Exempel", "Verksamhetsutvecklare", "other", False),
    ("Erik Påhittad", "Exempelkommunen", "Enhetschef", "man", True),
    ("Fatima Exempel", "Försäkringskassan", "Handläggare", "woman", True),
    ("Gustav Prov", "Region Exempel", "Controller", "man", True),
    ("Hanna Demosson", "Exempelkommunen", "Handläggare", "woman", True),
    ("Ida Testberg", "Arbetsförmedlingen", "Handläggare", "woman", True),
    ("Jonas Exempel", "Exempelkommunen", "Politiker", "man", True),
    ("Karin Påhitt", "Region Exempel", "Enhetschef", "woman", True),
    ("Leo Demo", "Försäkringskassan", "Handläggare", "unspecified", True),
    ("Maria Provsson", "Exempelkommunen", "Politiker", "woman", True),
    ("Nils Testsson", "Arbetsförmedlingen", "Handläggare", "man", True),
]


def _email(name: str) -> str:
    return name.lower().replace(" ", ".").replace("å", "a").replace("ä", "a").replace("ö", "o") + "@example.se"


def _events(org: Organization, action: Action, user: Any) -> None:
    """A manager training a few days ago (attendance marked, linked to the plan's training action) and a theme
    day ahead that is full, with one person on the waiting list."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past = Event.objects.create(
        organization=org, title="Från #metoo till metod – chefsutbildning mot sexuella trakasserier",
        kind="training", starts=now - dt.timedelta(days=5, hours=4), ends=now - dt.timedelta(days=5),
        place="Förbundets lokaler, Mora", target_group="Chefer och arbetsledare",
        registration_deadline=(now - dt.timedelta(days=12)).date(), capacity=20, action=action, created_by=user,
        description="Halvdag om hur chefer förebygger och hanterar sexuella trakasserier, med övningar.")
    past.co_organizers.set(org.partners.all())
    for name, organisation, role, sex, attended in _PEOPLE:
        Registration.objects.create(event=past, name=name, email=_email(name), organisation=organisation,
                                    role=role, sex=sex, attended=attended)
    Shift.objects.create(event=past, task="Registrering vid entrén", starts=past.starts - dt.timedelta(minutes=30),
                         ends=past.starts + dt.timedelta(minutes=30)).staff.set([user] if user else [])
    sync_activity(past)

    future = Event.objects.create(
        organization=org, title="Temadag: jämställd styrning för politiker och controllers", kind="theme_day",
        starts=now + dt.timedelta(days=21, hours=9), ends=now + dt.timedelta(days=21, hours=15),
        place="Stadshuset, Mora", target_group="Politiker, controllers och verksamhetsutvecklare",
        registration_deadline=(now + dt.timedelta(days=14)).date(), capacity=3, created_by=user,
        description="Hur jämställdhetsperspektivet kommer in i mål, budget och uppföljning.")
    for i, (name, organisation, role, sex, _attended) in enumerate(_PEOPLE[:4]):
        Registration.objects.create(event=future, name=name, email=_email(name), organisation=organisation,
                                    role=role, sex=sex, status="waitlisted" if i == 3 else "confirmed")


def _board_cases(org: Organization, meetings: dict[tuple[int, int], BoardMeeting], year: int, plan: ActionPlan,
                 findings: list[FindingCase], user: Any) -> None:
    """Agendas of two board meetings: most cases with a gender-impact assessment, one without."""
    from jamkoll.web.funding.models import Application

    assessment_template(org)
    application = Application.objects.filter(organization=org).order_by("pk").first()
    may = meetings[(year, 5)]
    revision = plan.revisions.filter(meeting=may).first()
    agenda: list[tuple[BoardMeeting, dict[str, Any]]] = [
        (meetings[(year, 2)], {
            "title": "Verksamhetsplan och budget", "affected": "Deltagare i alla insatser och förbundets personal.",
            "women_men": "Kvinnor är fler i målgruppen men får färre delinsatser med praktik.",
            "data": "Könsuppdelad uppföljning per insats och fyndregistret för förra året.",
            "conclusion": "Budgeten för praktikplatser fördelas efter behov; uppföljningen redovisas per kön.",
            "decision": "Styrelsen fastställer verksamhetsplan och budget."}),
        (meetings[(year, 2)], {"title": "Val av firmatecknare", "decision": "Ordförande och förbundschef."}),
        (may, {"title": "Revidering av handlingsplanen", "revision": revision,
               "affected": "Alla som omfattas av förbundets insatser.",
               "women_men": "Planen får ett nytt mål om tillgänglighet som gäller kvinnor och män lika.",
               "data": "Fyndregistret och checklistan för planering.",
               "conclusion": "Revideringen stärker jämställdheten; inga ändringar i förslaget behövs.",
               "decision": "Styrelsen antar den reviderade planen."}),
        (may, {"title": "Skillnad i praktik mellan kvinnor och män", "finding": findings[0] if findings else None,
               "affected": "Deltagare i insatsen.", "women_men": "Män erbjöds praktik oftare än kvinnor.",
               "data": "Analysen av insatsens delinsatser per kön.",
               "conclusion": "Åtgärd i handlingsplanen: praktik på lika villkor."}),
    ]
    if application is not None:
        agenda.append((may, {"title": f"Beslut om ansökan: {application.title}", "application": application,
                             "affected": "Deltagarna i projektet.",
                             "women_men": "Projektet riktar sig till både kvinnor och män; målen är könsuppdelade.",
                             "data": "Ansökans problemanalys per kön.",
                             "conclusion": "Ansökan uppfyller kraven på jämställdhetsperspektiv."}))
    numbers: dict[int, int] = {}
    for meeting, fields in agenda:
        numbers[meeting.pk] = numbers.get(meeting.pk, 10) + 1
        save_case(BoardCase(meeting=meeting, number=numbers[meeting.pk], **fields), user, created=True,
                  via="demo")
