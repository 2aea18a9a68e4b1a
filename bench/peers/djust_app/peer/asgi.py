"""ASGI entry point: Django over HTTP, djust's consumer at /ws/live/."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402
from django.urls import path  # noqa: E402
from djust.routing import DjustMiddlewareStack  # noqa: E402
from djust.websocket import LiveViewConsumer  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ASGIStaticFilesHandler(django_app),
        "websocket": DjustMiddlewareStack(
            URLRouter([path("ws/live/", LiveViewConsumer.as_asgi())])
        ),
    }
)
