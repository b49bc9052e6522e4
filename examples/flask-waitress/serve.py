import os

from waitress import serve

from shop import create_app

app = create_app()

if __name__ == "__main__":
    serve(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8080")))
