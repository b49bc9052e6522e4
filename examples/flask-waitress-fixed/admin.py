"""A second, older entry point that still sets its own key."""
import os

from flask import Flask

admin = Flask(__name__)
admin.secret_key = os.environ["ADMIN_SECRET_KEY"]
