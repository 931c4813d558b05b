from django.urls import path

from . import views

app_name = "today"

urlpatterns = [
    path("", views.today, name="home"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
]
