from flask import Flask, session
from werkzeug.middleware.proxy_fix import ProxyFix
app = Flask(__name__)
