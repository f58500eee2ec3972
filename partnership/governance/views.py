"""Pages for boards, meetings, papers, board packs and the calendar.

Every page needs sign-in (middleware) and a named permission; object pages check the
permission against the object. Views validate input, call one service or selector, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pep_portal.accounts.permissions import permission_required
from pep_portal.platform.form_pages import fields, form_saved
from pep_portal.platform.private_files import private_file_response
from pep_portal.platform.uploads import upload_purpose

from ..calculations.academic_year import academic_year_label, academic_year_of
from ..form_pages import form_page
from . import selectors, services
from .forms import (
    ActionForm,
    ActionUpdateForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    MembershipForm,
    MembershipReviewForm,
    MinutesAgreeForm,
    MinutesForm,
    PaperForm,
    PapersPublishForm,
)
from .ical import meetings_ical
from .models import Action, Board, BoardPack, Meeting, Paper, Person


def _board(request, slug):
    return get_object_or_404(Board, slug=slug)


def _meeting(request, pk):
    return get_object_or_404(Meeting.objects.select_related("board"), pk=pk)


# --- Boards ---------------------------------------------------------------------------------


@permission_required("partnership.view_board_list")
def board_list(request):
    boards = selectors.board_list(user=request.user)
    partnership = boards[0].partnership if boards else None
    return render(
        request,
        "partnership/board_list.html",
        {
            "boards": boards,
            "partnership": partnership,
            "upcoming": selectors.upcoming_meetings(user=request.user)[:10],
        },
    )


@permission_required("partnership.view_board", fn=_board)
def board_detail(request, slug):
    board = _board(request, slug)
    today = timezone.localdate()
    members = selectors.board_members(board=board)
    meetings = selectors.meeting_list(user=request.user, board=board).order_by("-starts_at")
    return render(
        request,
        "partnership/board_detail.html",
        {
            "board": board,
            "members": members,
            "voting_count": sum(1 for m in members if m.voting),
            "interests": selectors.board_interests(board=board),
            "upcoming": [m for m in meetings if m.starts_at >= timezone.now()][::-1],
            "past": [m for m in meetings if m.starts_at < timezone.now()],
            "reviews": selectors.membership_review_list(board=board),
            "children": board.children.all(),
            "today": today,
            "can_manage": request.user.has_perm("partnership.manage_board"),
        },
    )


@permission_required("partnership.manage_board", fn=_board)
def membership_add(request, slug):
    board = _board(request, slug)

    def save(data):
        person = data["person"] or services.person_create(
            name=data["new_person_name"],
            organisation=data["new_person_organisation"],
            email=data["new_person_email"],
        )
        services.membership_create(
            board=board,
            person=person,
            **fields(data, "represents", "position", "voting", "start_date"),
        )
        return person

    return form_page(
        request,
        MembershipForm(request.POST or None),
        save=save,
        success=lambda person: redirect("partnership:board_detail", slug=board.slug),
        message=lambda person: f"{person} joined {board}.",
        title=f"Add a member to {board}",
        board=board,
    )


@permission_required("partnership.manage_board", fn=_board)
def membership_review(request, slug):
    board = _board(request, slug)
    members = selectors.board_members(board=board)

    def save(data):
        year = academic_year_of(data["reviewed_on"])
        services.membership_review_record(
            board=board,
            academic_year=year,
            continuing={m.pk for m in data["continuing"]},
            recorded_by=request.user,
            **fields(data, "reviewed_on", "meeting", "notes"),
        )
        return year

    return form_page(
        request,
        MembershipReviewForm(request.POST or None, members=members, board=board),
        save=save,
        success=lambda year: redirect("partnership:board_detail", slug=board.slug),
        message=lambda year: f"Membership for {academic_year_label(year)} agreed.",
        title=f"Annual membership review: {board}",
        board=board,
    )


# --- Meetings -------------------------------------------------------------------------------


@permission_required("partnership.manage_meeting", fn=_board)
def meeting_create(request, slug):
    board = _board(request, slug)
    return form_page(
        request,
        MeetingForm(request.POST or None),
        save=lambda data: services.meeting_create(board=board, **data),
        success=lambda meeting: redirect("partnership:meeting_detail", pk=meeting.pk),
        message="Meeting scheduled with its standard agenda items.",
        title=f"Schedule a {board} meeting",
        board=board,
    )


@permission_required("partnership.view_meeting", fn=_meeting)
def meeting_detail(request, pk):
    meeting = selectors.meeting_detail(meeting_id=pk)
    can_manage = request.user.has_perm("partnership.manage_meeting", meeting)
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "attendance": selectors.meeting_attendance(meeting=meeting),
            "quorum": selectors.meeting_quorum(meeting=meeting),
            "action_log": selectors.action_log(meeting=meeting),
            "actions_raised": selectors.actions_raised(meeting=meeting),
            "minutes_agreed_here": meeting.minutes_agreed_here.select_related("board"),
            "pack": selectors.latest_board_pack(meeting=meeting),
            "previous": selectors.previous_meeting(meeting=meeting),
            "can_view_plan": request.user.has_perm("actionplan.view_plan"),
            "interests": selectors.board_interests(board=meeting.board, on=meeting.meeting_date),
            "can_manage": can_manage,
            "agree_form": (
                MinutesAgreeForm(candidates=selectors.minutes_agreement_candidates(meeting=meeting))
                if can_manage
                else None
            ),
            "publish_form": PapersPublishForm() if can_manage else None,
            "reminders": selectors.meeting_reminder_list(meeting=meeting) if can_manage else None,
        },
    )


@permission_required("partnership.manage_meeting", fn=_meeting)
def agenda_item_add(request, pk):
    meeting = _meeting(request, pk)
    return form_page(
        request,
        AgendaItemForm(request.POST or None),
        save=lambda data: services.agenda_item_add(meeting=meeting, **data),
        success=lambda item: redirect("partnership:meeting_detail", pk=meeting.pk),
        title=f"Add an agenda item: {meeting}",
        meeting=meeting,
    )


@upload_purpose("paper")
@permission_required("partnership.manage_meeting", fn=_meeting)
def paper_upload(request, pk):
    meeting = _meeting(request, pk)
    return form_page(
        request,
        PaperForm(request.POST or None, request.FILES or None, meeting=meeting),
        save=lambda data: services.paper_add(
            agenda_item=data["agenda_item"],
            title=data["title"],
            uploaded_file=data["file"],
            uploaded_by=request.user,
        ),
        success=lambda paper: redirect("partnership:meeting_detail", pk=meeting.pk),
        message=lambda paper: f"Paper “{paper.title}” attached.",
        error_field="file",
        title=f"Attach a paper: {meeting}",
        meeting=meeting,
        multipart=True,
    )


def _paper(request, pk):
    return get_object_or_404(Paper.objects.select_related("agenda_item__meeting__board"), pk=pk)


@require_GET
@permission_required("partnership.view_paper", fn=_paper)
def paper_download(request, pk):
    return _paper(request, pk).download_response()


@require_POST
@permission_required("partnership.manage_meeting", fn=_meeting)
def papers_publish(request, pk):
    meeting = _meeting(request, pk)
    form = PapersPublishForm(request.POST)
    if form.is_valid():
        meeting = services.papers_publish(
            meeting=meeting, late_reason=form.cleaned_data["late_reason"]
        )
        if meeting.papers_late:
            messages.warning(
                request,
                f"Papers sent out late: they were due by {meeting.papers_due_on:%d %B %Y} "
                f"({meeting.board.papers_notice_days} days before the meeting). "
                "This is shown on the meeting's record.",
            )
        else:
            messages.success(request, "Agenda and papers sent out on time.")
    return redirect("partnership:meeting_detail", pk=meeting.pk)


def _attendance_message(meeting) -> str:
    quorum = selectors.meeting_quorum(meeting=meeting)
    if quorum.met:
        return "Attendance recorded: quorate."
    return f"Attendance recorded: NOT quorate ({quorum.present} of {quorum.required} needed)."


@permission_required("partnership.manage_meeting", fn=_meeting)
def attendance(request, pk):
    meeting = _meeting(request, pk)
    rows = selectors.meeting_attendance(meeting=meeting)
    form = AttendanceForm(request.POST or None, rows=rows)
    if form_saved(
        request,
        form,
        lambda data: services.attendance_record(meeting=meeting, statuses=form.statuses()),
        message=lambda _: _attendance_message(meeting),
    ):
        return redirect("partnership:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "partnership/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "quorum": selectors.meeting_quorum(meeting=meeting),
            "board": meeting.board,
        },
    )


@permission_required("partnership.manage_meeting", fn=_meeting)
def minutes_edit(request, pk):
    meeting = _meeting(request, pk)
    return form_page(
        request,
        MinutesForm(request.POST or None, initial={"minutes": meeting.minutes}),
        save=lambda data: services.minutes_draft(meeting=meeting, text=data["minutes"]),
        success=lambda _: redirect("partnership:meeting_detail", pk=meeting.pk),
        message="Draft minutes saved.",
        title=f"Draft minutes: {meeting}",
        meeting=meeting,
        intro="Draft minutes are agreed at a later meeting, which records the agreement.",
    )


@require_POST
@permission_required("partnership.manage_meeting", fn=_meeting)
def minutes_agree(request, pk):
    at_meeting = _meeting(request, pk)
    form = MinutesAgreeForm(request.POST, candidates=Meeting.objects.all())
    if form.is_valid():
        try:
            services.minutes_agree(meeting=form.cleaned_data["minutes_of"], at_meeting=at_meeting)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Minutes agreed and recorded on this meeting's agenda.")
    else:
        messages.error(request, "Choose the meeting whose minutes are agreed.")
    return redirect("partnership:meeting_detail", pk=at_meeting.pk)


@permission_required("partnership.manage_meeting", fn=_meeting)
def decision_add(request, pk):
    meeting = _meeting(request, pk)
    return form_page(
        request,
        DecisionForm(request.POST or None, meeting=meeting),
        save=lambda data: services.decision_record(meeting=meeting, **data),
        success=lambda decision: redirect("partnership:meeting_detail", pk=meeting.pk),
        title=f"Record a decision: {meeting}",
        meeting=meeting,
    )


@permission_required("partnership.manage_meeting", fn=_meeting)
def action_add(request, pk):
    meeting = _meeting(request, pk)
    people = Person.objects.filter(memberships__board=meeting.board).distinct().order_by("name")
    return form_page(
        request,
        ActionForm(request.POST or None, meeting=meeting, people=people),
        save=lambda data: services.action_create(meeting=meeting, **data),
        success=lambda action: redirect("partnership:meeting_detail", pk=meeting.pk),
        title=f"Add an action: {meeting}",
        meeting=meeting,
    )


def _action_meeting(request, pk):
    return get_object_or_404(Action.objects.select_related("raised_at__board"), pk=pk).raised_at


@permission_required("partnership.manage_meeting", fn=_action_meeting)
def action_update(request, pk):
    action = get_object_or_404(Action.objects.select_related("board", "raised_at"), pk=pk)
    form = ActionUpdateForm(
        request.POST or None,
        board=action.board,
        initial={"status": action.status, "progress_note": action.progress_note},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.action_update(action=action, **data),
        success=lambda _: redirect("partnership:meeting_detail", pk=action.raised_at_id),
        title=f"Update action: {action}",
        meeting=action.raised_at,
    )


@require_POST
@permission_required("partnership.manage_meeting", fn=_meeting)
def board_pack_request(request, pk):
    meeting = _meeting(request, pk)
    services.board_pack_request(meeting=meeting, requested_by=request.user)
    messages.success(request, "The board pack is being generated; it appears here when ready.")
    return redirect("partnership:meeting_detail", pk=meeting.pk)


def _pack(request, pk):
    return get_object_or_404(BoardPack.objects.select_related("meeting__board"), pk=pk)


@require_GET
@permission_required("partnership.view_board_pack", fn=_pack)
def board_pack_download(request, pk):
    pack = _pack(request, pk)
    if pack.status != BoardPack.Status.READY or not pack.file:
        raise Http404("This board pack is not ready.")
    return private_file_response(
        pack.file,
        filename=f"board-pack-{pack.meeting.board.slug}-{pack.meeting.meeting_date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


# --- Calendar -------------------------------------------------------------------------------


@permission_required("partnership.view_calendar")
def my_meetings(request):
    if request.method == "POST":
        services.calendar_token_reset(user=request.user)
        messages.success(request, "New calendar link made; the old one no longer works.")
        return redirect("partnership:my_meetings")
    token = services.calendar_token_get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(reverse("partnership:calendar_feed", args=[token.token]))
    return render(
        request,
        "partnership/my_meetings.html",
        {"meetings": selectors.upcoming_meetings(user=request.user), "feed_url": feed_url},
    )


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token):
    """Calendar clients cannot sign in: the secret token in the URL stands for the user."""
    user = selectors.calendar_token_user(token=token)
    if user is None:
        raise Http404("Unknown calendar link.")
    body = meetings_ical(
        selectors.calendar_meetings(user=user), calendar_name="Partnership meetings"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="partnership-meetings.ics"'
    return response
