from django.urls import path

from . import forecast_views, money_views, planning_views, views, watch_views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("metrics/", views.metrics_page, name="metrics"),
    path("path/", views.path_page, name="path"),
    path("path/what-if/", views.what_if, name="what_if"),
    path("wheel/", views.wheel_page, name="wheel"),
    path("wheel/<int:pk>/source/", views.override_source, name="override_source"),
    path("forecast/", forecast_views.forecast_page, name="forecast"),
    path("forecast/adjust/", forecast_views.adjust, name="adjust"),
    path("backtest/", forecast_views.backtest_page, name="backtest"),
    path("capacity/", planning_views.capacity_page, name="capacity"),
    path("watch/", watch_views.watch_page, name="watch"),
    path("watch/add/", watch_views.watch_add, name="watch_add"),
    path("watch/<int:pk>/remove/", watch_views.watch_remove, name="watch_remove"),
    path("watch/<int:pk>/review/", watch_views.watch_review, name="watch_review"),
    path("deals/<int:pk>/money/", money_views.deal_money, name="deal_money"),
]
