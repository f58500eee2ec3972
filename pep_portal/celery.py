"""The Celery app. Broker = REDIS_URL; without it tasks run eagerly in-process."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pep_portal.settings.local")

app = Celery("pep_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _fresh_content_types(**kwargs) -> None:
    """Workers live long: content-type ids can change under them (a restored backup, a
    migration that recreates them). Audit entries name content types, so each task starts
    from the database's current ids (one cheap query per model type, cached for the task)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
