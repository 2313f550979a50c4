from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from manyi.org.permissions import may_use_manyi, public, requires
from manyi.web import two_factor, views

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
    path("account/two-factor/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/codes/", two_factor.two_factor_codes, name="two_factor_codes"),
    path("account/two-factor/off/", two_factor.two_factor_disable, name="two_factor_off"),
]
