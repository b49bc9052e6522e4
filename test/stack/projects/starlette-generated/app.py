import secrets

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


# A new key in every process: each restart (and each other worker) forgets every session.
app = Starlette(
    routes=[Route("/login", login, methods=["POST"]), Route("/", me)],
    middleware=[Middleware(SessionMiddleware, secret_key=secrets.token_urlsafe(32))],
)
