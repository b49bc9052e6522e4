from flask import Flask, session
from werkzeug.middleware.proxy_fix import ProxyFix
app = Flask(__name__)
app.config.update(SECRET_KEY="PLANTED-s3cr3t-VALUE-7f1d"
app.secret_key = "PLANTED-s3cr3t-VALUE-7f1d"
