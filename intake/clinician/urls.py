"""Clinician and staff URLs, under /clinic/. A screen is found by its URL name: clinician:worklist, ..."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import checkins, exports, home, summary, trends, twofactor, worklist

app_name = "clinician"

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="clinician/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/setup/", twofactor.two_factor_setup, name="2fa_setup"),
    path("2fa/verify/", twofactor.two_factor_verify, name="2fa_verify"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="clinician/password_change.html", success_url=reverse_lazy("clinician:password_done")
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="clinician/password_done.html"),
        name="password_done",
    ),
    path("worklist/", worklist.worklist, name="worklist"),
    path("worklist/poll/", worklist.worklist_poll, name="worklist_poll"),
    path("intakes/<int:pk>/", summary.intake_summary, name="intake_summary"),
    path("intakes/<int:pk>/explain/", summary.intake_explain, name="intake_explain"),
    path("intakes/<int:pk>/print/", summary.intake_print, name="intake_print"),
    path("intakes/<int:pk>/summary.pdf", summary.intake_pdf, name="intake_pdf"),
    path("intakes/<int:pk>/review/", summary.intake_review, name="intake_review"),
    path("flags/<int:pk>/acknowledge/", summary.flag_acknowledge, name="flag_acknowledge"),
    path("checkins/<int:pk>/", checkins.checkin_response, name="checkin_response"),
    path("checkins/<int:pk>/acknowledge/", checkins.checkin_response_acknowledge, name="checkin_response_acknowledge"),
    path("patients/<int:pk>/trends/", trends.patient_trends_view, name="patient_trends"),
    path("export/outcomes.csv", exports.outcomes_export, name="outcomes_export"),
]
