"""Settings of the djust peer: no database at run time, djust's rate limits out of the way."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "channels",
    "djust",
    "peer",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "djust.middleware.DjustMainOnlyMiddleware",
]
ROOT_URLCONF = "peer.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "peer" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
ASGI_APPLICATION = "peer.asgi.application"
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("DJUST_PEER_DB", "/tmp/djust-peer.sqlite3")}
}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
STATIC_URL = "/static/"
USE_TZ = True
LIVEVIEW_ALLOWED_MODULES = ["peer.views"]
LIVEVIEW_CONFIG = {
    "rate_limit": {
        "rate": 1000000,
        "burst": 1000000,
        "max_warnings": 1000,
        "max_connections_per_ip": 100000,
        "reconnect_cooldown": 1,
    }
}
LOGGING = {"version": 1, "root": {"level": "WARNING"}}
