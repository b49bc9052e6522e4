"""A small shop: sessions hold the basket and the logged-in user."""
import os

from flask import Flask

from .config import config_by_name


def create_app(config_name=None):
    app = Flask(__name__)
    app.config.from_object(config_by_name[config_name or os.environ.get("SHOP_CONFIG", "production")])
    # waitress applies the proxy's headers itself (serve.py): no ProxyFix needed.

    from .views import bp

    app.register_blueprint(bp)
    return app
