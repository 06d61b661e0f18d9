from django.urls import path

from postguard.web.schools import views

app_name = "schools"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("import/", views.import_school, name="import"),
    path("people/<str:ref>/", views.person_edit, name="person_edit"),
]
