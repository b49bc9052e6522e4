import os

from waitress import serve

from shop import create_app

app = create_app()

if __name__ == "__main__":
    serve(
        app,
        host="127.0.0.1",
        port=int(os.environ.get("PORT", "8080")),
        # nginx on this host sets these headers; waitress applies them and drops any others.
        trusted_proxy="127.0.0.1",
        trusted_proxy_headers="x-forwarded-for x-forwarded-proto",
    )
