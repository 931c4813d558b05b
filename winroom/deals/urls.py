from django.urls import path

from . import views

app_name = "deals"

urlpatterns = [
    path("", views.deal_list, name="list"),
    path("board/", views.deal_board, name="board"),
    path("new/", views.deal_create, name="create"),
    path("<int:pk>/", views.deal_detail, name="detail"),
    path("<int:pk>/edit/", views.deal_edit, name="edit"),
    path("<int:pk>/history/", views.deal_history, name="history"),
    path("<int:pk>/curve.json", views.deal_curve, name="curve"),
    path("<int:pk>/advance/", views.deal_advance, name="advance"),
    path("<int:pk>/grade/", views.deal_grade, name="grade"),
    path("<int:pk>/compelling-events/", views.compelling_event_add, name="event_add"),
    path(
        "<int:pk>/compelling-events/<int:event_pk>/confirm/",
        views.compelling_event_confirm,
        name="event_confirm",
    ),
    path("<int:pk>/competitors/", views.competitor_add, name="competitor_add"),
    path(
        "<int:pk>/competitors/<int:entry_pk>/remove/",
        views.competitor_remove,
        name="competitor_remove",
    ),
    path("<int:pk>/competitors/<int:entry_pk>/quotes/", views.quote_add, name="quote_add"),
    path("<int:pk>/questionnaire/", views.questionnaire_answer, name="questionnaire"),
    path(
        "<int:pk>/questionnaire/<int:questionnaire_pk>/review/",
        views.questionnaire_review,
        name="questionnaire_review",
    ),
    path("<int:pk>/people/", views.person_map, name="person_map"),
    path("<int:pk>/people/<int:person_pk>/remove/", views.person_unmap, name="person_unmap"),
    path("<int:pk>/close/", views.deal_close, name="close"),
    path("<int:pk>/reopen/", views.deal_reopen, name="reopen"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/done/", views.action_done, name="action_done"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("<int:pk>/registrations/", views.registration_submit, name="registration_submit"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/decide/",
        views.registration_decide,
        name="registration_decide",
    ),
    path("<int:pk>/requirements/", views.requirements_write, name="requirements"),
    path(
        "<int:pk>/requirements/<int:version_pk>/sign-off/",
        views.requirements_sign_off,
        name="requirements_sign_off",
    ),
    path("<int:pk>/value/", views.value_save, name="value"),
    path(
        "<int:pk>/competitors/<int:entry_pk>/compare/",
        views.competitor_compare,
        name="competitor_compare",
    ),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
]
