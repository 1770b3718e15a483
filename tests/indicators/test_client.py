"""The Kolada v3 client against a local HTTP server that answers as Kolada v3 is documented to answer
(``next_url`` paging, at most 25 ids per path segment, 429/503 when busy); never the network."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from jamkoll.cli import app
from jamkoll.indicators.client import ENV_BASE_URL, MAX_IDS, KoladaClient, KoladaUnavailable, default_base_url

MUNICIPALITIES = ["2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061", "2062", "2080", "2081", "2082",
                  "2083", "2084", "2085", "1980", "1981", "1982", "1983", "1984", "1904", "1907", "1960", "1961",
                  "1962", "1814", "1860", "1861", "1862", "1863"]  # 30 real municipality codes


def value_entry(kpi: str, area: str, period: int) -> dict[str, Any]:
    """One v3 entry: count 1 (one member municipality), as Kolada answers for a municipality."""
    return {"kpi": kpi, "municipality": area, "period": period,
            "values": [{"gender": "K", "count": 1, "status": "", "value": 60.0, "isdeleted": False},
                       {"gender": "M", "count": 1, "status": "", "value": 50.0, "isdeleted": False},
                       {"gender": "T", "count": 1, "status": "", "value": 55.0, "isdeleted": False}]}


class Kolada:
    """Answers like Kolada v3: pages linked by ``next_url``/``previous_url``; 400 for more than 25 ids in
    a path segment; ``failures`` errors (status, Retry-After) before answering."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.failures: list[tuple[int, str | None]] = []
        self.v2 = False

    def answer(self, base: str, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        page, per_page = int(query.get("page", ["1"])[0]), int(query.get("per_page", ["5000"])[0])
        if path.startswith("/v3/kpi"):
            ids = query["id"][0].split(",")
            if len(ids) > MAX_IDS:
                return 400, {"error": "too many ids"}
            return 200, {"count": len(ids), "values": [
                {"id": i, "title": f"Nyckeltal {i}", "description": "Andel (%)", "is_divided_by_gender": True,
                 "auspice": "E", "operating_area": "Arbetsmarknad", "has_ou_data": False,
                 "municipality_type": "K", "publication_date": "2025-03-01", "publ_period": "2024"}
                for i in ids], "next_url": None, "previous_url": None}
        parts = path.split("/")  # ['', 'v3', 'data', 'kpi', K, 'municipality', M, ('year', Y)]
        kpis, areas = parts[4].split(","), parts[6].split(",")
        years = [int(y) for y in parts[8].split(",")] if len(parts) > 8 else [2023, 2024]
        if max(len(kpis), len(areas), len(years)) > MAX_IDS:
            return 400, {"error": "Max 25 ids per parameter"}
        entries = [value_entry(k, a, y) for k in kpis for a in areas for y in years]
        chunk = entries[(page - 1) * per_page: page * per_page]

        def link(number: int) -> str:
            return f"{base}{path}?{urllib.parse.urlencode({'page': number, 'per_page': per_page})}"

        more = page * per_page < len(entries)
        if self.v2:
            return 200, {"count": len(entries), "values": chunk, "next_page": link(page + 1) if more else None,
                         "previous_page": None}
        return 200, {"count": len(entries), "values": chunk, "next_url": link(page + 1) if more else None,
                     "previous_url": link(page - 1) if page > 1 else None}


@pytest.fixture
def server() -> Iterator[tuple[str, Kolada]]:
    kolada = Kolada()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            kolada.requests.append(self.path)
            if kolada.failures:
                status, retry_after = kolada.failures.pop(0)
                self.send_response(status)
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                self.end_headers()
                return
            parts = urllib.parse.urlsplit(self.path)
            if "missing" in parts.path:
                self.send_error(404)
                return
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            status, payload = kolada.answer(base, parts.path, urllib.parse.parse_qs(parts.query))
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v3", kolada
    finally:
        httpd.shutdown()
        httpd.server_close()


def no_sleep(pauses: list[float]) -> Any:
    return pauses.append


def test_values_follow_next_url_until_the_last_page(server: tuple[str, Kolada]) -> None:
    base, kolada = server
    frame = KoladaClient(base, per_page=2, timeout=5).values(["N00945"], ["2080", "2081", "0020"], [2023, 2024])
    assert len(kolada.requests) == 3, "6 entries, 2 per page"
    first = urllib.parse.urlsplit(kolada.requests[0])
    assert first.path == "/v3/data/kpi/N00945/municipality/2080,2081,0020/year/2023,2024"
    assert urllib.parse.parse_qs(first.query) == {"page": ["1"], "per_page": ["2"]}
    assert [urllib.parse.parse_qs(urllib.parse.urlsplit(r).query)["page"] for r in kolada.requests] == [
        ["1"], ["2"], ["3"]]
    assert len(frame) == 18 and set(frame["municipality_id"]) == {"2080", "2081", "0020"}
    assert set(frame["count"]) == {1}


def test_saved_v2_pages_with_next_page_are_still_followed(server: tuple[str, Kolada]) -> None:
    base, kolada = server
    kolada.v2 = True
    frame = KoladaClient(base, per_page=4, timeout=5).values(["N00945"], ["2080", "2081"], [2023, 2024])
    assert len(kolada.requests) == 1 and len(frame) == 12
    frame = KoladaClient(base, per_page=1, timeout=5).values(["N00945"], ["2080", "2081"], [2023, 2024])
    assert len(kolada.requests) == 1 + 4 and len(frame) == 12, "then 4 pages of one entry"


def test_more_than_25_ids_are_split_into_runs_of_25(server: tuple[str, Kolada]) -> None:
    base, kolada = server
    kpis = [f"N{n:05d}" for n in range(1, 28)]  # 27 KPIs
    frame = KoladaClient(base, timeout=5).values(kpis, MUNICIPALITIES, [2024])
    segments = [urllib.parse.urlsplit(r).path.split("/") for r in kolada.requests]
    assert len(kolada.requests) == 4, "2 runs of KPIs × 2 runs of municipalities"
    assert all(len(s[4].split(",")) <= 25 and len(s[6].split(",")) <= 25 for s in segments)
    assert {len(s[4].split(",")) for s in segments} == {25, 2} and {len(s[6].split(",")) for s in segments} == {25, 5}
    assert len(frame) == 27 * 30 * 3 and set(frame["municipality_id"]) == set(MUNICIPALITIES)
    assert frame.groupby(["kpi", "municipality_id", "period", "gender"]).size().max() == 1


def test_kpi_metadata_is_fetched_in_runs_of_25_with_v3_fields(server: tuple[str, Kolada]) -> None:
    base, kolada = server
    ids = [f"N{n:05d}" for n in range(1, 31)]
    kpis = KoladaClient(base, timeout=5).kpis(ids)
    assert len(kolada.requests) == 2 and kpis["id"].tolist() == ids
    first = kpis.iloc[0]
    assert bool(first["is_divided_by_gender"])
    assert (first["auspice"], first["operating_area"], first["source"]) == ("E", "Arbetsmarknad", "Kolada")


def test_busy_kolada_is_asked_again_with_growing_pauses(server: tuple[str, Kolada]) -> None:
    base, kolada = server
    kolada.failures = [(503, None), (429, "3"), (502, None)]
    pauses: list[float] = []
    frame = KoladaClient(base, timeout=5, sleep=pauses.append).values(["N00945"], ["2080"], [2024])
    assert len(frame) == 3 and len(kolada.requests) == 4
    assert pauses == [1.0, 3.0, 4.0], "1 s, then Retry-After 3 s, then 4 s (doubling)"


def test_retries_end_with_a_swedish_message(server: tuple[str, Kolada]) -> None:
    base, kolada = server
    kolada.failures = [(503, None)] * 4
    pauses: list[float] = []
    with pytest.raises(KoladaUnavailable, match="fel 503 efter 4 försök"):
        KoladaClient(base, timeout=5, sleep=pauses.append).values(["N00945"], ["2080"])
    assert len(pauses) == 3 and len(kolada.requests) == 4


def test_a_client_error_is_not_retried(server: tuple[str, Kolada]) -> None:
    base, kolada = server
    with pytest.raises(KoladaUnavailable, match="fel 404"):
        KoladaClient(base + "/missing", timeout=5, sleep=lambda s: pytest.fail("no retry")).values(["N1"], ["2080"])
    assert len(kolada.requests) == 1


def test_every_request_has_a_timeout_and_a_timeout_is_retried(server: tuple[str, Kolada]) -> None:
    base, _kolada = server
    timeouts: list[float] = []

    def opener(request: Any, timeout: float) -> Any:
        timeouts.append(timeout)
        if len(timeouts) == 1:
            raise TimeoutError("timed out")
        return urllib.request.urlopen(request, timeout=timeout)

    frame = KoladaClient(base, timeout=7, opener=opener, sleep=lambda s: None).values(["N00945"], ["2080"], [2024])
    assert timeouts == [7, 7] and len(frame) == 3


def test_offline_is_a_clear_swedish_message() -> None:
    def offline(request: Any, timeout: float) -> Any:
        raise urllib.error.URLError("Name or service not known")

    with pytest.raises(KoladaUnavailable, match="Kolada kunde inte nås.*4 försök.*ladda ner"):
        KoladaClient(opener=offline, sleep=lambda s: None).values(["N1"], ["2080"])


def test_a_page_loop_is_stopped() -> None:
    class Loop:
        def __init__(self, request: Any, timeout: float) -> None:
            self.url = request.full_url

        def __enter__(self) -> Loop:
            return self

        def __exit__(self, *exc: Any) -> None:
            pass

        def read(self) -> bytes:
            return json.dumps({"values": [], "next_url": self.url}).encode()

    with pytest.raises(KoladaUnavailable, match="Sidindelningen"):
        KoladaClient("http://kolada.invalid/v3", opener=Loop).values(["N1"], ["2080"])


def test_nothing_to_ask_for_is_refused_before_any_request() -> None:
    with pytest.raises(ValueError):
        KoladaClient(opener=lambda *a, **k: pytest.fail("no request expected")).values([], ["2080"])


def test_the_base_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_BASE_URL, raising=False)
    assert default_base_url() == "https://api.kolada.se/v3"
    monkeypatch.setenv(ENV_BASE_URL, "http://mirror.example/v3/")
    assert KoladaClient().base_url == "http://mirror.example/v3"


