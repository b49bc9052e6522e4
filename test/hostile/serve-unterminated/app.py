from flask import Flask, session
from werkzeug.middleware.proxy_fix import ProxyFix
from waitress import serve
app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
serve(app, host="127.0.0.1", port=8080, ident="shop
