from django.contrib import admin

from .admin_base import ReadOnlyPortalModelAdmin
from .models import SentNotification


@admin.register(SentNotification)
class SentNotificationAdmin(ReadOnlyPortalModelAdmin):
    list_display = ["topic", "kind", "subject", "recipient", "occasion", "sent_at", "sent_by"]
    list_filter = ["topic", "kind"]
