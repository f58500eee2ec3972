import datetime as dt

import pytest
from django.utils import timezone

from consultation import responding
from consultation.models import Candidate, Consultation, Question, Response

from .conftest import full_answers, make_consultation

pytestmark = pytest.mark.django_db


def _post_for(q, **override):
    data = {
        f"q{q['scale'].pk}": "Agree",
        f"q{q['scale'].pk}_comment": "A clear vision.",
        f"q{q['yes_no'].pk}": "Yes",
        f"q{q['single'].pk}": "An independent chair",
        f"q{q['multiple'].pk}": ["Recruitment", "Inclusion"],
        f"q{q['free_text'].pk}": "Keep the focus on disadvantaged pupils.",
        f"q{q['interest'].pk}": ["Strategic Board"],
    }
    data.update(override)
    return data


def test_officer_creates_a_consultation_with_a_question(client_as, school):
    client = client_as("officer")
    response = client.post(
        "/consultations/new/",
        {
            "title": "Inclusion charter",
            "summary": "Should all schools sign the charter?",
            "document": "<p>The charter.</p><script>alert(1)</script>",
            "opens_at": "2030-01-06T09:00",
            "closes_at": "2030-02-14T17:00",
            "audience": "schools",
            "audience_schools": [school.pk],
        },
    )
    consultation = Consultation.objects.get(title="Inclusion charter")
    assert response.status_code == 302
    assert consultation.document_html == "<p>The charter.</p>"
    assert (
        timezone.localtime(consultation.closes_at).strftime("%d/%m/%Y %H:%M") == "14/02/2030 17:00"
    )
    assert list(consultation.audience_schools.all()) == [school]
    client.post(
        f"/consultations/{consultation.pk}/questions/",
        {
            "kind": "interest",
            "text": "Would your school join a board?",
            "choices": "Strategic Board\nOperational Group\n",
            "max_length": 2000,
            "mandatory": "on",
        },
    )
    question = consultation.questions.get()
    assert question.choices == ["Strategic Board", "Operational Group"]
    assert question.mandatory


def test_consultation_closing_before_opening_is_refused_with_a_message(client_as):
    response = client_as("officer").post(
        "/consultations/new/",
        {
            "title": "Backwards",
            "summary": "x",
            "opens_at": "2030-02-06T09:00",
            "closes_at": "2030-01-06T09:00",
            "audience": "all",
        },
    )
    assert response.status_code == 200
    assert "The closing time must be after the opening time." in response.content.decode()
    assert not Consultation.objects.filter(title="Backwards").exists()


def test_locked_question_edit_shows_why(consultation, head, client_as):
    responding.response_save(
        consultation=consultation,
        user=head,
        answers={consultation.q["yes_no"].pk: {"value": "Yes"}},
    )
    question = consultation.q["yes_no"]
    response = client_as("officer").post(
        f"/consultations/{consultation.pk}/questions/{question.pk}/",
        {"kind": "yes_no", "text": "Something else?", "max_length": 2000},
    )
    assert response.status_code == 200
    assert "can no longer change" in response.content.decode()
    question.refresh_from_db()
    assert question.text == "Can you contribute?"


def test_head_saves_draft_comes_back_submits_and_resubmits(consultation, client_as):
    q = consultation.q
    client = client_as("head")
    url = f"/consultations/{consultation.pk}/respond/"
    data = _post_for(q)
    del data[f"q{q['scale'].pk}"]
    client.post(url, {**data, "action": "draft"})
    page = client.get(url).content.decode()
    assert "Draft (not submitted)" in page
    assert "Keep the focus on disadvantaged pupils." in page  # the draft came back

    refused = client.post(url, {**data, "action": "submit"})
    assert "Q1 must be answered before submitting." in refused.content.decode()
    assert Response.objects.get().status == "draft"

    client.post(url, {**_post_for(q), "action": "submit"})
    response = Response.objects.get()
    assert response.status == "submitted" and response.submission_count == 1
    page = client.get(url).content.decode()
    assert "Resubmit response" in page and "Save draft" not in page

    client.post(url, {**_post_for(q, **{f"q{q['yes_no'].pk}": "No"}), "action": "submit"})
    response.refresh_from_db()
    assert response.submission_count == 2
    assert response.answers.get(question=q["yes_no"]).value == "No"


