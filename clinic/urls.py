from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("clinic/", include("intake.clinician.urls")),
    path("checkin/", include("intake.checkins.urls")),
    path("fhir/", include("intake.fhir.urls")),
    path("", include("intake.urls")),
]

handler404 = "intake.views.errors.not_found"
handler500 = "intake.views.errors.server_error"

if settings.BENCH:  # bench/load.py only: the one-query ceiling view (clinic/bench.py)
    from clinic.bench import bench_query

    urlpatterns.insert(0, path("bench/query/", bench_query))

