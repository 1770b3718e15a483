"""The method section and the 'about the report' facts."""

from __future__ import annotations

from typing import Any

from jamkoll.analysis.results import Analysis, Finding
from jamkoll.reports.model import BulletList, Paragraph, Section
from jamkoll.reports.phrases import METHODS
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.text import covariate_label, fmt_number, fmt_percent, join_words


def method_section(s: Settings, analysis: Analysis, findings: list[Finding]) -> Section:
    t = s.t
    sec = Section(id="metod" if s.lang == "sv" else "method", title=t["method"])
    sec.add(Paragraph(t["method_lead"], style="lead"))
    period = t["m_period_year"].format(year=s.year) if s.year is not None else t["m_period_all"]
    sec.sub("data", t["m_data"]).add(Paragraph(t["m_data_text"].format(period_text=period)))

    sub = sec.sub("tests", t["m_tests"]).add(Paragraph(t["m_tests_text"]))
    used = _methods_used(analysis, s)
    if used:
        sub.add(Paragraph(t["m_methods_used"].format(items=join_words(used, s.lang))))

    # What the models really used (the analysis leaves out e.g. the year in a one-year report).
    names: list[Any] = list(dict.fromkeys(c for f in analysis.findings for c in f.adjusted_for))
    if not names:
        names = list(s.config.legitimate_covariates)
    cov_text = (
        t["m_adjust_covariates"].format(
            items=join_words(dict.fromkeys(covariate_label(str(c), s.lang) for c in names), s.lang)
        )
        if names
        else ""
    )
    sec.sub("adjust", t["m_adjust"]).add(Paragraph(t["m_adjust_text"].format(covariates=cov_text).strip()))

    q = s.config.q_level
    sec.sub("multiple", t["m_multiple"]).add(
        Paragraph(
            t["m_multiple_text"].format(q=fmt_number(q, s.lang, 2), q_pct=fmt_percent(100 * q, s.lang, 0))
        )
    )

    rules = sec.sub("rules", t["m_rules"]).add(
        BulletList(
            [t["m_rule_unjustified"], t["m_rule_explained"], t["m_rule_uncertain"], t["m_rule_none"],
             t["m_rule_participation"], t["m_rule_covariates"], t["m_rule_change"]]
        )
    )
    pp, rel = s.config.min_difference_pp, s.config.min_relative_resource_gap
    rules.add(Paragraph(t["m_rule_size"].format(pp=fmt_number(pp, s.lang), rel=fmt_percent(100 * rel, s.lang, 0))))
    skipped = s.meta.get("not_compared")
    if isinstance(skipped, list) and skipped:
        if s.intervention is not None:
            skipped = [x for x in skipped if isinstance(x, dict) and x.get("intervention") == s.intervention]
        minimum = s.config.min_per_sex
        if skipped:
            rules.add(Paragraph(t["m_not_compared"].format(n=len(skipped), k=minimum)))
    if analysis.decompositions:
        sec.sub("oaxaca", t["m_oaxaca"]).add(Paragraph(t["m_oaxaca_text"]))

    sub = sec.sub("disclosure", t["m_disclosure"])
    sub.add(
        Paragraph(t["m_disclosure_text"].format(t=s.threshold, t1=s.threshold - 1)),
        Paragraph(t["m_rounded"].format(t=s.threshold, next=s.threshold + 1))
    )
    if s.config.disclosure_method == "cell_key":
        sub.add(Paragraph(t["m_disclosure_cellkey"].format(t=s.threshold)))
    sec.sub("symbols", t["m_symbols"]).add(
        BulletList([t[f"m_symbol_{key}"] for key in ("suppressed", "ckm", "missing", "ci", "pp")])
    )
    return sec


def _methods_used(analysis: Analysis, s: Settings) -> list[str]:
    seen: list[str] = []
    for f in analysis.findings:
        for effect in (f.raw, f.adjusted, f.risk_ratio):
            if effect is None or not effect.method:
                continue
            low = effect.method.lower()
            for key, text in METHODS[s.lang].items():
                if key in low and text not in seen:
                    seen.append(text)
    if analysis.decompositions and METHODS[s.lang]["oaxaca"] not in seen:
        seen.append(METHODS[s.lang]["oaxaca"])
    return seen


def about_facts(
    s: Settings, title: str, findings: list[Finding], generated: str, previous: str | None
) -> list[tuple[str, str]]:
    from jamkoll import __version__ as version

    t = s.t
    about = [(t["about_report"], title)]
    if s.organisation:
        about.append((t["about_org"], s.organisation))
    about.append((t["about_year"], str(s.year) if s.year is not None else t["about_year_all"]))
    if s.intervention is not None:
        about.append((t["about_intervention"], s.name(s.intervention, with_id=True)))
    about.append((t["about_created"], generated))
    about.append((t["about_tool"], f"Jämkoll {version}"))
    about.append((t["about_threshold"], t["about_threshold_text"].format(t=s.threshold, t1=s.threshold - 1)))
    about.append(
        (
            t["about_comparisons"],
            t["about_comparisons_text"].format(
                n=len(findings),
                f=sum(f.flagged for f in findings),
                e=sum(f.status == "explained" for f in findings),
            ),
        )
    )
    if previous is not None:
        about.append((t["about_previous"], previous))
    about.append((t["about_symbols"], t["about_symbols_text"]))
    return about
