"""The money views: circular deals, the network of alliances (and its downloads), the proxy war, the charts."""

from django.urls import path

from deals.web.views import money

app_name = "money"

urlpatterns = [
    path("circular/", money.circular_deals, name="circular"),
    path("network/", money.network_page, name="network"),
    path("network.json", money.network_json, name="network-json"),
    path("network.graphml", money.network_graphml, name="network-graphml"),
    path("proxy-war/", money.proxy_war, name="proxy-war"),
    path("proxy-war/<slug:slug>/", money.proxy_war_lab, name="proxy-war-lab"),
    path("charts/", money.charts_page, name="charts"),
    path("charts/companies/<slug:slug>/", money.company_chart, name="company-chart"),
]
