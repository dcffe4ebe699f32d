from django.urls import path

from deals import views

app_name = "deals"

urlpatterns = [
    path("companies/<slug:slug>/", views.company_detail, name="company-detail"),
    path("deals/<slug:slug>/", views.deal_detail, name="deal-detail"),
]
