"""Django settings for Waspada, read from the environment.

Every variable is documented in docs/configuration.md. With no variable set, Waspada runs on
SQLite in ./data with no other service, which is what `waspada demo` uses.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from waspada.lib.env import (
    ConfigError,
    env_bool,
    env_deadline,
    env_int,
    env_list,
    env_optional_str,
    env_path,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("WASPADA_DATA_DIR", Path.cwd() / "data").resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    configured = env_optional_str("SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ConfigError("SECRET_KEY: terlalu pendek, minimal 32 karakter")
        return configured
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The regency this installation serves first (Kemendagri code); names that collide prefer it.
WASPADA_HOME_REGION = env_str("WASPADA_HOME_REGION", "64.01")
WASPADA_SITE_NAME = env_str("WASPADA_SITE_NAME", "Waspada Kabupaten Paser")

INSTALLED_APPS = [
    "waspada.core",
    "waspada.people",
    "waspada.regions",
    "waspada.forums",
    "waspada.audit",
    "waspada.reports",
    "waspada.response",
    "waspada.notify",
    "waspada.triage",
    "waspada.detection",
    "waspada.situation",
    "waspada.exchange",
    "waspada.security",
    "waspada.briefs",
    "waspada.chat",
    "waspada.web",
    "waspada.ops",
    # Django's admin with Waspada's site class: our login page (throttled, two steps) for it too.
    "waspada.security.admin_apps.WaspadaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' scripts from /static/ instead of a CDN (and so under our CSP)
]

MIDDLEWARE = [
    "waspada.security.addresses.TrustedProxyMiddleware",  # first: the client's address behind nginx
    "django.middleware.security.SecurityMiddleware",
    "waspada.security.headers.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waspada.core.dbrouter.ReplicaReadsMiddleware",  # with a replica: which pages read it (before any read)
    "waspada.security.sessions.IdleSessionMiddleware",  # sessions; a background poll is not activity
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "waspada.situation.wall.DisplayOnlyMiddleware",  # a wall's display session opens the wall only
    "waspada.forums.access.AccessMiddleware",  # each person's seats read once per request
    "waspada.security.two_factor.SecondFactorMiddleware",  # a password-only session waits for its code
    "waspada.security.ratelimit.RateLimitMiddleware",  # /api/ and the report form's POST
    "waspada.security.input.InputMiddleware",  # no NUL, dates 1900-2100, ids within 64 bits (lib/input.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "waspada.core.offline.OfflineCacheMiddleware",  # marks the pages the service worker may keep
]

ROOT_URLCONF = "waspada.urls"
WSGI_APPLICATION = "waspada.wsgi.application"

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
                "waspada.core.context_processors.site",
                "waspada.core.offline.context",
            ],
        },
    },
]

# SQLite in the data folder unless DATABASE_URL says otherwise (postgres://user@host:5432/name).
_DEFAULT_DB = f"sqlite:///{DATA_DIR / 'waspada.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _DEFAULT_DB), conn_max_age=60)}
except ValueError as exc:
    raise ConfigError(f"DATABASE_URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids upgrade deadlocks.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL streaming replica for the heavy reads (waspada/core/dbrouter.py; docs/deployment.md
# §14): the dashboards, lists, exports, briefs and detection read it while it is within
# REPLICA_LAG_BUDGET seconds of the primary; everything else, and a browser that has just written,
# reads the primary.
_REPLICA_URL = env_optional_str("DATABASE_REPLICA_URL")
REPLICA_LAG_BUDGET = env_int("WASPADA_REPLICA_LAG_BUDGET", 10, minimum=0, maximum=3600)
REPLICA_CHECK_INTERVAL = env_int("WASPADA_REPLICA_CHECK_INTERVAL", 2, minimum=0, maximum=300)
REPLICA_READ_VIEWS = [
    "situation:dashboard",
    "situation:map",
    "situation:reports",
    "situation:incidents",
    "situation:region",
    "situation:live",
    "situation:province",
    "situation:wall",
    "situation:wall_token",
    "situation:wall_part",
    "reports:list",
    "reports:incidents",
    "exchange:export",
    "exchange:atom",
    "briefs:list",
    "briefs:province",
    "briefs:download",
    "detection:list",
]
if _REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigError("DATABASE_REPLICA_URL: butuh DATABASE_URL PostgreSQL / needs PostgreSQL")
    try:
        DATABASES["replica"] = dj_database_url.parse(_REPLICA_URL, conn_max_age=60)
    except ValueError as exc:
        raise ConfigError(f"DATABASE_REPLICA_URL: {exc}") from exc
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigError("DATABASE_REPLICA_URL: harus PostgreSQL / must be PostgreSQL (postgres://…)")
    # A replica that does not answer within 3 s is taken as down (reads fall back to the primary).
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 3
    # In tests the replica holds the primary's test database (streamed, never created on it).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["waspada.core.dbrouter.ReplicaRouter"]

AUTH_USER_MODEL = "people.Person"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link lives two hours

# Sessions: a shared office computer must not stay logged in for days.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry: the clock restarts with each request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "waspada.core.errors.csrf_failure"  # in the site's shell, saying what to do
HTTPS = env_bool("WASPADA_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies whose X-Forwarded-For is believed (IPs or CIDR networks, e.g. 127.0.0.1).
WASPADA_TRUSTED_PROXIES = env_list("WASPADA_TRUSTED_PROXIES", [])

# Login throttling (waspada/security/throttle.py): failures before a lockout, per account name and
# per client network, counted while less than the window apart; the first lockout's length in
# seconds, doubling for each further lockout up to the maximum.
WASPADA_LOGIN_MAX_FAILURES = env_int("WASPADA_LOGIN_MAX_FAILURES", 5, minimum=1)
WASPADA_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("WASPADA_LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
WASPADA_LOGIN_FAILURE_WINDOW = env_int("WASPADA_LOGIN_FAILURE_WINDOW", 15 * 60, minimum=1)
WASPADA_LOGIN_LOCKOUT = env_int("WASPADA_LOGIN_LOCKOUT", 15 * 60, minimum=1)
WASPADA_LOGIN_LOCKOUT_MAX = env_int("WASPADA_LOGIN_LOCKOUT_MAX", 24 * 60 * 60, minimum=1)
# An account guessed at from many addresses is never locked: from addresses its owner has not
# logged in from, each attempt after WASPADA_LOGIN_MAX_FAILURES waits this many seconds, doubling
# per further failure up to the maximum. The owner's known addresses never wait.
WASPADA_LOGIN_ACCOUNT_DELAY = env_int("WASPADA_LOGIN_ACCOUNT_DELAY", 30, minimum=1)
WASPADA_LOGIN_ACCOUNT_DELAY_MAX = env_int("WASPADA_LOGIN_ACCOUNT_DELAY_MAX", 15 * 60, minimum=1)
# Password-reset mail: requests per account and per client address in an hour (same answer beyond).
WASPADA_PASSWORD_RESET_PER_ACCOUNT = env_int("WASPADA_PASSWORD_RESET_PER_ACCOUNT", 3, minimum=0)
WASPADA_PASSWORD_RESET_PER_ADDRESS = env_int("WASPADA_PASSWORD_RESET_PER_ADDRESS", 10, minimum=0)

# Rate limits (waspada/security/ratelimit.py): requests per window of WASPADA_RATE_WINDOW seconds;
# 0 turns a limit off.
WASPADA_RATE_WINDOW = env_int("WASPADA_RATE_WINDOW", 60, minimum=1)
WASPADA_API_RATE_PER_CLIENT = env_int("WASPADA_API_RATE_PER_CLIENT", 600, minimum=0)
WASPADA_API_RATE_PER_ADDRESS = env_int("WASPADA_API_RATE_PER_ADDRESS", 1200, minimum=0)
WASPADA_FORM_RATE_PER_PERSON = env_int("WASPADA_FORM_RATE_PER_PERSON", 30, minimum=0)
WASPADA_FORM_RATE_PER_ADDRESS = env_int("WASPADA_FORM_RATE_PER_ADDRESS", 120, minimum=0)

# Verification deadlines by alert level (waspada/reports/verification.py, docs/verification.md):
# how long the TKD has to verify or reject an incoming report before its ketua is told.
WASPADA_VERIFY_DEADLINES = {
    "awas": env_deadline("WASPADA_VERIFY_DEADLINE_AWAS", (1, "jam")),
    "siaga": env_deadline("WASPADA_VERIFY_DEADLINE_SIAGA", (4, "jam")),
    "waspada": env_deadline("WASPADA_VERIFY_DEADLINE_WASPADA", (1, "hari_kerja")),
    "normal": env_deadline("WASPADA_VERIFY_DEADLINE_NORMAL", (3, "hari_kerja")),
}

# Informants' identities are purged this many days after their report (waspada/security/retention.py).
WASPADA_INFORMANT_RETENTION_DAYS = env_int("WASPADA_INFORMANT_RETENTION_DAYS", 365, minimum=1)

# Situation picture (waspada/situation, docs/situation.md): the region-status rule's numbers, how
# often open pages ask for news, and an optional map tile server (none: boundaries only, offline).
WASPADA_STATUS_WINDOW_DAYS = env_int("WASPADA_STATUS_WINDOW_DAYS", 14, minimum=1)
WASPADA_STATUS_FULL_DAYS = env_int("WASPADA_STATUS_FULL_DAYS", 7, minimum=0)
WASPADA_STATUS_CLUSTER = env_int("WASPADA_STATUS_CLUSTER", 3, minimum=2)
# Early detection (docs/detection.md): processes for the space-time scans of a run over many
# kabupaten (a province or the whole country); a single regency is scanned in the worker itself.
WASPADA_DETECTION_PROCESSES = env_int("WASPADA_DETECTION_PROCESSES", 2, minimum=1, maximum=64)
WASPADA_LIVE_POLL_SECONDS = env_int("WASPADA_LIVE_POLL_SECONDS", 5, minimum=1)
WASPADA_MAP_TILE_URL = env_str("WASPADA_MAP_TILE_URL", "")

# Briefs (waspada/briefs, docs/briefs.md): the official header and signature of the PDF reports,
# the hour (WITA) scheduled situation reports fall due, and optional TrueType fonts.
WASPADA_BRIEF_REGENCY = env_str("WASPADA_BRIEF_REGENCY", "Pemerintah Kabupaten Paser")
WASPADA_BRIEF_OFFICE = env_str("WASPADA_BRIEF_OFFICE", "Badan Kesatuan Bangsa dan Politik")
WASPADA_BRIEF_ADDRESS = env_str("WASPADA_BRIEF_ADDRESS", "")
WASPADA_BRIEF_LOGO = env_str("WASPADA_BRIEF_LOGO", "")
WASPADA_BRIEF_SIGN_PLACE = env_str("WASPADA_BRIEF_SIGN_PLACE", "Tana Paser")
WASPADA_BRIEF_SIGNER_TITLE = env_str("WASPADA_BRIEF_SIGNER_TITLE", "Kepala Badan Kesatuan Bangsa dan Politik")
WASPADA_BRIEF_SIGNER_NAME = env_str("WASPADA_BRIEF_SIGNER_NAME", "")
WASPADA_BRIEF_SIGNER_ID = env_str("WASPADA_BRIEF_SIGNER_ID", "")
WASPADA_BRIEF_HOUR = env_int("WASPADA_BRIEF_HOUR", 7, minimum=0, maximum=23)
WASPADA_BRIEF_FONT = env_str("WASPADA_BRIEF_FONT", "")
WASPADA_BRIEF_FONT_BOLD = env_str("WASPADA_BRIEF_FONT_BOLD", "")
# The Lapsit's nomor (tata naskah dinas): {seq} the number of the year's approved Lapsit, {year},
# {month} (Roman numeral); the Kesbangpol admin sets it (docs/briefs.md, docs/configuration.md).
WASPADA_LAPSIT_NOMOR = env_str("WASPADA_LAPSIT_NOMOR", "300.1/{seq}/Kesbangpol/{year}")
WASPADA_LAPSIT_KEPADA = env_str("WASPADA_LAPSIT_KEPADA", "Bupati Paser")
WASPADA_LAPSIT_TEMBUSAN = env_str(
    "WASPADA_LAPSIT_TEMBUSAN",
    "Gubernur Kalimantan Timur c.q. Kepala Badan Kesbangpol Provinsi Kalimantan Timur;"
    "Anggota Forkopimda Kabupaten Paser;Arsip",
)
if WASPADA_BRIEF_LOGO and not Path(WASPADA_BRIEF_LOGO).is_file():
    raise ConfigError(f"WASPADA_BRIEF_LOGO={WASPADA_BRIEF_LOGO!r}: berkas tidak ditemukan")
if "{seq}" not in WASPADA_LAPSIT_NOMOR:
    raise ConfigError(f"WASPADA_LAPSIT_NOMOR={WASPADA_LAPSIT_NOMOR!r}: harus memuat {{seq}} (nomor urut)")

# Exchange (waspada/exchange, docs/exchange.md): who signs the CAP alerts (no spaces or commas) and the
# office named as their sender.
WASPADA_CAP_SENDER = env_str(
    "WASPADA_CAP_SENDER", f"kesbangpol-{WASPADA_HOME_REGION.replace('.', '')}@waspada"
)
WASPADA_CAP_SENDER_NAME = env_str("WASPADA_CAP_SENDER_NAME", "Badan Kesbangpol Kabupaten Paser")
# The second key (docs/exchange.md, "Two keys"): the TKD roles that approve an Actual, Public alert
# written by someone else. By default the ketua (the head of Kesbangpol) and the pimpinan.
WASPADA_ALERT_APPROVER_ROLES = env_list("WASPADA_ALERT_APPROVER_ROLES", ["ketua", "pimpinan"])

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA, Kabupaten Paser
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", DATA_DIR / "static")
MEDIA_ROOT = env_path("MEDIA_ROOT", DATA_DIR / "media")
MEDIA_URL = "/media/"
# Uploads are never served from MEDIA_URL: the app checks who asks, then sends the bytes itself
# (empty) or lets nginx send them from an `internal` location (`nginx`: X-Accel-Redirect).
WASPADA_SENDFILE = env_str("WASPADA_SENDFILE", "").strip().lower()
if WASPADA_SENDFILE not in ("", "nginx"):
    raise ConfigError(f"WASPADA_SENDFILE={WASPADA_SENDFILE!r}: kosongkan, atau isi nginx")
WASPADA_SENDFILE_PREFIX = env_str("WASPADA_SENDFILE_PREFIX", "/_unggahan/")
if not (WASPADA_SENDFILE_PREFIX.startswith("/") and WASPADA_SENDFILE_PREFIX.endswith("/")):
    raise ConfigError(f"WASPADA_SENDFILE_PREFIX={WASPADA_SENDFILE_PREFIX!r}: harus diawali dan diakhiri /")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Mail: SMTP when EMAIL_HOST is set, otherwise messages are written to the data folder.
EMAIL_HOST = env_optional_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "waspada@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task RUNNING longer than this whose worker wrote no heartbeat for as long lost its worker
# (killed): it is queued again, or failed after WASPADA_TASK_MAX_ATTEMPTS (waspada/core/leases.py).
WASPADA_TASK_LEASE_SECONDS = env_int("WASPADA_TASK_LEASE_SECONDS", 120, minimum=30)
WASPADA_TASK_MAX_ATTEMPTS = env_int("WASPADA_TASK_MAX_ATTEMPTS", 3, minimum=1)

# Notifications (waspada/notify, docs/notifications.md). Links in messages start with the base URL.
WASPADA_BASE_URL = env_str("WASPADA_BASE_URL", "")
WASPADA_NOTIFY_RETRY_BASE_SECONDS = env_int("WASPADA_NOTIFY_RETRY_BASE_SECONDS", 30, minimum=1)
WASPADA_NOTIFY_MAX_ATTEMPTS = env_int("WASPADA_NOTIFY_MAX_ATTEMPTS", 8, minimum=1)
# A delivery claimed this long ago without a result is taken to have lost its worker.
WASPADA_NOTIFY_LEASE_SECONDS = env_int("WASPADA_NOTIFY_LEASE_SECONDS", 120, minimum=1)
WASPADA_MATRIX_HOMESERVER = env_str("WASPADA_MATRIX_HOMESERVER", "")
WASPADA_MATRIX_USER_ID = env_str("WASPADA_MATRIX_USER_ID", "")
WASPADA_MATRIX_ACCESS_TOKEN = env_str("WASPADA_MATRIX_ACCESS_TOKEN", "")
WASPADA_TELEGRAM_API_URL = env_str("WASPADA_TELEGRAM_API_URL", "https://api.telegram.org")
WASPADA_TELEGRAM_BOT_TOKEN = env_str("WASPADA_TELEGRAM_BOT_TOKEN", "")
# WhatsApp Business Platform (Cloud API): docs/notifications.md, docs/configuration.md.
WASPADA_WHATSAPP_API_URL = env_str("WASPADA_WHATSAPP_API_URL", "https://graph.facebook.com")
WASPADA_WHATSAPP_API_VERSION = env_str("WASPADA_WHATSAPP_API_VERSION", "v21.0")
WASPADA_WHATSAPP_PHONE_NUMBER_ID = env_str("WASPADA_WHATSAPP_PHONE_NUMBER_ID", "")
WASPADA_WHATSAPP_ACCESS_TOKEN = env_str("WASPADA_WHATSAPP_ACCESS_TOKEN", "")
WASPADA_WHATSAPP_APP_SECRET = env_str("WASPADA_WHATSAPP_APP_SECRET", "")
WASPADA_WHATSAPP_VERIFY_TOKEN = env_str("WASPADA_WHATSAPP_VERIFY_TOKEN", "")
# The approved template used outside the 24-hour window: its name at Meta, and per language the
# body registered there ({{1}} the notice in one line, {{2}} the link). JSON; docs/configuration.md.
WASPADA_WHATSAPP_TEMPLATES = env_str(
    "WASPADA_WHATSAPP_TEMPLATES",
    '{"name": "waspada_pemberitahuan", "bodies": {'
    '"id": "Pemberitahuan Waspada: {{1}} Buka: {{2}}", '
    '"en": "Waspada notice: {{1}} Open: {{2}}"}}',
)
# The authentication template that carries a one-time code to a number being linked from the
# notification settings page ({{1}} the code; a copy-code button): its name at Meta and the
# languages it is approved in. JSON; docs/notifications.md.
WASPADA_WHATSAPP_CODE_TEMPLATE = env_str(
    "WASPADA_WHATSAPP_CODE_TEMPLATE", '{"name": "waspada_kode", "languages": ["id", "en"]}'
)
# A WhatsApp or SMS number not linked to anyone is told how to get linked at most once per this
# many hours (0: every message); its messages are never stored (docs/notifications.md).
WASPADA_UNLINKED_REPLY_HOURS = env_int("WASPADA_UNLINKED_REPLY_HOURS", 24, minimum=0)
# The cross-forum WhatsApp group is always kept once WhatsApp is configured (``waspada
# whatsapp_groups``); one group per active forum too when this is on (docs/notifications.md).
WASPADA_WHATSAPP_FORUM_GROUPS = env_bool("WASPADA_WHATSAPP_FORUM_GROUPS", False)

# SMS (docs/notifications.md, SMS; docs/configuration.md). WASPADA_SMS_PROVIDER: "android" (SMS
# Gateway for Android: a phone with a SIM), "http" (a generic HTTP aggregator), empty: SMS off.
WASPADA_SMS_PROVIDER = env_str("WASPADA_SMS_PROVIDER", "").strip().lower()
if WASPADA_SMS_PROVIDER not in ("", "android", "http"):
    raise ConfigError(f"WASPADA_SMS_PROVIDER={WASPADA_SMS_PROVIDER!r}: harus android, http, atau kosong")
# android: the phone's local server (http://<phone>:8080) or the cloud (https://api.sms-gate.app/3rdparty/v1).
WASPADA_SMS_GATEWAY_URL = env_str("WASPADA_SMS_GATEWAY_URL", "")
WASPADA_SMS_GATEWAY_USERNAME = env_str("WASPADA_SMS_GATEWAY_USERNAME", "sms")
WASPADA_SMS_GATEWAY_PASSWORD = env_str("WASPADA_SMS_GATEWAY_PASSWORD", "")
# android: the app's webhook signing key (Settings → Webhooks → Signing Key); empty refuses every webhook.
WASPADA_SMS_WEBHOOK_SIGNING_KEY = env_str("WASPADA_SMS_WEBHOOK_SIGNING_KEY", "")
# http: where to send (form or JSON POST), its bearer token, the token the aggregator sends with
# each incoming SMS, the field names, and whether it drops a repeated reference (idempotency).
WASPADA_SMS_HTTP_SEND_URL = env_str("WASPADA_SMS_HTTP_SEND_URL", "")
WASPADA_SMS_HTTP_FORMAT = env_str("WASPADA_SMS_HTTP_FORMAT", "form").strip().lower()
if WASPADA_SMS_HTTP_FORMAT not in ("form", "json"):
    raise ConfigError(f"WASPADA_SMS_HTTP_FORMAT={WASPADA_SMS_HTTP_FORMAT!r}: harus form atau json")
WASPADA_SMS_HTTP_TOKEN = env_str("WASPADA_SMS_HTTP_TOKEN", "")
WASPADA_SMS_HTTP_INBOUND_TOKEN = env_str("WASPADA_SMS_HTTP_INBOUND_TOKEN", "")
WASPADA_SMS_HTTP_FIELDS = env_str("WASPADA_SMS_HTTP_FIELDS", "")
WASPADA_SMS_HTTP_DEDUPES = env_bool("WASPADA_SMS_HTTP_DEDUPES", False)
# A notice is cut (at a word) to fit this many SMS; a reply to a command may take one more.
WASPADA_SMS_MAX_PARTS = env_int("WASPADA_SMS_MAX_PARTS", 3, minimum=1, maximum=6)

# LOG_FORMAT=json writes one JSON object per line (waspada/lib/jsonlog.py) for a log collector.
LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ConfigError(f"LOG_FORMAT={LOG_FORMAT!r}: harus plain atau json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "waspada.lib.jsonlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
