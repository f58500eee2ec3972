"""Writes for boards, members, meetings, papers, minutes, actions, board packs,
calendar links and meeting reminders.

Each service is ``<thing>_<verb>(*, ...)``, atomic, and validates with full_clean() before
saving. A refused write raises ValidationError with a message a user can act on.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pep_portal.platform.audit import audit_secret_rotated
from pep_portal.platform.notifications import NotificationKey, send_once
from pep_portal.platform.private_files import private_file_save
from pep_portal.platform.site import absolute_url
from pep_portal.platform.uploads import DOCUMENTS, check_upload
from pep_portal.platform.validated import save_validated

from ..calculations.academic_year import academic_year_bounds, academic_year_label
from . import selectors
from .models import (
    REMINDER_TOPIC,
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
    new_calendar_token,
)

if TYPE_CHECKING:
    from pep_portal.accounts.models import User


# --- Partnership, boards, people ---------------------------------------------------------------


@transaction.atomic
def partnership_create(
    *, name: str, vision: str = "", principles: str = "", priorities: str = ""
) -> Partnership:
    return save_validated(
        Partnership(name=name, vision=vision, principles=principles, priorities=priorities)
    )


@transaction.atomic
def board_create(
    *, partnership: Partnership, name: str, slug: str, kind: str, **fields: Any
) -> Board:
    return save_validated(Board(partnership=partnership, name=name, slug=slug, kind=kind, **fields))


@transaction.atomic
def person_create(
    *, name: str, organisation: str = "", email: str = "", user: User | None = None
) -> Person:
    return save_validated(Person(name=name, organisation=organisation, email=email, user=user))


@transaction.atomic
def membership_create(
    *,
    board: Board,
    person: Person,
    represents: str,
    start_date: dt.date,
    position: str = Membership.Position.MEMBER,
    voting: bool = True,
    end_date: dt.date | None = None,
) -> Membership:
    if position == Membership.Position.CHAIR:
        clash = (
            board.memberships.filter(position=Membership.Position.CHAIR)
            .exclude(end_date__lt=start_date)
            .exclude(person=person)
        )
        if end_date is not None:
            clash = clash.filter(start_date__lte=end_date)
        if clash.exists():
            raise ValidationError(
                {"position": f"{board} already has a chair then: end that membership first."}
            )
    return save_validated(
        Membership(
            board=board,
            person=person,
            represents=represents,
            start_date=start_date,
            position=position,
            voting=voting,
            end_date=end_date,
        )
    )


@transaction.atomic
def membership_end(*, membership: Membership, end_date: dt.date) -> Membership:
    membership.end_date = end_date
    return save_validated(membership)


@transaction.atomic
def membership_review_record(
    *,
    board: Board,
    academic_year: int,
    reviewed_on: dt.date,
    continuing: set[int],
    recorded_by: User | None = None,
    meeting: Meeting | None = None,
    notes: str = "",
) -> MembershipReview:
    """Agree the board's membership for a year: the listed memberships continue; the others
    end the day before the review. A year's review is recorded once."""
    start, end = academic_year_bounds(academic_year)
    if not (start <= reviewed_on <= end):
        raise ValidationError(
            {
                "reviewed_on": f"A review of {academic_year_label(academic_year)} is held "
                f"between {start:%d %b %Y} and {end:%d %b %Y}."
            }
        )
    if board.reviews.filter(academic_year=academic_year).exists():
        raise ValidationError(
            f"{board}'s membership for {academic_year_label(academic_year)} is already agreed."
        )
    if meeting is not None and meeting.board_id != board.pk:
        raise ValidationError({"meeting": "Choose a meeting of this board."})
    current = selectors.board_members(board=board, on=reviewed_on)
    unknown = set(continuing) - {m.pk for m in current}
    if unknown:
        raise ValidationError("Only current members can be listed as continuing.")
    review = save_validated(
        MembershipReview(
            board=board,
            academic_year=academic_year,
            reviewed_on=reviewed_on,
            meeting=meeting,
            notes=notes,
            recorded_by=recorded_by,
        )
    )
    for membership in current:
        continues = membership.pk in continuing
        save_validated(
            MembershipReviewEntry(review=review, membership=membership, continues=continues)
        )
        if not continues:
            membership.end_date = max(membership.start_date, reviewed_on - dt.timedelta(days=1))
            save_validated(membership)
    return review


@transaction.atomic
def interest_declare(
    *,
    person: Person,
    kind: str,
    organisation: str,
    declared_on: dt.date,
    description: str = "",
) -> Interest:
    return save_validated(
        Interest(
            person=person,
            kind=kind,
            organisation=organisation,
            declared_on=declared_on,
            description=description,
        )
    )


