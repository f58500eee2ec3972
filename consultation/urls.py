from django.urls import include, path

from . import views

app_name = "consultation"

# One consultation's pages, under /consultations/<pk>/.
consultation_patterns = [
    path("", views.consultation_detail, name="detail"),
    path("edit/", views.consultation_update, name="update"),
    path("preview/", views.consultation_preview, name="preview"),
    path("schedule/", views.consultation_schedule, name="schedule"),
    path("unschedule/", views.consultation_unschedule, name="unschedule"),
    path("questions/", views.question_manage, name="questions"),
    path("questions/<int:question_pk>/", views.question_update, name="question_update"),
    path("questions/<int:question_pk>/delete/", views.question_delete, name="question_delete"),
    path("files/", views.attachment_add, name="attachment_add"),
    path("files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("files/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("respond/", views.respond, name="respond"),
    path("analysis/", views.analysis, name="analysis"),
    path("responses/<int:response_pk>/", views.response_detail, name="response_detail"),
    path("answers/<int:answer_pk>/annotate/", views.answer_annotate, name="annotate"),
    path("candidates/", views.candidates_record, name="candidates_record"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("report/", views.report, name="report"),
    path("feedback/", views.feedback_edit, name="feedback"),
]

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", include(consultation_patterns)),
]
