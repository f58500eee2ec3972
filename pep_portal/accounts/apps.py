from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, roles and invitations.

    The label stays ``pep_portal`` (AUTH_USER_MODEL = "pep_portal.User"), so the migration
    history, the permission names and the database tables are unchanged by the move.
    """

    name = "pep_portal.accounts"
    label = "pep_portal"
    verbose_name = "PEP Portal"
