"""The checklists Jämkoll ships, and checklist progress.

Every organisation gets its own, editable copy of each shipped checklist the first time it opens its
checklists (:func:`ensure_shipped_templates`). The planning checklist covers gender equality and the
seven discrimination grounds of the Discrimination Act; the assessment checklist is for project
applications (the funding app's assessment form uses it through :func:`assessment_checklist_template`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jamkoll.web.accounts.models import Organization

from .models import ChecklistAnswer, ChecklistQuestion, ChecklistResponse, ChecklistTemplate

PLANNING = "planning"
ASSESSMENT = "assessment"

# The seven discrimination grounds (diskrimineringsgrunder) of Diskrimineringslagen (2008:567).
DISCRIMINATION_GROUNDS = (
    "Kön",
    "Könsöverskridande identitet eller uttryck",
    "Etnisk tillhörighet",
    "Religion eller annan trosuppfattning",
    "Funktionsnedsättning",
    "Sexuell läggning",
    "Ålder",
)


@dataclass(frozen=True)
class ShippedChecklist:
    key: str
    title: str
    description: str
    questions: tuple[tuple[str, str, str], ...]  # (section, question, guidance)


_GROUNDS = "Diskrimineringsgrunderna"

SHIPPED: tuple[ShippedChecklist, ...] = (
    ShippedChecklist(
        key=PLANNING,
        title="Jämställd och jämlik planering och uppföljning",
        description=("För verksamhetsplanering och årlig uppföljning: kartläggning, mål, de sju "
                     "diskrimineringsgrunderna och uppföljning."),
        questions=(
            ("Underlag och kartläggning", "Är all statistik om personer uppdelad på kön och analyserad?",
             "Deltagare, delinsatser, resultat och resurser, uppdelat på kvinnor och män."),
            ("Underlag och kartläggning", "Har deltagarnas sammansättning jämförts med målgruppens?",
             "Till exempel kön, ålder och funktionsnedsättning i målgruppen jämfört med dem som deltar."),
            ("Planering", "Finns mätbara mål för jämställdhet i verksamhetsplanen?", ""),
            ("Planering", "Är ansvaret för jämställdhets- och likabehandlingsarbetet fördelat och känt?", ""),
            (_GROUNDS, "Kön: får kvinnor och män samma tillgång till insatser, delinsatser och resurser?",
             "Jämför vilka delinsatser och hur mycket resurser kvinnor respektive män får."),
            (_GROUNDS, "Könsöverskridande identitet eller uttryck: kan alla delta utan att utestängas av "
                       "blanketter, lokaler eller bemötande?",
             "Till exempel fler svarsalternativ än kvinna och man där kön efterfrågas."),
            (_GROUNDS, "Etnisk tillhörighet: når information och insatser alla oavsett etnisk tillhörighet?",
             "Tolk och information på flera språk vid behov."),
            (_GROUNDS, "Religion eller annan trosuppfattning: tar planeringen hänsyn till religion eller annan "
                       "trosuppfattning utan antaganden om enskilda personer?",
             "Till exempel högtider, mat och lokaler."),
            (_GROUNDS, "Funktionsnedsättning: är lokaler, material och digitala tjänster tillgängliga?", ""),
            (_GROUNDS, "Sexuell läggning: är bemötande och material fria från heteronormativa antaganden?", ""),
            (_GROUNDS, "Ålder: får deltagare i alla åldrar samma möjligheter, och följs resultaten upp per "
                       "åldersgrupp?", ""),
            ("Uppföljning", "Följs resultaten upp per kön och redovisas de i årsredovisningen?", ""),
            ("Uppföljning", "Har möjliga omotiverade skillnader lett till beslut om åtgärder eller motiveringar?",
             "Se fyndregistret."),
            ("Uppföljning", "Har personal och styrelse fått kompetensutveckling i jämställdhetsintegrering och "
                            "likabehandling?", ""),
        ),
    ),
    ShippedChecklist(
        key=ASSESSMENT,
        title="Bedömning av projektansökan",
        description="Jämställdhet och likabehandling i en ansökan om finansiering av en insats.",
        questions=(
            ("Målgrupp och behov", "Är målgruppen beskriven uppdelad på kön?", ""),
            ("Målgrupp och behov", "Beskriver ansökan hur kvinnor och män i målgruppen har olika behov och "
                                   "förutsättningar?", ""),
            ("Mål och uppföljning", "Finns mål för jämställdhet som kan följas upp per kön?", ""),
            ("Mål och uppföljning", "Ska deltagare och resultat redovisas uppdelat på kön?", ""),
            ("Resurser", "Är budgeten planerad så att kvinnor och män får del av resurserna efter behov?", ""),
            ("Likabehandling", "Beskriver ansökan hur insatsen når personer oavsett diskrimineringsgrund?",
             "Tillgänglighet, språk och bemötande."),
            ("Organisation", "Finns kunskap om jämställdhet och likabehandling i projektorganisationen?", ""),
            ("Organisation", "Har styrgrupp och projektgrupp en jämn könsfördelning?",
             "Jämn fördelning: 40–60 procent av vardera kön."),
        ),
    ),
)


@transaction.atomic
def ensure_shipped_templates(org: Organization) -> list[ChecklistTemplate]:
    """The organisation's copies of the shipped checklists, made on first use (never overwritten later)."""
    have = {t.key: t for t in ChecklistTemplate.objects.filter(organization=org).exclude(key="")}
    result = []
    for shipped in SHIPPED:
        template = have.get(shipped.key)
        if template is None:
            template = ChecklistTemplate.objects.create(organization=org, key=shipped.key, title=shipped.title,
                                                        description=shipped.description)
            ChecklistQuestion.objects.bulk_create(
                ChecklistQuestion(template=template, section=section, text=text, help_text=guidance, order=i)
                for i, (section, text, guidance) in enumerate(shipped.questions, start=1))
        result.append(template)
    return result


def assessment_checklist_template(org: Organization) -> ChecklistTemplate:
    """The organisation's checklist for assessing project applications (questions: ``.questions.all()``)."""
    return next(t for t in ensure_shipped_templates(org) if t.key == ASSESSMENT)


@dataclass
class ResponseProgress:
    answered: int
    total: int
    fulfilled: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def response_progress(response: ChecklistResponse) -> ResponseProgress:
    """How many questions are answered, of how many, and how many are answered yes (fulfilled)."""
    total = response.template.questions.count()
    answers = ChecklistAnswer.objects.filter(response=response, question__template=response.template)
    return ResponseProgress(answered=answers.exclude(answer="").count(), total=total,
                            fulfilled=answers.filter(answer=ChecklistAnswer.Answer.YES).count())
