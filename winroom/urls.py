from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from winroom.org import views as org_views

urlpatterns = [
    path("", org_views.home, name="home"),
    path("login/", org_views.LoginView.as_view(), name="login"),
    path("logout/", org_views.logout_view, name="logout"),
    path("language/", org_views.set_language, name="set_language"),
    path("trash/", org_views.trash, name="trash"),
    path("accounts/", include("winroom.accounts.urls")),
    path("contacts/", include("winroom.accounts.contact_urls")),
    path("activities/", include("winroom.activities.urls")),
    path("deals/", include("winroom.deals.urls")),
    path("leads/", include("winroom.leads.urls")),
    path("visits/", include("winroom.visits.urls")),
    path("plans/", include("winroom.plans.urls")),
    path("notifications/", include("winroom.notifications.urls")),
    path("today/", include("winroom.today.urls")),
    path("import/", include("winroom.imports.urls")),
    path("people/", include("winroom.org.urls")),
    path("incentives/", include("winroom.incentives.urls")),
    path("insights/", include("winroom.insights.urls")),
    path("win-model/", include("winroom.winmodel.urls")),
    path("settings/attributes/", include("winroom.attributes.urls")),
    path("api/v1/", include("winroom.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
