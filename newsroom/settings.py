"""Settings for every environment, read from environment variables.

The embedded defaults give a self-contained development setup (SQLite under var/, a file cache
under var/cache/, console e-mail). Production sets DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting; a value that is neither (a typo such as "ture") stops the start."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ImproperlyConfigured(f"{name}={value!r} is neither yes (1, true) nor no (0, false).")
    return word in TRUE_WORDS


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "production" switches on HTTPS-only cookies, HSTS and the refusal to run on default secrets.
PRODUCTION = os.environ.get("NEWSROOM_ENV", "development").strip().lower() == "production"
DEBUG = env_bool("DJANGO_DEBUG") and not PRODUCTION
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-DJANGO_SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "NEWSROOM_ENV=production needs DJANGO_SECRET_KEY: a random value of 50+ characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "NEWSROOM_ENV=production needs DJANGO_ALLOWED_HOSTS, e.g. presse.example.org."
        )
    # Links in e-mails and hub pings are built from it; a default would send readers to port 8000.
    if not os.environ.get("NEWSROOM_BASE_URL", "").startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "NEWSROOM_ENV=production needs NEWSROOM_BASE_URL, the public address for links in "
            "e-mails, e.g. https://presse.example.org."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_ckeditor_5",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "newsroom.apps.NewsroomConfig",
    "contacts",
    "publications",
    "photos",
    "releases",
    "appointments",
    "alerts",
    "legal",
    # Second factors: TOTP, recovery codes, passkeys; the accounts app after them (it replaces
    # their admin pages and the user admin).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "accounts",
]
# Benchmark tooling (seed_benchmark) is no part of a production install: `make bench` adds it.
if env_bool("NEWSROOM_BENCH"):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and Last-Modified for every page, and 304 answers to conditional requests.
    "django.middleware.http.ConditionalGetMiddleware",
    "newsroom.db_router.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(); then: no admin page before the second factor (accounts/).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AccountSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Roles held in a press office count for that office's content (contacts.offices).
    "contacts.offices.OfficeBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "django.template.context_processors.i18n",
                "newsroom.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL counts as unset.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}


def tune_postgresql(database: dict) -> None:
    # JIT compilation pays off for analytics, not for web requests: on counts over the archive
    # it adds tens of milliseconds to every query.
    if database.get("ENGINE", "").endswith("postgresql"):
        database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")


def tune_sqlite(database: dict) -> None:
    # Concurrent writers (two officers saving at once, the task worker) must queue, not fail
    # with "database is locked": every transaction takes the write lock when it begins, so none
    # has to upgrade a read lock half-way (which SQLite refuses at once), and a writer waits up
    # to 20 seconds for the lock. WAL lets readers go on while someone writes.
    if database.get("ENGINE", "").endswith("sqlite3"):
        options = database.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")


tune_postgresql(DATABASES["default"])
tune_sqlite(DATABASES["default"])
if os.environ.get("DATABASE_REPLICA_URL"):
    # A read replica of the primary: anonymous public pages read from it (newsroom/db_router.py).
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    tune_postgresql(DATABASES["replica"])
NEWSROOM_READ_REPLICA = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["newsroom.db_router.PublicReadsToReplica"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches: "default" for the rate limits, "pages" for the page cache (newsroom/cache.py), so
# that a flood of distinct pages can never evict a rate-limit counter. Both must be shared by
# every process (gunicorn workers, the task worker, `manage.py shell`): a publication made in one
# must invalidate the pages of all. Without Redis that is Django's file cache under var/cache/
# (a hit reads two small files and costs no query; a database cache would cost a query per hit),
# shared by the processes of one machine; several machines need Redis. Redis must bound its
# memory itself (maxmemory with allkeys-lru, see the README); every key we write has a TTL.
NEWSROOM_CACHE_DIR = Path(os.environ.get("NEWSROOM_CACHE_DIR", VAR_DIR / "cache"))
NEWSROOM_PAGE_CACHE_ENTRIES = int(os.environ.get("NEWSROOM_PAGE_CACHE_ENTRIES", 5000))
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": alias,
        }
        for alias in ["default", "pages"]
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": NEWSROOM_CACHE_DIR / "default",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": NEWSROOM_CACHE_DIR / "pages",
            # Pages of about 16 KB, stored compressed: 5,000 take some 30 MB of disk. When full,
            # a third is dropped on the next store.
            "OPTIONS": {"MAX_ENTRIES": NEWSROOM_PAGE_CACHE_ENTRIES, "CULL_FREQUENCY": 3},
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# German first: unprefixed URLs and the admin are German, /en/ serves the English translation.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# What content (releases, topics, offices, publications) may be translated into; the German
# original stays in the models. A new variant (e.g. "de-x-ls", Leichte Sprache) is one entry
# here, not a migration (newsroom/translations.py).
NEWSROOM_TRANSLATION_LANGUAGES = [("en", _("English"))]
# Dates and times under /en/ in British English ("26 November 2026", "26/11/2026").
FORMAT_MODULE_PATH = ["newsroom.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", VAR_DIR / "media"))
# In production a web server serves MEDIA_ROOT at MEDIA_URL; without one, Django may do it.
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA")
# Publication files are served only through a view that checks visibility, never from MEDIA_URL.
DOCUMENTS_ROOT = Path(os.environ.get("NEWSROOM_DOCUMENTS_ROOT", VAR_DIR / "documents"))
# Release images and publication covers: kept out of MEDIA_ROOT too, under random names, and
# served by views that check whether their release or publication is public
# (newsroom/protected_files.py).
PROTECTED_ROOT = Path(os.environ.get("NEWSROOM_PROTECTED_ROOT", VAR_DIR / "protected"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT, "base_url": None},
    },
    "protected": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PROTECTED_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
# For the SMTP backend (DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
EMAIL_TIMEOUT = 30

LOGIN_URL = "admin:login"

# Accounts (accounts/): a second factor is required, after the password, for superusers and
# everyone who can approve, correct or withdraw; on by default in production only, so that
# `make run` needs no phone. NEWSROOM_REQUIRE_2FA_FOR_ALL_STAFF extends it to every staff account.
NEWSROOM_REQUIRE_2FA = env_bool("NEWSROOM_REQUIRE_2FA", PRODUCTION)
NEWSROOM_REQUIRE_2FA_FOR_ALL_STAFF = env_bool("NEWSROOM_REQUIRE_2FA_FOR_ALL_STAFF")
# Password reset links live one hour (and work once: the new password voids them); the form
# takes this many requests an hour per client address and mails one address this often.
PASSWORD_RESET_TIMEOUT = 60 * 60
NEWSROOM_PASSWORD_RESET_PER_CLIENT = int(os.environ.get("NEWSROOM_PASSWORD_RESET_PER_CLIENT", 10))
NEWSROOM_PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("NEWSROOM_PASSWORD_RESET_PER_ADDRESS", 3))
# Accounts nobody signed in to for this many days are deactivated (`manage.py
# deactivate_unused_accounts`, daily), with a warning e-mail a week before.
NEWSROOM_ACCOUNT_MAX_IDLE_DAYS = int(os.environ.get("NEWSROOM_ACCOUNT_MAX_IDLE_DAYS", 90))
# The security trail and django-axes' sign-in logs (addresses and browsers: personal data) are
# kept this many days (`manage.py prune_security_trail`, daily). Never less than the idle limit:
# a reactivation or a warning in the trail is what that limit counts from.
NEWSROOM_SECURITY_TRAIL_DAYS = int(os.environ.get("NEWSROOM_SECURITY_TRAIL_DAYS", 365))
if NEWSROOM_SECURITY_TRAIL_DAYS < NEWSROOM_ACCOUNT_MAX_IDLE_DAYS:
    raise ImproperlyConfigured(
        f"NEWSROOM_SECURITY_TRAIL_DAYS ({NEWSROOM_SECURITY_TRAIL_DAYS}) must be at least "
        f"NEWSROOM_ACCOUNT_MAX_IDLE_DAYS ({NEWSROOM_ACCOUNT_MAX_IDLE_DAYS})."
    )


def _portal_name(*args, **kwargs) -> str:
    """The portal's name from its settings row (newsroom/site.py), when a device is added."""
    from newsroom.site import name

    return name()


