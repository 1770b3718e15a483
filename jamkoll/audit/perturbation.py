"""What a published count tells an attacker when the outputs are perturbed with the cell key method.

The publication gate (:mod:`jamkoll.analysis.publication`) publishes every count as the true value
plus noise from a public perturbation table: a true 1 to ``threshold − 1`` becomes ``threshold``
or ``threshold + 1`` (never 0); a true value of at least ``threshold`` moves by at most
``max_noise``; 0 stays 0. The attacker is assumed to know the table (its parameters are in the
source code), so a published ``v`` means the true value lies in

* ``[0, 0]`` when ``v == 0``;
* ``[1, v + max_noise]`` when ``v`` is ``threshold`` or ``threshold + 1``;
* ``[L, v + max_noise]`` otherwise, where ``L`` is the smallest true value the table moves to ``v``: a
  true ``u >= threshold`` moves by at most ``u − threshold``, so ``L`` is ``ceil((v + threshold) / 2)``
  for ``v`` up to ``threshold + 2 · max_noise`` (a published 7 is a true 6 to 11) and ``v − max_noise``
  above (:func:`band`).

Each band is expressed as the fact's symmetric ``uncertainty`` (the lower bound is what matters for
pinning a count into 1–4; the upper bound may be a little wider than the truth). Outputs say that
they are perturbed in their notes ("cell key"); then every published count of persons or enrolments
is read as such a band instead of as the true value, and is audited like a rounded count: exposed
when the band and every relation together pin it into 1–4 or to a single value.
"""

from __future__ import annotations

from dataclasses import replace

from jamkoll.audit.facts import ALL, CellId, Fact, Published

MARKERS = ("cell key", "cell-key")


def is_perturbed(published: Published) -> bool:
    """Whether the outputs declare the cell key method in any of their texts."""
    return any(f.kind == "text" and f.text and any(m in f.text.lower() for m in MARKERS)
               for f in published.facts)


def band(value: float, threshold: int = 5, max_noise: int = 4) -> tuple[float, float]:
    """The smallest and largest true value that the perturbation table can publish as ``value``.

    From the table's construction (:func:`jamkoll.analysis.disclosure.perturbation_table`, public): a true
    0 stays 0; a true 1 to ``threshold − 1`` becomes ``threshold`` or ``threshold + 1``; a true ``v`` of at
    least ``threshold`` moves by at most ``min(max_noise, v − threshold)``. So a published 7 means a true 6
    to 11 (a true 5 is always published as 5), not 3 to 11."""
    if value <= 0:
        return 0.0, 0.0
    p, t, d = int(round(value)), threshold, max_noise
    if p < t:  # never published by the method (a direct leak): read as the small values' band
        return 1.0, float(p + d)
    possible = [v for v in range(t, p + d + 1) if abs(p - v) <= min(d, v - t)]
    if p <= t + 1:
        possible.append(1)
    return float(min(possible)), float(max(possible))


def _sum_of_published_parts(fact: Fact, shown: dict[CellId, float]) -> bool:
    """Whether a count over all sexes is exactly the sum of its cell's published women, men and
    other/unknown counts (as the gate prints a table row's total): a function of published values."""
    cell = fact.cell
    if fact.kind != "count" or cell is None or cell.sex != ALL or fact.value is None or fact.uncertainty:
        return False
    women, men = shown.get(cell.with_(sex="women")), shown.get(cell.with_(sex="men"))
    if women is None or men is None:
        return False
    # Other/unknown sex: its published count where the outputs give one (a column of zeros may be
    # read as no fact at all).
    return women + men + shown.get(cell.with_(sex="other_unknown"), 0.0) == fact.value


def _from_published_counts(fact: Fact, shown: dict[CellId, float]) -> bool:
    """Whether a share reproduces, at its printed precision, the share of the *published* counts of
    its cells: then it was computed from them (as the gate does) and says nothing about the truth."""
    if fact.cell is None or not fact.denominator or fact.value is None or fact.decimals is None:
        return False
    if fact.cell not in shown or any(d not in shown for d in fact.denominator):
        return False
    whole = sum(shown[d] for d in fact.denominator)
    if whole <= 0:
        return False
    return round(fact.scale * shown[fact.cell] / whole, fact.decimals) == round(fact.value, fact.decimals)


def _implied_numerators(fact: Fact, whole: float) -> list[int]:
    """The integers ``a`` with ``round(scale * a / whole, decimals) == value``."""
    assert fact.value is not None and fact.decimals is not None
    if whole <= 0:
        return []
    half = 0.5 * 10 ** -fact.decimals
    low = max(0, int((fact.value - half) * whole / fact.scale) - 1)
    high = int((fact.value + half) * whole / fact.scale) + 1
    return [a for a in range(low, high + 1) if abs(fact.scale * a / whole - fact.value) <= half + 1e-9]


def with_noise_bands(published: Published, threshold: int = 5, max_noise: int = 4) -> Published:
    """Every published count as its cell key band (see the module docstring).

    The gate computes shares, rates, differences, intervals and risk ratios from published counts
    (``docs/publication-gate.md``). So a share that reproduces from the published counts of its cells
    is dropped (it says nothing more); a rate whose numerator is published nowhere else is read as the
    publication of that numerator's perturbed value (a count, then banded like every other); and
    differences, intervals and ratios are dropped. A share that does not reproduce from published
    counts stays as a constraint on the truth. Means and adjusted estimates are not modelled."""
    shown = {f.cell: f.value for f in published.facts
             if f.kind == "count" and f.cell is not None and f.value is not None and not f.uncertainty}
    facts: list[Fact] = []
    for fact in published.facts:
        if _sum_of_published_parts(fact, shown):
            continue  # the gate prints a row's total as the sum of its published parts: nothing more
        if fact.kind in ("share", "rate") and _from_published_counts(fact, shown):
            continue
        if fact.kind in ("share", "rate") and fact.value is not None and fact.cell is not None \
                and fact.decimals is not None and len(fact.denominator) == 1 and fact.denominator[0] in shown:
            # A rate over a published count whose numerator is published nowhere else: it publishes the
            # numerator's perturbed value (every integer that reproduces the printed rate).
            implied = _implied_numerators(fact, shown[fact.denominator[0]])
            if implied:
                # the published numerator, perturbed like every published count: its band, not its value
                low, high = band(min(implied), threshold, max_noise)[0], band(max(implied), threshold, max_noise)[1]
                facts.append(replace(fact, kind="count", value=(low + high) / 2, uncertainty=(high - low) / 2,
                                     decimals=None, denominator=(), location=f"{fact.location} (täljare)"))
                shown.setdefault(fact.cell, float(implied[0]) if len(implied) == 1 else -1.0)
            continue
        if fact.kind in ("difference", "ci_low", "ci_high", "ratio"):
            continue  # computed by the gate from published counts: nothing beyond those counts
        if fact.kind == "count" and fact.value is not None:
            low, high = band(fact.value, threshold, max_noise)
            lo = max(low, fact.value - fact.uncertainty) if fact.uncertainty else low
            hi = max(high, fact.value + fact.uncertainty)
            centre = (lo + hi) / 2
            fact = replace(fact, value=centre, uncertainty=(hi - lo) / 2, decimals=None)
        facts.append(fact)
    return Published(facts, list(published.sums))
