from __future__ import annotations

from django.contrib import admin

from .models import SentNotification


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    """What the scheduled notifications sent (read only: the record that keeps them from repeating)."""

    list_display = ["day", "kind", "key", "user", "sent"]
    list_filter = ["kind", "day"]
    search_fields = ["user__username", "key"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
