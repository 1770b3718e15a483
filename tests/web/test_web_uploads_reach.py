"""A reporter's upload reaches only their interventions: no probing for people enrolled elsewhere, and no
change to what another intervention's data says about a person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jamkoll.demo.generator import synthetic_personnummer
from jamkoll.web.front.uploads import confirm_submission, stage_upload
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.lib.stores import store_for

from .conftest import uploaded


@pytest.fixture
def numbers() -> tuple[str, str]:
    """Two checksum-valid synthetic personnummer: one to enrol in INS02, one never seen."""
    rng = np.random.default_rng(14)
    return (synthetic_personnummer(rng, dt.date(1980, 5, 17), True),
            synthetic_personnummer(rng, dt.date(1979, 2, 3), False))


def participant_of(org: Any, enrolment_id: str) -> str:
    enrolments = store_for(org).table("enrolments").set_index("enrolment_id")
    return str(enrolments.at[enrolment_id, "participant_id"])


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def enrolment(folder: Path, pnr: str, iid: str, eid: str, year: int = 2025) -> Path:
    return write(folder, f"inskrivningar-{eid}.csv",
                 f"inskrivnings_id;personnummer;insats_id;inskrivningsdatum\n{eid};{pnr};{iid};{year}-04-01\n")


def participant(folder: Path, pnr: str, sex: str, born: int, name: str) -> Path:
    return write(folder, name, f"personnummer;kön;födelseår\n{pnr};{sex};{born}\n")


@pytest.fixture
def elsewhere(loaded_org: Any, members: dict[str, Any], numbers: tuple[str, str], tmp_path: Path) -> Any:
    """The admin enrols the first person in INS02 only (the reporter is assigned INS01)."""
    folder = tmp_path / "admin"
    folder.mkdir()
    files = [participant(folder, numbers[0], "K", 1980, "deltagare.csv"), enrolment(folder, numbers[0], "INS02", "A1")]
    submission = stage_upload(loaded_org, members["admin"], uploaded(files))
    confirm_submission(submission, members["admin"])
    submission.refresh_from_db()
    assert submission.status == "accepted", submission.problems
    return loaded_org


def test_a_reporters_check_answers_the_same_whether_a_person_exists_elsewhere(
        elsewhere: Any, members: dict[str, Any], numbers: tuple[str, str], tmp_path: Path) -> None:
    answers = []
    for i, pnr in enumerate(numbers):
        folder = tmp_path / f"probe-{i}"
        folder.mkdir()
        submission = stage_upload(elsewhere, members["reporter"], uploaded([enrolment(folder, pnr, "INS01", "P1")]))
        assert submission.status == "rejected"
        answers.append([(p["reason"], p["column"], p["value"], p["row"]) for p in submission.problems])
    assert answers[0] == answers[1]
    assert "deltagare som inte finns i deltagarfilen eller i databasen" in answers[0][0][0]
    # An analyst sees the whole organisation: the same file is accepted for the known person.
    folder = tmp_path / "analyst"
    folder.mkdir()
    checked = stage_upload(elsewhere, members["analyst"], uploaded([enrolment(folder, numbers[0], "INS01", "P1")]))
    assert checked.status == "pending", checked.problems


def test_a_reporter_cannot_change_a_person_enrolled_elsewhere(
        elsewhere: Any, members: dict[str, Any], numbers: tuple[str, str], tmp_path: Path) -> None:
    person = participant_of(elsewhere, "A1")
    reports = []
    for i, (pnr, born) in enumerate(((numbers[0], 1980), (numbers[1], 1979))):
        folder = tmp_path / f"change-{i}"
        folder.mkdir()
        # Years without data, so that the second upload does not replace the first one's year.
        files = [participant(folder, pnr, "M", born + 1, "deltagare.csv"),
                 enrolment(folder, pnr, "INS01", f"C{i}", year=2022 + i)]
        submission = stage_upload(elsewhere, members["reporter"], uploaded(files))
        assert submission.status == "pending", submission.problems
        report = dict(submission.report or {})
        plan = report.pop("plan")
        reports.append((report["rows"], report["sex"], [(c["added"], c["changed"], c["removed"])
                                                         for c in plan["changes"]]))
        confirm_submission(submission, members["reporter"])
        submission.refresh_from_db()
        assert submission.status == "accepted", submission.problems
    assert reports[0] == reports[1], "the reporter's check and result do not tell the two people apart"
    participants = store_for(elsewhere).table("participants").set_index("participant_id")
    assert participants.at[person, "sex"] == "women" and participants.at[person, "birth_year"] == 1980
    unknown = participant_of(elsewhere, "C1")
    assert participants.at[unknown, "sex"] == "men", "a person only in the reporter's intervention is theirs"
    enrolments = store_for(elsewhere).table("enrolments")
    assert set(enrolments.loc[enrolments["participant_id"] == person, "intervention_id"]) == {"INS01", "INS02"}
    conflicts = [e.details.get("participant_conflicts") for e in AuditEvent.objects.filter(
        organization=elsewhere, action="upload_accepted", username=members["reporter"].username).order_by("id")]
    assert conflicts == [1, 0], "the conflict is kept for an admin or analyst"


def test_an_analyst_resolves_the_conflict(
        elsewhere: Any, members: dict[str, Any], numbers: tuple[str, str], tmp_path: Path, client_for: Any) -> None:
    from django.urls import reverse

    folder = tmp_path / "reporter"
    folder.mkdir()
    files = [participant(folder, numbers[0], "M", 1980, "deltagare.csv"), enrolment(folder, numbers[0], "INS01", "R1")]
    submission = stage_upload(elsewhere, members["reporter"], uploaded(files))
    confirm_submission(submission, members["reporter"])
    page = client_for(members["analyst"]).get(reverse("front:versions", args=[elsewhere.slug])).content.decode()
    assert "1 deltagare har andra uppgifter" in page
    folder = tmp_path / "analyst"
    folder.mkdir()
    fix = stage_upload(elsewhere, members["analyst"], uploaded([participant(folder, numbers[0], "M", 1980, "d.csv")]))
    confirm_submission(fix, members["analyst"])
    person = participant_of(elsewhere, "A1")
    assert store_for(elsewhere).table("participants").set_index("participant_id").at[person, "sex"] == "men"
