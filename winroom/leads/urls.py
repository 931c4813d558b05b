from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_create, name="create"),
    path("funnel/", views.funnel_page, name="funnel"),
    path("reactivation/", views.reactivation_list, name="reactivation"),
    path("reactivation/<int:pk>/cross-sell/", views.cross_sell, name="cross_sell"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/edit/", views.lead_edit, name="edit"),
    path("<int:pk>/history/", views.lead_history, name="history"),
    path("<int:pk>/claim/", views.lead_claim, name="claim"),
    path("<int:pk>/note/", views.lead_note, name="note"),
    path("<int:pk>/qualify/", views.lead_qualify, name="qualify"),
    path("<int:pk>/reject/", views.lead_reject, name="reject"),
]
