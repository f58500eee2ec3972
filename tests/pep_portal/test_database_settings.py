"""How the portal's PostgreSQL connections are set up."""

import pytest
from django.db import connection

from tests.conftest import require_service

pytestmark = pytest.mark.django_db


def test_postgresql_jit_is_off_for_the_portals_connections():
    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL"
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
