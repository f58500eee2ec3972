"""Django loads the partnership app's models from this module; they are defined by concept in
its subpackages, and importing those here registers them:

- ``governance.models``: boards, members, meetings, papers, minutes, actions, board packs;
- ``support.models``: system leaders and school-to-school support deployments;
- ``categorisation.models``: 3Ms categorisation reviews and decisions, letters of concern.

Import a model from its concept's module. Only the three functions migration 0001 names as
``partnership.models.X`` (a field default and two upload paths) are kept here.
"""

from .categorisation import models as categorisation_models  # noqa: F401 (registers them)
from .governance import models as governance_models  # noqa: F401 (registers them)
from .governance.models import new_calendar_token, pack_upload_to, paper_upload_to
from .support import models as support_models  # noqa: F401 (registers them)

__all__ = ["new_calendar_token", "pack_upload_to", "paper_upload_to"]
