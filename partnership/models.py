"""The partnership app's models, defined by concept in its subpackages:

- ``governance.models``: boards, members, meetings, papers, minutes, actions, board packs;
- ``support.models``: system leaders and school-to-school support deployments;
- ``categorisation.models``: 3Ms categorisation reviews and decisions, letters of concern.

Django finds an app's models through this module; the names are re-exported here so that
``partnership.models.X`` (migrations, settings, other apps) keeps working.
"""

from .categorisation.models import (
    CategorisationDecision,
    CategorisationReview,
    Concern,
    LetterOfConcern,
    LetterTemplate,
)
from .governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    BoardPack,
    CalendarToken,
    Decision,
    Interest,
    Meeting,
    Membership,
    MembershipReview,
    MembershipReviewEntry,
    Paper,
    Partnership,
    Person,
    ReminderKind,
    Represents,
    new_calendar_token,
    pack_upload_to,
    paper_upload_to,
)
from .support.models import Deployment, Designation, Focus, SystemLeader

__all__ = [
    "Action",
    "AgendaItem",
    "Attendance",
    "Board",
    "BoardPack",
    "CalendarToken",
    "CategorisationDecision",
    "CategorisationReview",
    "Concern",
    "Decision",
    "Deployment",
    "Designation",
    "Focus",
    "Interest",
    "LetterOfConcern",
    "LetterTemplate",
    "Meeting",
    "Membership",
    "MembershipReview",
    "MembershipReviewEntry",
    "Partnership",
    "Paper",
    "Person",
    "ReminderKind",
    "Represents",
    "SystemLeader",
    "new_calendar_token",
    "pack_upload_to",
    "paper_upload_to",
]
