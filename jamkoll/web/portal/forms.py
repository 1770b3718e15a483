"""Forms of the portal: the indicator switcher (a plain GET form that works without JavaScript) and
the admin uploads. Labels and errors are Swedish."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamkoll.web.front.forms import MultipleFileField

from .models import GOAL_CHOICES, MemberIndicator, StrategyMember

SORT_KEYS = ("name", "women", "men", "total", "gap", "ratio", "distance", "rank", "favoured", "change")


class IndicatorForm(forms.Form):
    """Which indicator and year the map and the table show."""

    kpi = forms.ChoiceField(label=_("Nyckeltal"))
    year = forms.ChoiceField(label=_("År"), required=False)

    def __init__(self, data: Any, kpis: Sequence[tuple[str, str, str]], years: Sequence[int]) -> None:
        super().__init__(data)
        groups: dict[str, list[tuple[str, str]]] = {}
        for kpi_id, title, goal_title in kpis:
            groups.setdefault(goal_title, []).append((kpi_id, title))
        self.fields["kpi"].choices = list(groups.items())
        self.fields["year"].choices = [("", _("Senaste året"))] + [(str(y), str(y)) for y in years]


class IndicatorUploadForm(forms.Form):
    files = MultipleFileField(label=_("Filer"), help_text=_(
        "Koladas JSON (värden eller nyckeltal), CSV/XLSX med kolumnerna kpi, municipality_id, period, gender, "
        "value, count, status (även från rKolada), eller SCB:s tabeller från Statistikdatabasen: JSON-stat 2, "
        "json-stat, json eller CSV med region, kön och en kolumn per år."))
    scb_kpi = forms.CharField(label=_("Nyckeltalets id för SCB-tabeller"), required=False, max_length=32,
                              help_text=_("Krävs för SCB-tabeller som CSV eller XLSX. För SCB:s JSON blir "
                                          "tabellinnehållets kod id om fältet är tomt."))


class GeometryUploadForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON-fil med kommungränser"), help_text=_(
        "En FeatureCollection i WGS 84 (longitud, latitud) med kommunkoden i egenskapen id, kommunkod eller "
        "KnKod. Kommuner i andra län hoppas över."))


class JoinForm(forms.ModelForm):
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=None)  # type: ignore[arg-type]

    class Meta:
        model = StrategyMember
        fields = ["organization", "sector", "commitment"]

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class MemberIndicatorForm(forms.ModelForm):
    goal = forms.ChoiceField(label=_("Jämställdhetspolitiskt delmål"), choices=GOAL_CHOICES)

    class Meta:
        model = MemberIndicator
        fields = ["title", "goal", "year", "unit", "women", "men", "target", "progress"]
