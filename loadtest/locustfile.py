"""What 32 visitors and API clients do for a minute: the public pages and the API, read-only."""

import random

from locust import HttpUser, between, task

DEAL_FILTERS = ["", "?kind=equity", "?status=announced", "?ordering=-usd", "?q=openai", "?company=amazon&page_size=50"]
COMPANIES = ["amazon", "openai", "anthropic", "nvidia", "google", "aws"]


class Visitor(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self):
        # The seed's deals, as the API lists them, for the detail pages.
        listing = self.client.get("/api/v1/deals/?page_size=100", name="/api/v1/deals/?filters").json()
        self.deal_slugs = [deal["slug"] for deal in listing["results"]]

    @task(2)
    def deal_page(self):
        self.client.get(f"/deals/{random.choice(self.deal_slugs)}/", name="/deals/<slug>/")

    @task(1)
    def api_deal(self):
        self.client.get(f"/api/v1/deals/{random.choice(self.deal_slugs)}/", name="/api/v1/deals/<slug>/")

    @task(1)
    def circular(self):
        self.client.get("/circular/")

    @task(4)
    def deal_list(self):
        self.client.get(f"/deals/{random.choice(DEAL_FILTERS)}", name="/deals/?filters")

    @task(2)
    def company_page(self):
        self.client.get(f"/companies/{random.choice(COMPANIES)}/", name="/companies/<slug>/")

    @task(1)
    def home(self):
        self.client.get("/")

    @task(1)
    def company_list(self):
        self.client.get("/companies/?ordering=-invested", name="/companies/")

    @task(1)
    def alliances(self):
        self.client.get("/alliances/")

    @task(1)
    def spanish_deals(self):
        self.client.get("/es/deals/", name="/es/deals/")

    @task(3)
    def api_deals(self):
        self.client.get(f"/api/v1/deals/{random.choice(DEAL_FILTERS)}", name="/api/v1/deals/?filters")

    @task(1)
    def api_company(self):
        self.client.get(f"/api/v1/companies/{random.choice(COMPANIES)}/", name="/api/v1/companies/<slug>/")
