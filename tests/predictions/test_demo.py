import pytest

from outcomes.models import DataCollection, Prediction
from outcomes.predictions.demo import load_predictions_demo
from schools.intelligence.demo import load_intelligence_demo
from schools.models import SoftIntelligence, Workforce
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_and_is_idempotent():
    for _ in range(8):
        SchoolFactory()
    load_intelligence_demo()
    load_predictions_demo()
    counts = (
        DataCollection.objects.count(),
        Prediction.objects.count(),
        SoftIntelligence.objects.count(),
        Workforce.objects.count(),
    )
    assert counts[0] == 2 and counts[1] > 0 and counts[2] == 8 and counts[3] == 8
    load_intelligence_demo()
    load_predictions_demo()
    assert counts == (
        DataCollection.objects.count(),
        Prediction.objects.count(),
        SoftIntelligence.objects.count(),
        Workforce.objects.count(),
    )
