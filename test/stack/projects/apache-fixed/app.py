import os

from flask import Flask, jsonify, request
from waitress import serve

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]


@app.get("/")
def index():
    return jsonify(scheme=request.scheme, host=request.host, client=request.remote_addr)


if __name__ == "__main__":
    serve(
        app,
        host="127.0.0.1",
        port=int(os.environ.get("PORT", "8080")),
        trusted_proxy="127.0.0.1",
        trusted_proxy_headers="x-forwarded-for x-forwarded-proto",
    )
