"""The FHIR R4 endpoints, under /fhir/ (docs/fhir.md). A screen is found by its URL name: fhir:questionnaire, ..."""

from django.urls import path, re_path

from . import views

app_name = "fhir"

urlpatterns = [
    path("Questionnaire/<str:questionnaire_id>", views.questionnaire_read, name="questionnaire"),
    path("QuestionnaireResponse", views.questionnaire_response_create, name="questionnaire-response-create"),
    path("QuestionnaireResponse/<str:response_id>", views.questionnaire_response_read, name="questionnaire-response"),
    path("Bundle/summary/<str:intake_id>", views.summary_read, name="summary"),
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
