"""Gender budgeting (jämställdhetsbudgetering): how an intervention's budget reaches women and men.

Method. The budget of an intervention for year *Y* (the store's ``budgets`` table) is distributed to
its participants in proportion to a *key* of each enrolment active in *Y* (started on or before
31 December *Y*, not ended before 1 January *Y*):

* ``days``: the enrolment's days within *Y* (from the later of its start and 1 January to the
  earlier of its end and 31 December, both days counted; an ongoing enrolment runs to 31 December);
* ``hours``: its staff hours, spread evenly over its days and counted for the days within *Y*
  (hours × days in *Y* / all its days up to its end, or to 31 December *Y* while ongoing);
* ``cost``: its direct cost (``cost_sek``), spread over its days in the same way.

``basis="auto"`` (the default) uses, per intervention, the first of cost, hours and days that is
known for every active enrolment: the most direct measure of the resources a person got. With a
basis named explicitly, enrolments whose value is unknown get no share. A headcount-only
intervention (the ``counts`` table, no individual rows) is distributed by its participants of the
year (basis ``participants``). People of other or unknown sex keep their own share (``other_sek``):
nothing is dropped, so women's, men's and other's amounts add up to the budget.

Each line is set against the target group: women's share of the intervention's target group
(``reference_population`` rows whose ``group`` is the intervention's ``target_group``, for *Y* or
else the latest earlier year). The total line's target-group share is the average of the lines'
shares weighted by their distributed budgets.

Publishing. An amount of money spread over one to four people tells what those people got, so
:meth:`BudgetDistribution.protected` withholds it. With the publication gate (``policy`` with the
installation key) each line's numbers of people are the gate's published counts, the decision is taken
on them (a published 5 or 6 may be 1 to 4: withheld; decided on true counts, "withheld" beside a table's
5 said "1 to 4"), a headcount-only intervention is split by them, and every amount is printed in whole
kronor and every share to 0.001. Without the gate it withholds such an amount (asking the publication gate,
:func:`jamkoll.analysis.publication.count_publishable`, whether a group's count may be published).
The budgets are public, so in a line with such a small group all three amounts are withheld (two
shown would give the third); women's share of the money reaching women and men is still shown when
women and men are both at least the threshold, as it says nothing about the small group: with the
budget it leaves the small group's amount free. The total line then shows its budget but not its
amounts by sex (a column sum minus the amounts shown would give a withheld one), and its share of
women only when the one equation it adds still leaves at least two withheld amounts free (a line
whose share is shown adds one, a line whose share is withheld adds two; a line whose share equals
the total's adds none).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import ibis
import pandas as pd

from jamkoll.analysis.data import as_count
from jamkoll.analysis.disclosure import DisclosurePolicy
from jamkoll.analysis.goals import GOAL_GROUPS, SEXES, target_group
from jamkoll.analysis.publication import Gate, count_publishable, evidenced, key_cells

BASES = ("cost", "hours", "days")
_COLUMNS = {"cost": "w_cost", "hours": "w_hours", "days": "w_days"}


@dataclass
class BudgetShare:
    """One intervention's budget for the year by sex (or the total, ``intervention`` None)."""

    intervention: str | None
    name: str
    year: int
    budget_sek: float
    basis: str  # "cost", "hours", "days", "participants" or "" (nothing to distribute by)
    women_sek: float | None
    men_sek: float | None
    other_sek: float | None
    n_women: int | None = 0  # None: withheld (see BudgetDistribution.protected)
    n_men: int | None = 0
    n_other: int | None = 0
    target_women_share: float | None = None  # 0..1
    undistributed_sek: float = 0.0  # budget of interventions without participants (total line)
    # Where the amounts are withheld, women's share of the money reaching women and men may still be
    # published (it says nothing about a small group of other sex): see BudgetDistribution.protected.
    published_women_share: float | None = None

    @property
    def withheld(self) -> bool:
        """Some amounts of the line are withheld by disclosure control (their counts are None)."""
        return self.n_women is None or self.n_men is None or self.n_other is None

    @property
    def women_share(self) -> float | None:
        """Women's share of the money reaching women and men, 0..1, to 0.001 (a tenth of a per cent: the
        printed precision; at full precision a share of a budget distributed by head counts is their
        ratio in lowest terms)."""
        if self.women_sek is None or self.men_sek is None:
            return None if self.published_women_share is None else round(self.published_women_share, 3)
        if self.women_sek + self.men_sek <= 0:
            return None
        return round(self.women_sek / (self.women_sek + self.men_sek), 3)

    @property
    def gap(self) -> float | None:
        """Women's share of the money minus their share of the target group (proportion points)."""
        if self.women_share is None or self.target_women_share is None:
            return None
        return round(self.women_share - self.target_women_share, 3)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "women_share": self.women_share, "gap": self.gap, "withheld": self.withheld}


