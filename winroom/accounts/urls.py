from django.urls import path

from . import contact_views, political_views, portfolio, views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("scores/", views.score_sheet, name="scores"),
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path("portfolio/export.csv", portfolio.portfolio_export, name="portfolio_export"),
    path("<int:pk>/elements/", portfolio.account_elements, name="elements"),
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
    path("indicators/", views.indicator_checklist, name="indicators"),
    path("<int:pk>/circles/new/", political_views.circle_create, name="circle_create"),
    path(
        "<int:pk>/circles/<int:circle_pk>/edit/",
        political_views.circle_update,
        name="circle_update",
    ),
    path(
        "<int:pk>/circles/<int:circle_pk>/delete/",
        political_views.circle_delete,
        name="circle_delete",
    ),
    path(
        "<int:pk>/circles/<int:circle_pk>/members/",
        political_views.circle_member_add,
        name="circle_member_add",
    ),
    path(
        "<int:pk>/circles/<int:circle_pk>/members/<int:contact_pk>/remove/",
        political_views.circle_member_remove,
        name="circle_member_remove",
    ),
    path("<int:pk>/influence/new/", political_views.line_create, name="line_create"),
    path("<int:pk>/influence/<int:line_pk>/edit/", political_views.line_update, name="line_update"),
    path(
        "<int:pk>/influence/<int:line_pk>/delete/",
        political_views.line_delete,
        name="line_delete",
    ),
    path(
        "<int:pk>/circles/<int:circle_pk>/restore/",
        political_views.circle_restore,
        name="circle_restore",
    ),
    path(
        "<int:pk>/influence/<int:line_pk>/restore/",
        political_views.line_restore,
        name="line_restore",
    ),
]
