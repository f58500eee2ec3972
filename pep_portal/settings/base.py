"""Settings shared by every environment, read from environment variables.

Every variable is listed in README.md ("Configuration"). The embedded default (no variables
set) is SQLite in the project folder, Celery tasks run eagerly in-process, local-memory cache
and the console email backend.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "pep_portal.accounts",
    "pep_portal.platform",
    "pep_portal.imports",
    "pep_portal.nightly",
    "schools",
    "outcomes",
    "actionplan",
    "consultation",
    "partnership",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "pep_portal.platform.middleware.StaffSecurityMiddleware",
    "pep_portal.platform.middleware.BadInputMiddleware",
]

ROOT_URLCONF = "pep_portal.urls"
WSGI_APPLICATION = "pep_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pep_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database: DATABASE_URL, default an SQLite file in the project (the embedded default).
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles any query whose estimated cost is high, which costs 100-300 ms
    # each time: on the register and dashboard queries at England scale that is most of the
    # page (bench/load.py). Off unless DATABASE_JIT=true.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=on" if env.bool("DATABASE_JIT", default=False) else "-c jit=off"
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default serves pages while a nightly run writes (the demo's "Recompute
    # now" runs it in a thread): WAL lets readers go on beside the writer, IMMEDIATE
    # transactions take the write lock up front instead of failing with "database is
    # locked" when a read turns into a write, and a writer waits up to 20 s for its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    # SchoolFigure's schoolfig_grid_cells index includes the grid's columns so that
    # PostgreSQL answers the grid's read from the index alone; SQLite builds the same index
    # on its key columns only, which is all it needs, so its warning about it is not shown.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache when REDIS_URL is set; otherwise eager Celery and locmem cache.
# REDIS_CACHE_URL (default REDIS_URL) lets the cache live in its own Redis database, so
# clearing the cache never touches the Celery queue.
REDIS_URL = env("REDIS_URL", default="")
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default=REDIS_URL)
if REDIS_URL:
    # A cache outage must not take pages down: TolerantRedisCache logs and answers as a miss.
    CACHES = {
        "default": {
            "BACKEND": "pep_portal.platform.cache.TolerantRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Import jobs queued while the broker was down are sent again (each still runs once).
# Scheduled consultations that have opened invite their audience (each school once).
# Action plan reminders to leads go every morning, after the nightly run (02:30) has
# recomputed milestone RAG: a task of their own, never inside a nightly chunk's transaction
# (a rolled-back chunk would have sent its emails again on the next run).
CELERY_BEAT_SCHEDULE = {
    "actionplan-reminders": {
        "task": "actionplan.tasks.reminders_send_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "import-jobs-requeue": {"task": "pep_portal.tasks.import_jobs_requeue_task", "schedule": 60.0},
    "consultation-invitations": {
        "task": "consultation.tasks.invitations_send_task",
        "schedule": 300.0,
    },
}
# The nightly run: a run silent for NIGHTLY_STALE_SECONDS is marked failed (a killed worker
# never blocks the next night); the last NIGHTLY_KEEP_PUBLISHED snapshots are kept;
# NIGHTLY_QUEUE sends its tasks to a queue of their own (empty: the default queue).
# Dashboard pages cached per published run and viewer scope (partnership/dashboards/page_cache.py).
DASHBOARD_PAGE_CACHE_SECONDS = env.int("DASHBOARD_PAGE_CACHE_SECONDS", default=3600)
# The register's summaries cached per register version and viewer scope (schools/register_cache.py).
REGISTER_CACHE_SECONDS = env.int("REGISTER_CACHE_SECONDS", default=3600)
NIGHTLY_STALE_SECONDS = env.int("NIGHTLY_STALE_SECONDS", default=1800)
# Without a broker (tasks run eagerly, the embedded demo), "Recompute now" runs the nightly
# run in a thread of the web process, so the officer watches its progress page.
NIGHTLY_EAGER_IN_THREAD = env.bool("NIGHTLY_EAGER_IN_THREAD", default=True)
NIGHTLY_KEEP_PUBLISHED = env.int("NIGHTLY_KEEP_PUBLISHED", default=3)
NIGHTLY_QUEUE = env("NIGHTLY_QUEUE", default="")

# --- Auth: custom user (email login), django-allauth, named permissions via django-rules.
AUTH_USER_MODEL = "pep_portal.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # allauth's email sign-in, refusing addresses that are not verified (pep_portal/adapters.py).
    "pep_portal.accounts.adapters.VerifiedAddressBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "pep_portal.accounts.adapters.InviteOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# Addresses: one per account; a new one is verified (link emailed to it) before it replaces
# the old, and only then signs in or receives resets; the old address is told of the change.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {"reset_password": "pep_portal.accounts.adapters.VerifiedResetPasswordForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# allauth's rate limits, stated explicitly so they are visible and tested.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Multi-factor authentication (allauth.mfa): TOTP with recovery codes. Required for officers
# and admins (they are sent to set it up before anything else) unless REQUIRE_MFA_FOR_STAFF
# is off; optional for everyone else. Idle officers and admins are signed out after
# STAFF_IDLE_TIMEOUT seconds.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PEP Portal"
REQUIRE_MFA_FOR_STAFF = env.bool("REQUIRE_MFA_FOR_STAFF", default=True)
STAFF_IDLE_TIMEOUT = env.int("STAFF_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)

# Audit log (django-auditlog): every change to every model through the portal, the admin or
# the API, with who, when and old/new values. Bulk-computed tables (nightly snapshots) and
# framework internals are excluded; secrets are never recorded.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "admin",
    "auditlog",
    "contenttypes",
    "sessions",
    "mfa",
    "django_celery_beat.periodictasks",
    "django_celery_beat.clockedschedule",
    # What the system writes by itself: nightly runs and snapshots.
    "nightly.nightlyrun",
    "nightly.nightlychunk",
    "nightly.currentsnapshot",
    "outcomes.indicatorfigure",
    "outcomes.schoolfigure",
    "outcomes.schoolsummary",
    "outcomes.dashboardfigure",
    "outcomes.predictionsignal",
    "schools.softintelligencerag",
    # The sent-email log: reminders the system sends by itself are not audited; an email a
    # person sends (an officer's chase, sent_by set) is, by send_once through audit_bulk.
    "platform.sentnotification",
)
# Secrets are never recorded: a field with one of these names is left out of every entry
# (pep_portal.audit.SECRET_FIELDS masks them on the audit page too, and rotating one is logged
# as "rotated" without the value).
AUDITLOG_EXCLUDE_TRACKING_FIELDS = (
    "password",
    "last_login",
    "updated_at",
    "secret",
    "key",
    "token",
    "digest",
    "token_key",
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The small-number rule (pep_portal/disclosure.py): a figure across schools is withheld when
# fewer schools than this make it.
MIN_SCHOOLS_FOR_AGGREGATE = env.int("MIN_SCHOOLS_FOR_AGGREGATE", default=3)

# --- Email
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PEP Portal <no-reply@pep-portal.invalid>")
# The address people reach the portal at: every link in an email is built from it
# (pep_portal.platform.site.absolute_url). `make demo` sets it from HOST and PORT. PORTAL_BASE_URL is
# the old name, still read when SITE_URL is unset.
SITE_URL = env("SITE_URL", default=env("PORTAL_BASE_URL", default="http://127.0.0.1:8000"))

# --- i18n
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files (served by the portal itself: no CDN).
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# plotly.js is served from the installed plotly package at static/vendor/plotly.min.js.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "pep_portal.platform.staticfinders.PlotlyFinder",
]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles"))
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Each upload page's limit (below) is enforced while the body is read: a file over it is
# discarded as it arrives, never stored (pep_portal/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "pep_portal.platform.uploads.PurposeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A school's predictions return (the filled-in template: a few KB).
UPLOAD_MAX_BYTES_PREDICTIONS = env.int("UPLOAD_MAX_BYTES_PREDICTIONS", default=1024 * 1024)
# The most an Office / OpenDocument upload may unpack to (zip-bomb guard).
UPLOAD_ARCHIVE_MAX_UNCOMPRESSED_BYTES = env.int(
    "UPLOAD_ARCHIVE_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024
)
# Largest import file accepted through the browser (the full GIAS file is ~60 MB).
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
# Largest evidence file on an action-plan update, consultation attachment and board paper.
ACTIONPLAN_EVIDENCE_MAX_BYTES = env.int("ACTIONPLAN_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
CONSULTATION_ATTACHMENT_MAX_BYTES = env.int(
    "CONSULTATION_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024
)
PARTNERSHIP_PAPER_MAX_BYTES = env.int("PARTNERSHIP_PAPER_MAX_BYTES", default=20 * 1024 * 1024)
# Milestone leads are reminded this many days before a milestone is due.
ACTIONPLAN_REMINDER_DAYS = env.int("ACTIONPLAN_REMINDER_DAYS", default=14)

# --- REST API (/api/v1/; pep_portal/api.py and each app's api.py).
# Personal API tokens: django-rest-knox tokens (SHA-512 digests only, optional expiry) in the
# named-token model pep_portal.api_tokens.ApiToken, made and revoked on /profile/tokens/.
INSTALLED_APPS += ["knox", "pep_portal.api_tokens"]
KNOX_TOKEN_MODEL = "api_tokens.ApiToken"
# knox's own AuthToken is swapped out for ApiToken, so its migrations (which would still
# create an unused knox_authtoken table pointing at users) are not run.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": None, "TOKEN_PREFIX": "pep_", "AUTH_HEADER_PREFIX": "Token"}
# Requests one token (or signed-in user) may make, per minute and per hour (DRF rate syntax);
# beyond either, 429 with Retry-After. Sized for a trust's nightly sync at England scale:
# ~400 results a school (8.0M results, 20,000 schools), so a 120-school trust (larger than
# any in England) has ~48,000 results = 96 pages of 500 (page_size=500, up to 1000), plus
# its schools and the reference lists: ~100 requests, ETag revalidation (304) included. The
# whole sync fits in one minute's allowance (120/min); at ~150 ms a page a token then holds
# at most a third of a core. The hourly allowance (2,000/hour) is ~20 such syncs, or the same
# sync at the default page size (100 rows, ~490 requests) four times over.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="120/min")
API_THROTTLE_SUSTAINED_RATE = env("API_THROTTLE_SUSTAINED_RATE", default="2000/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pep_portal.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "pep_portal.api.renderers.CSVRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["pep_portal.api.filters.BoundedFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "pep_portal.api.auth.TokenRateThrottle",
        "pep_portal.api.auth.TokenSustainedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api": API_THROTTLE_RATE,
        "api_sustained": API_THROTTLE_SUSTAINED_RATE,
    },
    "EXCEPTION_HANDLER": "pep_portal.api.base.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNICODE_JSON": True,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PEP Portal API",
    "DESCRIPTION": (
        "Read-only access to the register, published results with the nightly figures, "
        "the action plan and (for the people allowed to see them) schools' confidential data. "
        "Authenticate with a personal token: `Authorization: Token <token>`. Every list is "
        "also CSV (`?format=csv` or `Accept: text/csv`)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SchoolCategoryEnum": "schools.models.Category",
        "ConcernEnum": "partnership.categorisation.models.Concern",
        "PlanRagEnum": "pep_portal.platform.rag.PROGRESS_RAG_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pep_portal.api.base.add_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content-Security-Policy (django-csp): only the portal's own scripts, styles, fonts and
# images. Plotly injects its own <style> elements, hence 'unsafe-inline' for styles only;
# scripts never run inline.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
