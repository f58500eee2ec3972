from django.urls import path

from . import views

app_name = "actionplan"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("plan.json", views.plan_json, name="plan_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("import/", views.plan_import, name="import"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone"),
    path("milestones/<int:pk>/update/", views.milestone_update, name="milestone_update"),
    path("updates/<int:pk>/evidence/", views.evidence_download, name="evidence"),
]
