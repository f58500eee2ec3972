"""API tokens' home section: a trust user's tokens and the guide."""

from __future__ import annotations

from django.urls import reverse

from pep_portal.accounts.roles import is_trust_user
from pep_portal.platform.homepage import MINE, HomeItem, HomeSection, home_section

from .selectors import api_token_list


@home_section(order=90)
def api_access(*, user, now) -> HomeSection | None:
    if not is_trust_user(user):
        return None
    active = sum(1 for t in api_token_list(user=user) if not t.is_expired)
    return HomeSection(
        key="api",
        heading="API access",
        kind=MINE,
        items=[
            HomeItem(
                title="Your API tokens",
                url=reverse("api_tokens"),
                when=None,
                detail=f"{active} active token{'s' if active != 1 else ''}. Create one to pull "
                "your trust's schools' data into your own systems.",
            ),
            HomeItem(title="How to use the API", url=reverse("api_guide")),
        ],
    )