# --- Meetings ----------------------------------------------------------------------------------


def _standard_items(meeting: Meeting) -> list[AgendaItem]:
    items = [
        AgendaItem(meeting=meeting, kind=AgendaItem.Kind.APOLOGIES, title="Apologies"),
        AgendaItem(
            meeting=meeting, kind=AgendaItem.Kind.DECLARATIONS, title="Declarations of interest"
        ),
    ]
    pending = list(selectors.minutes_agreement_candidates(meeting=meeting))
    previous = selectors.previous_meeting(meeting=meeting)
    if (
        previous is not None
        and meeting.board.minutes_board == meeting.board
        and previous not in pending
        and previous.minutes_status != Meeting.MinutesStatus.AGREED
    ):
        pending.append(previous)
    pending.sort(key=lambda m: m.starts_at)
    for earlier in pending:
        own = earlier.board_id == meeting.board_id
        title = (
            f"Minutes of the last meeting ({earlier.meeting_date:%d %B %Y})"
            if own and earlier == previous
            else f"Minutes of the {earlier.board.name} meeting of {earlier.meeting_date:%d %B %Y}"
        )
        items.append(
            AgendaItem(
                meeting=meeting, kind=AgendaItem.Kind.MINUTES, title=title, minutes_of=earlier
            )
        )
    items.append(AgendaItem(meeting=meeting, kind=AgendaItem.Kind.ACTION_LOG, title="Action log"))
    return items


@transaction.atomic
def meeting_create(
    *,
    board: Board,
    starts_at: dt.datetime,
    location: str,
    ends_at: dt.datetime | None = None,
) -> Meeting:
    """Schedule a meeting with its standard agenda: apologies, declarations of interest,
    minutes to agree (the last meeting's, and any group's this board agrees), action log."""
    if board.meetings.filter(starts_at=starts_at).exists():
        raise ValidationError({"starts_at": f"{board} already meets at that time."})
    meeting = save_validated(
        Meeting(board=board, starts_at=starts_at, location=location, ends_at=ends_at)
    )
    for number, item in enumerate(_standard_items(meeting), start=1):
        item.number = number
        save_validated(item)
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    description: str = "",
    presenter: str = "",
    kind: str = AgendaItem.Kind.BUSINESS,
) -> AgendaItem:
    if kind in AgendaItem.STANDARD_KINDS:
        raise ValidationError({"kind": "Standard items are added when the meeting is created."})
    last = meeting.agenda_items.order_by("-number").first()
    return save_validated(
        AgendaItem(
            meeting=meeting,
            number=(last.number + 1) if last else 1,
            kind=kind,
            title=title,
            description=description,
            presenter=presenter,
        )
    )


@transaction.atomic
def paper_add(
    *,
    agenda_item: AgendaItem,
    title: str,
    uploaded_file: UploadedFile,
    uploaded_by: User | None = None,
) -> Paper:
    """Attach a paper, checked by size, content and name (pep_portal.platform.uploads) before storing."""
    limit = int(getattr(settings, "PARTNERSHIP_PAPER_MAX_BYTES", 20 * 1024 * 1024))
    checked = check_upload(uploaded_file, max_bytes=limit, accept=DOCUMENTS)
    paper = Paper(agenda_item=agenda_item, title=title or checked.name)
    return private_file_save(paper, checked, uploaded_by=uploaded_by)


@transaction.atomic
def papers_publish(
    *, meeting: Meeting, published_at: dt.datetime | None = None, late_reason: str = ""
) -> Meeting:
    """Send out the agenda and papers. Late papers are allowed but recorded as late."""
    meeting.papers_published_at = published_at or timezone.now()
    meeting.papers_late_reason = late_reason.strip()
    return save_validated(meeting)


@transaction.atomic
def attendance_record(*, meeting: Meeting, statuses: dict[int, str]) -> list[Attendance]:
    members = {
        m.pk: m for m in selectors.board_members(board=meeting.board, on=meeting.meeting_date)
    }
    unknown = set(statuses) - set(members)
    if unknown:
        raise ValidationError("Attendance can only be recorded for members on the meeting's date.")
    saved = []
    for membership_id, status in statuses.items():
        if not status:
            Attendance.objects.filter(meeting=meeting, membership_id=membership_id).delete()
            continue
        row = Attendance.objects.filter(meeting=meeting, membership_id=membership_id).first()
        row = row or Attendance(meeting=meeting, membership=members[membership_id])
        row.status = status
        saved.append(save_validated(row))
    if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at <= timezone.now():
        meeting.status = Meeting.Status.HELD
        save_validated(meeting)
    return saved