@dataclass
class BudgetDistribution:
    """The year's budget lines by sex, and their total."""

    year: int
    lines: list[BudgetShare] = field(default_factory=list)
    total: BudgetShare | None = None

    def protected(self, policy: DisclosurePolicy = DisclosurePolicy()) -> BudgetDistribution:
        """A copy for publication, with no amount that rests on fewer than ``policy.threshold`` people
        and none that can be computed from what is shown (see the module docstring)."""

        def small(n: int | None) -> bool:
            if policy.secret:  # published counts (distribute_budget with the gate): may they be 1 to 4?
                return n is None or (n > 0 and not evidenced([n], policy))  # 0 kronor for nobody is shown
            return not count_publishable(n, policy.threshold)  # the threshold rule, on true counts

        lines: list[BudgetShare] = []
        unknowns = 0  # free unknowns the total line's share of women would have to pin down
        raw_total_share = self.total.women_share if self.total is not None else None
        for line in self.lines:
            groups = (line.n_women, line.n_men, line.n_other)
            if line.women_sek is None or not any(small(n) for n in groups):
                lines.append(line)
                continue
            share = line.women_share if not small(line.n_women) and not small(line.n_men) else None
            lines.append(replace(line, women_sek=None, men_sek=None, other_sek=None, n_women=None, n_men=None,
                                 n_other=None, published_women_share=share))
            if share is None:
                unknowns += 2  # women's and other's money, with only the budget to bind them
            elif raw_total_share is not None and not math.isclose(share, raw_total_share, abs_tol=1e-12):
                unknowns += 1  # other's money, which with the budget and the share gives the rest
        total = self.total
        if total is not None and any(line.withheld for line in lines):
            # Column sums would give a line's hidden amounts: the total shows only the budget, and its share
            # of women only where that one equation still leaves two unknowns free.
            total = replace(total, women_sek=None, men_sek=None, other_sek=None, n_women=None, n_men=None,
                            n_other=None, published_women_share=raw_total_share if unknowns >= 2 else None)
        return BudgetDistribution(self.year, [_printed(line) for line in lines],
                                  _printed(total) if total is not None else None)

    def to_frame(self) -> pd.DataFrame:
        rows = [*self.lines, *([self.total] if self.total is not None else [])]
        frame = pd.DataFrame([r.to_dict() for r in rows])
        if frame.empty:
            return frame
        frame["intervention"] = frame["intervention"].fillna("total")  # a code, as the tables' margins
        return frame.set_index("intervention")


def _printed(line: BudgetShare) -> BudgetShare:
    """A line at its printed precision: amounts in whole kronor, shares to 0.001."""
    def kronor(value: float | None) -> float | None:
        return None if value is None else float(round(value))

    return replace(line, women_sek=kronor(line.women_sek), men_sek=kronor(line.men_sek),
                   other_sek=kronor(line.other_sek), undistributed_sek=float(round(line.undistributed_sek)),
                   published_women_share=None if line.published_women_share is None
                   else round(line.published_women_share, 3),
                   target_women_share=None if line.target_women_share is None else round(line.target_women_share, 3))


def _active_enrolments(con: Any, year: int, interventions: list[str] | None = None) -> Any:
    """Enrolments active in ``year`` (started by 31 December, not ended before 1 January) with their sex."""
    first, last = ibis.date(dt.date(year, 1, 1)), ibis.date(dt.date(year, 12, 31))
    e = con.table("enrolments")
    p = con.table("participants").select("participant_id", "sex")
    t = e.join(p, "participant_id", how="left")
    t = t.filter((t.start_date <= last) & (t.end_date.isnull() | (t.end_date >= first)))
    if interventions:
        t = t.filter(t.intervention_id.isin(interventions))
    return t.mutate(sex=t.sex.fill_null("unknown"))


