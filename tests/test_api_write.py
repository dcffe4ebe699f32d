"""Writing through the API: staff with model permissions, the admin's own rules, drafts until published."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from deals.models import Alliance, Company, Deal, Publication, Source
from tests.api_world import token_client
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_data(shared_api_world):
    return shared_api_world


def _new_deal(api_data, **fields):
    """Amazon's second investment in Anthropic, with a tranche and a citation, as an editor would send it."""
    return {
        "title": "Amazon completes its $4B investment in Anthropic",
        "slug": "amazon-anthropic-2024",
        "kind": "equity",
        "status": "completed",
        "announced_on": "2024-03-27",
        "amount": "2750000000",
        "currency": "USD",
        "parties": [
            {"company": "amazon", "role": "investor", "amount": "2750000000"},
            {"company": "anthropic", "role": "investee"},
        ],
        "tranches": [{"position": 1, "label": "second tranche", "amount": "2750000000", "company": "amazon"}],
        "citations": [{"source_id": api_data.article.pk, "supports": "amount", "quote": "$2.75 billion"}],
        **fields,
    }


# Who may write


@pytest.mark.parametrize(
    "method, url",
    [
        ("post", "/api/v1/deals/"),
        ("patch", "/api/v1/deals/amazon-anthropic-2023/"),
        ("put", "/api/v1/companies/amazon/"),
        ("post", "/api/v1/companies/"),
        ("post", "/api/v1/sources/"),
    ],
)
def test_anonymous_writes_are_401(api_client, api_data, method, url):
    response = getattr(api_client, method)(url, {"title": "Hijacked"}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert Deal.objects.filter(title="Hijacked").count() == 0


def test_a_bad_token_is_401_even_for_reading(api_data):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    assert client.get("/api/v1/deals/").status_code == 401


def test_accounts_without_the_model_permission_are_403(api_data):
    visitor = User.objects.create_user("vera", password="correct horse battery staple")
    staff_without_rights = User.objects.create_user("sam", password="correct horse battery staple", is_staff=True)

    for user in (visitor, staff_without_rights):
        response = token_client(user).post("/api/v1/companies/", {"name": "Acme", "slug": "acme"}, format="json")
        assert response.status_code == 403
    assert not Company.objects.filter(slug="acme").exists()


def test_session_writes_need_the_csrf_token(editor, api_data):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post("/api/v1/companies/", {"name": "Acme", "slug": "acme"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_session_read_works_like_a_token_read(editor, api_data):
    client = APIClient()
    client.force_login(editor)

    assert "google-stealth" in {row["slug"] for row in client.get("/api/v1/deals/").json()["results"]}


# Deals: one request, the admin's rules


def test_an_editor_creates_a_draft_deal_with_parties_tranches_and_citations_in_one_post(editor, api_data, api_client):
    response = token_client(editor).post("/api/v1/deals/", _new_deal(api_data), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["publication"] == "draft"
    assert body["html_url"] is None
    assert {(p["company"], p["role"], p["amount_usd"]) for p in body["parties"]} == {
        ("amazon", "investor", "2750000000.00"),
        ("anthropic", "investee", None),
    }
    assert body["tranches"][0]["label"] == "second tranche"
    assert body["citations"][0]["source_title"] == "Amazon invests $4B in Anthropic"
    deal = Deal.objects.get(slug="amazon-anthropic-2024")
    assert deal.parties.count() == 2
    assert deal.tranches.count() == 1
    assert deal.citations.get().quote == "$2.75 billion"
    # Invisible to the public until published.
    assert api_client.get("/api/v1/deals/amazon-anthropic-2024/").status_code == 404
    assert "amazon-anthropic-2024" not in {row["slug"] for row in api_client.get("/api/v1/deals/").json()["results"]}


def test_a_deal_cannot_be_created_published(publisher, api_data):
    response = token_client(publisher).post(
        "/api/v1/deals/", _new_deal(api_data, publication="published"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"publication": ["A deal created through the API is a draft: publish it with an update."]}
    assert not Deal.objects.filter(slug="amazon-anthropic-2024").exists()


def test_a_publisher_publishes_and_the_deal_appears_to_the_public(publisher, api_data, api_client):
    client = token_client(publisher)
    client.post("/api/v1/deals/", _new_deal(api_data), format="json")

    response = client.patch("/api/v1/deals/amazon-anthropic-2024/", {"publication": "published"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["published_at"] is not None
    public = api_client.get("/api/v1/deals/amazon-anthropic-2024/")
    assert public.status_code == 200
    assert public.json()["title"] == "Amazon completes its $4B investment in Anthropic"
    alliance = api_client.get("/api/v1/alliances/amazon--anthropic/").json()
    assert "amazon-anthropic-2024" in {deal["slug"] for deal in alliance["deals"]}


def test_publishing_without_a_citation_is_refused_with_a_message(publisher, api_data):
    client = token_client(publisher)
    client.post("/api/v1/deals/", _new_deal(api_data, citations=[]), format="json")

    response = client.patch("/api/v1/deals/amazon-anthropic-2024/", {"publication": "published"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"publication": ["A deal can be published only when it cites at least one source."]}
    assert Deal.objects.get(slug="amazon-anthropic-2024").publication == Publication.DRAFT


def test_removing_the_last_citation_of_a_published_deal_is_refused(publisher, api_data):
    response = token_client(publisher).patch("/api/v1/deals/amazon-anthropic-2023/", {"citations": []}, format="json")

    assert response.status_code == 400
    assert "cites at least one source" in response.json()["publication"][0]
    assert api_data.published.citations.count() == 1


def test_an_editor_without_the_publish_permission_cannot_publish_or_unpublish(editor, api_data):
    client = token_client(editor)

    publish = client.patch("/api/v1/deals/google-stealth/", {"publication": "published"}, format="json")
    unpublish = client.patch("/api/v1/deals/amazon-anthropic-2023/", {"publication": "draft"}, format="json")

    for response in (publish, unpublish):
        assert response.status_code == 403
        assert response.json() == {"detail": "You do not have permission to publish or unpublish deals."}
    assert Deal.objects.get(slug="google-stealth").publication == Publication.DRAFT
    assert Deal.objects.get(slug="amazon-anthropic-2023").publication == Publication.PUBLISHED


def test_an_editor_may_still_correct_a_published_deal(editor, api_data):
    response = token_client(editor).patch(
        "/api/v1/deals/amazon-anthropic-2023/", {"summary": "Anthropic names AWS its primary cloud."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["summary"] == "Anthropic names AWS its primary cloud."
    assert response.json()["publication"] == "published"


@pytest.mark.parametrize(
    "parties, message",
    [
        ([{"company": "amazon", "role": "investor"}], "A deal needs at least two parties (two different companies)."),
        (
            [{"company": "amazon", "role": "investor"}, {"company": "anthropic", "role": "partner"}],
            "An investor needs an investee: add the company that receives the money.",
        ),
        (
            [
                {"company": "amazon", "role": "investor"},
                {"company": "amazon", "role": "investor"},
                {"company": "anthropic", "role": "investee"},
            ],
            "Amazon is listed twice as Investor.",
        ),
    ],
)
def test_the_party_rules_are_the_admins(editor, api_data, parties, message):
    response = token_client(editor).post("/api/v1/deals/", _new_deal(api_data, parties=parties), format="json")

    assert response.status_code == 400
    assert message in response.json()["parties"]
    assert not Deal.objects.filter(slug="amazon-anthropic-2024").exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"amount": "-1"}, "amount"),
        ({"stake_percent": "101"}, "stake_percent"),
        ({"currency": "DOLLARS"}, "currency"),
        ({"kind": "lottery"}, "kind"),
        ({"announced_on": "2024-02-30"}, "announced_on"),
        ({"slug": "amazon-anthropic-2023"}, "slug"),
        ({"slug": "not a slug"}, "slug"),
        (
            {"parties": [{"company": "nobody", "role": "investor"}, {"company": "anthropic", "role": "investee"}]},
            "parties",
        ),
        ({"citations": [{"source_id": 999999, "supports": "general"}]}, "citations"),
        ({"tranches": [{"label": "x", "amount": "-5"}]}, "tranches"),
        ({"parties": "amazon"}, "parties"),
        ({"title": 42}, "title"),
        ({"slug": " padded "}, "slug"),
        ({"currency": " USD"}, "currency"),
    ],
)
def test_bad_deal_fields_are_400_with_the_field(editor, api_data, fields, field):
    response = token_client(editor).post("/api/v1/deals/", _new_deal(api_data, **fields), format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_rate_that_makes_the_dollar_amount_overflow_is_refused(editor, api_data):
    fields = {"currency": "EUR", "usd_rate": "99999999.999999", "amount": "999999999999999999.99"}

    response = token_client(editor).patch("/api/v1/deals/amazon-anthropic-2023/", fields, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "usd_rate": ["At this rate the US-dollar equivalent is too large to record: check the rate."]
    }


def test_citing_one_source_twice_for_the_same_figure_is_refused(editor, api_data):
    citation = {"source_id": api_data.article.pk, "supports": "amount"}

    response = token_client(editor).post(
        "/api/v1/deals/", _new_deal(api_data, citations=[citation, citation]), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"citations": ["A source is cited twice for the same figure."]}


def test_a_put_replaces_the_lists_it_sends_and_keeps_the_others(publisher, api_data):
    body = token_client(publisher).get("/api/v1/deals/amazon-anthropic-2023/").json()
    body["parties"] = [
        {"company": "amazon", "role": "lead_investor", "amount": "4000000000"},
        {"company": "anthropic", "role": "investee"},
    ]
    del body["tranches"]
    body["citations"] = [{"source_id": api_data.article.pk, "supports": "general", "quote": "up to $4 billion"}]

    response = token_client(publisher).put("/api/v1/deals/amazon-anthropic-2023/", body, format="json")

    assert response.status_code == 200, response.content
    deal = Deal.objects.get(slug="amazon-anthropic-2023")
    assert {(p.company.slug, p.role) for p in deal.parties.all()} == {
        ("amazon", "lead_investor"),
        ("anthropic", "investee"),
    }
    assert deal.tranches.count() == 1
    assert deal.publication == Publication.PUBLISHED


def test_rows_sent_in_a_patch_must_be_whole(editor, api_data):
    response = token_client(editor).patch(
        "/api/v1/deals/google-stealth/",
        {"parties": [{"role": "investor"}, {"company": "google"}], "citations": [{"quote": "no source"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "parties": {"0": {"company": ["This field is required."]}, "1": {"role": ["This field is required."]}},
        "citations": {"0": {"source_id": ["This field is required."]}},
    }


def test_a_publisher_deletes_a_deal_and_the_alliance_totals_follow(publisher, api_data):
    assert Alliance.objects.get(slug="amazon--anthropic").deal_count == 2

    response = token_client(publisher).delete("/api/v1/deals/amazon-anthropic-2023/")

    assert response.status_code == 204
    assert not Deal.objects.filter(slug="amazon-anthropic-2023").exists()
    alliance = Alliance.objects.get(slug="amazon--anthropic")
    assert alliance.deal_count == 1
    assert list(alliance.deals.values_list("slug", flat=True)) == ["anthropic-aws-compute"]
    deletion = Deal.history.filter(slug="amazon-anthropic-2023").latest()
    assert (deletion.history_type, deletion.history_user) == ("-", publisher)


def test_an_editor_may_not_delete_a_deal(editor, api_data):
    response = token_client(editor).delete("/api/v1/deals/amazon-anthropic-2023/")

    assert response.status_code == 403
    assert Deal.objects.filter(slug="amazon-anthropic-2023").exists()


def test_a_delete_based_on_an_old_read_is_refused(publisher, editor, api_data):
    client = token_client(publisher)
    etag = client.get("/api/v1/deals/amazon-anthropic-2023/")["ETag"]
    token_client(editor).patch("/api/v1/deals/amazon-anthropic-2023/", {"summary": "Revised."}, format="json")

    stale = client.delete("/api/v1/deals/amazon-anthropic-2023/", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert "erin" in stale.json()["detail"]
    assert Deal.objects.filter(slug="amazon-anthropic-2023").exists()

    fresh = client.get("/api/v1/deals/amazon-anthropic-2023/")["ETag"]
    assert client.delete("/api/v1/deals/amazon-anthropic-2023/", HTTP_IF_MATCH=fresh).status_code == 204


def test_the_change_is_recorded_in_the_history_under_the_editor(editor, api_data):
    token_client(editor).patch("/api/v1/deals/amazon-anthropic-2023/", {"summary": "Revised."}, format="json")

    assert api_data.published.history.latest().history_user == editor


# Companies and sources


def test_an_editor_creates_and_updates_a_company(editor, api_data):
    client = token_client(editor)

    created = client.post(
        "/api/v1/companies/",
        {
            "name": "Google Cloud",
            "slug": "google-cloud",
            "kind": "cloud",
            "parent": "google",
            "website": "https://cloud.google.com",
            "aliases": ["GCP", "Google Cloud Platform"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    company = Company.objects.get(slug="google-cloud")
    assert company.parent == api_data.google
    assert company.alias_list == ["GCP", "Google Cloud Platform"]

    updated = client.patch("/api/v1/companies/google-cloud/", {"country": "US"}, format="json")
    assert updated.status_code == 200
    assert updated.json()["country"] == "US"
    assert updated.json()["aliases"] == ["GCP", "Google Cloud Platform"]


@pytest.mark.parametrize(
    "fields, field, reason",
    [
        ({"website": "javascript:alert(1)"}, "website", "http:// or https://"),
        ({"website": "ftp://files.example.com"}, "website", "http:// or https://"),
        ({"name": "Amazon"}, "name", "already exists"),
        ({"kind": "bank"}, "kind", "not a valid choice"),
        ({"aliases": "GCP"}, "aliases", "list"),
        ({"founded_year": -1}, "founded_year", "greater than or equal to 0"),
        ({"parent": "nobody"}, "parent", "No company with this slug: nobody."),
        ({"parent": ""}, "parent", "Enter the slug of a company."),
    ],
)
def test_bad_company_fields_are_400(editor, api_data, fields, field, reason):
    response = token_client(editor).post(
        "/api/v1/companies/", {"name": "Acme", "slug": "acme", **fields}, format="json"
    )

    assert response.status_code == 400
    assert reason in " ".join(response.json()[field])


def test_a_company_cannot_become_its_own_ancestor(editor, api_data):
    response = token_client(editor).patch("/api/v1/companies/amazon/", {"parent": "aws"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"parent": ["A company cannot be its own parent or ancestor."]}
    assert Company.objects.get(slug="amazon").parent is None


def test_an_editor_creates_a_source_and_cites_it(editor, api_data):
    client = token_client(editor)

    source = client.post(
        "/api/v1/sources/",
        {"url": "https://example.com/trainium", "title": "Anthropic picks Trainium", "publisher": "The Verge"},
        format="json",
    )
    assert source.status_code == 201, source.content
    citation = {"source_id": source.json()["id"], "supports": "general"}
    deal = client.post("/api/v1/deals/", _new_deal(api_data, citations=[citation]), format="json")
    assert deal.status_code == 201
    assert deal.json()["citations"][0]["source_publisher"] == "The Verge"


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"url": "javascript:alert(1)"}, "http:// or https://"),
        ({"url": "ftp://example.com/file"}, "http:// or https://"),
        ({"url": "ARTICLE"}, "This article is already recorded as source #"),
    ],
)
def test_bad_source_urls_are_400(editor, api_data, fields, reason):
    fields = {"url": api_data.article.url} if fields["url"] == "ARTICLE" else fields

    response = token_client(editor).post("/api/v1/sources/", {"title": "Another", **fields}, format="json")

    assert response.status_code == 400
    assert reason in " ".join(response.json()["url"])


def test_sources_without_a_url_may_be_many(editor, api_data):
    client = token_client(editor)
    SourceFactory(url="", title="Print edition")

    response = client.post("/api/v1/sources/", {"title": "Another print edition", "url": ""}, format="json")

    assert response.status_code == 201
    assert Source.objects.filter(url="").count() == 2


def test_a_text_over_its_limit_is_refused_even_if_trimming_would_fit(api_data, superuser):
    client = APIClient()
    client.force_authenticate(superuser)

    response = client.post(
        "/api/v1/companies/", {"name": "\x1e    " + "*" * 197, "slug": "padded", "kind": "other"}, format="json"
    )

    assert response.status_code == 400
    assert "name" in response.json()
    assert not Company.objects.filter(slug="padded").exists()
