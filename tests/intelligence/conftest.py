from tests.predictions.conftest import og_member, sign  # noqa: F401
