from django.urls import path

from winroom.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