@transaction.atomic
def minutes_draft(*, meeting: Meeting, text: str, now: dt.datetime | None = None) -> Meeting:
    now = now or timezone.now()
    if meeting.starts_at > now:
        raise ValidationError("Minutes can only be drafted once the meeting has taken place.")
    if meeting.minutes_status == Meeting.MinutesStatus.AGREED:
        raise ValidationError("These minutes were agreed and can no longer be changed.")
    if not text.strip():
        raise ValidationError({"minutes": "Write the minutes."})
    meeting.minutes = text.strip()
    meeting.minutes_status = Meeting.MinutesStatus.DRAFT
    meeting.minutes_drafted_at = now
    if meeting.status == Meeting.Status.SCHEDULED:
        meeting.status = Meeting.Status.HELD
    return save_validated(meeting)


@transaction.atomic
def minutes_agree(*, meeting: Meeting, at_meeting: Meeting) -> AgendaItem:
    """Record that ``at_meeting`` agreed ``meeting``'s minutes, as an item on its agenda.

    Refused unless the minutes are drafted and not yet agreed, ``at_meeting`` is LATER than
    the meeting, and it is a meeting of the board that agrees these minutes.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status == Meeting.MinutesStatus.AGREED:
        raise ValidationError(f"The minutes of {meeting} were already agreed.")
    if meeting.minutes_status != Meeting.MinutesStatus.DRAFT:
        raise ValidationError(f"The minutes of {meeting} have not been drafted yet.")
    if at_meeting.starts_at <= meeting.starts_at:
        raise ValidationError(
            f"Minutes are agreed at a later meeting: {at_meeting} is not after {meeting}."
        )
    approving_board = meeting.board.minutes_board
    if at_meeting.board_id != approving_board.pk:
        raise ValidationError(f"The minutes of {meeting.board} are agreed by {approving_board}.")
    if at_meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(f"{at_meeting} was cancelled.")
    item = at_meeting.agenda_items.filter(minutes_of=meeting).first()
    if item is None:
        last = at_meeting.agenda_items.order_by("-number").first()
        item = save_validated(
            AgendaItem(
                meeting=at_meeting,
                number=(last.number + 1) if last else 1,
                kind=AgendaItem.Kind.MINUTES,
                title=f"Minutes of the {meeting.board.name} meeting of "
                f"{meeting.meeting_date:%d %B %Y}",
                minutes_of=meeting,
            )
        )
    meeting.minutes_status = Meeting.MinutesStatus.AGREED
    meeting.minutes_agreed_at = at_meeting
    save_validated(meeting)
    save_validated(
        Decision(
            meeting=at_meeting,
            agenda_item=item,
            text=f"The minutes of the {meeting.board.name} meeting of "
            f"{meeting.meeting_date:%d %B %Y} were agreed as a true record.",
        )
    )
    return item


@transaction.atomic
def decision_record(
    *, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None
) -> Decision:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Choose an item on this meeting's agenda."})
    return save_validated(Decision(meeting=meeting, agenda_item=agenda_item, text=text.strip()))


@transaction.atomic
def action_create(
    *,
    meeting: Meeting,
    description: str,
    due_date: dt.date,
    owner: Person | None = None,
    owner_name: str = "",
    agenda_item: AgendaItem | None = None,
) -> Action:
    if owner is None and not owner_name.strip():
        raise ValidationError({"owner": "Every action needs an owner."})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Choose an item on this meeting's agenda."})
    return save_validated(
        Action(
            board=meeting.board,
            raised_at=meeting,
            agenda_item=agenda_item,
            description=description.strip(),
            owner=owner,
            owner_name=owner_name.strip(),
            due_date=due_date,
        )
    )


@transaction.atomic
def action_update(
    *,
    action: Action,
    status: str,
    progress_note: str = "",
    at_meeting: Meeting | None = None,
    closed_on: dt.date | None = None,
) -> Action:
    if at_meeting is not None and at_meeting.board_id != action.board_id:
        raise ValidationError({"at_meeting": "Choose a meeting of the board that set the action."})
    action.status = status
    if progress_note.strip():
        action.progress_note = progress_note.strip()
    if status == Action.Status.OPEN:
        action.closed_at = None
        action.closed_on = None
    else:
        action.closed_at = at_meeting
        action.closed_on = closed_on or (
            at_meeting.meeting_date if at_meeting else timezone.localdate()
        )
    return save_validated(action)


# --- Board pack ----------------------------------------------------------------------------------


@transaction.atomic
def board_pack_request(*, meeting: Meeting, requested_by: User | None = None) -> BoardPack:
    """Queue the board pack's generation; the Celery task runs after the commit."""
    from ..tasks import board_pack_generate_task

    pack = save_validated(BoardPack(meeting=meeting, requested_by=requested_by))
    transaction.on_commit(lambda: board_pack_generate_task.delay(pack.pk))
    return pack


