"""Users and invitations."""

from django.contrib import messages
from django.shortcuts import redirect, render

from . import selectors, services
from .forms import InviteForm
from .permissions import permission_required


@permission_required("pep_portal.view_users")
def user_list(request):
    return render(
        request, "pep_portal/user_list.html", {"users": selectors.user_list(user=request.user)}
    )


@permission_required("pep_portal.invite_user")
def user_invite(request):
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(invited_by=request.user, **form.cleaned_data)
        messages.success(request, f"Invitation sent to {user.email}.")
        return redirect("user_list")
    return render(request, "pep_portal/user_invite.html", {"form": form})
