from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    name = "pep_portal.api_tokens"
    label = "api_tokens"
    verbose_name = "API tokens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The audit log records every model (AUDITLOG_INCLUDE_ALL_MODELS). A token's hash and
        # key prefix are secrets and its last use is noise: record the token without them.
        from auditlog.registry import auditlog

        from .models import ApiToken

        if auditlog.contains(ApiToken):
            auditlog.unregister(ApiToken)
        auditlog.register(ApiToken, exclude_fields=["digest", "token_key", "last_used_at"])