def enrolment_keys(con: Any, year: int, interventions: list[str] | None = None) -> pd.DataFrame:
    """Per intervention and sex: the sums of the three keys over enrolments active in ``year``, whether
    each key is known for every enrolment, and the number of distinct participants."""
    first, last = ibis.date(dt.date(year, 1, 1)), ibis.date(dt.date(year, 12, 31))
    t = _active_enrolments(con, year, interventions)
    stop = t.end_date.fill_null(last)
    stop = ibis.ifelse(stop > last, last, stop)
    start_in = ibis.ifelse(t.start_date < first, first, t.start_date)
    days_in = stop.delta(start_in, unit="day").cast("float64") + 1.0
    days_all = stop.delta(t.start_date, unit="day").cast("float64") + 1.0
    # An enrolment ongoing at the end of the year is spread to the end of the year only.
    days_all = ibis.ifelse(t.end_date.notnull() & (t.end_date > last),
                           t.end_date.delta(t.start_date, unit="day").cast("float64") + 1.0, days_all)
    part = days_in / days_all
    t = t.mutate(w_days=days_in,
                 w_hours=t.hours.cast("float64") * part, w_cost=t.cost_sek.cast("float64") * part)
    result: pd.DataFrame = t.group_by(["intervention_id", "sex"]).aggregate(
        n=t.participant_id.nunique(), rows=t.count(),
        w_days=t.w_days.sum(), w_hours=t.w_hours.sum(), w_cost=t.w_cost.sum(),
        known_hours=as_count(t.hours.notnull()).sum(), known_cost=as_count(t.cost_sek.notnull()).sum(),
    ).execute()
    return result


def distribute_budget(con: Any, year: int, *, interventions: list[str] | None = None,
                      basis: str = "auto", policy: DisclosurePolicy | None = None) -> BudgetDistribution:
    """Each intervention's budget for ``year`` distributed to women, men and other/unknown sex.

    ``con``: an Ibis connection to an analysis store. ``basis``: ``auto``, ``cost``, ``hours`` or
    ``days`` (see the module docstring). Interventions without a budget for the year are left out.
    ``policy`` with the installation key (the publication gate): each line's numbers of people are the
    gate's published counts, and a headcount-only intervention is distributed by them (distributed by
    the true head counts, the amounts gave back the counts the tables perturb).
    """
    if basis not in ("auto", *BASES):
        raise ValueError(f"basis must be auto, cost, hours or days, got {basis!r}")
    b = con.table("budgets")
    b = b.filter(b.year == year)
    if interventions:
        b = b.filter(b.intervention_id.isin(interventions))
    budgets = b.group_by("intervention_id").aggregate(budget=b.budget_sek.sum()).execute()
    budgets = budgets[budgets["budget"].notna()].sort_values("intervention_id")
    ids = [str(i) for i in budgets["intervention_id"]]
    iv = con.table("interventions")
    names_frame = iv.group_by("intervention_id").aggregate(name=iv.name.max()).execute()
    names = {str(r.intervention_id): str(r.name or "") for r in names_frame.itertuples(index=False)}
    keys = enrolment_keys(con, year, ids) if ids else pd.DataFrame()
    c = con.table("counts")
    c = c.filter(c.year == year)
    heads = c.group_by(["intervention_id", "sex"]).aggregate(n=c.participants.sum()).execute()

    gated = policy is not None and bool(policy.secret)
    people = _published_people(con, year, ids, heads, Gate(policy)) if gated and ids else {}  # type: ignore[arg-type]

    lines = []
    for iid, amount in zip(ids, budgets["budget"], strict=True):
        rows = keys[keys["intervention_id"] == iid] if not keys.empty else keys
        head_rows = heads[heads["intervention_id"] == iid]
        line = _line(iid, names.get(iid, ""), year, float(amount), rows, head_rows, basis, con,
                     people.get(iid))
        lines.append(line)
    return BudgetDistribution(year, lines, _total(lines, year))


