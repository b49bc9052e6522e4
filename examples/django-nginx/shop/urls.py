from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.urls import path


def index(request):
    """Who the session says, what Django believes about the request, and a CSRF token."""
    if request.method == "POST":
        request.session["user"] = request.POST.get("user")
    return JsonResponse({"user": request.session.get("user"), "secure": request.is_secure(), "csrf": get_token(request)})


urlpatterns = [path("", index)]
