from django.urls import path

from . import views

app_name = "attributes"

urlpatterns = [
    path("", views.definition_list, name="list"),
    path("new/", views.definition_create, name="create"),
    path("<int:pk>/edit/", views.definition_edit, name="edit"),
    path("<int:pk>/deactivate/", views.definition_deactivate, name="deactivate"),
    path("<int:pk>/activate/", views.definition_activate, name="activate"),
]
