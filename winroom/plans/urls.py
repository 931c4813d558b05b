from django.urls import path

from . import canvas_views, public, views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("account/<int:account_pk>/", views.account_plans, name="account"),
    path("account/<int:account_pk>/new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:pk>/history/", views.plan_history, name="history"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
    path("<int:pk>/restore/", views.plan_restore, name="restore"),
    path("<int:pk>/sections/<slug:section>/", views.plan_section, name="section"),
    path("<int:pk>/initiatives/", views.initiative_add, name="initiative_add"),
    path(
        "<int:pk>/initiatives/<int:initiative_pk>/remove/",
        views.initiative_remove,
        name="initiative_remove",
    ),
    path("<int:pk>/units/", views.unit_add, name="unit_add"),
    path("<int:pk>/units/<int:unit_pk>/remove/", views.unit_remove, name="unit_remove"),
    path("<int:pk>/cells/<int:unit_pk>/<int:line_pk>/", views.cell_edit, name="cell"),
    path("<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("<int:pk>/goals/<int:goal_pk>/remove/", views.goal_remove, name="goal_remove"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/toggle/", views.action_toggle, name="action_toggle"),
    path("account/<int:account_pk>/canvas/", canvas_views.canvas_create, name="canvas_create"),
    path("canvas/<int:canvas_pk>/", canvas_views.canvas_detail, name="canvas"),
    path("canvas/<int:canvas_pk>/scores/", canvas_views.canvas_scores, name="canvas_scores"),
    path("canvas/<int:canvas_pk>/history/", canvas_views.canvas_history, name="canvas_history"),
    path("canvas/<int:canvas_pk>/links/", canvas_views.link_create, name="link_create"),
    path(
        "canvas/<int:canvas_pk>/links/<int:link_pk>/revoke/",
        canvas_views.link_revoke,
        name="link_revoke",
    ),
    # the customer's page: no login, the token is the only key
    path("c/<str:token>/", public.customer_canvas, name="customer"),
]
