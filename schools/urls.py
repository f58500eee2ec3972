from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("import/", views.import_register, name="import_register"),
    path("trusts/<int:pk>/", views.trust_detail, name="trust_detail"),
    path("<int:urn>/", views.school_detail, name="school_detail"),
]

# Schools' own data (schools/intelligence/): soft intelligence, workforce, agreements.
from .intelligence import views as intelligence_views  # noqa: E402

urlpatterns += [
    path("intelligence/", intelligence_views.overview, name="intelligence_overview"),
    path(
        "intelligence/record/",
        intelligence_views.soft_intelligence_record,
        name="soft_intelligence_record",
    ),
    path(
        "intelligence/import/",
        intelligence_views.soft_intelligence_import,
        name="soft_intelligence_import",
    ),
    path(
        "intelligence/template.csv",
        intelligence_views.soft_intelligence_template,
        name="soft_intelligence_template",
    ),
    path("workforce/record/", intelligence_views.workforce_record, name="workforce_record"),
    path("<int:urn>/own-data/", intelligence_views.school_own_data, name="school_own_data"),
    path(
        "<int:urn>/workforce/",
        intelligence_views.workforce_comparison,
        name="workforce_comparison",
    ),
    path("<int:urn>/agreement/", intelligence_views.agreement_record, name="agreement_record"),
]