def board_pack_generate(*, pack_id: int) -> BoardPack:
    """Build the PDF for a queued pack. A failure is recorded on the pack, then re-raised."""
    from .board_pack import board_pack_content, bundle_board_pack, render_board_pack_pdf

    pack = BoardPack.objects.select_related("meeting", "meeting__board", "requested_by").get(
        pk=pack_id
    )
    try:
        content = board_pack_content(meeting=pack.meeting, user=pack.requested_by)
        cover, _ = render_board_pack_pdf(content)
        pdf_bytes, pages = bundle_board_pack(
            cover, content.papers, storage=Paper._meta.get_field("file").storage
        )
    except Exception as exc:
        BoardPack.objects.filter(pk=pack.pk).update(
            status=BoardPack.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        filename = f"board-pack-{pack.meeting.board.slug}-{pack.meeting.meeting_date:%Y-%m-%d}.pdf"
        pack.file.save(filename, ContentFile(pdf_bytes), save=False)
        pack.pages = pages
        pack.status = BoardPack.Status.READY
        pack.generated_at = timezone.now()
        pack.error = ""
        pack.full_clean()
        pack.save()
    return pack


# --- Calendar and reminders ----------------------------------------------------------------------


@transaction.atomic
def calendar_token_get_or_create(*, user: User) -> CalendarToken:
    token, _ = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def calendar_token_reset(*, user: User) -> CalendarToken:
    token, _ = CalendarToken.objects.get_or_create(user=user)
    token.token = new_calendar_token()
    token = save_validated(token)
    audit_secret_rotated(token, field="token", actor=user)
    return token


REMINDER_WINDOWS = {
    # kind: (send when the meeting is at most this far ahead, and at least this far ahead)
    ReminderKind.PAPERS: (dt.timedelta(days=7), dt.timedelta(days=1)),
    ReminderKind.MEETING: (dt.timedelta(days=1), dt.timedelta(0)),
}


def _reminder_text(kind: str, meeting: Meeting, person: Person) -> tuple[str, str]:
    when = timezone.localtime(meeting.starts_at)
    url = absolute_url(reverse("partnership:meeting_detail", args=[meeting.pk]))
    if kind == ReminderKind.PAPERS:
        subject = f"Papers for {meeting.board.name}, {when:%A %d %B %Y}"
        lead = (
            "The agenda and papers for the meeting are on the portal."
            if meeting.papers_published_at
            else "The agenda and papers are due to be sent out now, a week before the meeting."
        )
    else:
        subject = f"Reminder: {meeting.board.name} meets tomorrow, {when:%H:%M}"
        lead = "This is a reminder that the meeting is tomorrow."
    body = (
        f"Dear {person.name},\n\n{lead}\n\n{meeting.board.name}\n"
        f"{when:%A %d %B %Y, %H:%M}\n{meeting.location}\n\n{url}\n"
    )
    return subject, body


def reminder_key(meeting: Meeting, person: Person, kind: str) -> NotificationKey:
    """The key a member's meeting reminder goes once under (the data migration that moved
    ReminderSent's rows into the platform log builds the same key)."""
    return NotificationKey(topic=REMINDER_TOPIC, kind=kind, subject=meeting, recipient=person)


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Email each member a papers reminder a week before and a meeting reminder a day before.

    Each (meeting, person, kind) is sent at most once (send_once: the log row is written
    first under a unique key, in the send's transaction), so a repeated or overlapping run
    never sends twice and a failed send is tried again on the next run.
    """
    now = now or timezone.now()
    sent = {ReminderKind.PAPERS: 0, ReminderKind.MEETING: 0}
    horizon = now + max(w[0] for w in REMINDER_WINDOWS.values())
    meetings = (
        Meeting.objects.filter(starts_at__gt=now, starts_at__lte=horizon)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("board")
    )
    for meeting in meetings:
        ahead = meeting.starts_at - now
        for kind, (at_most, at_least) in REMINDER_WINDOWS.items():
            if not (at_least < ahead <= at_most):
                continue
            for membership in selectors.board_members(board=meeting.board, on=meeting.meeting_date):
                person = membership.person
                email = person.contact_email
                if not email:
                    continue
                subject, body = _reminder_text(kind, meeting, person)
                sent[kind] += send_once(
                    keys=reminder_key(meeting, person, kind),
                    send=partial(send_mail, subject, body, None, [email]),
                    recipients=[email],
                )
    return {str(k): v for k, v in sent.items()}
