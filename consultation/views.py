"""Consultation pages. Each view checks a named permission, then calls one service/selector."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import objectgetter

from pep_portal.accounts.permissions import permission_required
from pep_portal.platform.form_pages import action_done, errors_onto_form, form_saved
from pep_portal.platform.params import query_int
from pep_portal.platform.uploads import upload_purpose

from . import exports, notifications, responding, selectors, services
from .forms import (
    AnnotateForm,
    AttachmentForm,
    ConsultationForm,
    FeedbackForm,
    QuestionForm,
    ResponseForm,
)
from .models import Answer, Attachment, Consultation, Question, Response, Stage, State

get_consultation = objectgetter(Consultation, "pk")


@permission_required("consultation.view_consultation_list")
def consultation_list(request):
    # The on-read check: a scheduled consultation that has opened invites its audience now
    # if Celery beat has not got there yet (each school is invited once).
    notifications.consultations_open_due()
    consultations = list(selectors.consultation_list(user=request.user))
    own = selectors.own_response_map(user=request.user, consultations=consultations)
    rows = [{"consultation": c, "response": own.get(c.pk)} for c in consultations]
    return render(
        request,
        "consultation/consultation_list.html",
        {
            "rows": rows,
            "can_manage": request.user.has_perm("consultation.manage_consultation"),
        },
    )


@permission_required("consultation.manage_consultation")
def consultation_create(request):
    form = ConsultationForm(request.POST or None, initial={"audience": "all"})
    if saved := form_saved(
        request,
        form,
        lambda data: services.consultation_create(created_by=request.user, **data),
        message="Draft consultation created: only officers can see it. Add its questions, "
        "preview it, then schedule it to open.",
    ):
        return redirect("consultation:questions", pk=saved.result.pk)
    return render(request, "consultation/consultation_form.html", {"form": form})


@permission_required("consultation.manage_consultation", fn=get_consultation)
def consultation_update(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    form = ConsultationForm(
        request.POST or None, initial=ConsultationForm.initial_for(consultation)
    )
    if form_saved(
        request,
        form,
        lambda data: services.consultation_update(consultation=consultation, **data),
        message="Consultation saved.",
    ):
        return redirect("consultation:detail", pk=consultation.pk)
    return render(
        request, "consultation/consultation_form.html", {"form": form, "consultation": consultation}
    )


@permission_required("consultation.view_consultation", fn=get_consultation)
def consultation_detail(request, pk: int):
    notifications.consultations_open_due()
    consultation = get_object_or_404(Consultation, pk=pk)
    user = request.user
    return render(
        request,
        "consultation/consultation_detail.html",
        {
            "consultation": consultation,
            "questions": selectors.question_list(consultation=consultation),
            "attachments": consultation.attachments.all(),
            "response": selectors.own_response(consultation=consultation, user=user),
            "audience_count": selectors.audience_school_list(consultation=consultation).count(),
            # The rules themselves, not the superuser's blanket pass: these links lead to
            # pages that refuse anyone without a school, or before the close.
            "can_respond_page": rules.has_perm(
                "consultation.view_own_response", user, consultation
            ),
            "can_respond": user.has_perm("consultation.respond", consultation),
            "can_manage": user.has_perm("consultation.manage_consultation", consultation),
            "can_analyse": user.has_perm("consultation.view_analysis", consultation),
            "can_see_feedback": user.has_perm("consultation.view_feedback", consultation),
            "can_publish": rules.has_perm("consultation.publish_feedback", user, consultation),
            "can_schedule": user.has_perm("consultation.schedule_consultation", consultation)
            and consultation.stage == Stage.DRAFT,
            "can_unschedule": user.has_perm("consultation.unschedule_consultation", consultation)
            and consultation.state == State.NOT_YET_OPEN,
            "reminder_count": selectors.reminder_count(consultation=consultation),
        },
    )


# --- The lifecycle (officers): preview, schedule, back to draft -----------------------------


@permission_required("consultation.preview_consultation", fn=get_consultation)
def consultation_preview(request, pk: int):
    """The consultation as a headteacher will see it, in any state; nothing can be sent."""
    consultation = get_object_or_404(Consultation, pk=pk)
    questions = list(selectors.question_list(consultation=consultation))
    return render(
        request,
        "consultation/preview.html",
        {
            "consultation": consultation,
            "form": ResponseForm(None, questions=questions, answers={}),
            "attachments": consultation.attachments.all(),
            "audience_count": selectors.audience_school_list(consultation=consultation).count(),
        },
    )


def _scheduled_message(consultation: Consultation) -> str:
    if consultation.state == State.OPEN:
        return "The consultation is open: the schools consulted are being invited."
    local = timezone.localtime(consultation.opens_at)
    return (
        f"Scheduled. It opens by itself at {local:%H:%M on %d %B %Y}, when the schools "
        "consulted are invited by email. Until then schools cannot see it."
    )


@require_POST
@permission_required("consultation.schedule_consultation", fn=get_consultation)
def consultation_schedule(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    if consultation.stage != Stage.DRAFT:
        # The named permission says so too; this also holds for superusers.
        raise PermissionDenied("Only a draft can be scheduled.")
    action_done(
        request,
        lambda: services.consultation_schedule(consultation=consultation, by=request.user),
        message=_scheduled_message,
    )
    return redirect("consultation:detail", pk=consultation.pk)


@require_POST
@permission_required("consultation.unschedule_consultation", fn=get_consultation)
def consultation_unschedule(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    if consultation.state != State.NOT_YET_OPEN:
        raise PermissionDenied("Only a scheduled consultation that has not opened goes back.")
    action_done(
        request,
        lambda: services.consultation_unschedule(consultation=consultation),
        message="Back to draft: only officers can see it.",
    )
    return redirect("consultation:detail", pk=consultation.pk)


# --- Questions and files (officers) ---------------------------------------------------------


def _question_page(request, consultation, form, save, *, message: str, template: str, **context):
    """A page with the question form. A valid post calls ``save`` with the question's fields
    (``QuestionForm.service_kwargs``) and goes back to the consultation's questions; otherwise
    the page shows the form (``locked``: schools have responded, so questions stay as they are)."""
    if form_saved(request, form, lambda data: save(**form.service_kwargs()), message=message):
        return redirect("consultation:questions", pk=consultation.pk)
    return render(
        request,
        template,
        {
            "consultation": consultation,
            "form": form,
            "locked": consultation.responses.exists(),
            **context,
        },
    )


@permission_required("consultation.manage_consultation", fn=get_consultation)
def question_manage(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    return _question_page(
        request,
        consultation,
        QuestionForm(request.POST or None),
        lambda **fields: services.question_create(consultation=consultation, **fields),
        message="Question added.",
        template="consultation/question_manage.html",
        questions=selectors.question_list(consultation=consultation),
        attachment_form=AttachmentForm(),
        attachments=consultation.attachments.all(),
    )


@permission_required("consultation.manage_consultation", fn=get_consultation)
def question_update(request, pk: int, question_pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    question = get_object_or_404(Question, pk=question_pk, consultation=consultation)
    return _question_page(
        request,
        consultation,
        QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question)),
        lambda **fields: services.question_update(question=question, **fields),
        message="Question saved.",
        template="consultation/question_form.html",
        question=question,
    )


@require_POST
@permission_required("consultation.manage_consultation", fn=get_consultation)
def question_delete(request, pk: int, question_pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    question = get_object_or_404(Question, pk=question_pk, consultation=consultation)
    action_done(
        request, lambda: services.question_delete(question=question), message="Question removed."
    )
    return redirect("consultation:questions", pk=consultation.pk)


@upload_purpose("consultation")
@require_POST
@permission_required("consultation.manage_consultation", fn=get_consultation)
def attachment_add(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        action_done(
            request,
            lambda: services.attachment_add(
                consultation=consultation,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                user=request.user,
            ),
            message=lambda attachment: f"{attachment.original_name} attached.",
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"File: {message}")
    return redirect("consultation:questions", pk=consultation.pk)


@require_POST
@permission_required("consultation.manage_consultation", fn=get_consultation)
def attachment_delete(request, pk: int, attachment_pk: int):
    attachment = get_object_or_404(Attachment, pk=attachment_pk, consultation_id=pk)
    services.attachment_delete(attachment=attachment)
    messages.success(request, f"{attachment.original_name} removed.")
    return redirect("consultation:questions", pk=pk)


@permission_required("consultation.view_attachment", fn=get_consultation)
def attachment_download(request, pk: int, attachment_pk: int):
    attachment = get_object_or_404(Attachment, pk=attachment_pk, consultation_id=pk)
    return attachment.download_response()


# --- Responding (heads and delegated colleagues) --------------------------------------------


@permission_required("consultation.view_own_response", fn=get_consultation)
def respond(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    if not request.user.school_id:
        # Superusers pass every permission, but only a school's staff have a response.
        raise PermissionDenied("Only a school's headteacher or colleagues respond.")
    questions = list(selectors.question_list(consultation=consultation))
    response = selectors.own_response(consultation=consultation, user=request.user)
    saved = {a.question_id: a for a in response.answers.all()} if response else {}
    can_edit = request.user.has_perm("consultation.respond", consultation)
    form = ResponseForm(request.POST or None, questions=questions, answers=saved)
    refused = False
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                # The service decides, by the server's clock, whatever the page showed.
                responding.response_save(
                    consultation=consultation,
                    user=request.user,
                    answers=form.answers(),
                    submit=submit,
                )
            except responding.ConsultationNotOpen as exc:
                refused = True
                can_edit = False
                form.add_error(None, exc.messages)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                if submit:
                    messages.success(
                        request,
                        "Your school's response has been submitted. A receipt with a copy of "
                        "your answers has been emailed to you. You can change it and resubmit "
                        f"until {timezone.localtime(consultation.closes_at):%H:%M on %d %B %Y}.",
                    )
                else:
                    messages.success(
                        request,
                        "Draft saved. You or a colleague can come back to it; it is not "
                        "submitted yet.",
                    )
                return redirect("consultation:respond", pk=consultation.pk)
    return render(
        request,
        "consultation/respond.html",
        {
            "consultation": consultation,
            "response": response,
            "form": form,
            "saved": saved,
            "rows": [{"question": q, "answer": saved.get(q.pk)} for q in questions],
            "can_edit": can_edit,
            "refused": refused,
        },
    )


# --- Analysis (officers and board members) --------------------------------------------------


@permission_required("consultation.view_analysis", fn=get_consultation)
def analysis(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    user = request.user
    tag = request.GET.get("tag", "").strip()
    question_id = query_int(request.GET, "question") or None
    text_answers = list(
        selectors.text_answer_list(
            consultation=consultation, user=user, tag=tag, question_id=question_id
        )
    )
    can_annotate = user.has_perm("consultation.annotate_answers", consultation)
    tallies = selectors.question_tallies(consultation=consultation, user=user)
    return render(
        request,
        "consultation/analysis.html",
        {
            "consultation": consultation,
            "rates": selectors.response_rates(consultation=consultation),
            "tallies": tallies,
            "chart_data": exports.chart_data(tallies),
            "text_answers": [
                {
                    "answer": a,
                    "form": AnnotateForm(
                        initial={"tags": ", ".join(t.name for t in a.tags.all())},
                        prefix=f"a{a.pk}",
                    )
                    if can_annotate
                    else None,
                }
                for a in text_answers
            ],
            "tags": selectors.tag_list(consultation=consultation),
            "tag": tag,
            "question_id": question_id,
            "text_questions": [
                q
                for q in selectors.question_list(consultation=consultation)
                if q.kind == Question.Kind.FREE_TEXT or q.allow_comment
            ],
            "interest": selectors.interest_list(consultation=consultation, user=user),
            "candidates": selectors.candidate_list(consultation=consultation),
            "responses": selectors.response_list(
                consultation=consultation, user=user, submitted_only=False
            ),
            "can_annotate": can_annotate,
            "can_record": user.has_perm("consultation.record_candidates", consultation),
        },
    )


@permission_required("consultation.view_analysis", fn=get_consultation)
def response_detail(request, pk: int, response_pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        response = selectors.response_get(
            consultation=consultation, user=request.user, pk=response_pk
        )
    except Response.DoesNotExist:
        raise Http404("No such response.")
    answers = {a.question_id: a for a in response.answers.all()}
    return render(
        request,
        "consultation/response_detail.html",
        {
            "consultation": consultation,
            "response": response,
            "rows": [
                {"question": q, "answer": answers.get(q.pk)}
                for q in selectors.question_list(consultation=consultation)
            ],
        },
    )


@require_POST
@permission_required("consultation.annotate_answers", fn=get_consultation)
def answer_annotate(request, pk: int, answer_pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    answer = get_object_or_404(
        Answer.objects.select_related("response__consultation"),
        pk=answer_pk,
        response__consultation=consultation,
    )
    form = AnnotateForm(request.POST, prefix=f"a{answer.pk}")
    if form.is_valid():

        def annotate() -> None:
            services.answer_tags_set(answer=answer, names=form.tag_names())
            if form.cleaned_data["note"].strip():
                services.answer_note_add(
                    answer=answer, text=form.cleaned_data["note"], author=request.user
                )

        action_done(
            request, annotate, message=f"Saved tags and notes for {answer.response.school.name}."
        )
    else:
        messages.error(request, "Tags: " + "; ".join(form.errors.get("tags", ["not valid"])))
    url = reverse("consultation:analysis", args=[consultation.pk])
    return redirect(f"{url}?{request.GET.urlencode()}#answer-{answer.pk}")


@require_POST
@permission_required("consultation.record_candidates", fn=get_consultation)
def candidates_record(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    question = get_object_or_404(
        Question, pk=request.POST.get("question"), consultation=consultation
    )
    board = request.POST.get("board", "")
    action_done(
        request,
        lambda: services.candidates_record(question=question, board_name=board, user=request.user),
        message=lambda made: (
            f"{made} school{'s' if made != 1 else ''} recorded as membership "
            f"candidates for {board}."
        ),
    )
    return redirect(reverse("consultation:analysis", args=[consultation.pk]) + "#interest")


@permission_required("consultation.export_responses", fn=get_consultation)
def export_csv(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    return exports.responses_csv(consultation=consultation, user=request.user)


@permission_required("consultation.export_responses", fn=get_consultation)
def export_xlsx(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    return exports.responses_xlsx(consultation=consultation, user=request.user)


@permission_required("consultation.view_analysis", fn=get_consultation)
def report(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    user = request.user
    return render(
        request,
        "consultation/report.html",
        {
            "consultation": consultation,
            "rates": selectors.response_rates(consultation=consultation),
            "tallies": selectors.question_tallies(consultation=consultation, user=user),
            "text_answers": selectors.text_answer_list(consultation=consultation, user=user),
            "interest": selectors.interest_list(consultation=consultation, user=user),
            "now": timezone.now(),
        },
    )


@permission_required("consultation.publish_feedback", fn=get_consultation)
def feedback_edit(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    if consultation.state != State.CLOSED:
        # The named permission says so too; this also holds for superusers.
        raise PermissionDenied("Feedback is published after the consultation closes.")
    form = FeedbackForm(request.POST or None, initial={"feedback": consultation.feedback_html})
    if form_saved(
        request,
        form,
        lambda data: services.feedback_publish(
            consultation=consultation, feedback=data["feedback"]
        ),
        message="The response (“we asked, you said, we did”) is published to the schools "
        "consulted; each is emailed a link.",
    ):
        return redirect("consultation:detail", pk=consultation.pk)
    return render(
        request, "consultation/feedback_form.html", {"consultation": consultation, "form": form}
    )
