from django.urls import path

from . import views, views_import

app_name = "outcomes"

urlpatterns: list = [
    # Imports (officers): upload, EES indicator mapping, the portal template.
    path("import/", views_import.import_results, name="import_results"),
    path("import/map/<str:token>/", views_import.import_mapping, name="import_mapping"),
    path("import/template/", views_import.results_template, name="results_template"),
    # Pages
    path("", views.la_outcomes, name="la_outcomes"),
]
