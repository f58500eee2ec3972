"""Test-only URLs: the portal's, plus one page that loads plotly.js through includes/plotly.html."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

PAGE = """{% extends "base.html" %}
{% block title %}Chart test{% endblock %}
{% block content %}<h1>Chart test</h1><div id="chart"></div>{% endblock %}
{% block extra_body %}{% include "includes/plotly.html" %}{% endblock %}"""


@login_not_required
def plotly_page(request):
    return HttpResponse(engines["django"].from_string(PAGE).render({}, request))


urlpatterns = [
    path("test-only/plotly/", plotly_page),
    path("", include("pep_portal.urls")),
]
