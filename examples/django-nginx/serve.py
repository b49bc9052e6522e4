import os

from waitress import serve

from shop.wsgi import application

serve(application, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
