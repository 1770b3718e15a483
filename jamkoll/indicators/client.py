"""Download indicator values and the KPI list from the Kolada API (v3; v2 is retired).

Method: ``GET {base}/data/kpi/{kpis}/municipality/{ids}/year/{years}?page=1&per_page=N`` (ids and
years comma-separated), then follow each response's ``next_page`` link until there is none; every
page is parsed by :func:`jamkoll.indicators.kolada.parse_values`, exactly like an uploaded file. The
KPI list comes from ``GET {base}/kpi?id=…``. Data from Kolada is published under CC BY 4.0: show
:data:`ATTRIBUTION` wherever it is shown.

Only the standard library is used (``urllib``); the opener is a parameter so that tests serve
responses they build themselves, never the real network.

Reference: RKA, Kolada API, https://api.kolada.se/v3/ and https://github.com/Hypergene/kolada.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pandas as pd

from jamkoll.indicators.kolada import parse_kpis, parse_values

__all__ = ["ATTRIBUTION", "BASE_URL", "KoladaClient", "KoladaUnavailable"]

BASE_URL = "https://api.kolada.se/v3"
ATTRIBUTION = "Källa: Kolada"
USER_AGENT = "Jamkoll"

Opener = Callable[..., Any]


class KoladaUnavailable(Exception):
    """Kolada could not be reached or answered with an error; the message is in Swedish."""


class KoladaClient:
    """A small Kolada v3 client. ``opener`` is called like :func:`urllib.request.urlopen`."""

    def __init__(self, base_url: str = BASE_URL, *, per_page: int = 5000, timeout: float = 30.0,
                 opener: Opener | None = None, max_pages: int = 1000) -> None:
        self.base_url = base_url.rstrip("/")
        self.per_page = per_page
        self.timeout = timeout
        self.opener = opener or urllib.request.urlopen
        self.max_pages = max_pages

    def _get(self, url: str) -> Any:
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
        try:
            with self.opener(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise KoladaUnavailable(f"Kolada svarade med fel {exc.code} för {url}.") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise KoladaUnavailable(f"Kolada kunde inte nås ({reason}). Kontrollera nätverket, eller ladda ner "
                                    "filen från kolada.se och läs in den i stället.") from exc
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KoladaUnavailable(f"Kolada svarade inte med JSON för {url}.") from exc

    def pages(self, first_url: str) -> Iterator[Any]:
        """Every page of a paged response, following ``next_page``."""
        url: str | None = first_url
        seen: set[str] = set()
        while url:
            if url in seen or len(seen) >= self.max_pages:
                raise KoladaUnavailable(f"Koladas sidindelning tar inte slut (efter {len(seen)} sidor).")
            seen.add(url)
            payload = self._get(url)
            yield payload
            url = payload.get("next_page") if isinstance(payload, dict) else None

    def values_url(self, kpis: Iterable[str], municipalities: Iterable[str], years: Iterable[int] = ()) -> str:
        def joined(items: Iterable[Any]) -> str:
            return ",".join(urllib.parse.quote(str(i), safe="") for i in items)

        path = f"{self.base_url}/data/kpi/{joined(kpis)}/municipality/{joined(municipalities)}"
        year_list = list(years)
        if year_list:
            path += f"/year/{joined(year_list)}"
        return f"{path}?{urllib.parse.urlencode({'page': 1, 'per_page': self.per_page})}"

    def values(self, kpis: Iterable[str], municipalities: Iterable[str], years: Iterable[int] = ()) -> pd.DataFrame:
        """The tidy values of ``kpis`` for ``municipalities`` (Kolada ids) and ``years`` (all when empty)."""
        kpi_list, area_list = list(kpis), list(municipalities)
        if not kpi_list or not area_list:
            raise ValueError("Ange minst ett nyckeltal och minst en kommun eller region.")
        return parse_values(self.pages(self.values_url(kpi_list, area_list, years)), file="Kolada")

    def kpis(self, ids: Iterable[str]) -> pd.DataFrame:
        """The KPI list entries (id, title, is_divided_by_gender, description) of ``ids``."""
        query = urllib.parse.urlencode({"id": ",".join(ids), "page": 1, "per_page": self.per_page})
        frames = [parse_kpis(page, "Kolada (nyckeltal)") for page in self.pages(f"{self.base_url}/kpi?{query}")]
        return pd.concat(frames, ignore_index=True)