def test_a_page_shown_open_refuses_a_submit_after_closing(
    consultation, head, client_as, monkeypatch
):
    q = consultation.q
    consultation.closes_at = timezone.now() + dt.timedelta(minutes=1)
    consultation.save()
    responding.response_save(consultation=consultation, user=head, answers=full_answers(q))
    client = client_as("head")
    url = f"/consultations/{consultation.pk}/respond/"
    assert 'value="submit"' in client.get(url).content.decode()  # the page showed it open
    late = consultation.closes_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: late)
    page = client.post(url, {**_post_for(q, **{f"q{q['yes_no'].pk}": "No"}), "action": "submit"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "no longer accepts answers" in html and "draft is kept" in html
    assert 'value="submit"' not in html
    response = Response.objects.get()
    assert response.status == "draft"
    assert response.answers.get(question=q["yes_no"]).value == "Yes"


def _submit(consultation, user, **override):
    return responding.response_save(
        consultation=consultation,
        user=user,
        answers=full_answers(consultation.q, **override),
        submit=True,
    )


def test_analysis_shows_counts_free_text_with_school_and_rates(
    school, other_school, head, other_head, client_as
):
    consultation = make_consultation("open", audience_schools=[school, other_school])
    _submit(consultation, head)
    _submit(consultation, other_head, scale={"value": "Disagree", "comment": "Too vague."})
    html = (
        client_as("board_member")
        .get(f"/consultations/{consultation.pk}/analysis/")
        .content.decode()
    )
    assert "Harbour Primary School" in html and "Spinnaker Primary School" in html
    assert "Too vague." in html
    assert "Please keep the focus on disadvantaged pupils." in html
    # Q1: one Agree, one Disagree out of two respondents.
    assert '<th scope="row">Agree</th><td class="num">1</td><td class="num">50%</td>' in html
    assert '<th scope="row">All schools</th><td class="num">2</td><td class="num">2</td>' in html
    assert "Tag or add a note" not in html  # board members read, officers annotate


def test_officer_tags_and_notes_an_answer_and_filters_by_tag(
    school, other_school, head, other_head, client_as
):
    consultation = make_consultation("open", audience_schools=[school, other_school])
    _submit(consultation, head)
    _submit(consultation, other_head, free_text={"value": "We need funding for CPD."})
    answer = consultation.q["free_text"].answers.get(response__school=other_school)
    client = client_as("officer")
    client.post(
        f"/consultations/{consultation.pk}/answers/{answer.pk}/annotate/",
        {f"a{answer.pk}-tags": "Funding, CPD", f"a{answer.pk}-note": "Raise at the board."},
    )
    assert sorted(answer.tags.values_list("name", flat=True)) == ["cpd", "funding"]
    assert answer.notes.get().text == "Raise at the board."
    html = client.get(f"/consultations/{consultation.pk}/analysis/?tag=funding").content.decode()
    assert "We need funding for CPD." in html
    assert "Please keep the focus on disadvantaged pupils." not in html
    assert "Raise at the board." in html


def test_board_member_cannot_annotate(consultation, head, client_as):
    _submit(consultation, head)
    answer = consultation.q["free_text"].answers.get()
    response = client_as("board_member").post(
        f"/consultations/{consultation.pk}/answers/{answer.pk}/annotate/",
        {f"a{answer.pk}-tags": "x"},
    )
    assert response.status_code == 403
    assert not answer.tags.exists()


def test_officer_records_interested_schools_as_candidates_once(
    school, other_school, head, other_head, client_as
):
    consultation = make_consultation("closed", audience_schools=[school, other_school])
    consultation.opens_at, consultation.closes_at = (
        timezone.now() - dt.timedelta(days=3),
        timezone.now() + dt.timedelta(days=3),
    )
    consultation.save()
    _submit(consultation, head, interest={"value": ["Strategic Board", "Operational Group"]})
    _submit(consultation, other_head, interest={"value": ["Operational Group"]})
    question = consultation.q["interest"]
    client = client_as("officer")
    html = client.get(f"/consultations/{consultation.pk}/analysis/").content.decode()
    assert "Operational Group: 2 schools interested" in html
    url = f"/consultations/{consultation.pk}/candidates/"
    client.post(url, {"question": question.pk, "board": "Operational Group"})
    client.post(url, {"question": question.pk, "board": "Operational Group"})
    assert sorted(
        Candidate.objects.filter(board_name="Operational Group").values_list(
            "school__name", flat=True
        )
    ) == ["Harbour Primary School", "Spinnaker Primary School"]
    assert not Candidate.objects.filter(board_name="Strategic Board").exists()
    assert (
        client_as("board_member")
        .post(url, {"question": question.pk, "board": "Strategic Board"})
        .status_code
        == 403
    )


def test_printable_report_and_response_detail(consultation, head, client_as):
    _submit(consultation, head)
    client = client_as("officer")
    report = client.get(f"/consultations/{consultation.pk}/report/").content.decode()
    assert "1 of 1 schools consulted responded (100%)" in report
    assert "Please keep the focus on disadvantaged pupils." in report
    detail = client.get(
        f"/consultations/{consultation.pk}/responses/{Response.objects.get().pk}/"
    ).content.decode()
    assert "An independent chair" in detail


def test_question_kinds_render_as_accessible_groups(consultation, client_as):
    html = client_as("head").get(f"/consultations/{consultation.pk}/respond/").content.decode()
    assert html.count("<legend>") == 5  # every choice question is a fieldset with a legend
    assert f'<label class="cons-q-label" for="id_q{consultation.q["free_text"].pk}">' in html
    assert 'maxlength="200"' in html
    assert Question.objects.filter(consultation=consultation, mandatory=True).count() == 2
    assert html.count("(must be answered)") == 2
