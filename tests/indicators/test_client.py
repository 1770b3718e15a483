"""The Kolada v3 client against a local HTTP server serving responses built here (never the network)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from jamkoll.indicators.client import KoladaClient, KoladaUnavailable


def value_entry(area: str, period: int) -> dict[str, Any]:
    return {"kpi": "N00945", "municipality": area, "period": period,
            "values": [{"gender": "K", "count": 10, "status": "", "value": 60.0},
                       {"gender": "M", "count": 12, "status": "", "value": 50.0}]}


class Kolada:
    """Pages of two entries each, linked by ``next_page`` as the API links them."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.entries = [value_entry(a, y) for a in ("2080", "2081", "0020") for y in (2023, 2024)]

    def page(self, base: str, path: str, query: dict[str, list[str]]) -> dict[str, Any]:
        page, per_page = int(query["page"][0]), int(query["per_page"][0])
        if path.startswith("/v3/kpi"):
            return {"count": 1, "values": [{"id": "N00945", "title": "Andel", "is_divided_by_gender": 1}],
                    "next_page": None}
        chunk = self.entries[(page - 1) * per_page: page * per_page]
        more = page * per_page < len(self.entries)
        next_query = urllib.parse.urlencode({"page": page + 1, "per_page": per_page})
        return {"count": len(self.entries), "values": chunk,
                "next_page": f"{base}{path}?{next_query}" if more else None, "previous_page": None}


@pytest.fixture
def server() -> Iterator[tuple[str, Kolada]]:
    kolada = Kolada()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            kolada.requests.append(self.path)
            parts = urllib.parse.urlsplit(self.path)
            if "missing" in parts.path:
                self.send_error(404)
                return
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body = json.dumps(kolada.page(base, parts.path, urllib.parse.parse_qs(parts.query))).encode()
            self.send_response(200)
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


def test_values_follow_next_page_until_the_last_page(server: tuple[str, Kolada]) -> None:
    base, kolada = server
    frame = KoladaClient(base, per_page=2, timeout=5).values(["N00945"], ["2080", "2081", "0020"], [2023, 2024])
    assert len(kolada.requests) == 3
    first = urllib.parse.urlsplit(kolada.requests[0])
    assert first.path == "/v3/data/kpi/N00945/municipality/2080,2081,0020/year/2023,2024"
    assert urllib.parse.parse_qs(first.query) == {"page": ["1"], "per_page": ["2"]}
    assert len(frame) == 12
    assert set(frame["municipality_id"]) == {"2080", "2081", "0020"}


def test_kpi_list(server: tuple[str, Kolada]) -> None:
    base, _kolada = server
    kpis = KoladaClient(base, timeout=5).kpis(["N00945"])
    assert kpis["id"].tolist() == ["N00945"] and bool(kpis["is_divided_by_gender"].iloc[0])


def test_an_http_error_is_explained(server: tuple[str, Kolada]) -> None:
    base, _kolada = server
    with pytest.raises(KoladaUnavailable, match="fel 404"):
        KoladaClient(base + "/missing", timeout=5).values(["N1"], ["2080"])


def test_offline_is_a_clear_swedish_message() -> None:
    def offline(request: Any, timeout: float) -> Any:
        raise urllib.error.URLError("Name or service not known")

    with pytest.raises(KoladaUnavailable, match="Kolada kunde inte nås.*ladda ner"):
        KoladaClient(opener=offline).values(["N1"], ["2080"])


def test_a_page_loop_is_stopped() -> None:
    class Loop:
        def __init__(self, request: Any, timeout: float) -> None:
            self.url = request.full_url

        def __enter__(self) -> Loop:
            return self

        def __exit__(self, *exc: Any) -> None:
            pass

        def read(self) -> bytes:
            return json.dumps({"values": [], "next_page": self.url}).encode()

    with pytest.raises(KoladaUnavailable, match="sidindelning"):
        KoladaClient("http://kolada.invalid/v3", opener=Loop).values(["N1"], ["2080"])


def test_nothing_to_ask_for_is_refused_before_any_request() -> None:
    with pytest.raises(ValueError):
        KoladaClient(opener=lambda *a, **k: pytest.fail("no request expected")).values([], ["2080"])
