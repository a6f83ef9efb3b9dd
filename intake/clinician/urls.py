app_name = "clinician"
urlpatterns = []
