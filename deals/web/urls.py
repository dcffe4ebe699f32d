from django.urls import path

from deals.web.feeds import CompanyDealsFeed, LatestDealsFeed
from deals.web.views import alliances, companies, deals, home

app_name = "deals"

urlpatterns = [
    path("", home.home, name="home"),
    path("figures/", home.figures_explained, name="figures"),
    path("companies/", companies.company_list, name="company-list"),
    path("companies/export.csv", companies.company_export, name="company-export"),
    path("companies/suggest.json", companies.company_suggestions, name="company-suggestions"),
    path("companies/<slug:slug>/", companies.company_detail, name="company-detail"),
    path("companies/<slug:slug>/feed.atom", CompanyDealsFeed(), name="company-feed"),
    path("alliances/", alliances.alliance_list, name="alliance-list"),
    path("alliances/export.csv", alliances.alliance_export, name="alliance-export"),
    path("alliances/<slug:slug_a>--<slug:slug_b>/", alliances.alliance_detail, name="alliance-detail"),
    path("deals/", deals.deal_list, name="deal-list"),
    path("deals/export.csv", deals.deal_export, name="deal-export"),
    path("deals/parties.csv", deals.deal_parties_export, name="deal-parties-export"),
    path("deals/<slug:slug>/", deals.deal_detail, name="deal-detail"),
    path("feeds/deals.atom", LatestDealsFeed(), name="deal-feed"),
]
