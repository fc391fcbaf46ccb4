"""The portal's home page: Chinese, naming the four services."""


def test_home_page_names_the_four_services(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in page
    for service in ("低保申请", "高龄津贴", "婚姻登记预约", "灾情报告"):
        assert service in page


def test_portal_stylesheet_is_served_locally(client):
    assert client.get("/portal-static/portal.css").status_code == 200
