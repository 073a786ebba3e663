"""Settings for the Heseltine Institute site, read from the environment.

Every variable is listed with a one-line explanation in `.env.example`.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from heseltine.storage import s3_storage

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
# templates/ and static/ sit beside the package in a checkout; an installed
# wheel carries them inside it, under shipped/ (pyproject.toml's sources).
SHIPPED_DIR = PACKAGE_DIR / "shipped"
FILES_DIR = SHIPPED_DIR if SHIPPED_DIR.is_dir() else BASE_DIR


# The environment wins over the file: DJANGO_ENV_FILE names it (an installed
# site's, say /etc/heseltine/heseltine.env), else .env beside manage.py. It is
# read before anything is decided, debug included.
env = environ.Env()
_env_file = os.environ.get("DJANGO_ENV_FILE")
if _env_file:
    if not Path(_env_file).is_file():
        raise ImproperlyConfigured(
            f"DJANGO_ENV_FILE names {_env_file}, which is not a readable file."
        )
    environ.Env.read_env(_env_file, overwrite=False)
elif (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Core
DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key")
    ALLOWED_HOSTS = env.list(
        "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"]
    )
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (in the "
            "environment, in .env or in the file DJANGO_ENV_FILE names). On a "
            "developer's machine, set DJANGO_DEBUG=true."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off "
            "(a comma-separated list of host names)."
        )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Email (invitations, workflow notifications): printed to the console on a
# developer's machine, sent by SMTP in production; tests keep it in memory.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    # Before staticfiles, so its collectstatic (which leaves out CKEditor's
    # sample pages) is the one manage.py runs.
    "heseltine.apps.HeseltineConfig",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "csp",
    "ckeditor",
    "ckeditor_uploader",
    "heseltine.apps.TagsConfig",
    "reversion",
    "axes",
    "institute",
    "blog",
    "partnerships",
    "work",
]

MIDDLEWARE = [
    # First: a request id and one log line for every answer, cached ones too.
    "heseltine.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions, so a cached page costs no session or database work.
    *(
        ["heseltine.cache.AnonymousPageCacheMiddleware"]
        if env.bool("DJANGO_PAGE_CACHE", default=True)
        else []
    ),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "heseltine.security.SiteCSPMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After.
    "heseltine.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heseltine.urls"
WSGI_APPLICATION = "heseltine.wsgi.application"

TEMPLATES = [
    # The public pages (templates/): Jinja2, for speed; see heseltine/jinja2.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [FILES_DIR / "templates"],
        "OPTIONS": {
            "environment": "heseltine.jinja2.environment",
            "context_processors": ["institute.context_processors.site"],
        },
    },
    # The admin and our overrides of its templates (templates/admin/).
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [FILES_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Data
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = env("CACHE_URL", default="") or env("REDIS_URL", default="")
if _cache_url.startswith(("redis://", "rediss://")):
    # Django's own Redis backend; django-environ would pick django-redis.
    # The cache is an optimisation: a Redis that is down or frozen costs a page
    # at most REDIS_TIMEOUT once, then is left alone (heseltine.cache).
    _redis_timeout = env.float("REDIS_TIMEOUT", default=0.5)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="heseltine"),
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
                # Tells the content stamp of each connection opened to Redis.
                "pool_class": "heseltine.cache.ConnectionPool",
            },
        }
    }
elif _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "heseltine",
        }
    }

# Varnish instances in front of the site (deploy/varnish/), as base URLs: each
# is sent a BAN at every content change, and pages carry the s-maxage that
# lets them keep a page only then (heseltine.edge).
FRONTEND_CACHE_URLS = env.list("FRONTEND_CACHE_URLS", default=[])
for _url in FRONTEND_CACHE_URLS:
    if urlsplit(_url).scheme not in ("http", "https") or not urlsplit(_url).hostname:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_URLS: {_url!r} is not a base URL such as "
            "http://127.0.0.1:6081"
        )
# Seconds a save may wait for a Varnish; one that does not answer is sent the
# BAN again in the background until it does.
FRONTEND_CACHE_TIMEOUT = env.float("FRONTEND_CACHE_TIMEOUT", default=0.5)

# Authentication
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes refuses a login for a username from an address after
# AXES_FAILURE_LIMIT failures in a row, until AXES_COOLOFF_TIME has passed
# since the last attempt (attempts while locked start the wait again). Its
# backend comes first so a locked pair never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "heseltine.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "heseltine.security.client_ip"
# Reverse proxies in front of the site that each append the address they were
# reached from to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for). With
# none, X-Forwarded-For is the client's own say and is never trusted.
TRUSTED_PROXY_COUNT = env.int(
    "DJANGO_TRUSTED_PROXY_COUNT",
    default=1 if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False) else 0,
)

# Sessions: only staff have them. One ends when the browser closes, and at the
# latest SESSION_COOKIE_AGE after logging in, however busy (a stolen cookie
# is good for no longer). Not renewed at each request: that would be a
# database write per staff request, and would let a stolen cookie live on.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_HOURS", default=12) * 60 * 60

# Language and time
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# Our wording of some of Django's own messages (date and time errors).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"

# Static files and uploads
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [FILES_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads on this machine's disk (MEDIA_ROOT), or in an S3-compatible bucket
# that every app server shares (heseltine.storage).
MEDIA_STORAGE = env("DJANGO_MEDIA_STORAGE", default="local")
MEDIA_ORIGINS = []
if MEDIA_STORAGE == "local":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _custom_domain = env("AWS_S3_CUSTOM_DOMAIN", default="") or None
    _endpoint_url = env("AWS_S3_ENDPOINT_URL", default="") or None
    _url_protocol = env("AWS_S3_URL_PROTOCOL", default="https:")
    if not (_custom_domain or _endpoint_url):
        raise ImproperlyConfigured(
            "With DJANGO_MEDIA_STORAGE=s3, set AWS_S3_CUSTOM_DOMAIN to where "
            "uploads are served (www.example.ac.uk/media through the nginx "
            "site in deploy/nginx/, or a CDN's domain), or AWS_S3_ENDPOINT_URL."
        )
    _media_storage = s3_storage(
        bucket=env("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=_endpoint_url,
        region=env("AWS_S3_REGION_NAME", default="") or None,
        custom_domain=_custom_domain,
        url_protocol=_url_protocol,
        location=env("AWS_LOCATION", default=""),
    )
    # Pages show images from there: the Content-Security-Policy must allow it.
    MEDIA_ORIGINS = [
        f"{_url_protocol}//{_custom_domain.split('/')[0]}"
        if _custom_domain
        else "{0.scheme}://{0.netloc}".format(urlsplit(_endpoint_url))
    ]
else:
    raise ImproperlyConfigured(
        f"DJANGO_MEDIA_STORAGE is {MEDIA_STORAGE!r}: it must be local or s3."
    )
# Django's own /media/ route reads MEDIA_ROOT; a bucket is served by nginx or
# a CDN in front of it (deploy/nginx/).
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=MEDIA_STORAGE == "local")
if SERVE_MEDIA and MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(
        "DJANGO_SERVE_MEDIA serves uploads from MEDIA_ROOT: with "
        "DJANGO_MEDIA_STORAGE=s3 the bucket serves them (see deploy/nginx/)."
    )
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": env(
            "DJANGO_STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Rich text: CKEditor 4 in the admin; everything it sends is sanitised with
# nh3 by heseltine.richtext before it is stored.
CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_IMAGE_BACKEND = "ckeditor_uploader.backends.PillowBackend"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
# Each uploader's images under uploads/<user id>/: contributors browse their own.
CKEDITOR_RESTRICT_BY_USER = "pk"
CKEDITOR_BROWSE_SHOW_DIRS = False
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Image", "Table"],
            ["RemoveFormat", "Source"],
        ],
        "format_tags": "p;h2;h3;h4",
        "height": 360,
        "width": "100%",
        "removePlugins": "exportpdf",
        # Edit in the page rather than in an iframe CKEditor writes with an
        # inline script, which the admin's Content-Security-Policy refuses.
        "extraPlugins": "divarea",
        "disableNativeSpellChecker": False,
        # Never call CKEditor's vendor from an editor's browser.
        "versionCheck": False,
        # Uploads by XHR, with the CSRF token as a header, answered in JSON.
        "filebrowserUploadMethod": "xhr",
        "customConfig": STATIC_URL + "js/ckeditor-config.js",
    }
}
# CKEditor 4 is unmaintained upstream (ckeditor.W001). We keep it because the
# brief requires django-ckeditor, and make it safe by sanitising on the server
# (heseltine.richtext); swapping editors is a change to that one module.
SILENCED_SYSTEM_CHECKS = [
    "ckeditor.W001",
    # HSTS preloading is asked for a whole registrable domain (the
    # university's), not by one site on it; that is the domain owner's call.
    "security.W021",
]

# Tags: "Devolution" and "devolution" are the same tag.
TAGGIT_CASE_INSENSITIVE = True

# Security
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# Varnish's and load balancers' health probes ask the app servers directly,
# over plain HTTP: a redirect would count as a failure.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict policy for the public site: our own scripts, styles and images only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The staff pages (heseltine.security.SiteCSPMiddleware): the same origins, but
# CKEditor 4 wires its toolbar, menus and dialogs with inline event handlers
# numbered as it runs (onclick="CKEDITOR.tools.callFunction(12,this)"), which
# no hash or nonce can cover, styles them with style attributes, and shows
# pasted images as data: and blob: URLs. Script elements stay our own files:
# no inline <script>, no eval, no other origin.
STAFF_CSP_URL_PREFIXES = ("/admin/", "/ckeditor/")
STAFF_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        # The one javascript: URL CKEditor navigates to, the blank frame of its
        # dialogs' Upload tab ("javascript:void(0)"), and nothing else.
        "script-src": [
            SELF,
            "'unsafe-hashes'",
            "'sha256-rRMdkshZyJlCmDX27XnL7g3zXaxv7ei6Sg+yt4R3svU='",
        ],
        "script-src-attr": [UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
    },
}

# Logging: to the console, where the process manager (systemd's journal)
# collects it: one JSON line per request and per record logged (an error with
# its traceback), each with the request's id (heseltine.logs). Plain text for
# a developer's console.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "heseltine.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "heseltine.logs.JSONFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-axes says something at every login; heseltine.security logs
        # each lockout with the username and address.
        "axes": {"level": "WARNING"},
        # Its "Not Found: /x" for each 4xx repeats the request's own line;
        # errors (500s, with their traceback) still come through.
        "django.request": {"level": "ERROR"},
    },
}

# Error reports to Sentry (or a service speaking its protocol), only when
# SENTRY_DSN is set. No personal data: no user, address, cookies, nor the
# values of local variables (a session key, a password being checked).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        include_local_variables=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
