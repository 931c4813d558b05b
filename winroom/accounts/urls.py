from django.urls import path

from . import contact_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("scores/", views.score_sheet, name="scores"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/delete/", views.account_delete, name="delete"),
    path("<int:pk>/restore/", views.account_restore, name="restore"),
    path("<int:pk>/history/", views.account_history, name="history"),
    path("<int:pk>/org-chart.json", views.account_org_chart, name="org_chart"),
    path("<int:pk>/reports-to/", views.account_set_reports_to, name="set_reports_to"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/supplier-tier/", views.supplier_tier, name="supplier_tier"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:account_pk>/contacts/new/", contact_views.contact_create, name="contact_create"),
]