def _published_people(con: Any, year: int, ids: list[str], heads: pd.DataFrame, gate: Gate
                      ) -> dict[str, dict[str, int]]:
    """Per intervention: the gate's published counts (women, men, other) of the people behind its budget
    line, those with an enrolment active in ``year``, and of a headcount-only intervention its counts."""
    keyed = gate.keyed(_active_enrolments(con, year, ids))
    cells = key_cells(keyed, ["intervention_id", "sex"], people=True)
    counts = heads.rename(columns={"intervention_id": "intervention"}).assign(year=year)
    head_cells = gate.headcount_cells(counts, ["intervention"]) if len(counts) else pd.DataFrame()
    out: dict[str, dict[str, int]] = {}
    for iid in ids:
        part = cells[cells["intervention_id"] == iid].drop(columns="intervention_id")
        if part.empty and not head_cells.empty:
            part = head_cells[head_cells["intervention"] == iid].drop(columns="intervention")
        published = gate.counts_by_group(part) if not part.empty else pd.Series(dtype="int64")
        out[iid] = {s: int(published.get(g, 0)) for s, g in GOAL_GROUPS}
    return out


def _chosen_basis(rows: pd.DataFrame, basis: str) -> str:
    if basis != "auto":
        return basis
    enrolled = int(rows["rows"].sum())
    if enrolled and int(rows["known_cost"].sum()) == enrolled and float(rows["w_cost"].sum()) > 0:
        return "cost"
    if enrolled and int(rows["known_hours"].sum()) == enrolled and float(rows["w_hours"].sum()) > 0:
        return "hours"
    return "days"


def _line(iid: str, name: str, year: int, amount: float, rows: pd.DataFrame, heads: pd.DataFrame,
          basis: str, con: Any, published: dict[str, int] | None = None) -> BudgetShare:
    weights = {s: 0.0 for s in SEXES}
    people = {s: 0 for s in SEXES}
    used = ""
    if not rows.empty and float(rows["w_days"].sum()) > 0:
        used = _chosen_basis(rows, basis)
        for row in rows.itertuples(index=False):
            key = row.sex if row.sex in ("women", "men") else "other"
            value = getattr(row, _COLUMNS[used])
            weights[key] += float(value) if pd.notna(value) else 0.0
            people[key] += int(row.n)
    elif not heads.empty and float(heads["n"].sum()) > 0:
        used = "participants"
        for row in heads.itertuples(index=False):
            key = row.sex if row.sex in ("women", "men") else "other"
            weights[key] += float(row.n)
            people[key] += int(row.n)
        if published is not None:  # by the counts the tables publish for the same people
            weights = {s: float(published[s]) for s in SEXES}
    if published is not None:
        people = dict(published)
    ref = target_group(con, iid, year)
    target = ref[0] / (ref[0] + ref[1]) if ref is not None else None
    total = sum(weights.values())
    if total <= 0:
        return BudgetShare(iid, name, year, amount, used, None, None, None, target_women_share=target)
    sek = {s: amount * weights[s] / total for s in SEXES}
    return BudgetShare(iid, name, year, amount, used, sek["women"], sek["men"], sek["other"],
                       people["women"], people["men"], people["other"], target)


def _total(lines: list[BudgetShare], year: int) -> BudgetShare:
    distributed = [x for x in lines if x.women_sek is not None]
    women = sum(x.women_sek or 0.0 for x in distributed)
    men = sum(x.men_sek or 0.0 for x in distributed)
    other = sum(x.other_sek or 0.0 for x in distributed)
    weighted = [(x.budget_sek, x.target_women_share) for x in distributed if x.target_women_share is not None]
    weight = sum(w for w, _ in weighted)
    target = sum(w * s for w, s in weighted) / weight if weight > 0 else None  # type: ignore[operator]
    bases = sorted({x.basis for x in distributed})
    return BudgetShare(
        None, "", year, sum(x.budget_sek for x in lines), bases[0] if len(bases) == 1 else "mixed",
        women if distributed else None, men if distributed else None, other if distributed else None,
        sum(x.n_women or 0 for x in lines), sum(x.n_men or 0 for x in lines), sum(x.n_other or 0 for x in lines),
        target, undistributed_sek=sum(x.budget_sek for x in lines if x.women_sek is None),
    )
