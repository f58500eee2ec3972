"""The permission matrix: every role, in every state of a consultation, on every page.

States: a draft (officers only), scheduled but not yet open (officers and board members),
open and closed (everyone consulted).

The consultation asks only ``school`` (Harbour Primary, in ``trust``): ``head`` and
``school_colleague`` act for it; ``other_head`` acts for a school it does not ask;
``trust_user`` belongs to Harbour's trust, ``other_trust_user`` to another trust.
"""

import pytest

from consultation.models import Response

from .conftest import STATES, full_answers, make_consultation

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "officer",
    "portal_admin",
    "board_member",
    "head",
    "school_colleague",
    "other_head",
    "trust_user",
    "other_trust_user",
]
RUNS_IT = {"officer", "portal_admin"}
WHOLE_PARTNERSHIP = RUNS_IT | {"board_member"}
ITS_SCHOOL = {"head", "school_colleague"}
SEES_CONSULTATION = WHOLE_PARTNERSHIP | ITS_SCHOOL | {"trust_user"}
# Before it opens nobody outside the partnership's officers and board sees a consultation;
# a draft is the officers' alone.
SEES_IN_STATE = {
    "draft": RUNS_IT,
    "not_yet_open": WHOLE_PARTNERSHIP,
    "open": SEES_CONSULTATION,
    "closed": SEES_CONSULTATION,
}


def expected(role: str, allowed: set[str]) -> int:
    if role == "anonymous":
        return 302  # to the login page
    return 200 if role in allowed else 403


