"""Named permissions for partnership governance, support deployments and categorisation.

- Boards: officers and admins manage every board; a person sees a board when they hold a
  current membership of it or of a board it reports to (the Strategic Board sees its groups).
- Support and categorisation: whole-partnership users (officers, admins, board members) see
  every school; heads and delegated colleagues see their own school's only; trust users their
  trust's schools only. Lists are scoped the same way in ``partnership.selectors``.
"""

import rules
from django.utils import timezone

from pep_portal.accounts.roles import (
    add_admin_perms,
    is_head_of,
    is_school_staff,
    is_signed_in,
    is_staff_officer,
    is_trust_user,
    is_trust_user_of,
    sees_whole_partnership,
)


def _boards_with_access(user) -> set[int]:
    """Ids of boards the user sits on today, plus every board below them."""
    if not (user and user.is_authenticated):
        return set()
    from .governance.models import Board, Membership

    today = timezone.localdate()
    direct = set(
        Membership.objects.filter(person__user=user, start_date__lte=today)
        .exclude(end_date__lt=today)
        .values_list("board_id", flat=True)
    )
    children: dict[int, list[int]] = {}
    for pk, parent_id in Board.objects.values_list("pk", "parent_id"):
        if parent_id:
            children.setdefault(parent_id, []).append(pk)
    seen = set(direct)
    stack = list(direct)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


@rules.predicate
def sits_on_a_board(user) -> bool:
    return bool(_boards_with_access(user))


@rules.predicate
def sits_on_board(user, board) -> bool:
    return board is not None and board.pk in _boards_with_access(user)


@rules.predicate
def sits_on_meetings_board(user, meeting) -> bool:
    return meeting is not None and meeting.board_id in _boards_with_access(user)


@rules.predicate
def sits_on_papers_board(user, paper) -> bool:
    return paper is not None and paper.agenda_item.meeting.board_id in _boards_with_access(user)


@rules.predicate
def sits_on_packs_board(user, pack) -> bool:
    return pack is not None and pack.meeting.board_id in _boards_with_access(user)


@rules.predicate
def acts_for_deployment_school(user, deployment) -> bool:
    """Head/colleague or trust user of the supported school or of the leader's home school."""
    if deployment is None:
        return False
    schools = [deployment.supported_school, deployment.home_school]
    if is_school_staff(user) and any(s is not None and s.pk == user.school_id for s in schools):
        return True
    if is_trust_user(user):
        if deployment.home_trust_id == user.trust_id:
            return True
        return any(s is not None and s.trust_id == user.trust_id for s in schools)
    return False


manages_boards = is_staff_officer
sees_school_scoped_data = sees_whole_partnership | is_school_staff | is_trust_user

# Boards and meetings
rules.add_perm("partnership.view_board_list", is_staff_officer | sits_on_a_board)
rules.add_perm("partnership.view_board", is_staff_officer | sits_on_board)
rules.add_perm("partnership.manage_board", manages_boards)
rules.add_perm("partnership.view_meeting", is_staff_officer | sits_on_meetings_board)
rules.add_perm("partnership.manage_meeting", manages_boards)
rules.add_perm("partnership.view_paper", is_staff_officer | sits_on_papers_board)
rules.add_perm("partnership.view_board_pack", is_staff_officer | sits_on_packs_board)
rules.add_perm("partnership.view_calendar", is_signed_in)

# School-to-school support
rules.add_perm("partnership.view_deployment_list", sees_school_scoped_data)
rules.add_perm("partnership.view_deployment", sees_whole_partnership | acts_for_deployment_school)
rules.add_perm("partnership.manage_deployments", is_staff_officer)
rules.add_perm("partnership.view_support_figures", sees_whole_partnership)

# Categorisation (3Ms) and letters of concern
rules.add_perm("partnership.view_categorisation_list", sees_school_scoped_data)
# Confidential data kind "categorisation" (the group's 3Ms decisions, their rationale): the
# partnership's own records, not the school's data shared under an agreement, so no agreement
# is needed; pages, the grid export, the board pack and the API all check this permission.
may_see_school_categorisation = sees_whole_partnership | is_head_of | is_trust_user_of
rules.add_perm("partnership.view_school_categorisation", may_see_school_categorisation)
rules.add_perm("partnership.record_categorisation", is_staff_officer)
rules.add_perm("partnership.manage_letters", is_staff_officer)

for model in (
    "partnership",
    "board",
    "person",
    "membership",
    "membershipreview",
    "membershipreviewentry",
    "interest",
    "meeting",
    "agendaitem",
    "paper",
    "attendance",
    "decision",
    "action",
    "boardpack",
    "calendartoken",
    "systemleader",
    "deployment",
    "categorisationreview",
    "categorisationdecision",
    "lettertemplate",
    "letterofconcern",
):
    add_admin_perms("partnership", model, view=is_staff_officer, change=is_staff_officer)


# --- Board dashboards (issue 5; views in partnership/dashboards/) -------------------------


@rules.predicate
def is_user_of_trust(user, trust) -> bool:
    """A trust user of this very trust."""
    return bool(trust is not None and is_trust_user(user) and user.trust_id == trust.pk)


# The city overview: the whole partnership, and heads (and delegated colleagues).
rules.add_perm("partnership.view_dashboards", sees_whole_partnership | is_school_staff)
# Headlines and the key stage pages.
rules.add_perm("partnership.view_city_dashboards", sees_whole_partnership)
# The grid of every school in the partnership (and its export).
rules.add_perm("partnership.view_schools_grid", sees_whole_partnership)
# School on a page: everyone for the whole partnership; a head their own school; a trust
# user their trust's schools.
# Data kind "school figures" (the nightly school RAG and 3Ms suggestion, with reasons): the
# school page, the grid and the API's "nightly" part.
may_see_school_figures = sees_whole_partnership | is_head_of | is_trust_user_of
rules.add_perm("partnership.view_school_page", may_see_school_figures)
# A trust's grid and aggregates: the whole partnership, and that trust's own users.
rules.add_perm("partnership.view_trust_dashboard", sees_whole_partnership | is_user_of_trust)