def test_cli_fetch_with_base_url_writes_values_and_metadata(server: tuple[str, Kolada], tmp_path: Path) -> None:
    base, kolada = server
    out, meta = tmp_path / "kolada.csv", tmp_path / "nyckeltal.json"
    args = ["indicators", "fetch", "--base-url", base, "--kpi", "N00945", "--year", "2024", "--out", str(out),
            "--metadata", str(meta)]
    for code in MUNICIPALITIES:
        args += ["--municipality", code]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Källa: Kolada" in result.output
    values = pd.read_csv(out, dtype={"municipality_id": str})
    assert len(values) == 90 and set(values["municipality_id"]) == set(MUNICIPALITIES)
    assert set(values["source"]) == {"Kolada"}, "the download names its source"
    assert sum("/data/" in r for r in kolada.requests) == 2, "30 municipalities: 25 + 5"
    imported = CliRunner().invoke(app, ["indicators", "import", str(meta)])
    assert imported.exit_code == 0, imported.output
    assert "1 nyckeltal med metadata, 1 könsuppdelade" in imported.output


def test_cli_fetch_uses_the_environment_setting(server: tuple[str, Kolada], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    base, kolada = server
    monkeypatch.setenv(ENV_BASE_URL, base)
    out = tmp_path / "k.csv"
    result = CliRunner().invoke(app, ["indicators", "fetch", "--kpi", "N1", "--municipality", "2080",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert kolada.requests and out.exists()
