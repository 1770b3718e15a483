"""Password rules beyond Django's own (length, similarity to the user, common passwords, only digits)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumDistinctCharactersValidator:
    """Refuse passwords made of few different characters (``aaaaaaaaaaaa``, ``abababababab``): long enough
    for the length rule, but guessed at once. Counted case-insensitively (``AaAaAaAaAaAa`` has one)."""

    def __init__(self, min_distinct: int = 6) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user: Any = None) -> None:
        if len(set(password.casefold())) < self.min_distinct:
            raise ValidationError(self.get_help_text(), code="password_too_few_distinct")

    def get_help_text(self) -> str:
        return _("Lösenordet måste innehålla minst %(min_distinct)d olika tecken.") % {
            "min_distinct": self.min_distinct}
