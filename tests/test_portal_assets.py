"""The portal's static files: content-hashed URLs cached for a year, text sent compressed."""

import gzip
import re


def asset_urls(client, path="/"):
    page = client.get(path).get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/portal-static/v/[0-9a-f]{12}/[^"]+)"', page)


def test_pages_name_their_static_files_by_content_hash(client):
    urls = asset_urls(client)
    assert any(url.endswith("/vendor/weui/weui.min.css") for url in urls)
    assert any(url.endswith("/favicon.svg") for url in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable


def test_text_assets_are_gzipped_for_browsers_that_accept_it(client):
    url = next(url for url in asset_urls(client) if url.endswith("weui.min.css"))
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 4


def test_an_outdated_hash_gets_the_current_file_for_a_minute_only(client):
    url = next(url for url in asset_urls(client) if url.endswith("portal.css"))
    stale = re.sub(r"/v/[0-9a-f]{12}/", "/v/000000000000/", url)
    response = client.get(stale)
    assert response.status_code == 200
    assert response.cache_control.max_age == 60


def test_files_outside_the_static_folder_are_not_served(client):
    assert client.get("/portal-static/v/000000000000/../assets.py").status_code == 404
    assert client.get("/portal-static/v/000000000000/nothing.css").status_code == 404


def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/favicon.svg")
