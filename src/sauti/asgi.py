"""The ASGI application: Django's HTTP views through one WSGI thread hop, Channels for WebSockets.

Sauti's views and middleware are synchronous. Served as native ASGI, Django would hop between the
event loop and a thread for every middleware of every request (several milliseconds of CPU per
request); through a WSGI bridge a request costs one hop, which is what lets one process ingest
webhooks at hundreds per second.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sauti.settings")

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

# A few threads per process: more only fight over the interpreter lock (measured: 4 threads ingest
# ~45% more webhooks per second than 16). Scale with `sauti web --workers N` instead.
http_app = WSGIMiddleware(get_wsgi_application(), workers=int(os.environ.get("SAUTI_WEB_THREADS", "4")))

application = ProtocolTypeRouter({"http": http_app})
