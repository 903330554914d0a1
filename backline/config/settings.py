"""Backline settings: one module, configured only from the environment.

``.env.example`` lists every variable. ``BACKLINE_ENV=production`` turns on the production checks:
the process refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "backline"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

BACKLINE_ENV = env.str("BACKLINE_ENV", default="development")
PRODUCTION = BACKLINE_ENV == "production"

if PRODUCTION:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
        ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(f"Production needs SECRET_KEY and ALLOWED_HOSTS: {exc}") from exc
    if not ALLOWED_HOSTS or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS and a SECRET_KEY of 32+ characters.")
    DEBUG = env.bool("DEBUG", default=False)
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-insecure-key-do-not-use-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    DEBUG = env.bool("DEBUG", default=True)

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The directory map: offline country outlines by default; raster tiles only when a tile URL is set
# (e.g. https://tile.example.org/{z}/{x}/{y}.png, with its attribution as the provider requires).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "ninja",
    "backline.core",
    "backline.accounts",
    "backline.media",
    "backline.artists",
    "backline.venues",
    "backline.scheduling",
    "backline.bookings",
    "backline.notifications",
    "backline.contacts",
    "backline.conversations",
    "backline.mail",
    "backline.outreach",
    "backline.network",
    "backline.profiles",
    "backline.search",
    "backline.legacy.messaging",
    "anymail",
    "backline.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "backline.core.middleware.NotFoundPageMiddleware",  # DEBUG: an unknown address gets the product's 404 page
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "backline.core.middleware.UserTimezoneMiddleware",
    "backline.core.web.DomainErrorMiddleware",
    "backline.core.middleware.ControlCharacterMiddleware",  # after CSRF: refuses NUL & co. in any input (422)
]

if PRODUCTION:  # whitenoise serves the collected static files; runserver serves them in development
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "backline.config.urls"
WSGI_APPLICATION = "backline.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backline.accounts.context_processors.workspaces",
                "backline.notifications.context_processors.notification_bell",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside one writer; IMMEDIATE takes the write lock at BEGIN so two
    # services racing for the same row serialise instead of failing halfway (ARCHITECTURE.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the login; verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # our subjects (templates/account/email) name Backline themselves
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
# Our own English words over allauth's ("Log in", not "Sign In"): backline/locale/en.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# The media library (backline.media): the largest file accepted (photos, logos, PDF documents), the
# largest picture in pixels (a decompression bomb is refused), and the storage each workspace may use.
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=15 * 1024 * 1024)
MEDIA_MAX_IMAGE_PIXELS = env.int("MEDIA_MAX_IMAGE_PIXELS", default=50_000_000)
MEDIA_QUOTA_BYTES = env.int("MEDIA_QUOTA_BYTES", default=200 * 1024 * 1024)
# A request body (JSON, or a form's fields; uploaded files are counted apart by MAX_UPLOAD_BYTES) larger
# than this is refused: the API answers 413 problem+json (request_too_large).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", default=2_621_440)

if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: the embedded default writes every message to the development mailbox (/dev/mailbox/).
# EMAIL_URL=smtp://user:pass@host:587/?tls=True (or smtp+ssl://) sends through a real server.
_email_url = env.str("EMAIL_URL", default="mailbox:")
if _email_url.startswith("mailbox"):
    EMAIL_BACKEND = "backline.core.mailbox.MailboxBackend"
elif _email_url.startswith("console"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    vars().update(env.email_url_config(_email_url))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Backline <no-reply@backline.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write when they are stuck (the password-reset and email-verification pages link to it).
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@" + DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >"))
# The mailbox page is public (it shows password-reset and invitation links), so never in production.
DEV_MAILBOX_ENABLED = EMAIL_BACKEND == "backline.core.mailbox.MailboxBackend" and not PRODUCTION

# The cache holds rate-limit counters (and, with Redis, a copy of each session). Without REDIS_URL it is
# local memory, private to each process: fine for one development server, wrong for several web workers,
# so `manage.py check --deploy` fails without a shared cache (backline.E001, backline/core/checks.py).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions live in the database and are read through the shared cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Room for every person's cached free time (scheduling.availability_cache): two entries a person and
    # window; the default of 300 would evict an act of 200 on every request.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "OPTIONS": {"MAX_ENTRIES": 50_000}}}
    # Sessions are read from the database on every request: a per-process copy would let a session
    # logged out on one worker live on in another (backline.E002 refuses that combination).
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Celery: without a broker, tasks run in-process (eagerly); `manage.py scheduler` runs the beat jobs.
CELERY_TASK_ALWAYS_EAGER = not env.str("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None) or None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {"task": "backline.accounts.tasks.expire_invitations", "schedule": 3600.0},
    "prune-refresh-tokens": {"task": "backline.accounts.tasks.prune_refresh_tokens", "schedule": 86400.0},
    "refresh-external-calendars": {"task": "backline.scheduling.tasks.refresh_external_calendars", "schedule": 900.0},
    "expire-holds-and-offers": {"task": "backline.bookings.tasks.expire_holds_and_offers", "schedule": 300.0},
    "send-notification-digests": {"task": "backline.messaging.tasks.send_digests", "schedule": 86400.0},
    "deliver-outbox": {"task": "backline.messaging.tasks.deliver_outbox", "schedule": 60.0},
    "follow-up-reminders": {"task": "backline.messaging.tasks_outreach.remind_follow_ups", "schedule": 3600.0},
}

# Conversations, mail and outreach: attachments, inbound replies, delivery and tracking (docs/email.md).
MESSAGE_ATTACHMENT_MAX_BYTES = env.int("MESSAGE_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
MESSAGE_ATTACHMENTS_PER_MESSAGE = env.int("MESSAGE_ATTACHMENTS_PER_MESSAGE", default=5)
# Replies to outreach come back to reply+<thread token>@INBOUND_EMAIL_DOMAIN (route that domain to the
# provider's inbound webhook). The embedded default is a domain nobody receives mail for.
INBOUND_EMAIL_DOMAIN = env.str("INBOUND_EMAIL_DOMAIN", default="reply.backline.local")
OUTREACH_HOURLY_LIMIT = env.int("OUTREACH_HOURLY_LIMIT", default=200)  # emails per workspace per hour
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_BACKOFF_SECONDS = env.int("OUTBOX_BACKOFF_SECONDS", default=30)  # doubles after each failed attempt
# A worker sending an email leases its row this long (no other worker takes it meanwhile); keep it well
# above the time one send can take (OUTBOX_SEND_TIMEOUT per SMTP step when EMAIL_TIMEOUT is unset).
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=600)
OUTBOX_SEND_TIMEOUT = env.int("OUTBOX_SEND_TIMEOUT", default=60)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)  # emails sent over one connection by the sweep
# Send through an email provider's API instead of EMAIL_URL: anymail's name for it (sendgrid, mailgun,
# postmark, brevo, amazon_ses, ...), with its key in ANYMAIL_API_KEY (and MAILGUN_SENDER_DOMAIN for Mailgun).
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="")
if EMAIL_PROVIDER:
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
    DEV_MAILBOX_ENABLED = False
# Which provider's webhooks are mounted at /webhooks/email/<provider>/{tracking,inbound}/ (anymail's
# names: mailgun, postmark, sendgrid, ...). Unverified calls are refused with 401 and logged.
EMAIL_WEBHOOK_PROVIDER = env.str("EMAIL_WEBHOOK_PROVIDER", default="mailgun")
ANYMAIL = {
    # HTTP basic auth "user:password" the provider calls the webhooks with (every provider).
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="") or None,
    # Providers that sign their webhooks (Mailgun, Postmark inbound, SendGrid, ...): their signing key.
    "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
}

if EMAIL_PROVIDER and env.str("ANYMAIL_API_KEY", default=""):  # the sending provider's key, under anymail's name
    ANYMAIL[{"sendgrid": "SENDGRID_API_KEY", "postmark": "POSTMARK_SERVER_TOKEN", "mailgun": "MAILGUN_API_KEY",
             "brevo": "BREVO_API_KEY", "resend": "RESEND_API_KEY", "sparkpost": "SPARKPOST_API_KEY",
             "mailjet": "MAILJET_API_KEY", "mandrill": "MANDRILL_API_KEY"}.get(EMAIL_PROVIDER, "API_KEY")
            ] = env.str("ANYMAIL_API_KEY")
if env.str("MAILGUN_SENDER_DOMAIN", default=""):
    ANYMAIL["MAILGUN_SENDER_DOMAIN"] = env.str("MAILGUN_SENDER_DOMAIN")

# Holds: how long a new hold lasts unless given, and how long a challenged 1st hold has to answer.
HOLD_DAYS = env.int("HOLD_DAYS", default=14)
HOLD_CHALLENGE_HOURS = env.int("HOLD_CHALLENGE_HOURS", default=48)
HOLD_WARNING_HOURS = env.int("HOLD_WARNING_HOURS", default=24)  # both sides are told this long before a hold runs out

# Importing people's own calendars (their secret iCal addresses).
CALENDAR_IMPORT_TIMEOUT = env.int("CALENDAR_IMPORT_TIMEOUT", default=10)  # seconds, per connection and read
CALENDAR_IMPORT_MAX_BYTES = env.int("CALENDAR_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
CALENDAR_IMPORT_INTERVAL_MINUTES = env.int("CALENDAR_IMPORT_INTERVAL_MINUTES", default=60)
# Off: addresses on loopback or private networks are refused (no reaching into the server's own network).
CALENDAR_IMPORT_ALLOW_PRIVATE = env.bool("CALENDAR_IMPORT_ALLOW_PRIVATE", default=False)

# API tokens (POST /api/v1/auth/login). Access tokens are short-lived JWTs (HS256 only);
# refresh tokens are opaque, stored hashed, rotated on every use and revoked as a family on reuse.
JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default=SECRET_KEY)
JWT_ACCESS_TTL = timedelta(seconds=env.int("JWT_ACCESS_TTL_SECONDS", default=900))
JWT_REFRESH_TTL = timedelta(days=env.int("JWT_REFRESH_TTL_DAYS", default=14))
# A refresh token presented again this soon after its rotation (two tabs refreshing at once) gets the
# same new pair instead of revoking its family; 0 turns the grace off.
JWT_REFRESH_GRACE = timedelta(seconds=env.int("JWT_REFRESH_GRACE_SECONDS", default=30))
LOGIN_FAILURE_LIMIT = env.str("LOGIN_FAILURE_LIMIT", default="5/15m")
RATELIMIT_USE_CACHE = "default"

INVITATION_TTL = timedelta(days=14)

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "celery.app.trace": {"level": "WARNING"}},
}

NINJA_PAGINATION_CLASS = "backline.core.pagination.BoundedPageNumberPagination"
NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

FORM_RENDERER = "backline.core.forms.BootstrapRenderer"

ACCOUNT_FORMS = {
    "login": "backline.accounts.forms.LoginForm",
    "signup": "backline.accounts.forms.SignupForm",
    "add_email": "backline.accounts.forms.AddEmailForm",
    "change_password": "backline.accounts.forms.ChangePasswordForm",
    "set_password": "backline.accounts.forms.SetPasswordForm",
    "reset_password": "backline.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "backline.accounts.forms.ResetPasswordKeyForm",
}

# Trust (venues and acts verified): how many acts that played a confirmed show at a venue vouch it, and
# how many buyers (venues, promoters, agencies) that booked an act vouch the act.
VENUE_VOUCHES_REQUIRED = env.int("VENUE_VOUCHES_REQUIRED", default=3)
ACT_VOUCHES_REQUIRED = env.int("ACT_VOUCHES_REQUIRED", default=2)
