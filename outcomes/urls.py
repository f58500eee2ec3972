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

# In-year data collections and predictions (outcomes/predictions/).
from .predictions import views as prediction_views  # noqa: E402

urlpatterns += [
    path("predictions/", prediction_views.overview, name="predictions_overview"),
    path("predictions/accuracy/", prediction_views.accuracy, name="predictions_accuracy"),
    path("predictions/collections/", prediction_views.collection_list, name="collection_list"),
    path(
        "predictions/collections/new/",
        prediction_views.collection_create,
        name="collection_create",
    ),
    path(
        "predictions/collections/<int:pk>/",
        prediction_views.collection_detail,
        name="collection_detail",
    ),
    path(
        "predictions/collections/<int:pk>/chase/",
        prediction_views.collection_chase,
        name="collection_chase",
    ),
    path(
        "predictions/collections/<int:pk>/schools/<int:urn>/",
        prediction_views.submission_edit,
        name="submission_edit",
    ),
    path(
        "predictions/collections/<int:pk>/schools/<int:urn>/template/",
        prediction_views.submission_template,
        name="submission_template",
    ),
    path(
        "predictions/schools/<int:urn>/",
        prediction_views.school_predictions,
        name="school_predictions",
    ),
]
