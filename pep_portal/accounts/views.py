"""Users: the list, invitations, and managing one account (resend, role, deactivate)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import objectgetter

from pep_portal.platform.form_pages import action_done, form_saved

from . import selectors, services
from .forms import InviteForm, RoleChangeForm
from .models import User
from .permissions import permission_required


@permission_required("pep_portal.view_users")
def user_list(request):
    rows = [
        {"account": u, "can_manage": request.user.has_perm("pep_portal.manage_user", u)}
        for u in selectors.user_list(user=request.user)
    ]
    return render(request, "pep_portal/user_list.html", {"rows": rows})


@permission_required("pep_portal.invite_user")
def user_invite(request):
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(invited_by=request.user, **form.cleaned_data)
        messages.success(request, f"Invitation sent to {user.email}.")
        return redirect("user_list")
    return render(request, "pep_portal/user_invite.html", {"form": form})


get_user = objectgetter(User, "pk")


@permission_required("pep_portal.manage_user", fn=get_user)
def user_detail(request, pk: int):
    """One account and what the viewer may do with it: resend, change role, deactivate."""
    account = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    if request.method == "POST" and not request.user.has_perm(
        "pep_portal.change_user_role", account
    ):
        raise PermissionDenied("You cannot change this account's role.")
    form = RoleChangeForm(
        request.POST or None,
        manager=request.user,
        initial={"role": account.role, "school": account.school, "trust": account.trust},
    )
    if form_saved(
        request,
        form,
        lambda data: services.user_role_change(user=account, by=request.user, **data),
        message=lambda _: f"{account.email} is now {account.get_role_display()}.",
    ):
        return redirect("user_detail", pk=account.pk)
    return render(
        request,
        "pep_portal/user_detail.html",
        {
            "account": account,
            "form": form,
            "invited": services.user_is_invited(account),
            "can_change_role": account != request.user
            and request.user.has_perm("pep_portal.change_user_role", account),
            "can_deactivate": account != request.user
            and request.user.has_perm("pep_portal.deactivate_user", account),
        },
    )


@require_POST
@permission_required("pep_portal.manage_user", fn=get_user)
def user_resend_invitation(request, pk: int):
    account = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    action_done(
        request,
        lambda: services.user_invitation_resend(user=account, by=request.user),
        message=f"A new invitation was sent to {account.email}.",
    )
    return redirect("user_detail", pk=account.pk)


@require_POST
@permission_required("pep_portal.deactivate_user", fn=get_user)
def user_set_active(request, pk: int):
    account = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    active = request.POST.get("active") == "1"
    services.user_active_set(user=account, by=request.user, active=active)
    messages.success(request, f"{account.email} is {'reactivated' if active else 'deactivated'}.")
    return redirect("user_detail", pk=account.pk)
