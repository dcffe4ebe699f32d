"""The API's per-request savings change no answer: read copies of fields, remembered content negotiation.

Serializers that only show objects get read copies of their fields (those that validate input, DRF's
copies). A read copy shares the prototype's attributes instead of rebuilding the field from its
arguments, so these tests check that it shows exactly what DRF's copy shows and that nothing of one
request reaches another. The renderer an Accept header leads to is remembered per header, and a
deal's related deals are found with an EXISTS per relation.
"""

import copy

import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from deals.api import fields as api_fields
from deals.api.serializers import (
    AllianceDetailSerializer,
    AllianceSerializer,
    CompanySerializer,
    DealRowSerializer,
    DealSerializer,
    SourceSerializer,
)
from deals.core.choices import RelationKind
from deals.models import Alliance, Company, Deal, DealRelation
from tests.api_world import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_data(shared_api_world):
    return shared_api_world


def _request(host="testserver"):
    return Request(APIRequestFactory().get("/api/v1/", HTTP_HOST=host))


def _shown(serializer_class, instance, request, *, many=False):
    return serializer_class(instance, many=many, context={"request": request}).data


def _shown_with_drf_copies(monkeypatch, serializer_class, instance, request, *, many=False):
    with monkeypatch.context() as patch:
        patch.setattr(api_fields, "_validates_input", lambda serializer: True)
        return _shown(serializer_class, instance, request, many=many)


def _deal(slug):
    deal = Deal.objects.with_parties().prefetch_related("tranches__company", "citations__source")
    return deal.prefetch_related("relations_out__to_deal", "relations_in__from_deal").get(slug=slug)


def test_read_copies_show_what_drf_copies_show(monkeypatch, api_data):
    DealRelation.objects.create(from_deal=api_data.compute, to_deal=api_data.published, kind=RelationKind.EXPANDS)
    request = _request()
    cases = [
        (CompanySerializer, api_data.aws, False),
        (SourceSerializer, api_data.article, False),
        (DealSerializer, _deal("amazon-anthropic-2023"), False),
        (DealSerializer, _deal("anthropic-aws-compute"), False),
        (DealRowSerializer, Deal.objects.with_parties().with_citation_count(), True),
        (AllianceSerializer, Alliance.objects.all(), True),
        (AllianceDetailSerializer, Alliance.objects.prefetch_related("deals"), True),
    ]
    for serializer_class, instance, many in cases:
        expected = _shown_with_drf_copies(monkeypatch, serializer_class, instance, request, many=many)
        assert _shown(serializer_class, instance, request, many=many) == expected, serializer_class.__name__
        assert expected, serializer_class.__name__


def _description(field):
    return {
        name: getattr(field, name, None)
        for name in ("field_name", "source", "source_attrs", "label", "read_only", "required", "allow_null")
    } | {"type": type(field), "help_text": str(field.help_text)}


def test_read_copies_are_bound_like_drf_copies(monkeypatch, api_data):
    for serializer_class in (DealSerializer, AllianceDetailSerializer, CompanySerializer):
        read = serializer_class(context={"request": _request()}).fields
        with monkeypatch.context() as patch:
            patch.setattr(api_fields, "_validates_input", lambda serializer: True)
            rebuilt = serializer_class(context={"request": _request()}).fields

        assert {name: _description(field) for name, field in read.items()} == {
            name: _description(field) for name, field in rebuilt.items()
        }


def test_a_nested_copy_belongs_to_its_own_serializer():
    request = _request()
    first, second = (DealSerializer(context={"request": request}) for _ in range(2))

    for serializer in (first, second):
        parties = serializer.fields["parties"]
        assert parties.parent is serializer
        assert parties.child.parent is parties
        assert parties.child.root is serializer
        assert parties.child.context == {"request": request}
    assert first.fields["parties"] is not second.fields["parties"]
    assert first.fields["parties"].child is not second.fields["parties"].child
    assert first.fields["parties"].child.fields["company"] is not second.fields["parties"].child.fields["company"]


