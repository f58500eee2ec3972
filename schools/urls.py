from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("import/", views.import_register, name="import_register"),
    path("trusts/<int:pk>/", views.trust_detail, name="trust_detail"),
    path("<int:urn>/", views.school_detail, name="school_detail"),
]
