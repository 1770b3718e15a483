"""Download indicator values and KPI metadata from the Kolada API (v3; v2 is retired).

Method: ``GET {base}/data/kpi/{kpis}/municipality/{ids}/year/{years}?page=1&per_page=N`` (ids and
years comma-separated, at most :data:`MAX_IDS` per path segment: Kolada v3 refuses more, so longer
lists are split into several requests, as rKolada does), then follow each response's ``next_url``
(v3; ``next_page`` in v2 and in files saved from it) until there is none. Every page is parsed by
:func:`jamkoll.indicators.kolada.parse_values`, exactly like an uploaded file. KPI metadata comes
from ``GET {base}/kpi?id=…`` (also split by 25).

Every request has a timeout. A request that times out, cannot connect, or is answered 429 (too many
requests) or 500/502/503/504 is tried again after a pause that doubles (1, 2, 4 s by default; a
``Retry-After`` header of at most a minute is respected), at most ``retries`` times; then the
download stops with a Swedish message. Other HTTP errors stop at once.

The base address is ``JAMKOLL_KOLADA_URL`` from the environment when set (a mirror, or a local
server in tests), else :data:`BASE_URL`; ``jamkoll indicators fetch --base-url`` overrides both.
Data from Kolada is published under CC BY 4.0: show :data:`ATTRIBUTION` wherever it is shown.

Only the standard library is used (``urllib``); the opener is a parameter so that tests serve
responses they build themselves, never the real network.

References: RKA, Kolada API v3, https://api.kolada.se/v3/docs; rKolada 0.3.0 (NEWS: pagination by
``next_url``, requests split at 25 ids), https://github.com/ropengov/rKolada.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import pandas as pd

from jamkoll.indicators.kolada import KPI_COLUMNS, parse_kpis, parse_values

__all__ = ["ATTRIBUTION", "BASE_URL", "ENV_BASE_URL", "MAX_IDS", "KoladaClient", "KoladaUnavailable", "batches",
           "default_base_url"]

BASE_URL = "https://api.kolada.se/v3"
ENV_BASE_URL = "JAMKOLL_KOLADA_URL"
ATTRIBUTION = "Källa: Kolada"
USER_AGENT = "Jamkoll"
MAX_IDS = 25
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0

Opener = Callable[..., Any]
T = TypeVar("T")


class KoladaUnavailable(Exception):
    """Kolada could not be reached or answered with an error; the message is in Swedish."""


def default_base_url() -> str:
    """``JAMKOLL_KOLADA_URL`` when set, else Kolada's own v3 address."""
    return (os.environ.get(ENV_BASE_URL) or "").strip() or BASE_URL


def batches(items: Sequence[T], size: int = MAX_IDS) -> list[list[T]]:
    """``items`` in runs of at most ``size``, in order (none when empty)."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    header = exc.headers.get("Retry-After") if exc.headers is not None else None
    try:
        seconds = float(header) if header is not None else None
    except ValueError:
        return None
    return None if seconds is None or seconds < 0 else min(seconds, MAX_RETRY_AFTER)


class KoladaClient:
    """A small Kolada v3 client. ``opener`` is called like :func:`urllib.request.urlopen`; ``sleep``
    like :func:`time.sleep` (tests pass one that only records the pauses)."""

    def __init__(self, base_url: str | None = None, *, per_page: int = 5000, timeout: float = 30.0,
                 opener: Opener | None = None, max_pages: int = 1000, retries: int = 3, backoff: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep, service: str = "Kolada") -> None:
        self.base_url = (base_url or default_base_url()).rstrip("/")
        self.per_page = per_page
        self.timeout = timeout
        self.opener = opener or urllib.request.urlopen
        self.max_pages = max_pages
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.service = service  # named in the messages

    def get_json(self, url: str) -> Any:
        """The JSON answer to ``GET url``, with the timeout and the retries."""
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
        attempt = 0
        while True:
            try:
                with self.opener(request, timeout=self.timeout) as response:
                    body = response.read()
                break
            except urllib.error.HTTPError as exc:
                if exc.code not in RETRY_STATUSES or attempt >= self.retries:
                    extra = f" efter {attempt + 1} försök" if attempt else ""
                    raise KoladaUnavailable(f"{self.service} svarade med fel {exc.code}{extra} för {url}.") from exc
                pause = _retry_after(exc)
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                if attempt >= self.retries:
                    reason = getattr(exc, "reason", exc)
                    raise KoladaUnavailable(
                        f"{self.service} kunde inte nås ({reason}; {attempt + 1} försök). Kontrollera nätverket, "
                        "eller ladda ner filen från webbplatsen och läs in den i stället.") from exc
                pause = None
            self.sleep(pause if pause is not None else self.backoff * 2 ** attempt)
            attempt += 1
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KoladaUnavailable(f"{self.service} svarade inte med JSON för {url}.") from exc

    def pages(self, first_url: str) -> Iterator[Any]:
        """Every page of a paged response, following ``next_url`` (v3) or ``next_page`` (v2)."""
        url: str | None = first_url
        seen: set[str] = set()
        while url:
            if url in seen or len(seen) >= self.max_pages:
                raise KoladaUnavailable(f"Sidindelningen hos {self.service} tar inte slut (efter {len(seen)} sidor).")
            seen.add(url)
            payload = self.get_json(url)
            yield payload
            url = None
            if isinstance(payload, dict):
                link = payload.get("next_url") or payload.get("next_page")
                url = urllib.parse.urljoin(first_url, link) if isinstance(link, str) and link else None

    def values_urls(self, kpis: Iterable[str], municipalities: Iterable[str], years: Iterable[int] = ()) -> list[str]:
        """The first-page URLs of a download: one per combination of runs of at most 25 ids."""
        def joined(items: Iterable[Any]) -> str:
            return ",".join(urllib.parse.quote(str(i), safe="") for i in items)

        query = urllib.parse.urlencode({"page": 1, "per_page": self.per_page})
        year_runs: list[list[Any]] = batches(list(years)) or [[]]
        urls = []
        for kpi_run in batches(list(kpis)):
            for area_run in batches(list(municipalities)):
                for year_run in year_runs:
                    path = f"{self.base_url}/data/kpi/{joined(kpi_run)}/municipality/{joined(area_run)}"
                    if year_run:
                        path += f"/year/{joined(year_run)}"
                    urls.append(f"{path}?{query}")
        return urls

    def values(self, kpis: Iterable[str], municipalities: Iterable[str], years: Iterable[int] = ()) -> pd.DataFrame:
        """The tidy values of ``kpis`` for ``municipalities`` (Kolada ids) and ``years`` (all when empty)."""
        kpi_list, area_list = list(dict.fromkeys(kpis)), list(dict.fromkeys(municipalities))
        if not kpi_list or not area_list:
            raise ValueError("Ange minst ett nyckeltal och minst en kommun eller region.")
        payloads = [page for url in self.values_urls(kpi_list, area_list, years) for page in self.pages(url)]
        return parse_values(payloads, file="Kolada")

    def kpis(self, ids: Iterable[str]) -> pd.DataFrame:
        """KPI metadata (:data:`jamkoll.indicators.kolada.KPI_COLUMNS`) of ``ids``."""
        frames = []
        for run in batches(list(dict.fromkeys(ids))):
            query = urllib.parse.urlencode({"id": ",".join(run), "page": 1, "per_page": self.per_page})
            frames += [parse_kpis(page, "Kolada (nyckeltal)") for page in self.pages(f"{self.base_url}/kpi?{query}")]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=KPI_COLUMNS)