def test_showing_objects_leaves_the_prototypes_unbound(api_client, api_data):
    api_client.get("/api/v1/deals/amazon-anthropic-2023/")
    api_client.get("/api/v1/alliances/")

    for serializer_class in (DealSerializer, CompanySerializer, AllianceSerializer):
        for field in api_fields._field_prototypes(serializer_class).values():
            assert field.parent is None
            assert "fields" not in vars(field)
            child = getattr(field, "child", None)
            if child is not None:
                assert child.parent is field
                assert "fields" not in vars(child)


def test_each_request_shows_its_own_host(settings, api_data):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    aws = api_data.aws
    one = _shown(CompanySerializer, aws, _request("one.example"))
    two = _shown(CompanySerializer, aws, _request("two.example"))

    assert one["api_url"] == "http://one.example/api/v1/companies/aws/"
    assert two["api_url"] == "http://two.example/api/v1/companies/aws/"
    assert one["html_url"] == "http://one.example/companies/aws/"
    assert two["html_url"] == "http://two.example/companies/aws/"


def test_nested_rows_show_their_own_requests_addresses(api_client, api_data):
    alliances = api_client.get("/api/v1/alliances/").json()["results"]
    assert alliances
    detail = api_client.get(f"/api/v1/alliances/{alliances[0]['slug']}/").json()

    assert detail["deals"]
    for deal in detail["deals"]:
        assert deal["api_url"] == f"http://testserver/api/v1/deals/{deal['slug']}/"
        assert deal["html_url"] == f"http://testserver/deals/{deal['slug']}/"


def test_sources_are_linked_by_their_key(api_client, api_data):
    source = api_client.get(f"/api/v1/sources/{api_data.article.pk}/").json()

    assert source["api_url"] == f"http://testserver/api/v1/sources/{api_data.article.pk}/"


def test_writes_still_validate_after_reads(editor, api_data):
    client = token_client(editor)
    client.get("/api/v1/deals/amazon-anthropic-2023/")
    client.get("/api/v1/companies/anthropic/")

    bad_company = client.patch("/api/v1/companies/anthropic/", {"name": 7, "website": "ftp://x"}, format="json")
    bad_parties = client.patch(
        "/api/v1/deals/amazon-anthropic-2023/",
        {"parties": [{"company": "", "role": "investor"}, {"company": "nobody", "role": "investee"}]},
        format="json",
    )
    after = client.get("/api/v1/companies/anthropic/")

    assert bad_company.status_code == 400
    assert set(bad_company.json()) == {"name", "website"}
    assert bad_parties.status_code == 400
    assert bad_parties.json() == {
        "parties": {
            "0": {"company": ["Enter the slug of a company."]},
            "1": {"company": ["No company with this slug: nobody."]},
        }
    }
    assert after.json()["name"] == "Anthropic"


def test_a_write_is_answered_with_the_object_written(editor, api_data):
    client = token_client(editor)

    response = client.patch("/api/v1/companies/anthropic/", {"description": "Makes Claude."}, format="json")

    assert response.status_code == 200
    assert response.json()["description"] == "Makes Claude."
    assert response.json()["api_url"] == "http://testserver/api/v1/companies/anthropic/"


def test_validating_serializers_get_drf_copies(api_data):
    request = _request()
    validating = DealSerializer(data={}, context={"request": request})
    showing = DealSerializer(context={"request": request})

    prototypes = api_fields._field_prototypes(DealSerializer)
    # DRF's copy makes each field anew from its arguments, so even shared containers are the field's own.
    assert validating.fields["title"].validators is not prototypes["title"].validators
    assert showing.fields["title"].validators is prototypes["title"].validators
    assert validating.fields["parties"].child.fields["company"].parent.root is validating
    assert copy.deepcopy(showing.fields["parties"]).child is not showing.fields["parties"].child


