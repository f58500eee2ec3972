"""Permission matrix: every partnership page against every role.

Board member = a member of the Strategic Board (the board under test); officers and admins
manage; heads and trust users see only their own school's / trust's support and categorisation.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.categorisation import services as categorisation_services
from partnership.governance import services as governance_services
from tests.conftest import ROLES

from .factories import SystemLeaderFactory, add_member, deploy

pytestmark = pytest.mark.django_db

STAFF = {"officer", "portal_admin"}
MEMBERS = STAFF | {"board_member"}
WHOLE = STAFF | {"board_member"}
OWN_SCHOOL = WHOLE | {"head", "school_colleague", "trust_user"}
SIGNED_IN = set(ROLES) - {"anonymous"}


@pytest.fixture
def world(
    strategic_board, operational_group, board_member_seat, past_meeting, next_meeting, school
):
    item = governance_services.agenda_item_add(meeting=next_meeting, title="Results")
    paper = governance_services.paper_add(
        agenda_item=item,
        title="Results",
        uploaded_file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 test"),
    )
    owner = add_member(strategic_board).person
    action = governance_services.action_create(
        meeting=past_meeting, description="Do it", owner=owner, due_date=dt.date(2030, 1, 1)
    )
    pack = governance_services.board_pack_request(meeting=next_meeting)
    governance_services.board_pack_generate(pack_id=pack.pk)
    deployment = deploy(leader=SystemLeaderFactory(), school=school)
    template = categorisation_services.letter_template_create(
        name="T", recipient="school", subject="Concern: $school_name", body="Dear $head_name"
    )
    letter = categorisation_services.letter_generate(school=school, template=template)
    return {
        "sb": strategic_board.slug,
        "og": operational_group.slug,
        "meeting": next_meeting.pk,
        "paper": paper.pk,
        "action": action.pk,
        "pack": pack.pk,
        "deployment": deployment.pk,
        "school": school.pk,
        "letter": letter.pk,
    }


PAGES = [
    # (name, url template, allowed roles)
    ("board_list", "/partnership/boards/", MEMBERS),
    ("board_detail", "/partnership/boards/{sb}/", MEMBERS),
    ("child_board_detail", "/partnership/boards/{og}/", MEMBERS),
    ("membership_add", "/partnership/boards/{sb}/members/add/", STAFF),
    ("membership_review", "/partnership/boards/{sb}/members/review/", STAFF),
    ("meeting_create", "/partnership/boards/{sb}/meetings/new/", STAFF),
    ("meeting_detail", "/partnership/meetings/{meeting}/", MEMBERS),
    ("agenda_item_add", "/partnership/meetings/{meeting}/agenda/add/", STAFF),
    ("paper_upload", "/partnership/meetings/{meeting}/papers/add/", STAFF),
    ("attendance", "/partnership/meetings/{meeting}/attendance/", STAFF),
    ("minutes_edit", "/partnership/meetings/{meeting}/minutes/", STAFF),
    ("decision_add", "/partnership/meetings/{meeting}/decisions/add/", STAFF),
    ("action_add", "/partnership/meetings/{meeting}/actions/add/", STAFF),
    ("action_update", "/partnership/actions/{action}/", STAFF),
    ("paper_download", "/partnership/papers/{paper}/download/", MEMBERS),
    ("board_pack_download", "/partnership/packs/{pack}/download/", MEMBERS),
    ("my_meetings", "/partnership/my-meetings/", SIGNED_IN),
    ("deployment_list", "/partnership/support/", SIGNED_IN),
    ("deployment_create", "/partnership/support/new/", STAFF),
    ("deployment_detail", "/partnership/support/{deployment}/", OWN_SCHOOL),
    ("support_figures", "/partnership/support/figures/", WHOLE),
    ("categorisation_list", "/partnership/categorisation/", SIGNED_IN),
    ("categorisation_school", "/partnership/categorisation/schools/{school}/", OWN_SCHOOL),
    ("categorisation_review_create", "/partnership/categorisation/reviews/new/", STAFF),
    ("letter_list", "/partnership/letters/", STAFF),
    ("letter_create", "/partnership/letters/new/", STAFF),
    ("letter_detail", "/partnership/letters/{letter}/", STAFF),
]

POSTS = [
    ("papers_publish", "/partnership/meetings/{meeting}/papers/publish/"),
    ("minutes_agree", "/partnership/meetings/{meeting}/minutes/agree/"),
    ("board_pack_request", "/partnership/meetings/{meeting}/pack/"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_permission(world, client_as, role, name, url, allowed):
    response = client_as(role).get(url.format(**world))
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url"), POSTS, ids=[p[0] for p in POSTS])
def test_post_only_actions_are_for_officers(world, client_as, role, name, url):
    response = client_as(role).post(url.format(**world), {})
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif role in STAFF:
        assert response.status_code == 302
        assert response["Location"] == f"/partnership/meetings/{world['meeting']}/"
    else:
        assert response.status_code == 403


def test_board_member_does_not_see_a_board_they_do_not_sit_on(world, client_as, partnership):
    from .factories import BoardFactory

    other = BoardFactory(partnership=partnership, name="Maths hub", slug="maths-hub")
    client = client_as("board_member")
    assert client.get(f"/partnership/boards/{other.slug}/").status_code == 403
    assert "Maths hub" not in client.get("/partnership/boards/").content.decode()


def test_head_sits_on_a_board_and_so_sees_it(world, client_as, head, operational_group):
    add_member(operational_group, user=head, represents="primary_head")
    client = client_as("head")
    assert client.get(f"/partnership/boards/{operational_group.slug}/").status_code == 200
    assert client.get(f"/partnership/boards/{world['sb']}/").status_code == 403


def test_heads_and_trusts_see_only_their_own_schools_support(
    world, client_as, other_school, school
):
    other = deploy(leader=SystemLeaderFactory(name="Other Leader"), school=other_school)
    for role, sees_own, sees_other in [
        ("head", True, False),
        ("school_colleague", True, False),
        ("trust_user", True, False),
        ("other_head", False, True),
        ("other_trust_user", False, True),
        ("board_member", True, True),
        ("officer", True, True),
    ]:
        page = client_as(role).get("/partnership/support/").content.decode()
        assert (school.name in page) is sees_own, role
        assert (other_school.name in page) is sees_other, role
        detail = client_as(role).get(f"/partnership/support/{other.pk}/")
        assert (detail.status_code == 200) is sees_other, role


def test_heads_see_only_their_own_schools_categorisation(world, client_as, school, other_school):
    review = categorisation_services.categorisation_review_create(
        name="Autumn", review_date=dt.date(2016, 10, 11)
    )
    categorisation_services.categorisation_record(
        review=review, school=school, category="moderate", rationale="a"
    )
    categorisation_services.categorisation_record(
        review=review, school=other_school, category="maximum", rationale="b"
    )
    page = client_as("head").get("/partnership/categorisation/").content.decode()
    assert school.name in page and other_school.name not in page
    page = client_as("other_trust_user").get("/partnership/categorisation/").content.decode()
    assert other_school.name in page and school.name not in page
    page = client_as("board_member").get("/partnership/categorisation/").content.decode()
    assert school.name in page and other_school.name in page


def test_only_officers_record_categorisation(world, client_as, school):
    review = categorisation_services.categorisation_review_create(
        name="Autumn", review_date=dt.date(2016, 10, 11)
    )
    data = {"review": review.pk, "category": "maximum", "rationale": "Weak progress"}
    url = f"/partnership/categorisation/schools/{school.pk}/"
    assert client_as("head").post(url, data).status_code == 405
    assert school.categorisations.count() == 0
    assert client_as("officer").post(url, data).status_code == 302
    assert school.categorisations.get().category == "maximum"
