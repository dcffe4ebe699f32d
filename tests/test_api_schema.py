"""The OpenAPI 3 schema and its interactive docs, served from our own static files."""

import json
import re
from unittest.mock import patch

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    response = api_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_the_schema_lists_every_operation(schema):
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}

    assert operations >= {
        ("/api/v1/companies/", "get"),
        ("/api/v1/companies/", "post"),
        ("/api/v1/companies/{slug}/", "get"),
        ("/api/v1/companies/{slug}/", "put"),
        ("/api/v1/companies/{slug}/", "patch"),
        ("/api/v1/deals/", "get"),
        ("/api/v1/deals/", "post"),
        ("/api/v1/deals/{slug}/", "get"),
        ("/api/v1/deals/{slug}/", "put"),
        ("/api/v1/deals/{slug}/", "patch"),
        ("/api/v1/sources/", "get"),
        ("/api/v1/sources/", "post"),
        ("/api/v1/sources/{id}/", "get"),
        ("/api/v1/sources/{id}/", "put"),
        ("/api/v1/sources/{id}/", "patch"),
        ("/api/v1/alliances/", "get"),
        ("/api/v1/alliances/{slug}/", "get"),
    }


def test_every_filter_parameter_is_described(schema):
    deal_list = schema["paths"]["/api/v1/deals/"]["get"]
    names = {parameter["name"] for parameter in deal_list["parameters"]}

    assert {"q", "kind", "status", "company", "investor", "investee", "provider", "customer"} <= names
    assert {"announced_after", "announced_before", "min_usd", "max_usd", "currency", "has_stake"} <= names
    assert {"ordering", "page", "page_size", "format"} <= names
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert parameter.get("description"), f"{method} {path}: {parameter['name']}"


def _undescribed(schema, components, where, seen):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name not in seen:
            seen.add(name)
            yield from _undescribed(components[name], components, name, seen)
        return
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            yield from _undescribed(part, components, where, seen)
    if "items" in schema:
        yield from _undescribed(schema["items"], components, where, seen)
    for name, field in schema.get("properties", {}).items():
        described = field.get("description") or any(
            part.get("description") for part in field.get("allOf", []) + field.get("oneOf", [])
        )
        if not described:
            yield f"{where}.{name}"
        yield from _undescribed(field, components, f"{where}.{name}", seen)


def test_every_response_field_is_described(schema):
    components = schema["components"]["schemas"]
    missing = []
    seen = set()
    for path, item in schema["paths"].items():
        for operation in item.values():
            for status, response in operation["responses"].items():
                for content in response.get("content", {}).values():
                    missing += _undescribed(content["schema"], components, f"{path} {status}", seen)

    assert missing == []


def test_the_docs_are_served_from_local_files_without_inline_scripts(api_client):
    response = api_client.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    for attributes, body in scripts:
        assert 'src="/' in attributes
        assert body.strip() == ""
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_docs_script_points_at_the_schema(api_client):
    response = api_client.get("/api/v1/docs/?script=")

    assert response.status_code == 200
    assert "/api/v1/schema/" in response.content.decode()


def test_the_schema_is_generated_once_and_kept_for_every_format_and_language(api_client):
    generate = SchemaGenerator.get_schema
    with patch.object(SchemaGenerator, "get_schema", autospec=True, side_effect=generate) as generated:
        first = api_client.get("/api/v1/schema/?format=json").content
        assert api_client.get("/api/v1/schema/?format=json").content == first
        assert generated.call_count == 1
        spanish = api_client.get("/api/v1/schema/?format=json&lang=es")
        yaml = api_client.get("/api/v1/schema/")
        assert generated.call_count == 3
    assert spanish.json()["paths"].keys() == json.loads(first)["paths"].keys()
    assert spanish.content != first
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert b"openapi: 3" in yaml.content
