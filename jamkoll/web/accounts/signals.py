"""Keep a reporter's assigned interventions inside the reporter's own organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from jamkoll.web.accounts.models import Intervention, Membership


@receiver(m2m_changed, sender=Membership.interventions.through)
def interventions_of_own_organization(sender: Any, instance: Any, action: str, reverse: bool,
                                      pk_set: set[int] | None, **kwargs: Any) -> None:
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # intervention.reporters.add(membership, ...)
        foreign = Membership.objects.filter(pk__in=pk_set).exclude(organization_id=instance.organization_id)
    else:
        foreign = Intervention.objects.filter(pk__in=pk_set).exclude(organization_id=instance.organization_id)
    if foreign.exists():
        raise ValidationError(_("En rapportör kan bara tilldelas insatser i sin egen organisation."))
