import datetime as dt

import pytest
from django.utils import timezone

from partnership.governance import services as governance_services
from partnership.governance.models import Board

from .factories import BoardFactory, PartnershipFactory, add_member


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def partnership(db):
    return PartnershipFactory()


@pytest.fixture
def strategic_board(partnership):
    return BoardFactory(
        partnership=partnership, name="Strategic Board", slug="strategic-board", kind="strategic"
    )


@pytest.fixture
def operational_group(partnership, strategic_board):
    return BoardFactory(
        partnership=partnership,
        name="Operational Group",
        slug="operational-group",
        kind=Board.Kind.OPERATIONAL,
        parent=strategic_board,
        meeting_frequency=Board.Frequency.HALF_TERMLY,
    )


@pytest.fixture
def board_member_seat(strategic_board, board_member):
    """The board_member user sits on the Strategic Board."""
    return add_member(strategic_board, user=board_member, start=dt.date(2016, 9, 1))


@pytest.fixture
def past_meeting(strategic_board, board_member_seat):
    return governance_services.meeting_create(
        board=strategic_board,
        starts_at=timezone.now() - dt.timedelta(days=30),
        location="Civic Offices",
    )


@pytest.fixture
def next_meeting(strategic_board, past_meeting):
    return governance_services.meeting_create(
        board=strategic_board,
        starts_at=timezone.now() + dt.timedelta(days=20),
        location="Civic Offices",
    )
