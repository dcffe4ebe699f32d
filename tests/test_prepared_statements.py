"""On PostgreSQL, the pages' queries run often are prepared per connection, their values written into their text,
so each keeps the plan for its own values (deals.lists.prepared_statements); the pages stay the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CompanyFactory, make_deal

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"),
]

THRESHOLD = 5


def prepared() -> list[tuple[str, list]]:
    """This connection's prepared statements: their text and parameter types."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, parameter_types::text[] FROM pg_prepared_statements ORDER BY prepare_time")
        return cursor.fetchall()


@pytest.fixture
def two_investors(db):
    alpha, beta, target = (CompanyFactory(slug=slug, name=slug.title()) for slug in ("alpha", "beta", "target"))
    for number in range(3):
        make_deal(alpha, target, title=f"Alpha {number}", slug=f"alpha-{number}")
    make_deal(beta, target, title="Beta's only", slug="beta-only")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
        connection.connection._prepared.clear()  # psycopg's own record of what it prepared
    return alpha, beta


def _list(client, investor: str):
    response = client.get(f"/api/v1/deals/?investor={investor}&page_size=50")
    assert response.status_code == 200
    return response.content


def test_a_page_asked_often_is_prepared_with_its_values_in_its_text(client, two_investors):
    alpha, _ = two_investors
    first = [_list(client, "alpha") for _ in range(THRESHOLD - 1)]
    assert prepared() == []

    later = [_list(client, "alpha") for _ in range(3)]

    statements = prepared()
    assert statements, "the page's queries were not prepared"
    assert all(types == [] for _, types in statements)  # no parameters: no generic plan for other values
    assert any(f'"company_id" = {alpha.pk}' in text for text, _ in statements)
    assert set(first) == set(later) and len(set(later)) == 1


def test_each_company_has_its_own_statement_and_its_own_rows(client, two_investors):
    alpha, beta = two_investors
    for _ in range(THRESHOLD + 1):
        alpha_page, beta_page = _list(client, "alpha"), _list(client, "beta")

    texts = [text for text, _ in prepared()]
    assert any(f'"company_id" = {alpha.pk}' in text for text in texts)
    assert any(f'"company_id" = {beta.pk}' in text for text in texts)
    assert b"alpha-0" in alpha_page and b"beta-only" not in alpha_page
    assert b"beta-only" in beta_page and b"alpha-0" not in beta_page


def test_a_prepared_page_reads_the_rows_as_they_are_now(client, two_investors):
    for _ in range(THRESHOLD + 1):
        _list(client, "alpha")
    assert prepared()

    CompanyFactory._meta.model.objects.filter(slug="target").update(name="Renamed Target")
    make_deal(two_investors[0], CompanyFactory(slug="newcomer"), title="Alpha new", slug="alpha-new")

    page = _list(client, "alpha")
    assert b"Renamed Target" in page and b"alpha-new" in page


def test_values_that_need_quoting_are_written_safely(client, two_investors):
    hostile = 'it\'s 100% \\ "quoted" -- ; DROP TABLE deals_deal'
    make_deal(two_investors[0], CompanyFactory(), title=f"Odd {hostile}", slug="odd")
    for _ in range(THRESHOLD + 1):
        response = client.get("/api/v1/deals/", {"q": hostile, "page_size": 50})
        assert response.status_code == 200
        assert [row["slug"] for row in response.json()["results"]] == ["odd"]
    texts = [text for text, _ in prepared()]
    assert any("it''s 100" in text for text in texts), texts


def test_nothing_is_prepared_when_turned_off(client, two_investors):
    connection.connection.prepare_threshold = None  # as DB_PREPARED_STATEMENTS=off sets it
    try:
        for _ in range(THRESHOLD + 2):
            _list(client, "alpha")
        assert prepared() == []
    finally:
        connection.connection.prepare_threshold = THRESHOLD


def test_prepared_runs_are_logged_with_their_text(client, two_investors):
    for _ in range(THRESHOLD + 1):
        _list(client, "alpha")
    assert prepared()

    with CaptureQueriesContext(connection) as queries:
        _list(client, "alpha")

    texts = [query["sql"] for query in queries.captured_queries]
    assert all(texts) and any(f'"company_id" = {two_investors[0].pk}' in text for text in texts)


def test_the_threshold_is_the_settings():
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == THRESHOLD
