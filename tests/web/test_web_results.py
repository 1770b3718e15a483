"""Results kept per store version and setting (jamkoll.web.lib.results): pages read them, imports,
rollbacks and edits of what they depend on give new ones, and readers beside a writer never fail."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.urls import reverse

from jamkoll.analysis.goals import IndicatorSpec, measure
from jamkoll.ingest import import_files
from jamkoll.web.front.analysis import available_years
from jamkoll.web.front.uploads import confirm_submission, stage_upload
from jamkoll.web.funding import services
from jamkoll.web.funding.models import Application, Goal
from jamkoll.web.lib import results
from jamkoll.web.lib.stores import store_for

from .conftest import uploaded

HEADER = "insats_id;namn;budget_kr;år\n"


def budget_file(folder: Path, amount: str) -> Path:
    path = folder / "insatser.csv"
    path.write_text(f"{HEADER}INS01;Steg till arbete;{amount};2024\n", encoding="utf-8")
    return path


def upload(org: Any, user: Any, paths: list[Path]) -> None:
    submission = stage_upload(org, user, uploaded(paths))
    submission = confirm_submission(submission, user)
    assert submission.status == "accepted", submission.problems


def ins01_budget(client: Any, org: Any) -> float:
    page = client.get(reverse("front:funding:budget", kwargs={"slug": org.slug}) + "?year=2024")
    assert page.status_code == 200
    return next(r.budget_sek for r in page.context["rows"] if r.intervention == "INS01")


def test_a_result_is_computed_once_per_store_version_and_setting(loaded_org: Any) -> None:
    calls: list[Any] = []

    def compute(value: Any) -> Any:
        calls.append(value)
        return value

    assert results.kept(loaded_org, "probe", 1, lambda: compute("a")) == "a"
    assert results.kept(loaded_org, "probe", 1, lambda: compute("b")) == "a", "read, not computed again"
    assert results.kept(loaded_org, "probe", 2, lambda: compute("c")) == "c", "another setting"
    results._memory.clear()  # another process: read from the shared files
    assert results.kept(loaded_org, "probe", 1, lambda: compute("d")) == "a"
    assert calls == ["a", "c"]
    before = results.store_key(loaded_org)
    import_files([budget_file(Path(store_for(loaded_org).path).parent, "5")], store_for(loaded_org))
    assert results.store_key(loaded_org) != before, "an import is a new store version"
    assert results.kept(loaded_org, "probe", 1, lambda: compute("e")) == "e"


def test_the_budget_page_shows_the_figure_after_each_import_and_rollback(
        loaded_org: Any, members: dict[str, Any], client_for: Any, tmp_path: Path) -> None:
    admin = client_for(members["admin"])
    assert ins01_budget(admin, loaded_org) == 1_200_000.5
    upload(loaded_org, members["admin"], [budget_file(tmp_path, "1 500 000")])  # version 2
    assert ins01_budget(admin, loaded_org) == 1_500_000
    dashboard = admin.get(reverse("front:dashboard", kwargs={"slug": loaded_org.slug}) + "?year=2024")
    assert dashboard.context["budget_total"].budget_sek == 1_500_000 + 800_000
    rolled = admin.post(reverse("front:version_rollback", kwargs={"slug": loaded_org.slug, "number": 1}))
    assert rolled.status_code == 302
    assert ins01_budget(admin, loaded_org) == 1_200_000.5
    dashboard = admin.get(reverse("front:dashboard", kwargs={"slug": loaded_org.slug}) + "?year=2024")
    assert dashboard.context["budget_total"].budget_sek == 1_200_000.5 + 800_000


def test_the_years_follow_the_store(loaded_org: Any, members: dict[str, Any], tmp_path: Path) -> None:
    assert available_years(loaded_org) == [2025, 2024]
    path = tmp_path / "inskrivningar.csv"
    path.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE9;D001;INS01;2026-02-01\n",
                    encoding="utf-8")
    upload(loaded_org, members["admin"], [path])
    assert available_years(loaded_org) == [2026, 2025, 2024]


def test_an_edited_goal_is_measured_again(loaded_org: Any, members: dict[str, Any]) -> None:
    ins01 = loaded_org.interventions.get(intervention_id="INS01")
    app = Application.objects.create(
        organization=loaded_org, title="Steg", applicant="Kommunen", year=2024, problem_analysis="-",
        followup_plan="-", intervention=ins01, status=Application.Status.FUNDED, budget_sek=1, budget_reach="-",
        created_by=members["admin"])
    goal = Goal.objects.create(application=app, year=2024, indicator="participants", unit="count",
                               baseline_women=0, baseline_men=0, target_women=5, target_men=5)

    def expected(year: int) -> Any:
        con = store_for(loaded_org).ibis()
        try:
            return measure(con, "INS01", year, IndicatorSpec("participants"))
        finally:
            con.disconnect()

    first = services.follow_up(app)[0].actual
    assert first is not None and first.counts == expected(2024).counts
    goal.year = 2025
    goal.save()
    second = services.follow_up(app)[0].actual
    assert second is not None and second.counts == expected(2025).counts != first.counts


def test_two_readers_and_a_writer_at_the_same_time(loaded_org: Any, tmp_path: Path) -> None:
    """Readers of the kept results keep answering, each result of one whole version, while an import writes."""
    store = store_for(loaded_org)
    seen: list[tuple[tuple[int, ...], float]] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while True:
                finished = done.is_set()
                distribution = services.budget_by_sex(loaded_org, 2024)
                assert distribution is not None, "budget_by_sex failed (logged)"
                line = next(r for r in distribution.lines if r.intervention == "INS01")
                seen.append((tuple(available_years(loaded_org)), line.budget_sek))
                if finished:
                    return
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        enrolments = tmp_path / "inskrivningar.csv"
        enrolments.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\n"
                              "E9;D001;INS01;2026-02-01\n", encoding="utf-8")
        import_files([budget_file(tmp_path, "2 000 000"), enrolments], store)
    finally:
        done.set()
        for t in readers:
            t.join(timeout=600)
    assert not failures, failures
    # Each result is of one whole version, the old or the new one (two results read one after the other
    # may be of different versions: the switch can fall between them).
    assert {years for years, _amount in seen} <= {(2025, 2024), (2026, 2025, 2024)}
    assert {amount for _years, amount in seen} <= {1_200_000.5, 2_000_000}
    assert seen[-1] == ((2026, 2025, 2024), 2_000_000), "the last reads see the new version"
