from django.contrib.auth import views as auth_views
from django.urls import path

from manyi.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("healthz", views.healthz, name="healthz"),
]
