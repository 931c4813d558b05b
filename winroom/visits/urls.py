from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_create, name="create"),
    path("suggestions/", views.visit_suggestions, name="suggestions"),
    path("skills/", views.skills, name="skills"),
    path("calendar/", views.calendar, name="calendar"),
    path("ics/<str:token>.ics", views.ics, name="ics"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/edit/", views.visit_edit, name="edit"),
    path("<int:pk>/record/", views.visit_record, name="record"),
    path("<int:pk>/evaluate/", views.visit_evaluate, name="evaluate"),
    path("<int:pk>/history/", views.visit_history, name="history"),
    path("<int:pk>/cancel/", views.visit_cancel, name="cancel"),
    path("<int:pk>/delete/", views.visit_delete, name="delete"),
    path("<int:pk>/restore/", views.visit_restore, name="restore"),
]
