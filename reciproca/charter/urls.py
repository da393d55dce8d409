"""The charter page, mounted at /charte/."""

from django.urls import path

from reciproca.charter import views

app_name = "charter"
urlpatterns = [
    path("", views.charter_detail, name="detail"),
]
