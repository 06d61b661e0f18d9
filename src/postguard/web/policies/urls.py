from django.urls import path

from postguard.web.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.current, name="current"),
    path("accessible/", views.accessible, name="accessible"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("manage/", views.manage, name="manage"),
    path("manage/adopt/", views.adopt, name="adopt"),
    path("manage/changes/", views.changes, name="changes"),
    path("manage/v<int:number>/", views.version, name="version"),
    path("manage/v<int:number>/edit/", views.edit, name="edit"),
    path("manage/v<int:number>/publish/", views.publish, name="publish"),
    path("record/", views.record, name="record"),
    path("record/export.csv", views.record_export_csv, name="record_csv"),
    path("record/export.pdf", views.record_export_pdf, name="record_pdf"),
    path("record/v<int:number>/remind/", views.remind, name="remind"),
    path("record/v<int:number>/in-person/", views.record_in_person, name="in_person"),
    path("reviews/", views.reviews, name="reviews"),
]
