"""Test settings: fast hasher, locmem email, eager Celery unless a test asks for a worker."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="test-secret-key-not-for-production")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
# Eager runs finish inside the request that starts them (tests that want the demo's
# background thread turn this on).
NIGHTLY_EAGER_IN_THREAD = False
# SQLite: the test database is a file under var/ (not in memory) so pytest's --reuse-db
# (on by default, pyproject.toml) keeps it between runs instead of migrating every time;
# pytest-xdist workers get var/test-db.sqlite3_gw0, _gw1... `pytest --create-db` rebuilds it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
# MFA for staff is tested explicitly (tests override it on); other tests sign officers in
# without a second factor.
REQUIRE_MFA_FOR_STAFF = False

# Under pytest-xdist each worker process gets its own Redis cache database, so one worker
# clearing its cache (every test starts clean) never touches another's rate-limit counters.
_xdist_worker = env("PYTEST_XDIST_WORKER", default="")
if _xdist_worker.startswith("gw") and "redis" in CACHES["default"]["BACKEND"].lower():  # noqa: F405
    _base, _, _db = CACHES["default"]["LOCATION"].rpartition("/")  # noqa: F405
    if _db.isdigit():
        CACHES["default"]["LOCATION"] = f"{_base}/{2 + int(_xdist_worker[2:])}"  # noqa: F405
