"""How views check named permissions.

Anonymous users never reach a view (LoginRequiredMiddleware sends them to sign in), so a
signed-in user without the named permission gets 403, never a login loop.
"""

from functools import partial

from rules.contrib.views import PermissionRequiredMixin as _RulesPermissionRequiredMixin
from rules.contrib.views import permission_required as _rules_permission_required

permission_required = partial(_rules_permission_required, raise_exception=True)


class PermissionRequiredMixin(_RulesPermissionRequiredMixin):
    raise_exception = True
