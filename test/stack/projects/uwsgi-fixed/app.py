import os

from flask import Flask, jsonify, request

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]


@app.get("/")
def index():
    return jsonify(scheme=request.scheme, host=request.host, client=request.remote_addr)
