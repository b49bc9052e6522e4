"""A small shop: sessions hold the basket and the logged-in user."""
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import config_by_name


def create_app(config_name=None):
    app = Flask(__name__)
    app.config.from_object(config_by_name[config_name or os.environ.get("SHOP_CONFIG", "production")])
    # nginx sets X-Forwarded-For and X-Forwarded-Proto; ProxyFix applies them... or so we think.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    from .views import bp

    app.register_blueprint(bp)
    return app
