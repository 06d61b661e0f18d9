from django.urls import path

from postguard.web.checks import views

app_name = "checks"
urlpatterns = [
    path("", views.check, name="check"),
    path("preview/", views.preview, name="preview"),
    path("history/", views.history, name="history"),
    path("history/<int:pk>/", views.detail, name="detail"),
    path("history/<int:pk>/delete/", views.delete, name="delete"),
    path("counts/", views.counts, name="counts"),
]
