"""Indexed search (deals.search): what `q` finds on the lists and the API, in what order, whatever is typed, and
the index kept in step with every edit (admin, API) on SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse

from deals.models import Deal, DealSearch, Publication
from tests.admin_forms import citation, deal_form, party
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db

DEALS = reverse("deals:deal-list")
COMPANIES = reverse("deals:company-list")
ALLIANCES = reverse("deals:alliance-list")


@pytest.fixture
def market():
    """Three companies (one with an accent, one with aliases) and three published deals between them."""
    credit = CompanyFactory(name="Crédit Agricole", slug="credit-agricole", kind="investor")
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic", aliases="Claude maker\nAnthropic PBC")
    mistral = CompanyFactory(name="Mistral AI", slug="mistral-ai")
    nvidia = CompanyFactory(name="Nvidia", slug="nvidia", kind="chipmaker")
    deals = {
        "credit-mistral": make_deal(credit, mistral, title="Crédit Agricole backs Mistral", slug="credit-mistral"),
        "nvidia-anthropic": make_deal(
            nvidia, anthropic, title="Nvidia invests in Anthropic", slug="nvidia-anthropic", summary="Chips for Claude."
        ),
        "nvidia-mistral": make_deal(
            nvidia, mistral, title="Nvidia funds a European lab", slug="nvidia-mistral", summary="Sovereign compute."
        ),
    }
    return deals


def listed(client, url, **params):
    response = client.get(url, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return [row.slug for row in response.context["page"].object_list]


def api_slugs(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Nvidia", {"nvidia-anthropic", "nvidia-mistral"}),  # title and party name
        ("claude maker", {"nvidia-anthropic"}),  # a party's alias, both words
        ("credit agricole", {"credit-mistral"}),  # no accent typed, one stored
        ("CRÉDIT", {"credit-mistral"}),  # accent and case typed
        ("ropic", {"nvidia-anthropic"}),  # part of a word
        ("sovereign", {"nvidia-mistral"}),  # summary
        ("mistral nvidia", {"nvidia-mistral"}),  # every word, in any order
        ("nothing like this", set()),
    ],
)
def test_deals_match_titles_summaries_party_names_and_aliases(client, api_client, market, q, expected):
    assert set(listed(client, DEALS, q=q)) == expected
    assert set(api_slugs(api_client, "/api/v1/deals/", q=q)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("credit", {"credit-agricole"}),
        ("agrícole", {"credit-agricole"}),
        ("pbc", {"anthropic"}),
        ("mist", {"mistral-ai"}),
    ],
)
def test_companies_match_names_and_aliases(client, api_client, market, q, expected):
    assert set(listed(client, COMPANIES, q=q)) == expected
    assert set(api_slugs(api_client, "/api/v1/companies/", q=q)) == expected


def test_alliances_match_either_companys_names_each_word_in_one_of_them(client, api_client, market):
    assert listed(client, ALLIANCES, q="claude") == ["anthropic--nvidia"]
    assert set(listed(client, ALLIANCES, q="nvidia")) == {"anthropic--nvidia", "mistral-ai--nvidia"}
    assert listed(client, ALLIANCES, q="nvidia mistral") == ["mistral-ai--nvidia"]
    assert set(api_slugs(api_client, "/api/v1/alliances/", q="agricole")) == {"credit-agricole--mistral-ai"}


def test_the_best_matches_come_first_unless_a_sort_is_chosen(client, market):
    nvidia, mistral = market["nvidia-mistral"].parties.get(role="investor").company, CompanyFactory(name="Lab")
    # Newest first by default: this deal names Nvidia only as a party, after the title matches.
    make_deal(nvidia, mistral, title="A chip order", slug="chip-order", announced_on="2025-06-01")
    by_relevance = listed(client, DEALS, q="nvidia")
    assert set(by_relevance[:2]) == {"nvidia-anthropic", "nvidia-mistral"}
    assert by_relevance[2] == "chip-order"
    assert listed(client, DEALS, q="nvidia", ordering="-announced")[0] == "chip-order"

    CompanyFactory(name="Nvidia Ventures", slug="nvidia-ventures")
    make_deal(CompanyFactory(name="Fund"), CompanyFactory(name="Nvidia Ventures Europe"), slug="other")
    companies = listed(client, COMPANIES, q="nvidia")
    assert companies[0] == "nvidia"  # the whole name first, then names that start with it


@pytest.mark.parametrize(
    "q",
    ['"', '""', "'", "*", "a*", "^x", "-nvidia", "nvidia OR", "OR", "AND", "NOT", "NEAR(a b)", "(", ")", "a:b",
     "nvidia:", "{x}", "[", "%", "_", "\\", "a", "é", "ö", "😀", "nvidia\t\"'*", "x" * 200],
)  # fmt: skip
def test_hostile_queries_are_answered_never_a_500(client, api_client, market, q):
    for url in (DEALS, COMPANIES, ALLIANCES, reverse("deals:search")):
        assert client.get(url, {"q": q}).status_code == 200, (url, q)
    for path in ("/api/v1/deals/", "/api/v1/companies/", "/api/v1/alliances/"):
        assert api_client.get(path, {"q": q}).status_code == 200, (path, q)


def test_query_syntax_is_looked_for_as_text(client, market):
    deal = market["nvidia-anthropic"]
    deal.summary = 'The "OR" clause (NEAR term) costs 50%: a_b*c.'
    deal.save()
    assert listed(client, DEALS, q='"OR" clause') == ["nvidia-anthropic"]
    assert listed(client, DEALS, q="(near") == ["nvidia-anthropic"]
    assert listed(client, DEALS, q="50%") == ["nvidia-anthropic"]
    assert listed(client, DEALS, q="a_b*c") == ["nvidia-anthropic"]
    assert listed(client, DEALS, q="OR") == ["nvidia-anthropic"]  # not an operator: "or" in a word or alone


def test_a_word_shorter_than_a_trigram_still_matches(client, market):
    assert set(listed(client, DEALS, q="ai")) == {"credit-mistral", "nvidia-mistral"}  # Mistral AI, a party
    assert listed(client, COMPANIES, q="ai nvid") == []
    assert listed(client, COMPANIES, q="gr") == ["credit-agricole"]
    assert set(listed(client, COMPANIES, q="é")) == {"credit-agricole", "anthropic"}  # any e, accent or not


def test_a_query_over_200_characters_is_a_form_error(client, api_client, market):
    long = "x" * 300
    response = client.get(DEALS, {"q": long})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 300)." in response.content.decode()
    assert api_client.get("/api/v1/deals/", {"q": long}).status_code == 400
    assert client.get(reverse("deals:search"), {"q": long}).status_code == 400


def test_only_published_deals_are_found(client, market):
    draft = market["credit-mistral"]
    draft.publication = Publication.DRAFT
    draft.save()
    assert listed(client, DEALS, q="credit") == []


# Kept in step


def test_an_admin_edit_is_found_at_once_and_the_old_words_are_not(publisher_client, client, market):
    deal = market["nvidia-anthropic"]
    amazon = CompanyFactory(name="Amazon", slug="amazon")
    nvidia_party, anthropic_party = deal.parties.get(role="investor"), deal.parties.get(role="investee")
    cited = deal.citations.get()
    data = deal_form(
        parties=[
            {**party(amazon, "investor"), "id": nvidia_party.pk, "deal": deal.pk},
            {**party(anthropic_party.company, "investee"), "id": anthropic_party.pk, "deal": deal.pk},
        ],
        citations=[{**citation(cited.source), "id": cited.pk, "deal": deal.pk}],
        initial={"parties": 2, "citations": 1},
        title="Amazon invests in Anthropic",
        slug=deal.slug,
        publication="published",
    )
    response = publisher_client.post(reverse("admin:deals_deal_change", args=[deal.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    assert listed(client, DEALS, q="amazon") == ["nvidia-anthropic"]
    assert listed(client, DEALS, q="claude maker") == ["nvidia-anthropic"]  # Anthropic's alias: still a party
    assert listed(client, DEALS, q="nvidia") == ["nvidia-mistral"]  # no longer in its title nor a party


def test_admin_unpublish_publish_and_delete(publisher_client, client, market):
    deal = market["nvidia-mistral"]
    changelist = reverse("admin:deals_deal_changelist")

    publisher_client.post(changelist, {"action": "unpublish_selected", "_selected_action": [deal.pk]})
    assert listed(client, DEALS, q="sovereign") == []
    publisher_client.post(changelist, {"action": "publish_selected", "_selected_action": [deal.pk]})
    assert listed(client, DEALS, q="sovereign") == ["nvidia-mistral"]

    response = publisher_client.post(reverse("admin:deals_deal_delete", args=[deal.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert listed(client, DEALS, q="sovereign") == []
    assert not DealSearch.objects.filter(deal_id=deal.pk).exists()


def test_an_admin_rename_of_a_company_reaches_its_deals(editor_client, client, market):
    company = market["credit-mistral"].parties.get(role="investee").company
    data = {
        "name": "Mistral Intelligence",
        "slug": company.slug,
        "kind": company.kind,
        "parent": "",
        "aliases": "Le Chat",
        "country": "FR",
        "founded_year": "",
        "website": "",
        "legal_form": "",
        "description": "",
    }
    response = editor_client.post(reverse("admin:deals_company_change", args=[company.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    assert set(listed(client, DEALS, q="le chat")) == {"credit-mistral", "nvidia-mistral"}
    assert listed(client, COMPANIES, q="intelligence") == ["mistral-ai"]
    assert listed(client, COMPANIES, q="mistral ai") == []


def test_api_edits_publish_unpublish_and_delete(publisher, api_client, market):
    writer = token_client(publisher)
    url = "/api/v1/deals/nvidia-anthropic/"

    response = writer.patch(url, {"summary": "Blackwell racks", "version": market["nvidia-anthropic"].version})
    assert response.status_code == 200, response.content
    assert api_slugs(api_client, "/api/v1/deals/", q="blackwell") == ["nvidia-anthropic"]
    assert api_slugs(api_client, "/api/v1/deals/", q="chips for claude") == []

    assert writer.patch(url, {"publication": "draft"}, format="json").status_code == 200
    assert api_slugs(api_client, "/api/v1/deals/", q="blackwell") == []
    assert writer.patch(url, {"publication": "published"}, format="json").status_code == 200
    assert api_slugs(api_client, "/api/v1/deals/", q="blackwell") == ["nvidia-anthropic"]

    assert writer.delete(url).status_code == 204
    assert api_slugs(api_client, "/api/v1/deals/", q="blackwell") == []


def test_an_api_company_alias_is_found(editor, api_client, market):
    response = token_client(editor).patch("/api/v1/companies/nvidia/", {"aliases": ["Team Green"]}, format="json")
    assert response.status_code == 200, response.content
    assert api_slugs(api_client, "/api/v1/companies/", q="team green") == ["nvidia"]
    assert set(api_slugs(api_client, "/api/v1/deals/", q="team green")) == {"nvidia-anthropic", "nvidia-mistral"}


def test_every_deal_company_and_source_has_its_document(market):
    assert DealSearch.objects.count() == Deal.objects.count()
    document = DealSearch.objects.get(deal=market["credit-mistral"])
    assert document.name == "credit agricole backs mistral"
    assert "mistral ai" in document.names


# The list pages' query counts


@pytest.mark.parametrize("url", [DEALS, COMPANIES, ALLIANCES])
def test_a_searched_list_runs_a_fixed_number_of_queries(client, market, url, django_assert_max_num_queries):
    for number in range(8):
        make_deal(CompanyFactory(name=f"Nvidia partner {number}"), CompanyFactory(), title=f"Nvidia deal {number}")
    client.get(url, {"q": "nvidia"})  # the first request reads what later ones find kept (content version, count)
    counts = []
    for size in (1, 5, 50):
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url, {"q": "nvidia", "page_size": size}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] == counts[2]
