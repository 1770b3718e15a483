"""Sweden's municipalities and regions with SCB's codes, shipped with the product.

Method: a municipality code (kommunkod) is SCB's four-digit code whose first two digits are the
county code (länskod); a region covers exactly one county. The lists are SCB's *Kommuner i
Sverige* / *Län i Sverige* (290 municipalities, 21 counties, valid since 2007 when Knivsta is
counted, unchanged since). Kolada names the country ``0000`` (Riket) and a region ``00`` + county
code (``0020`` Region Dalarna): :func:`kolada_id` and :func:`parse_kolada_id` translate.

Reference: SCB, Kommuner och län, https://www.scb.se/hitta-statistik/regional-statistik-och-kartor/
regionala-indelningar/lan-och-kommuner/; RKA, Kolada API, https://github.com/Hypergene/kolada.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "COUNTRY_ID", "Municipality", "Region", "kolada_id", "municipalities", "municipalities_in",
    "municipality", "parse_kolada_id", "region", "regions",
]

#: Kolada's id for the whole country (Riket).
COUNTRY_ID = "0000"
COUNTRY_NAME = "Riket"


@dataclass(frozen=True)
class Region:
    """A county (län) and the region (regionkommun) that covers it."""

    code: str  # SCB county code, two digits ("20")
    county_name: str  # "Dalarnas län"
    name: str  # "Region Dalarna"

    @property
    def kolada_id(self) -> str:
        return kolada_id(self.code)


@dataclass(frozen=True)
class Municipality:
    code: str  # SCB municipality code, four digits ("2080")
    name: str  # "Falun"
    county_code: str  # "20"


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("jamkoll.indicators").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """All 21 regions, in county code order."""
    return tuple(Region(r["county_code"], r["county_name"], r["region_name"]) for r in _rows("regions.csv"))


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    """All 290 municipalities, in code order."""
    return tuple(Municipality(r["municipality_code"], r["municipality_name"], r["county_code"])
                 for r in _rows("municipalities.csv"))


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Municipality]:
    return {m.code: m for m in municipalities()}


def municipality(code: str) -> Municipality | None:
    """The municipality with SCB code ``code`` (leading zero required: ``0180``), or None."""
    return _by_code().get(code)


def region(code: str) -> Region | None:
    """The region of county ``code`` (``20`` or Kolada's ``0020``), or None."""
    code = code[2:] if len(code) == 4 and code.startswith("00") else code
    return next((r for r in regions() if r.code == code), None)


def municipalities_in(county_code: str) -> tuple[Municipality, ...]:
    return tuple(m for m in municipalities() if m.county_code == county_code)


def kolada_id(county_code: str) -> str:
    """Kolada's id of the region covering county ``county_code``: ``20`` → ``0020``."""
    return "00" + county_code


def parse_kolada_id(kolada: str) -> tuple[str, str]:
    """What a Kolada municipality id names: ``("country", "0000")``, ``("region", "20")`` or
    ``("municipality", "2080")``; ``("unknown", id)`` for anything else (e.g. a unit id)."""
    if kolada == COUNTRY_ID:
        return "country", kolada
    if len(kolada) == 4 and kolada.startswith("00") and region(kolada[2:]) is not None:
        return "region", kolada[2:]
    if municipality(kolada) is not None:
        return "municipality", kolada
    return "unknown", kolada
