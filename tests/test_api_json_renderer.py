"""The API's JSON is written by orjson where it writes what DRF's JSONRenderer would, byte for byte."""

import datetime
import uuid
from collections import namedtuple
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers

from deals.api.json_renderer import JSONRenderer
from deals.models import Company, Deal
from tests.factories import CompanyFactory, make_deal

Pair = namedtuple("Pair", "left right")

AWKWARD_VALUES = {
    "text": 'Quotes " and \\ backslash, </script>, tab\t, newline\n, bell\x07, DEL\x7f, nul\x00',
    "separators": "line\u2028paragraph\u2029 end",
    "unicode": "Ålpha — 東京 🚀 e\u0301",
    "numbers": [0, -1, 2**63 - 1, -(2**63), True, False, None],
    "nested": {"empty list": [], "empty dict": {}, "tuple": (1, "two"), "pair": Pair(1, 2)},
    "decimal": Decimal("1234567.89"),
    "moment": datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC),
    "naive": datetime.datetime(2024, 5, 6, 7, 8, 9),
    "day": datetime.date(2024, 2, 29),
    "time": datetime.time(23, 59, 1, 500000),
    "span": datetime.timedelta(days=1, seconds=5),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("Search"),
    "set": {1},
}


DASHES_NO_SEPARATORS = {"title": "A — B ‘quoted’ … ends with a dash —"}


@pytest.mark.parametrize(
    "data", [AWKWARD_VALUES, [AWKWARD_VALUES, AWKWARD_VALUES], DASHES_NO_SEPARATORS, {}, [], "", 0, None]
)
def test_writes_what_drf_writes(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


@pytest.mark.parametrize(
    "data",
    [{"big": 2**64}, {"huge": -(10**30)}, {1: "a number as a key"}, {None: "none as a key"}],
    ids=["past 64 bits", "huge negative", "int key", "None key"],
)
def test_what_orjson_refuses_is_written_by_drf(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


@pytest.mark.parametrize("media_type", ["application/json; indent=4", "application/json; indent=0"])
def test_indented_output_is_drfs(media_type):
    ours = JSONRenderer().render(AWKWARD_VALUES, media_type)
    assert ours == renderers.JSONRenderer().render(AWKWARD_VALUES, media_type)


def test_an_object_nobody_can_write_is_still_an_error():
    with pytest.raises(TypeError):
        JSONRenderer().render({"object": object()})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/deals/", "/api/v1/deals/odd-one/", "/api/v1/companies/", "/api/v1/alliances/"]
)
def test_api_bodies_are_drfs_rendering_of_their_data(api_client, path):
    odd = CompanyFactory(slug="odd")
    deal = make_deal(odd, CompanyFactory(), slug="odd-one", amount=Decimal("12.5"))
    # Text saved now has no line separator (deals.core.text): these are rows stored before, written past save().
    Company.objects.filter(pk=odd.pk).update(name='Odd "Co"\u2028 <b>東京</b>\ttab')
    Deal.objects.filter(pk=deal.pk).update(title="Line\u2028sep and 🚀")

    response = api_client.get(path, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.content == renderers.JSONRenderer().render(response.data)
    assert b"\\u2028" in response.content and "\u2028".encode() not in response.content


def test_an_error_is_drfs_rendering_too(api_client, db):
    response = api_client.get("/api/v1/deals/?announced_after=2023-13-45")

    assert response.status_code == 400
    assert response.content == renderers.JSONRenderer().render(response.data)
