"""The governance chapter's input: plan progress, actions, findings handling, applications' goals,
gender budget, checklists and activities, as plain data.

The web app gathers these from its database (``jamkoll.web.plans`` and ``jamkoll.web.funding``) and
hands a :class:`GovernanceSummary` to :func:`jamkoll.reports.write_report`; the report package
never imports Django. Counts of people in here (activity participants by sex) go through the same
disclosure control as every other published count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The six national gender-equality goals (jämställdhetspolitiska delmål), in the government's order.
NATIONAL_GOALS: dict[str, tuple[str, str]] = {
    "power": ("En jämn fördelning av makt och inflytande", "Gender-equal division of power and influence"),
    "economy": ("Ekonomisk jämställdhet", "Economic gender equality"),
    "education": ("Jämställd utbildning", "Gender-equal education"),
    "care": ("Jämn fördelning av det obetalda hem- och omsorgsarbetet",
             "Equal distribution of unpaid housework and provision of care"),
    "health": ("Jämställd hälsa", "Gender-equal health"),
    "violence": ("Mäns våld mot kvinnor ska upphöra", "Men's violence against women must stop"),
}


@dataclass
class ActionItem:
    """One action of a plan (or of a finding's decision): what, who, by when, and where it stands."""

    title: str
    owner: str
    due: dt.date | None
    status: str  # "planned", "ongoing", "done", "cancelled"
    goal: str = ""  # the plan goal it serves
    evidence: str = ""  # how it was shown to be done
    overdue: bool = False


@dataclass
class GoalProgress:
    title: str
    national_goal: str  # a key of NATIONAL_GOALS
    cemr_articles: list[str] = field(default_factory=list)  # e.g. ["6", "22"]
    actions_total: int = 0
    actions_done: int = 0
    actions_overdue: int = 0


@dataclass
class PlanProgress:
    """The action plan in force for the year: its latest adopted revision and how far it has come."""

    title: str
    revision: int
    adopted_on: dt.date | None  # the board meeting that adopted the revision
    organisations: list[str]  # every organisation sharing the plan
    goals: list[GoalProgress]
    actions: list[ActionItem]
    next_revision_due: dt.date | None = None
    changes_since_previous: list[str] = field(default_factory=list)  # plain sentences


@dataclass
class FindingsHandling:
    """The findings register for the year: how the steering groups acted on possible unjustified differences."""

    total: int
    open: int
    justified: int
    action_planned: int
    done: int
    overdue: int
    recurring: int  # cases linked to the same finding a year earlier


@dataclass
class GoalFollowUp:
    """One measurable goal of a funded application, planned against the imported data."""

    indicator: str  # the indicator's readable name
    unit: str  # "percent", "count", "sek", "hours", "days"
    baseline_women: float | None
    baseline_men: float | None
    target_women: float | None
    target_men: float | None
    actual_women: float | None  # None when withheld by disclosure control or not yet measurable
    actual_men: float | None
    met_women: bool | None
    met_men: bool | None


@dataclass
class ApplicationFollowUp:
    title: str
    intervention_id: str | None
    gender_marker: int  # 0 not targeted, 1 significant, 2 principal objective
    decision: str  # "funded", "rejected", "pending"
    goals: list[GoalFollowUp]


@dataclass
class BudgetLine:
    """The budget of one intervention (or the total, ``intervention_id`` None) for the year, by sex."""

    intervention_id: str | None
    name: str
    budget_sek: float
    women_sek: float | None
    men_sek: float | None
    other_sek: float | None  # other or unknown sex, kept and reported
    women_share: float | None  # of the money reaching women and men, 0..1
    target_group_women_share: float | None  # women's share of the target group, 0..1
    basis: str  # what the money was distributed by: "cost", "hours" or "days"
    withheld: bool = False  # missing amounts (and the share) are withheld by disclosure control


@dataclass
class ChecklistProgress:
    title: str
    unit: str  # the organisation or unit that answered
    answered: int
    total: int
    fulfilled: int
    comments: list[tuple[str, str]] = field(default_factory=list)  # (question, comment)


@dataclass
class ActivitySummary:
    title: str
    kind: str  # "training", "event", "exhibition", "theme_day", "other"
    date: dt.date | None
    women: int | None
    men: int | None
    other: int | None


@dataclass
class BoardCaseAssessment:
    """The cases on the board's agendas during the year and how many carried a gender-impact assessment."""

    total: int
    assessed: int
    meetings: int = 0

    @property
    def share(self) -> float | None:
        return self.assessed / self.total if self.total else None


@dataclass
class GovernanceSummary:
    """Everything the governance chapter of the yearly report shows, for one organisation and year."""

    organisation: str
    year: int
    plan: PlanProgress | None = None
    findings: FindingsHandling | None = None
    applications: list[ApplicationFollowUp] = field(default_factory=list)
    budget: list[BudgetLine] = field(default_factory=list)
    checklists: list[ChecklistProgress] = field(default_factory=list)
    activities: list[ActivitySummary] = field(default_factory=list)
    board_cases: BoardCaseAssessment | None = None