def test_related_deals_are_those_the_client_may_see(api_client, editor, api_data, django_assert_max_num_queries):
    DealRelation.objects.create(from_deal=api_data.compute, to_deal=api_data.published, kind=RelationKind.EXPANDS)
    DealRelation.objects.create(from_deal=api_data.published, to_deal=api_data.draft, kind=RelationKind.SUPERSEDES)
    DealRelation.objects.create(from_deal=api_data.draft, to_deal=api_data.published, kind=RelationKind.PART_OF)

    with django_assert_max_num_queries(7):  # the deal and its six lists (see test_api_read)
        anonymous = api_client.get("/api/v1/deals/amazon-anthropic-2023/").json()["related"]
    staff = token_client(editor).get("/api/v1/deals/amazon-anthropic-2023/").json()["related"]

    assert [(r["slug"], r["relation"], r["direction"]) for r in anonymous] == [
        ("anthropic-aws-compute", "expands", "incoming")
    ]
    assert sorted((r["slug"], r["relation"], r["direction"]) for r in staff) == [
        ("anthropic-aws-compute", "expands", "incoming"),
        ("google-stealth", "part_of", "incoming"),
        ("google-stealth", "supersedes", "outgoing"),
    ]


# Content negotiation: the choice an Accept header leads to is remembered, never a refusal.


def test_each_accept_header_keeps_its_own_renderer(api_client, api_data):
    def answer(**headers):
        response = api_client.get("/api/v1/companies/", **headers)
        return response.status_code, response["Content-Type"], response.content[:1]

    for _ in range(2):
        assert answer() == (200, "application/json", b"{")
        assert answer(HTTP_ACCEPT="text/csv") == (200, "text/csv; charset=utf-8", b"s")
        assert answer(HTTP_ACCEPT="application/xml")[0] == 406
        assert answer(HTTP_ACCEPT="text/csv, application/json") == (200, "application/json", b"{")
        assert answer(HTTP_ACCEPT="application/json; indent=4") == (200, "application/json", b"{")
        assert api_client.get("/api/v1/companies/?format=xml").status_code == 400
        assert api_client.get("/api/v1/companies/?format=csv", HTTP_ACCEPT="application/json").status_code == 406
        assert answer() == (200, "application/json", b"{")


def test_an_indent_asked_for_is_honoured_every_time(api_client, api_data):
    bodies = [
        api_client.get("/api/v1/companies/aws/", HTTP_ACCEPT="application/json; indent=2").content for _ in range(2)
    ]

    assert bodies[0] == bodies[1]
    assert bodies[0].startswith(b'{\n  "slug": "aws"')


def test_a_write_answers_in_json_whatever_a_read_chose_before(editor, api_data):
    client = token_client(editor)
    read = client.get("/api/v1/companies/anthropic/", HTTP_ACCEPT="text/csv")
    write = client.patch(
        "/api/v1/companies/anthropic/", {"description": "Makes Claude."}, format="json", HTTP_ACCEPT="*/*"
    )
    read_again = client.get("/api/v1/companies/anthropic/", HTTP_ACCEPT="*/*")

    assert read["Content-Type"] == "text/csv; charset=utf-8"
    assert write["Content-Type"] == "application/json"
    assert read_again["Content-Type"] == "application/json"


class _GroupSerializer(api_fields.StrictModelSerializer):
    """A serializer with the fields DRF binds inside a field: a many-relation and a list of values."""

    subsidiaries = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    alias_list = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Company
        fields = ["slug", "subsidiaries", "alias_list"]


def test_fields_inside_fields_are_copied_with_their_field(monkeypatch, api_data):
    api_data.amazon.aliases = "AMZN\nAmazon.com"
    request = _request()
    first, second = (_GroupSerializer(api_data.amazon, context={"request": request}) for _ in range(2))

    assert first.data == {"slug": "amazon", "subsidiaries": ["aws"], "alias_list": ["AMZN", "Amazon.com"]}
    assert first.data == _shown_with_drf_copies(monkeypatch, _GroupSerializer, api_data.amazon, request)
    for name, inner in (("subsidiaries", "child_relation"), ("alias_list", "child")):
        assert getattr(first.fields[name], inner).parent is first.fields[name]
        assert getattr(first.fields[name], inner) is not getattr(second.fields[name], inner)
        assert getattr(first.fields[name], inner).root is first
