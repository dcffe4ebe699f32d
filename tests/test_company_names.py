"""Company filters take a slug, a name or an alias as typed (case and accents aside); pages then redirect to the
address with the slug, the API just answers, and a name two companies answer to is refused naming both."""

import pytest

from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def companies():
    amazon = CompanyFactory(slug="amazon", name="Amazon", aliases="Amazon.com")
    aws = CompanyFactory(slug="aws", name="Amazon Web Services", aliases="AWS", parent=amazon)
    lab = CompanyFactory(slug="openai", name="OpenAI")
    make_deal(amazon, lab, title="Amazon invests in OpenAI")
    make_deal(aws, CompanyFactory(slug="anthropic", name="Anthropic"), title="AWS invests in Anthropic")
    mercury_a = CompanyFactory(slug="mercury-labs", name="Mercury Labs", aliases="Mercury")
    mercury_b = CompanyFactory(slug="mercury-cloud", name="Mercury Cloud", aliases="Mercury")
    make_deal(mercury_a, mercury_b, title="Mercury meets Mercury")
    make_deal(CompanyFactory(slug="telefonica", name="Telefónica"), lab, title="Telefónica invests")
    return amazon, aws


@pytest.mark.parametrize(
    "typed, slug",
    [("Amazon", "amazon"), ("amazón", "amazon"), ("  AMAZON ", "amazon"), ("AWS", "aws"), ("Telefonica", "telefonica")],
)
def test_a_page_redirects_a_name_or_alias_to_the_slug_address(client, companies, typed, slug):
    response = client.get("/deals/", {"investor": typed, "kind": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/deals/?investor={slug}&kind="
    assert client.get(response["Location"]).status_code == 200


def test_the_redirect_keeps_the_language_and_lands_on_the_filtered_list(client, companies):
    response = client.get("/es/deals/", {"investor": "Amazon Web Services"}, follow=True)
    assert response.redirect_chain == [("/es/deals/?investor=aws", 302)]
    content = response.content.decode()
    assert "AWS invests in Anthropic" in content and "Amazon invests in OpenAI" not in content


@pytest.mark.parametrize(
    "path, field", [("/companies/", "parent"), ("/alliances/", "company"), ("/circular/", "company")]
)
def test_every_company_field_of_the_pages_takes_a_name(client, companies, path, field):
    response = client.get(path, {field: "amazon.COM"})
    assert response.status_code == 302 and response["Location"] == f"{path}?{field}=amazon"


def test_the_api_and_the_csv_take_a_name_without_redirecting(client, api_client, companies):
    response = api_client.get("/api/v1/deals/", {"investor": "Amazón"})
    assert response.status_code == 200
    assert [deal["title"] for deal in response.json()["results"]] == ["Amazon invests in OpenAI"]
    assert api_client.get("/api/v1/companies/", {"parent": "amazon"}).status_code == 200
    export = client.get("/deals/export.csv", {"investor": "AWS"})
    assert export.status_code == 200 and "AWS invests in Anthropic" in b"".join(export.streaming_content).decode()


def test_an_ambiguous_name_is_refused_naming_the_candidates(client, api_client, companies):
    page = client.get("/deals/", {"company": "mercury"})
    assert page.status_code == 400
    message = (
        "Several companies are called “mercury”: Mercury Cloud (mercury-cloud), Mercury Labs (mercury-labs). "
        "Type the slug of the one you mean."
    )
    assert message in page.content.decode()
    api = api_client.get("/api/v1/deals/", {"company": "mercury"})
    assert api.status_code == 400 and api.json()["company"] == [message]
    spanish = client.get("/es/deals/", {"company": "mercury"}).content.decode()
    assert "Varias empresas se llaman «mercury»" in spanish


def test_a_name_that_matches_one_company_exactly_wins_over_aliases(client, companies):
    response = client.get("/deals/", {"company": "mercury labs"})
    assert response.status_code == 302 and response["Location"] == "/deals/?company=mercury-labs"


@pytest.mark.parametrize("typed", ["Nobody Inc", "   ", "<script>", "x" * 201])
def test_an_unknown_name_is_a_400_naming_it(client, companies, typed):
    response = client.get("/deals/", {"company": typed})
    assert response.status_code == 400
    assert "No company with this name or slug" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_a_name_read_again_costs_no_company_query(client, companies, django_assert_max_num_queries):
    client.get("/deals/", {"investor": "Amazon"})
    with django_assert_max_num_queries(1) as captured:
        response = client.get("/deals/", {"investor": "Amazon"})
    assert response.status_code == 302
    assert all("deals_company" not in query["sql"] for query in captured.captured_queries)


def test_suggestions_show_names_with_the_slug_as_value(client, companies):
    response = client.get("/companies/suggest.json", {"q": "amazon"})
    assert response.json()["results"][:2] == [
        {"slug": "amazon", "name": "Amazon"},
        {"slug": "aws", "name": "Amazon Web Services"},
    ]
