"""Pages for boards and meetings, support deployments, categorisation and letters of concern.

Every page needs sign-in (middleware) and a named permission; object pages check the
permission against the object. Views validate input, call one service or selector, render.
The board dashboards live elsewhere in this app (views_dashboards / dashboards/).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pep_portal.accounts.permissions import permission_required
from schools.models import School

from . import selectors, services
from .calculations.academic_year import academic_year_label, academic_year_of
from .forms import (
    ActionForm,
    ActionUpdateForm,
    AgendaItemForm,
    AttendanceForm,
    CategorisationForm,
    CategorisationReviewForm,
    DecisionForm,
    DeploymentCloseForm,
    DeploymentForm,
    LetterForm,
    LetterResponseForm,
    LetterSentForm,
    MeetingForm,
    MembershipForm,
    MembershipReviewForm,
    MinutesAgreeForm,
    MinutesForm,
    PaperForm,
    PapersPublishForm,
)
from .ical import meetings_ical
from .models import (
    Action,
    Board,
    BoardPack,
    Concern,
    Deployment,
    Focus,
    Meeting,
    Paper,
    Person,
)


def _board(request, slug):
    return get_object_or_404(Board, slug=slug)


def _meeting(request, pk):
    return get_object_or_404(Meeting.objects.select_related("board"), pk=pk)


def _error_messages(exc: ValidationError) -> list[str]:
    return exc.messages


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _form_ctx(form, title, board=None, meeting=None, multipart=False, intro=""):
    back = (
        reverse("partnership:meeting_detail", args=[meeting.pk])
        if meeting
        else reverse("partnership:board_detail", args=[board.slug])
        if board
        else None
    )
    return {
        "form": form,
        "title": title,
        "back": back,
        "multipart": multipart,
        "intro": intro,
    }


def _form_page(
    request,
    form,
    *,
    save: Callable[[dict], Any],
    success: Callable[[Any], HttpResponse],
    title: str,
    message: str | Callable[[Any], str] = "",
    back: str | None = None,
    error_field: str | None = None,
    **ctx,
) -> HttpResponse:
    """Shared form page: on a valid POST call ``save(cleaned_data)``, return ``success(result)``.

    ``message`` (text, or made from the result) is flashed on success. A ValidationError from
    ``save`` goes onto the form (all onto ``error_field`` if given) and the page is shown again.
    ``back`` overrides the Cancel link; ``ctx`` goes to ``_form_ctx`` (board, meeting, ...).
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            if error_field:
                for error in exc.messages:
                    form.add_error(error_field, error)
            else:
                _form_error(form, exc)
        else:
            if message:
                messages.success(request, message(result) if callable(message) else message)
            return success(result)
    context = _form_ctx(form, title, **ctx)
    if back is not None:
        context["back"] = back
    return render(request, "partnership/form_page.html", context)


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
            represents=data["represents"],
            position=data["position"],
            voting=data["voting"],
            start_date=data["start_date"],
        )
        return person

    return _form_page(
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
            reviewed_on=data["reviewed_on"],
            continuing={m.pk for m in data["continuing"]},
            meeting=data["meeting"],
            notes=data["notes"],
            recorded_by=request.user,
        )
        return year

    return _form_page(
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
    return _form_page(
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
            "interests": selectors.board_interests(board=meeting.board, on=meeting.meeting_date),
            "can_manage": can_manage,
            "agree_form": (
                MinutesAgreeForm(candidates=selectors.minutes_agreement_candidates(meeting=meeting))
                if can_manage
                else None
            ),
            "publish_form": PapersPublishForm() if can_manage else None,
        },
    )


@permission_required("partnership.manage_meeting", fn=_meeting)
def agenda_item_add(request, pk):
    meeting = _meeting(request, pk)
    return _form_page(
        request,
        AgendaItemForm(request.POST or None),
        save=lambda data: services.agenda_item_add(meeting=meeting, **data),
        success=lambda item: redirect("partnership:meeting_detail", pk=meeting.pk),
        title=f"Add an agenda item: {meeting}",
        meeting=meeting,
    )


