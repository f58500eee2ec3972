from django.contrib import admin

from pep_portal.platform.admin_base import PortalModelAdmin, ReadOnlyPortalModelAdmin

from .models import Attachment, Candidate, Consultation, Question, Response


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "text", "mandatory"]
    readonly_fields = ["kind", "text"]
    can_delete = False


@admin.register(Consultation)
class ConsultationAdmin(PortalModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "audience"]
    search_fields = ["title"]
    readonly_fields = ["document_html", "feedback_html", "created_by", "created_at"]
    inlines = [QuestionInline]


@admin.register(Response)
class ResponseAdmin(ReadOnlyPortalModelAdmin):
    list_display = ["school", "consultation", "status", "submitted_at", "submission_count"]
    list_filter = ["status", "consultation"]
    search_fields = ["school__name", "school__urn"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyPortalModelAdmin):
    list_display = ["original_name", "consultation", "content_type", "size", "uploaded_at"]


@admin.register(Candidate)
class CandidateAdmin(PortalModelAdmin):
    list_display = ["school", "board_name", "consultation", "recorded_at"]
    list_filter = ["board_name"]
