from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/edit/", views.consultation_update, name="update"),
    path("<int:pk>/preview/", views.consultation_preview, name="preview"),
    path("<int:pk>/schedule/", views.consultation_schedule, name="schedule"),
    path("<int:pk>/unschedule/", views.consultation_unschedule, name="unschedule"),
    path("<int:pk>/questions/", views.question_manage, name="questions"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_update, name="question_update"),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/analysis/", views.analysis, name="analysis"),
    path("<int:pk>/responses/<int:response_pk>/", views.response_detail, name="response_detail"),
    path("<int:pk>/answers/<int:answer_pk>/annotate/", views.answer_annotate, name="annotate"),
    path("<int:pk>/candidates/", views.candidates_record, name="candidates_record"),
    path("<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/feedback/", views.feedback_edit, name="feedback"),
]
