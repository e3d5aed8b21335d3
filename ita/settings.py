"""Settings from the environment (see .env.example). A bad value stops start-up with a
message naming the variable."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ita.lib.net import check_networks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ITA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (see .env.example)")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if "*" in ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's hosts, not '*'")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Addresses or networks of our own reverse proxies: only from these is X-Forwarded-For believed
# (rate limits and login throttling count the address it names); empty: the header is ignored.
ITA_TRUSTED_PROXIES = env_list("ITA_TRUSTED_PROXIES", [])
if _bad := check_networks(ITA_TRUSTED_PROXIES):
    raise ImproperlyConfigured(f"ITA_TRUSTED_PROXIES must list addresses or networks, got {_bad!r}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ita.audit",
    "ita.accounts",
    "ita.units",
    "ita.frameworks",
    "ita.assessments",
    "ita.surveys",
    "ita.disclosure",
    "ita.scoring",
    "ita.results",
    "ita.improvement",
    "ita.jobs",
    "ita.api",
    "ita.web",
    "ita.ops",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # First: refuses oversized bodies and NUL query strings before anything reads the request.
    "ita.web.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita.web.middleware.ChosenLanguageMiddleware",  # Thai unless the user chose English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Sends a signed-in user whose role needs a second factor to enter (or set up) a one-time code.
    "ita.ops.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused during the cool-off into the Thai lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita.urls"
WSGI_APPLICATION = "ita.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def database_from_env() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'ita.sqlite3'}"
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL we understand: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and one writer work at once; the busy timeout makes a writer wait
        # for the lock instead of failing; IMMEDIATE takes the write lock at BEGIN so two
        # transactions never deadlock upgrading a read lock.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
        config["CONN_MAX_AGE"] = 0 if config.get("NAME") == ":memory:" else config["CONN_MAX_AGE"]
    elif config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// URL")
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Login throttling (django-axes) ---
# After ITA_LOGIN_FAILURE_LIMIT failed logins for one username from one address (the address
# by ita.lib.net.client_ip), every login for that pair, even with the right password, is refused
# for ITA_LOGIN_COOLOFF_MINUTES; each further try during it starts the wait again. Counted in
# the database, so all workers and machines share it. A success resets the count.
ITA_LOGIN_FAILURE_LIMIT = env_int("ITA_LOGIN_FAILURE_LIMIT", 5)
ITA_LOGIN_COOLOFF_MINUTES = env_int("ITA_LOGIN_COOLOFF_MINUTES", 15)
for _name in ("ITA_LOGIN_FAILURE_LIMIT", "ITA_LOGIN_COOLOFF_MINUTES"):
    if globals()[_name] < 1:  # 0 would lock every account out at once, or never
        raise ImproperlyConfigured(f"{_name} must be 1 or more, got {globals()[_name]}")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = ITA_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=ITA_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "ita.web.middleware.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "ita.web.middleware.login_locked_out"
AXES_RESET_ON_SUCCESS = True
# Locked-out pairs are cleared with `ita axes_reset_username NAME`; not in the admin, whose
# pages are all under the access policy.
AXES_ENABLE_ADMIN = False

# Argon2id for new and changed passwords; PBKDF2 still checks older hashes, which are upgraded to
# Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "th")
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be 'th' or 'en', got {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "ita" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Bangkok")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Sarabun comes from the fontpkg-sarabun package, served as our own static files (no CDN):
# Debian's Chromium has no Thai font, and PDFs take the same files by path.
import fontpkg_sarabun  # noqa: E402

SARABUN_DIR = Path(fontpkg_sarabun.__file__).parent / "files"
STATICFILES_DIRS = [("fonts", SARABUN_DIR)]
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A signed-in session ends after this many minutes without a request (each request starts the
# wait again); respondents' pages keep no session, so this never touches them.
ITA_SESSION_IDLE_MINUTES = env_int("ITA_SESSION_IDLE_MINUTES", 30)
if ITA_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured(f"ITA_SESSION_IDLE_MINUTES must be 1 or more, got {ITA_SESSION_IDLE_MINUTES}")
SESSION_COOKIE_AGE = ITA_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# HTTPS only unless DEBUG: plain-HTTP requests are redirected (not /healthz, which load
# balancers probe over HTTP), and browsers are told by HSTS never to use HTTP again.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload directive only allows submitting the domain to browsers' preload list; nothing is sent.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy (one of ITA_TRUSTED_PROXIES) that sets X-Forwarded-Proto: the
# request counts as HTTPS when that header says so. The proxy must overwrite any such header.
if env_bool("ITA_PROXY_SETS_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
# Roles that must sign in with a one-time code (TOTP app, or a recovery code) after the password;
# others may turn it on themselves. Off in DEBUG so the demo signs in with a password only.
ITA_2FA_REQUIRED_ROLES = env_list("ITA_2FA_REQUIRED_ROLES", [] if DEBUG else ["program_admin", "assessor"])
if _bad_roles := set(ITA_2FA_REQUIRED_ROLES) - {"program_admin", "coordinator", "assessor", "viewer"}:
    raise ImproperlyConfigured(f"ITA_2FA_REQUIRED_ROLES names unknown roles: {', '.join(sorted(_bad_roles))}")
OTP_TOTP_ISSUER = "ITA Online"

# ITA-specific settings
ITA_FRAMEWORK_DIR = BASE_DIR / "ita" / "frameworks" / "data"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The cache holds only short-lived counters (the respondent pages' per-address rate limits).
# By default it is a table in the database (created by ita/web/migrations/0001_cache_table.py),
# so every worker on every machine counts in one place with no setting needed. ITA_CACHE_DIR
# instead keeps it in files shared only by the workers of one machine.
CACHE_TABLE = "ita_cache"
CACHE_DIR = os.environ.get("ITA_CACHE_DIR", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": CACHE_DIR}
    if CACHE_DIR
    # Culling starts only past MAX_ENTRIES; below that expired counters wait for the hourly scrub.
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

# --- Surveys (IIT/EIT collection); only the surveys app reads these ---
# EIT form posts allowed per network address per 10 minutes (counted in the cache only,
# never stored with answers).
ITA_SURVEY_RATE_LIMIT = env_int("ITA_SURVEY_RATE_LIMIT", 30)
# Wrong or spent codes tried per network address per 10 minutes before code checks from that
# address are refused for the rest of the window (the cache again, under a keyed hash).
ITA_CODE_CHECK_RATE_LIMIT = env_int("ITA_CODE_CHECK_RATE_LIMIT", 20)
# The largest request body, form fields and file parts together: RequestLimitsMiddleware refuses
# a larger Content-Length with 413, CappedUploadHandler stops file parts past it whatever the
# request declared (Django's own DATA_UPLOAD_MAX_MEMORY_SIZE does not count files).
ITA_MAX_POST_BYTES = env_int("ITA_MAX_POST_BYTES", 256 * 1024)
if ITA_MAX_POST_BYTES < 1024:
    raise ImproperlyConfigured(f"ITA_MAX_POST_BYTES must be at least 1024, got {ITA_MAX_POST_BYTES}")
DATA_UPLOAD_MAX_MEMORY_SIZE = ITA_MAX_POST_BYTES
FILE_UPLOAD_HANDLERS = [
    "ita.web.middleware.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# How long a loaded survey form stays valid (seconds); its one-time token expires after that.
ITA_SURVEY_FORM_MAX_AGE = env_int("ITA_SURVEY_FORM_MAX_AGE", 24 * 3600)
# Spare IIT codes allowed beyond the headcount, in percent (at least 2 codes); issuing more
# needs a reason from the coordinator and is flagged to the program admin.
ITA_CODE_SPARE_PERCENT = env_int("ITA_CODE_SPARE_PERCENT", 10)

# --- OIT link checker and snapshots; only the disclosure and jobs apps read these ---
# Loopback/private addresses are refused by the fetcher unless this is on (tests, demo).
ITA_LINKCHECK_ALLOW_LOOPBACK = env_bool("ITA_LINKCHECK_ALLOW_LOOPBACK", False)
ITA_LINKCHECK_TIMEOUT = env_int("ITA_LINKCHECK_TIMEOUT", 10)
ITA_SNAPSHOT_MAX_BYTES = env_int("ITA_SNAPSHOT_MAX_BYTES", 5 * 1024 * 1024)

# --- Results and open data; only the results and api apps read these ---
ITA_RESULTS_PAGE_SIZE = env_int("ITA_RESULTS_PAGE_SIZE", 50)  # rows per ranking page
# Provisional rankings older than this many seconds are recomputed when viewed, for assessments
# of at most ITA_RESULTS_LIVE_MAX_UNITS units (larger ones: the admin's refresh button).
ITA_RESULTS_LIVE_SECONDS = env_int("ITA_RESULTS_LIVE_SECONDS", 60)
ITA_RESULTS_LIVE_MAX_UNITS = env_int("ITA_RESULTS_LIVE_MAX_UNITS", 2000)

# Dates on Thai pages are Buddhist Era ("25 พ.ย. 2569"); with this on, in Thai digits too.
ITA_THAI_DIGITS = env_bool("ITA_THAI_DIGITS", False)
# The site's own Thai page for a form whose CSRF token expired (403, 404 and 500 are templates in ita/web).
CSRF_FAILURE_VIEW = "ita.web.views.csrf_failure"
