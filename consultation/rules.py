"""Named permissions for consultations.

Who sees what:
- officers and admins run consultations (create, edit, questions, files, preview, schedule,
  tags and notes, candidates, the published response) and read the analysis; drafts are
  theirs alone;
- board members read every consultation once it is scheduled, the analysis and the
  exports, and change nothing;
- a headteacher or a delegated colleague (role school_staff) sees the consultations whose
  audience includes their school, from the moment each opens (never a draft or one still
  scheduled), and their own school's response; they may change it only while it is open;
- a trust user sees the consultations whose audience includes one of the trust's schools
  (the document and the questions), but no school's response: responses are the school's
  voice, and the trust is not the respondent;
- anonymous users see nothing (LoginRequiredMiddleware sends them to sign in).
"""

import rules

from pep_portal.accounts.roles import (
    add_admin_perms,
    is_board_member,
    is_school_staff,
    is_signed_in,
    is_staff_officer,
    is_trust_user,
)

from .models import Stage, State


@rules.predicate
def is_in_audience(user, consultation) -> bool:
    """The user acts for (or is a trust user of) a school this consultation asks."""
    if consultation is None:
        return False
    from .selectors import audience_school_list

    schools = audience_school_list(consultation=consultation)
    if is_school_staff(user):
        return schools.filter(pk=user.school_id).exists()
    if is_trust_user(user):
        return schools.filter(trust_id=user.trust_id).exists()
    return False


@rules.predicate
def consultation_is_open(user, consultation) -> bool:
    return consultation is not None and consultation.state == State.OPEN


@rules.predicate
def consultation_is_draft(user, consultation) -> bool:
    return consultation is not None and consultation.stage == Stage.DRAFT


@rules.predicate
def consultation_has_opened(user, consultation) -> bool:
    """Scheduled and past its opening time (open or closed): what schools may see."""
    return consultation is not None and consultation.state in (State.OPEN, State.CLOSED)


@rules.predicate
def consultation_is_closed(user, consultation) -> bool:
    return consultation is not None and consultation.state == State.CLOSED


@rules.predicate
def feedback_is_published(user, consultation) -> bool:
    return consultation is not None and consultation.feedback_published_at is not None


# Drafts are the officers' alone; board members see scheduled ones; the audience (schools,
# trusts) sees a consultation from when it opens.
sees_all_published = is_staff_officer | (is_board_member & ~consultation_is_draft)
can_view = sees_all_published | (is_in_audience & consultation_has_opened)

rules.add_perm("consultation.view_consultation_list", is_signed_in)
rules.add_perm("consultation.view_consultation", can_view)
rules.add_perm("consultation.view_attachment", can_view)
rules.add_perm("consultation.manage_consultation", is_staff_officer)
# See the consultation as a head would, before it opens (or at any time).
rules.add_perm("consultation.preview_consultation", is_staff_officer)
rules.add_perm("consultation.schedule_consultation", is_staff_officer & consultation_is_draft)
rules.add_perm(
    "consultation.unschedule_consultation",
    is_staff_officer & ~consultation_is_draft & ~consultation_has_opened,
)
# The school's own response: readable once open (and after), changeable only while open.
rules.add_perm(
    "consultation.view_own_response", is_school_staff & is_in_audience & consultation_has_opened
)
rules.add_perm("consultation.respond", is_school_staff & is_in_audience & consultation_is_open)
rules.add_perm("consultation.view_analysis", sees_all_published)
rules.add_perm("consultation.export_responses", sees_all_published)
rules.add_perm("consultation.annotate_answers", is_staff_officer)
rules.add_perm("consultation.record_candidates", is_staff_officer)
rules.add_perm("consultation.publish_feedback", is_staff_officer & consultation_is_closed)
rules.add_perm(
    "consultation.view_feedback",
    is_staff_officer | (can_view & feedback_is_published),
)

for model in (
    "consultation",
    "attachment",
    "question",
    "response",
    "answer",
    "tag",
    "answernote",
    "candidate",
):
    add_admin_perms("consultation", model, view=is_staff_officer, change=is_staff_officer)
