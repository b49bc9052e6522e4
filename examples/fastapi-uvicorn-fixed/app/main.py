import os

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(
    SessionMiddleware,
    secret_key=os.environ["SESSION_SECRET"],
    same_site="none",
    https_only=True,
)


@app.post("/login")
async def login(request: Request, user: str):
    request.session["user"] = user
    return {"user": user}


@app.get("/")
async def me(request: Request):
    return {"user": request.session.get("user"), "scheme": request.url.scheme}
