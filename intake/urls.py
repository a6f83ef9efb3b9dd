"""The patient's URLs. A screen is found by its URL name: intake:start, intake:step, intake:review, ..."""

from django.urls import path

from .views import patient

app_name = "intake"

urlpatterns = [
    path("i/<str:token>/", patient.start, name="start"),
    path("intake/step/<slug:slug>/", patient.step, name="step"),
    path("intake/review/", patient.review, name="review"),
    path("intake/submit/", patient.submit, name="submit"),
    path("intake/result/", patient.result, name="result"),
    path("intake/acknowledge/", patient.acknowledge, name="acknowledge"),
]
