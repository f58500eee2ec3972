from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnership"

    def ready(self):
        from schools.intelligence.access import provide_operational_group

        from .dashboards.page_cache import connect_signals
        from .governance.selectors import operational_group_user_ids

        connect_signals()
        # The schools' confidential-data rule asks who sits on the Operational Group.
        provide_operational_group(operational_group_user_ids)
