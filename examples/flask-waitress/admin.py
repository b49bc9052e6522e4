"""A second, older entry point that still sets its own key."""
import os

from flask import Flask

admin = Flask(__name__)
admin.secret_key = os.getenv("ADMIN_SECRET_KEY", "admin-panel-2019")