@pytest.fixture
def build(school):
    def _build(state):
        return make_consultation(state, audience_schools=[school])

    return _build


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_consultation_list_and_detail(build, client_as, role, state):
    consultation = build(state)
    client = client_as(role)
    listing = client.get("/consultations/")
    assert listing.status_code == expected(role, set(ROLES) - {"anonymous"})
    if listing.status_code == 200:
        listed = consultation.title in listing.content.decode()
        assert listed == (role in SEES_IN_STATE[state])
    assert client.get(f"/consultations/{consultation.pk}/").status_code == expected(
        role, SEES_IN_STATE[state]
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_response_form_is_only_for_the_schools_own_staff(build, client_as, role, state):
    consultation = build(state)
    response = client_as(role).get(f"/consultations/{consultation.pk}/respond/")
    # Schools see nothing of a consultation before it opens (nor of a draft).
    opened = state in ("open", "closed")
    assert response.status_code == expected(role, ITS_SCHOOL if opened else set())
    if response.status_code == 200:
        html = response.content.decode()
        editable = 'name="action" value="submit"' in html
        assert editable == (state == "open")
        assert ("Answers can no longer be changed" in html) == (state == "closed")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_answers_are_saved_only_by_its_school_while_open(build, client_as, role, state):
    consultation = build(state)
    q = consultation.q
    post = {f"q{q['scale'].pk}": "Agree", "action": "draft"}
    response = client_as(role).post(f"/consultations/{consultation.pk}/respond/", post)
    saved = Response.objects.filter(consultation=consultation).exists()
    if role in ITS_SCHOOL and state == "open":
        assert response.status_code == 302
        assert saved
    elif role in ITS_SCHOOL and state == "closed":
        assert response.status_code == 200
        assert "Your answers were not saved" in response.content.decode()
        assert not saved
    else:
        assert response.status_code == expected(role, set())
        assert not saved


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_analysis_exports_and_report_are_for_officers_and_board(build, client_as, role, state):
    consultation = build(state)
    client = client_as(role)
    for path in ("analysis/", "export.csv", "export.xlsx", "report/"):
        response = client.get(f"/consultations/{consultation.pk}/{path}")
        allowed = RUNS_IT if state == "draft" else WHOLE_PARTNERSHIP
        assert response.status_code == expected(role, allowed), path


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_only_officers_create_and_edit(build, client_as, role, state):
    consultation = build(state)
    client = client_as(role)
    for path in ("/consultations/new/", f"/consultations/{consultation.pk}/edit/",
                 f"/consultations/{consultation.pk}/questions/"):  # fmt: skip
        assert client.get(path).status_code == expected(role, RUNS_IT), path


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_feedback_is_published_by_officers_after_closing(build, client_as, role, state):
    consultation = build(state)
    response = client_as(role).get(f"/consultations/{consultation.pk}/feedback/")
    allowed = RUNS_IT if state == "closed" else set()
    assert response.status_code == expected(role, allowed)


@pytest.mark.parametrize("role", ROLES)
def test_published_feedback_is_read_by_everyone_consulted(school, client_as, role):
    consultation = make_consultation("closed", audience_schools=[school])
    consultation.feedback_html = "<p>You said more CPD; we set up subject networks.</p>"
    consultation.feedback_published_at = consultation.closes_at
    consultation.save()
    response = client_as(role).get(f"/consultations/{consultation.pk}/")
    shown = (
        response.status_code == 200 and "we set up subject networks" in response.content.decode()
    )
    assert shown == (role in SEES_CONSULTATION)


def test_unpublished_feedback_is_not_shown_to_schools(school, client_as):
    consultation = make_consultation("closed", audience_schools=[school])
    consultation.feedback_html = "<p>Draft feedback.</p>"
    consultation.save()
    assert (
        "Draft feedback"
        not in client_as("head").get(f"/consultations/{consultation.pk}/").content.decode()
    )


def test_trust_user_sees_the_consultation_but_not_responses(consultation, head, client_as):
    from consultation import responding

    responding.response_save(
        consultation=consultation, user=head, answers=full_answers(consultation.q), submit=True
    )
    client = client_as("trust_user")
    assert client.get(f"/consultations/{consultation.pk}/").status_code == 200
    response_pk = Response.objects.get().pk
    assert (
        client.get(f"/consultations/{consultation.pk}/responses/{response_pk}/").status_code == 403
    )
    assert client.get(f"/consultations/{consultation.pk}/respond/").status_code == 403


def test_head_of_another_school_cannot_see_this_schools_response(
    school, other_school, head, other_head, client_as
):
    from consultation import responding

    consultation = make_consultation("open", audience_schools=[school, other_school])
    responding.response_save(
        consultation=consultation,
        user=head,
        answers=full_answers(consultation.q, free_text={"value": "Harbour's private view"}),
    )
    client = client_as("other_head")
    page = client.get(f"/consultations/{consultation.pk}/respond/")
    assert page.status_code == 200
    assert "Harbour's private view" not in page.content.decode()
    response_pk = Response.objects.get(school=school).pk
    assert (
        client.get(f"/consultations/{consultation.pk}/responses/{response_pk}/").status_code == 403
    )
    assert client.get(f"/consultations/{consultation.pk}/analysis/").status_code == 403


def test_audience_by_phase_and_by_trust(school, other_school, trust, head, other_head):
    from consultation.models import Audience
    from consultation.rules import is_in_audience

    other_school.phase = "secondary"
    other_school.save()
    by_phase = make_consultation("open")
    by_phase.audience, by_phase.audience_phase = Audience.PHASE, "secondary"
    by_phase.save()
    assert not is_in_audience(head, by_phase)
    assert is_in_audience(other_head, by_phase)
    by_trust = make_consultation("open")
    by_trust.audience = Audience.TRUSTS
    by_trust.save()
    by_trust.audience_trusts.set([trust])
    assert is_in_audience(head, by_trust)
    assert not is_in_audience(other_head, by_trust)
    assert head.has_perm("consultation.respond", by_trust)
    assert not other_head.has_perm("consultation.respond", by_trust)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_preview_is_for_officers_in_every_state(build, client_as, role, state):
    consultation = build(state)
    response = client_as(role).get(f"/consultations/{consultation.pk}/preview/")
    assert response.status_code == expected(role, RUNS_IT)
    if response.status_code == 200:
        html = response.content.decode()
        assert "Preview" in html and consultation.q["scale"].text in html
        assert 'name="action" value="submit"' not in html


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_only_officers_schedule_a_draft(build, client_as, role, state):
    from consultation.models import Stage

    consultation = build(state)
    response = client_as(role).post(f"/consultations/{consultation.pk}/schedule/")
    consultation.refresh_from_db()
    allowed = RUNS_IT if state == "draft" else set()
    if role in allowed:
        assert response.status_code == 302
        assert consultation.stage == Stage.SCHEDULED
    else:
        assert response.status_code == expected(role, set())
        assert consultation.stage == (Stage.DRAFT if state == "draft" else Stage.SCHEDULED)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_only_officers_take_a_scheduled_consultation_back_to_draft_before_it_opens(
    build, client_as, role, state
):
    from consultation.models import Stage

    consultation = build(state)
    response = client_as(role).post(f"/consultations/{consultation.pk}/unschedule/")
    consultation.refresh_from_db()
    allowed = RUNS_IT if state == "not_yet_open" else set()
    if role in allowed:
        assert response.status_code == 302
        assert consultation.stage == Stage.DRAFT
    else:
        assert response.status_code == expected(role, set())
        assert consultation.stage == (Stage.DRAFT if state == "draft" else Stage.SCHEDULED)
