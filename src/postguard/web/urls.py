from django.urls import include, path

from postguard.web import views
from postguard.web.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("postguard.web.accounts.urls")),
    path("school/", include("postguard.web.schools.urls")),
    path("checks/", include("postguard.web.checks.urls")),
    path("policy/", include("postguard.web.policies.urls")),
    path("audit/", include("postguard.web.audit.urls")),
    path("api/", api.urls),
]
