"""The contract: openapi.yaml is valid, documents exactly the app's routes, and the app honours it."""

from __future__ import annotations

import re

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from zwt.docs import SPEC_PATH

UNDOCUMENTED = {"static", "swagger_ui.show"}  # framework static files and the Swagger UI assets


@pytest.fixture(scope="module")
def spec():
    """The parsed contract."""
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def test_spec_is_valid_openapi_31(spec):
    """The document validates against the OpenAPI 3.1 meta-schema."""
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def _app_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNDOCUMENTED:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((method.lower(), path))
    return routes


def test_routes_equal_documented_operations(app, spec):
    """Every route is documented and every documented operation exists."""
    documented = {(method, path) for path, item in spec["paths"].items() for method in item
                  if method in {"get", "post", "put", "patch", "delete"}}
    assert _app_routes(app) == documented


def test_every_operation_documents_its_errors_as_problems(spec):
    """Each operation has a default problem response, and secured ones document 401."""
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            assert "default" in op["responses"], (method, path)
            if op.get("security"):
                assert "401" in op["responses"], (method, path)


def test_spec_and_swagger_ui_are_served(client):
    """The contract is served as YAML and Swagger UI comes from the packaged assets."""
    response = client.get("/api/v1/openapi.yaml")
    assert response.status_code == 200 and response.data == SPEC_PATH.read_bytes()
    page = client.get("/docs/")
    assert page.status_code == 200 and b"/api/v1/openapi.yaml" in page.data
    assert b"cdn" not in page.data.lower()
    assert client.get("/docs/swagger-ui-bundle.js").status_code == 200


@pytest.fixture
def small_catalog(app, clock):
    """Sixty demo items, so catalog operations search and page over real data."""
    from zwt.catalog.demo import load_demo_catalog
    from zwt.db import session

    with app.app_context():
        load_demo_catalog(session(), now=clock.now(), count=60)


@pytest.fixture
def citizen_token(app, auth):
    """A function that returns a fresh citizen access token (logout in one case must not spoil the next)."""
    citizen = auth.register()

    def fresh():
        return auth.login(citizen.phone, citizen.password).json["access_token"]

    return fresh


def _constrained(schema):
    """Whether a parameter schema admits invalid values (a bare string does not)."""
    return schema.get("type", "string") != "string" or len(set(schema) - {"type", "description"}) > 0


def _operations():
    """Every documented operation in positive mode, and in negative mode when it takes any input."""
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            out.append((method.upper(), path, schemathesis.GenerationMode.POSITIVE))
            params = [*op.get("parameters", []), *item.get("parameters", [])]
            if op.get("requestBody") or any(_constrained(p.get("schema", {})) for p in params):
                out.append((method.upper(), path, schemathesis.GenerationMode.NEGATIVE))
    return out


@pytest.mark.parametrize("method, path, mode", _operations())
def test_app_conforms_to_its_contract(app, small_catalog, citizen_token, method, path, mode):
    """Generated requests never cause a 5xx, and every response matches the documented schema.

    Drives schemathesis through its Python API (its pytest plugin does not support pytest 9 yet).
    """
    from schemathesis import checks as sc

    checks = [sc.not_a_server_error, sc.status_code_conformance, sc.content_type_conformance,
              sc.response_headers_conformance, sc.response_schema_conformance]
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.yaml", app)[path][method]

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=40, suppress_health_check=list(HealthCheck), deadline=None, database=None)
    def exercise(case):
        response = case.call(headers={"Authorization": f"Bearer {citizen_token()}"})
        case.validate_response(response, checks=checks)

    exercise()


def test_the_documented_minimal_item_is_enough_to_create_a_draft(spec, app, client, auth):
    """The ServiceItemInput example, the documented minimum, creates a draft (of a department in the register);
    without any key it names, it cannot."""
    from jsonschema import Draft202012Validator

    from .catalog_admin_helpers import register_departments

    register_departments(app)
    schema = spec["components"]["schemas"]["ServiceItemInput"]
    minimal = schema["examples"][0]
    headers = auth.staff("dept_admin", "police_admin", department_code="police")
    components = {"components": spec["components"], **schema}
    Draft202012Validator(components).validate(minimal)
    for key in minimal:
        partial = {k: v for k, v in minimal.items() if k != key}
        assert not Draft202012Validator(components).is_valid(partial), key
        response = client.post("/api/v1/admin/services", json=partial, headers=headers)
        assert response.status_code == 422, (key, response.json)
    response = client.post("/api/v1/admin/services", json=minimal, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["item"]["status"] == "draft" and response.json["item"]["visit_count"] == 1
