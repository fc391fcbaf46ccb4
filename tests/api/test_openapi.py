"""The OpenAPI document and a docs page that works with no internet."""

import re


def test_openapi_document_is_openapi_3_with_our_paths(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/health" in spec["paths"]
    assert "/api/v1/regions" in spec["paths"]


def test_openapi_documents_our_error_envelope(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"error"}


def test_docs_page_loads_every_asset_from_this_server(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets, page
    for asset in assets:
        assert asset.startswith("/api/v1/docs-assets/"), asset
        assert client.get(asset).status_code == 200, asset


def test_docs_assets_serve_only_known_files(client):
    assert client.get("/api/v1/docs-assets/LICENSE").status_code == 404
