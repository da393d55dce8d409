"""Partnership pages under /partenariats/."""

from django.urls import path

from reciproca.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/acces/", views.partnership_access, name="access"),
    path("conventions/<int:pk>/document/", views.agreement_document, name="agreement-document"),
]
