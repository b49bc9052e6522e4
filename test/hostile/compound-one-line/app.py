from flask import Flask, session
class Config: SESSION_COOKIE_SAMESITE = "None"
if True: app = Flask(__name__)
app.config.from_object(Config)
def index(): session["a"] = 1
