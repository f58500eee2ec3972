"""The API pages: a user's personal tokens (make, see, revoke) and the API guide."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pep_portal.accounts.permissions import permission_required
from pep_portal.platform.form_pages import form_saved

from . import selectors as token_selectors
from . import services as token_services
from .forms import ApiTokenForm
from .models import ApiToken


@never_cache
@permission_required("api_tokens.manage_own_tokens")
def api_tokens(request):
    """List the user's tokens; POST makes one and shows it ONCE (it is never stored)."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if saved := form_saved(
        request,
        form,
        lambda data: token_services.api_token_create(
            user=request.user, name=data["name"], expires_on=data["expires_on"]
        ),
        message=lambda made: f"Token “{made[0].name}” made. Copy it now: it is shown once.",
    ):
        form = ApiTokenForm()
        new_token = saved.result[1]
    return render(
        request,
        "pep_portal/api_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": token_selectors.api_token_list(user=request.user),
            "api_root": request.build_absolute_uri(reverse("api-root")),
        },
    )


@require_POST
@permission_required("api_tokens.manage_own_tokens")
def api_token_revoke(request, digest: str):
    try:
        token_services.api_token_revoke(user=request.user, token_digest=digest)
    except ApiToken.DoesNotExist:
        messages.error(request, "That token no longer exists.")
    else:
        messages.success(request, "Token revoked: it no longer works.")
    return redirect("api_tokens")


@permission_required("api_tokens.use_api")
def api_guide(request):
    return render(
        request,
        "pep_portal/api_guide.html",
        {
            "api_root": request.build_absolute_uri(reverse("api-root")),
            "base_url": request.build_absolute_uri("/").rstrip("/"),
            "throttle_rate": settings.API_THROTTLE_RATE,
            "throttle_sustained_rate": settings.API_THROTTLE_SUSTAINED_RATE,
        },
    )
