"""PxWeb tables built here from the formats' documentation (JSON-stat 2.0 as PxWebApi 2 serves it,
JSON-stat 1.x and ``json`` of PxWeb API 1.0, PxWeb CSV): regions × kön × år of one contents, with
made-up values. Never downloaded."""

from __future__ import annotations

from typing import Any

CONTENTS = ("BE0101N1", "Folkmängd")
REGIONS = {"00": "Riket", "20": "Dalarnas län", "2080": "Falun", "2081": "Borlänge", "2062": "Mora"}
SEXES = {"1": "män", "2": "kvinnor", "1+2": "totalt"}
YEARS = ("2022", "2023")
# Women and men per region and year (made up); the total is their sum.
PEOPLE = {
    ("00", "2022"): (5_260_000, 5_200_000), ("00", "2023"): (5_280_000, 5_230_000),
    ("20", "2022"): (144_000, 143_500), ("20", "2023"): (144_200, 143_900),
    ("2080", "2022"): (29_500, 29_000), ("2080", "2023"): (29_600, 29_100),
    ("2081", "2022"): (26_000, 26_500), ("2081", "2023"): (26_100, 26_600),
    ("2062", "2022"): (10_000, 10_300), ("2062", "2023"): (10_050, 10_350),
}
WITHHELD = ("2062", "1", "2023")  # shown as ".." with a status: no value


def cell(region: str, sex: str, year: str) -> int | None:
    if (region, sex, year) == WITHHELD:
        return None
    women, men = PEOPLE[(region, year)]
    return {"1": men, "2": women, "1+2": women + men}[sex]


def _positions() -> list[tuple[str, str, str]]:
    # Row-major over id = [Region, Kon, ContentsCode, Tid]: the last varies fastest.
    return [(r, s, y) for r in REGIONS for s in SEXES for y in YEARS]


def jsonstat2() -> dict[str, Any]:
    values = [cell(r, s, y) for r, s, y in _positions()]
    status = {str(i): ".." for i, v in enumerate(values) if v is None}
    return {
        "version": "2.0", "class": "dataset", "label": "Folkmängd efter region, kön och år",
        "source": "Statistiska centralbyrån", "updated": "2024-02-21T07:00:00Z",
        "id": ["Region", "Kon", "ContentsCode", "Tid"], "size": [len(REGIONS), len(SEXES), 1, len(YEARS)],
        "dimension": {
            "Region": {"label": "region", "category": {"index": {c: i for i, c in enumerate(REGIONS)},
                                                       "label": REGIONS}},
            "Kon": {"label": "kön", "category": {"index": {c: i for i, c in enumerate(SEXES)}, "label": SEXES}},
            "ContentsCode": {"label": "tabellinnehåll", "category": {
                "index": {CONTENTS[0]: 0}, "label": {CONTENTS[0]: CONTENTS[1]},
                "unit": {CONTENTS[0]: {"base": "antal", "decimals": 0}}}},
            "Tid": {"label": "år", "category": {"index": {y: i for i, y in enumerate(YEARS)},
                                                "label": {y: y for y in YEARS}}},
        },
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "value": values, "status": status,
    }


def jsonstat1() -> dict[str, Any]:
    """PxWeb v1 ``json-stat``: the dataset wrapped by name, id/size/role inside ``dimension``,
    categories indexed by an array."""
    two = jsonstat2()
    dimension = {key: {"label": spec["label"], "category": {"index": list(spec["category"]["index"]),
                                                             "label": spec["category"]["label"]}}
                 for key, spec in two["dimension"].items()}
    dimension.update({"id": two["id"], "size": two["size"], "role": two["role"]})
    return {"dataset": {"label": two["label"], "source": two["source"], "updated": two["updated"],
                        "dimension": dimension, "value": two["value"], "status": two["status"]}}


def pxweb_json() -> dict[str, Any]:
    """PxWeb v1 ``json``: codes in ``key``, the contents' values as text ("..": none)."""
    data = []
    for region, sex, year in _positions():
        value = cell(region, sex, year)
        data.append({"key": [region, sex, year], "values": [".." if value is None else str(value)]})
    return {"columns": [{"code": "Region", "text": "region", "type": "d"},
                        {"code": "Kon", "text": "kön", "type": "d"},
                        {"code": "Tid", "text": "år", "type": "t"},
                        {"code": CONTENTS[0], "text": CONTENTS[1], "type": "c"}],
            "comments": [], "data": data,
            "metadata": [{"infofile": "BE0101", "updated": "2024-02-21T07:00:00", "label":
                          "Folkmängd efter region, kön och år", "source": "Statistiska centralbyrån"}]}


def pxweb_csv(sex_as: str = "label", separator: str = ",", title: bool = True) -> str:
    """PxWeb's CSV: a title line and a blank line above the header, ``Folkmängd 2022`` headers, regions
    as ``code name``; kön as labels (with SCB's long total label) or as codes."""
    labels = {"1": "män", "2": "kvinnor", "1+2": "totalt, samtliga män och kvinnor"}
    lines = ['"Folkmängd efter region, kön och år"', ""] if title else []
    header = ["region", "kön", *(f"{CONTENTS[1]} {y}" for y in YEARS)]
    lines.append(separator.join(f'"{h}"' for h in header))
    for region, name in REGIONS.items():
        for sex in SEXES:
            shown = sex if sex_as == "code" else labels[sex]
            cells = [f'"{region} {name}"', f'"{shown}"']
            cells += [".." if cell(region, sex, y) is None else str(cell(region, sex, y)) for y in YEARS]
            lines.append(separator.join(cells))
    lines += ["", '"Fotnot: påhittade värden för test."']
    return "\n".join(lines) + "\n"
