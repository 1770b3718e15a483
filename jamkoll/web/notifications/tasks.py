"""The day's notifications as a background task of Django's tasks framework (``django-tasks``).

``jamkoll serve`` runs the database backend's worker; enqueue :func:`send_notifications_task` (for instance
from a cron job: ``python -m jamkoll.web shell -c "from jamkoll.web.notifications.tasks import
send_notifications_task; send_notifications_task.enqueue()"``) to send them there. django-tasks has no
scheduler of its own, so the daily run is started by cron or a systemd timer (docs/notifications.md); the
management command ``send_notifications`` does the same in the foreground.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def send_notifications_task(base: str = "") -> dict[str, Any]:
    from .send import send_notifications

    outcome = send_notifications(base=base or None)
    return {"mails": outcome.mails, "items": outcome.items}
