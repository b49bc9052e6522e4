import os

from waitress import serve

from shop.wsgi import application

# nginx on this host ends TLS: waitress takes the scheme and client address from it only.
serve(
    application,
    host="127.0.0.1",
    port=int(os.environ.get("PORT", "8000")),
    trusted_proxy="127.0.0.1",
    trusted_proxy_headers="x-forwarded-for x-forwarded-proto",
)
