"""Forms more than one app shows: the year picker of the dashboards and the budget page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def year_choices(years: Sequence[int], blank: str | None = None) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", blank)] if blank is not None else []
    return choices + [(str(y), str(y)) for y in years]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, years: Sequence[int] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = year_choices(years, blank=str(_("Alla år")))
