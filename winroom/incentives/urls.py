from django.urls import path

from . import statement_views, views

app_name = "incentives"

urlpatterns = [
    path("", views.index, name="index"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("ranking/export/", views.ranking_export, name="ranking_export"),
    path("ranking/history/", views.ranking_history, name="ranking_history"),
    path("ranking/weights/", views.ranking_weights, name="ranking_weights"),
    path("ranking/<str:month>/reviews/<int:rep_pk>/", views.ranking_review, name="ranking_review"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:rep_pk>/<int:year>/", views.target_detail, name="target"),
    path("targets/<int:rep_pk>/<int:year>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:rep_pk>/<int:year>/bottom-up/", views.bottom_up, name="bottom_up"),
    path("sellers/", views.sellers, name="sellers"),
    path("sellers/<int:rep_pk>/", views.seller_edit, name="seller_edit"),
    path("plans/", statement_views.plan_list, name="plans"),
    path("plans/new/", statement_views.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", statement_views.plan_edit, name="plan_edit"),
    path("statements/", statement_views.statement_list, name="statements"),
    path("statements/build/", statement_views.statement_build, name="statement_build"),
    path("statements/<int:pk>/", statement_views.statement_detail, name="statement"),
    path(
        "statements/<int:pk>/approve/", statement_views.statement_approve, name="statement_approve"
    ),
    path(
        "statements/<int:pk>/rebuild/", statement_views.statement_rebuild, name="statement_rebuild"
    ),
    path("statements/<int:pk>/paid/", statement_views.payout_paid, name="payout_paid"),
    path("statements/<int:pk>/pdf/", statement_views.statement_pdf_view, name="statement_pdf"),
    path("deals/<int:deal_pk>/margin/", statement_views.deal_margin, name="deal_margin"),
]