OTP_TOTP_ISSUER = _portal_name
# Passkeys: the relying party and the accepted origin are the host the request came to
# (ALLOWED_HOSTS); a passkey is a second factor after the password, never a login of its own.
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.webauthn.rp_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "newsroom.site.name"
OTP_WEBAUTHN_HELPER_CLASS = "accounts.webauthn.Helper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Browsers allow passkeys on https:// and on http://localhost only (not on http://127.0.0.1).
_public_origin = os.environ.get("NEWSROOM_BASE_URL", "").rstrip("/")
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    _public_origin if _public_origin.startswith("https://") else "http://localhost:8000"
]

# Side effects of going live run as tasks: immediately in development and tests, through the
# database queue (`manage.py db_worker`) in production.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[os.environ.get("NEWSROOM_TASK_BACKEND", "immediate")]
    }
}

# Upload limits (bytes). Checked by the form validators, which give a readable message.
NEWSROOM_MAX_DOCUMENT_SIZE = int(os.environ.get("NEWSROOM_MAX_DOCUMENT_SIZE", 50 * 1024 * 1024))
NEWSROOM_MAX_IMAGE_SIZE = int(os.environ.get("NEWSROOM_MAX_IMAGE_SIZE", 15 * 1024 * 1024))
# The HMAC key that signs backups (manage.py export_content / import_content, SECURITY.md). Unset
# outside production: derived from SECRET_KEY; in production the commands refuse to run without.
NEWSROOM_BACKUP_KEY = os.environ.get("NEWSROOM_BACKUP_KEY", "")
# The page cache (newsroom/cache.py): which cache, how long a page may live at most, and the
# max-age browsers and proxies are told (a scheduled release shows within this many seconds).
NEWSROOM_CACHE_PAGES = env_bool("NEWSROOM_CACHE_PAGES", True)
NEWSROOM_PAGE_CACHE = "pages"
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", 600))
NEWSROOM_MAX_AGE = 60
# The edge cache (Varnish with xkey, `make serve-edge`): where purges by key are sent, e.g.
# "http://127.0.0.1:6081/"; empty: no edge cache.
NEWSROOM_EDGE_PURGE_URLS = env_list("NEWSROOM_EDGE_PURGE_URLS")
# The name of the deployed code (e.g. the git commit or image tag), part of every cached page's
# key so that a deploy never serves pages built by older templates; empty: a fingerprint of the
# installed code (newsroom.cache.code_version).
NEWSROOM_RELEASE = os.environ.get("NEWSROOM_RELEASE", "")
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", 40_000_000))