@permission_required("partnership.manage_meeting", fn=_meeting)
def paper_upload(request, pk):
    meeting = _meeting(request, pk)
    return _form_page(
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
    paper = _paper(request, pk)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404("The paper's file is missing.")
    response = FileResponse(
        handle, as_attachment=True, filename=paper.original_name, content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


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


@permission_required("partnership.manage_meeting", fn=_meeting)
def attendance(request, pk):
    meeting = _meeting(request, pk)
    rows = selectors.meeting_attendance(meeting=meeting)
    form = AttendanceForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=meeting, statuses=form.statuses())
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            quorum = selectors.meeting_quorum(meeting=meeting)
            messages.success(
                request,
                "Attendance recorded: quorate."
                if quorum.met
                else f"Attendance recorded: NOT quorate ({quorum.present} of "
                f"{quorum.required} needed).",
            )
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
    return _form_page(
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
    return _form_page(
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
    return _form_page(
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
    return _form_page(
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
    response = FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=f"board-pack-{pack.meeting.board.slug}-{pack.meeting.meeting_date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


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


# --- School-to-school support ---------------------------------------------------------------


@permission_required("partnership.view_deployment_list")
def deployment_list(request):
    deployments = selectors.deployment_list(user=request.user)
    status = request.GET.get("status", "")
    if status in Deployment.Status.values:
        deployments = deployments.filter(status=status)
    return render(
        request,
        "partnership/deployment_list.html",
        {
            "deployments": deployments[:500],
            "statuses": Deployment.Status.choices,
            "status": status,
            "can_manage": request.user.has_perm("partnership.manage_deployments"),
            "can_see_figures": request.user.has_perm("partnership.view_support_figures"),
        },
    )


@permission_required("partnership.manage_deployments")
def deployment_create(request):
    def save(data):
        leader = data["leader"] or services.system_leader_create(
            name=data["new_leader_name"],
            designation=data["new_leader_designation"],
            home_school=data["new_leader_home_school"],
        )
        return services.deployment_create(
            leader=leader,
            supported_school=data["supported_school"],
            focus=data["focus"],
            focus_detail=data["focus_detail"],
            commissioned_by=data["commissioned_by"],
            days=data["days"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            status=data["status"],
            created_by=request.user,
        )

    return _form_page(
        request,
        DeploymentForm(request.POST or None),
        save=save,
        success=lambda deployment: redirect("partnership:deployment_detail", pk=deployment.pk),
        message="Deployment recorded.",
        title="Record a deployment",
        back=reverse("partnership:deployment_list"),
    )


def _deployment(request, pk):
    return get_object_or_404(
        Deployment.objects.select_related(
            "leader", "home_school", "home_trust", "supported_school"
        ),
        pk=pk,
    )


@permission_required("partnership.view_deployment", fn=_deployment)
def deployment_detail(request, pk):
    deployment = _deployment(request, pk)
    can_manage = request.user.has_perm("partnership.manage_deployments")
    form = None
    if can_manage and deployment.status != Deployment.Status.CLOSED:
        form = DeploymentCloseForm(request.POST or None, initial={"days": deployment.days})
        if request.method == "POST" and form.is_valid():
            try:
                services.deployment_close(deployment=deployment, **form.cleaned_data)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "Deployment closed with its impact note.")
                return redirect("partnership:deployment_detail", pk=deployment.pk)
    elif request.method == "POST":
        return HttpResponse(status=405)
    return render(
        request,
        "partnership/deployment_detail.html",
        {"deployment": deployment, "form": form, "can_manage": can_manage},
    )


@permission_required("partnership.view_support_figures")
def support_figures(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = selectors.current_academic_year()
    figures = selectors.support_figures_for_year(year=year)
    focus_names = dict(Focus.choices)
    concern_names = dict(Concern.choices)
    return render(
        request,
        "partnership/support_figures.html",
        {
            "year": year,
            "year_label": academic_year_label(year),
            "previous_year": year - 1,
            "next_year": year + 1,
            "figures": figures,
            "days_by_focus": [(focus_names.get(k, k), v) for k, v in figures.days_by_focus.items()],
            "by_category": [(concern_names[c.category], c) for c in figures.by_category],
            "gap_schools": School.objects.filter(pk__in=figures.concern_without_support).order_by(
                "name"
            ),
        },
    )


# --- Categorisation -------------------------------------------------------------------------


@permission_required("partnership.view_categorisation_list")
def categorisation_list(request):
    schools = list(selectors.categorisation_school_list(user=request.user).order_by("name"))
    latest = selectors.latest_categorisations(school_ids=[s.pk for s in schools])
    rows = [
        {
            "school": s,
            "decision": latest.get(s.pk),
            "suggestion": selectors.concern_suggestion(school=s),
        }
        for s in schools
    ]
    category = request.GET.get("category", "")
    if category in Concern.values:
        rows = [r for r in rows if r["decision"] and r["decision"].category == category]
    return render(
        request,
        "partnership/categorisation_list.html",
        {
            "rows": rows,
            "category": category,
            "categories": Concern.choices,
            "reviews": selectors.categorisation_review_list()[:10],
            "can_record": request.user.has_perm("partnership.record_categorisation"),
            "any_suggestion": any(r["suggestion"] for r in rows),
        },
    )


def _school(request, pk):
    return get_object_or_404(School, pk=pk)


@permission_required("partnership.view_school_categorisation", fn=_school)
def categorisation_school(request, pk):
    school = _school(request, pk)
    can_record = request.user.has_perm("partnership.record_categorisation")
    form = None
    if can_record:
        form = CategorisationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.categorisation_record(
                    school=school, recorded_by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "Decision recorded.")
                return redirect("partnership:categorisation_school", pk=school.pk)
    elif request.method == "POST":
        return HttpResponse(status=405)
    return render(
        request,
        "partnership/categorisation_school.html",
        {
            "school": school,
            "history": selectors.categorisation_history(school=school),
            "suggestion": selectors.concern_suggestion(school=school),
            "form": form,
            "deployments": selectors.deployment_list(user=request.user).filter(
                supported_school=school
            ),
        },
    )


@permission_required("partnership.record_categorisation")
def categorisation_review_create(request):
    return _form_page(
        request,
        CategorisationReviewForm(request.POST or None),
        save=lambda data: services.categorisation_review_create(**data),
        success=lambda review: redirect("partnership:categorisation_list"),
        message=lambda review: f"Review “{review}” created: record decisions per school.",
        title="New categorisation review",
        back=reverse("partnership:categorisation_list"),
    )


# --- Letters of concern ---------------------------------------------------------------------


@permission_required("partnership.manage_letters")
def letter_list(request):
    today = timezone.localdate()
    letters = [
        (letter, letter.status_on(today)) for letter in selectors.letter_list(user=request.user)
    ]
    return render(request, "partnership/letter_list.html", {"letters": letters})


@permission_required("partnership.manage_letters")
def letter_create(request):
    return _form_page(
        request,
        LetterForm(request.POST or None),
        save=lambda data: services.letter_generate(created_by=request.user, **data),
        success=lambda letter: redirect("partnership:letter_detail", pk=letter.pk),
        title="Generate a letter of concern",
        back=reverse("partnership:letter_list"),
    )


@permission_required("partnership.manage_letters")
def letter_detail(request, pk):
    letter = get_object_or_404(selectors.letter_list(user=request.user), pk=pk)
    sent_form = LetterSentForm(prefix="sent")
    response_form = LetterResponseForm(prefix="response")
    if request.method == "POST":
        try:
            if "sent-sent_on" in request.POST:
                sent_form = LetterSentForm(request.POST, prefix="sent")
                if sent_form.is_valid():
                    services.letter_mark_sent(letter=letter, **sent_form.cleaned_data)
                    messages.success(request, "Recorded as sent.")
                    return redirect("partnership:letter_detail", pk=letter.pk)
            else:
                response_form = LetterResponseForm(request.POST, prefix="response")
                if response_form.is_valid():
                    services.letter_record_response(letter=letter, **response_form.cleaned_data)
                    messages.success(request, "Response recorded.")
                    return redirect("partnership:letter_detail", pk=letter.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return render(
        request,
        "partnership/letter_detail.html",
        {
            "letter": letter,
            "status": letter.status_on(timezone.localdate()),
            "sent_form": sent_form,
            "response_form": response_form,
        },
    )
