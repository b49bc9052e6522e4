from flask import Blueprint, flash, redirect, request, session, url_for

bp = Blueprint("shop", __name__)


@bp.route("/")
def index():
    return {"user": session.get("user"), "basket": session.get("basket", [])}


@bp.post("/login")
def login():
    session["user"] = request.form["name"]
    flash("Logged in")
    return redirect(url_for("shop.index"))


@bp.post("/basket/<item>")
def add(item):
    session["basket"] = session.get("basket", []) + [item]
    return redirect(url_for("shop.index"))
