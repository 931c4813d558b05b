from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
    path("robots/", views.webhook_list, name="webhooks"),
    path("robots/<int:pk>/", views.webhook_edit, name="webhook_edit"),
    path("robots/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("robots/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("robots/<int:pk>/deliveries/", views.webhook_deliveries, name="webhook_deliveries"),
]
