"""``{% revision_reminder_notice %}``: the yearly plan revision reminder, for pages outside this app (the dashboard)."""

from __future__ import annotations

from typing import Any

from django import template

from jamkoll.web.plans.permissions import can_edit_plans
from jamkoll.web.plans.services import revision_reminder

register = template.Library()


@register.inclusion_tag("plans/_reminder.html", takes_context=True)
def revision_reminder_notice(context: dict[str, Any]) -> dict[str, Any]:
    """The reminder for those who prepare the revision (admins and analysts) of the page's organisation."""
    org = context.get("org")
    request = context.get("request")
    user = getattr(request, "user", None)
    if org is None or user is None or not can_edit_plans(user, org):
        return {"org": org, "reminder": None}
    return {"org": org, "reminder": revision_reminder(org)}
