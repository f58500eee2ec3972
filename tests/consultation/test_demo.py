import pytest

from consultation import demo
from consultation.models import Answer, Consultation, Question, Response
from schools.models import Phase
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_schools():
    # Fixed URNs: the demo seeds each school's answers by URN, so the factory's running
    # sequence would make the mix of submitted and draft responses depend on test order.
    schools = [SchoolFactory(urn=300000 + i, phase=Phase.PRIMARY) for i in range(14)]
    schools += [
        SchoolFactory(urn=300100 + i, phase=Phase.SECONDARY, category="academy_converter")
        for i in range(6)
    ]
    return schools


def _snapshot():
    return sorted(
        Answer.objects.values_list(
            "response__consultation__title",
            "response__school__urn",
            "question__position",
            "value",
            "comment",
        )
    ), sorted(Response.objects.values_list("consultation__title", "school__urn", "status"))


def test_demo_loads_the_2016_consultation_idempotently(demo_schools):
    demo.load()
    first = _snapshot()
    demo.load()
    assert _snapshot() == first
    # 2016 (closed, response published), open, scheduled and a draft.
    assert Consultation.objects.count() == 4
    assert sorted(Consultation.objects.values_list("stage", flat=True)) == [
        "draft", "scheduled", "scheduled", "scheduled",
    ]  # fmt: skip

    pep = Consultation.objects.get(title=demo.PEP_TITLE)
    assert pep.state == "closed"
    assert pep.opens_at.date().isoformat() == "2016-09-05"
    assert pep.questions.count() == 5
    assert list(pep.questions.values_list("kind", flat=True)) == [
        "scale", "scale", "free_text", "scale", "interest",
    ]  # fmt: skip
    assert pep.questions.get(kind=Question.Kind.INTEREST).choices == [
        "Strategic Board",
        "Operational Group",
    ]
    submitted = pep.responses.filter(status="submitted").count()
    assert 0.6 * len(demo_schools) <= submitted < len(demo_schools)
    assert pep.feedback_published


def test_demo_has_an_open_consultation_the_demo_head_has_not_answered(demo_schools):
    demo.load()
    open_one = Consultation.objects.get(title="Partnership priorities for next year")
    assert open_one.state == "open"
    head_school = min(
        (s for s in demo_schools if s.phase == "primary" and s.trust_id is None),
        key=lambda s: s.urn,
    )
    assert not open_one.responses.filter(school=head_school).exists()
    assert open_one.responses.filter(status="draft").exists()
    assert Consultation.objects.get(title="Secondary inclusion charter").state == "not_yet_open"
