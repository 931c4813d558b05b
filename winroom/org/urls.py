from django.urls import path

from . import transfer_views

app_name = "people"

urlpatterns = [
    path("", transfer_views.people, name="list"),
    path("<int:pk>/transfer/", transfer_views.transfer, name="transfer"),
]
