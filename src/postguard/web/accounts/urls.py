from django.urls import path

from postguard.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    # Under /accounts/two-factor/, which accounts/middleware.py leaves open before the code.
    path("two-factor/", views.two_factor, name="two_factor"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("me/", views.account, name="account"),
    path("me/tokens/", views.token_create, name="token_create"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:user_id>/", views.user_edit, name="user_edit"),
    path("people/<int:user_id>/two-factor/reset/", views.two_factor_reset,
         name="two_factor_reset"),
]
