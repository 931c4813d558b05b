from django.urls import path

from . import contact_views as views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_create, name="create"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
    path("<int:pk>/delete/", views.contact_delete, name="delete"),
    path("<int:pk>/restore/", views.contact_restore, name="restore"),
    path("<int:pk>/history/", views.contact_history, name="history"),
    path("<int:pk>/elements/", views.contact_elements, name="elements"),
]
