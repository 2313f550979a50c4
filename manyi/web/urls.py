from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from manyi.org.permissions import may_use_manyi, public, requires
from manyi.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/badge/", views.inbox_badge, name="inbox_badge"),
    path("me/", views.preferences, name="preferences"),
    path("login/", public(views.LoginView.as_view()), name="login"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/",
        requires(may_use_manyi)(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path("i18n/setlang/", public(set_language), name="set_language"),
]
