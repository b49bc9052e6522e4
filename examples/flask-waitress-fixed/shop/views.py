from flask import Blueprint, flash, redirect, request, session, url_for

bp = Blueprint("shop", __name__)


@bp.route("/")
def index():
    return {
        "user": session.get("user"),
        "basket": session.get("basket", []),
        # What the app believes about the request: behind nginx with TLS this must be https.
        "scheme": request.scheme,
        "client": request.remote_addr,
    }


@bp.post("/login")
def login():
    session["user"] = request.form["name"]
    flash("Logged in")
    return redirect(url_for("shop.index"))


@bp.post("/basket/<item>")
def add(item):
    session["basket"] = session.get("basket", []) + [item]
    return redirect(url_for("shop.index"))
