"""Check-in URLs (mounted at /checkin/). Screens by URL name: checkins:form, checkins:result, checkins:opt_out …"""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import views

app_name = "checkins"

urlpatterns = [
    path("done/", views.result, name="result"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    # RFC 8058 one-click opt-out is a POST from the mail client, without a CSRF token; the signed link is the key.
    path("stop/<str:token>/", csrf_exempt(views.opt_out), name="opt_out"),
    path("<str:token>/", views.checkin_form, name="form"),
]
