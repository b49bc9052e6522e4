import os

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route


async def login(request):
    request.session["user"] = "alice"
    return JSONResponse({"user": "alice"})


async def me(request):
    return JSONResponse({"user": request.session.get("user")})


# Unset, the key is None, and Starlette signs with the string "None": anyone can forge a session.
app = Starlette(
    routes=[Route("/login", login, methods=["POST"]), Route("/", me)],
    middleware=[Middleware(SessionMiddleware, secret_key=os.getenv("SESSION_SECRET"))],
)