# Feeds: how many items each feed holds; where the public site lives (for absolute URLs built
# outside a request, e.g. the hub ping); the WebSub hub to notify when feeds change (empty: none).
NEWSROOM_FEED_ITEMS = int(os.environ.get("NEWSROOM_FEED_ITEMS", "20"))
NEWSROOM_BASE_URL = os.environ.get("NEWSROOM_BASE_URL", "http://127.0.0.1:8000")
NEWSROOM_WEBSUB_HUB = os.environ.get("NEWSROOM_WEBSUB_HUB", "")

# CKEditor 5: the toolbar offers only what the sanitiser keeps (newsroom/richtext.py).
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
# Our own upload view checks images like every other upload (newsroom/editor_uploads.py).
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "editor_image_upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]
CKEDITOR_5_MAX_FILE_SIZE = NEWSROOM_MAX_IMAGE_SIZE // (1024 * 1024)
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "de",
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "|",
                "insertTable",
                "imageUpload",
                "|",
                "undo",
                "redo",
            ],
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Absatz", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "Überschrift 2",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "Überschrift 3",
                    "class": "ck-heading_heading3",
                },
                {
                    "model": "heading4",
                    "view": "h4",
                    "title": "Überschrift 4",
                    "class": "ck-heading_heading4",
                },
            ]
        },
        "image": {"toolbar": ["imageTextAlternative"]},
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "link": {"defaultProtocol": "https://"},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Security headers and cookies. HTTPS-only settings apply in production; a reverse proxy that
# terminates TLS must set X-Forwarded-Proto (NEWSROOM_BEHIND_PROXY=1).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("NEWSROOM_SESSION_SECONDS", 8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# CKEditor's upload adapter reads the CSRF cookie in the browser, so it cannot be HttpOnly.
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("NEWSROOM_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("NEWSROOM_HSTS_SECONDS", 365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("NEWSROOM_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("NEWSROOM_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling: five wrong passwords for a username from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURES", 5))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# How many reverse proxies of ours append to X-Forwarded-For (NEWSROOM_BEHIND_PROXY=1 means one).
# The one setting behind every client address: login throttling, the alerts form's rate limit and
# the preview access log (newsroom/clients.py). With 0, X-Forwarded-For is never believed.
NEWSROOM_TRUSTED_PROXIES = int(
    os.environ.get("NEWSROOM_TRUSTED_PROXIES", "1" if env_bool("NEWSROOM_BEHIND_PROXY") else "0")
)
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_ip"

# Content Security Policy: everything self-hosted; the public site runs no inline script or
# style at all. The admin gets what CKEditor 5 needs (see newsroom/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# E-mail alerts for journalists (the alerts app): the sender; how long a confirmation link lives
# (unconfirmed requests are deleted by `manage.py purge_alerts` after that); how many mails one
# task sends; after how long a delivery claimed by a worker that died is sent again; how often a
# failing delivery is tried; how many subscription forms one client may send an hour (the client
# as NEWSROOM_TRUSTED_PROXIES lets us see it).
ALERTS_FROM_EMAIL = os.environ.get("NEWSROOM_ALERTS_FROM_EMAIL", DEFAULT_FROM_EMAIL)
ALERTS_CONFIRMATION_HOURS = int(os.environ.get("NEWSROOM_ALERTS_CONFIRMATION_HOURS", "48"))
ALERTS_BATCH_SIZE = int(os.environ.get("NEWSROOM_ALERTS_BATCH_SIZE", "100"))
ALERTS_CLAIM_MINUTES = int(os.environ.get("NEWSROOM_ALERTS_CLAIM_MINUTES", "15"))
ALERTS_MAX_ATTEMPTS = int(os.environ.get("NEWSROOM_ALERTS_MAX_ATTEMPTS", "5"))
ALERTS_FORM_LIMIT_PER_HOUR = int(os.environ.get("NEWSROOM_ALERTS_FORM_LIMIT_PER_HOUR", "10"))

# Legal pages (the legal app): where feedback on accessibility is mailed (unset: the contact
# address of the accessibility statement); how many feedback forms one client may send an hour.
LEGAL_FEEDBACK_EMAIL = os.environ.get("NEWSROOM_FEEDBACK_EMAIL", "")
LEGAL_FEEDBACK_LIMIT_PER_HOUR = int(os.environ.get("NEWSROOM_FEEDBACK_LIMIT_PER_HOUR", "5"))
