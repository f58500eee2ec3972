from django.apps import AppConfig


class PepPortalConfig(AppConfig):
    name = "pep_portal"
    verbose_name = "PEP Portal"
