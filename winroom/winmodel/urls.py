from django.urls import path

from . import views

app_name = "winmodel"

urlpatterns = [
    path("", views.model_page, name="model"),
    path("reports/<int:pk>.json", views.report_json, name="report_json"),
    path("standards/", views.standards_page, name="standards"),
    path("standards/<int:pk>/<str:decision>/", views.proposal_decide, name="decide"),
]
