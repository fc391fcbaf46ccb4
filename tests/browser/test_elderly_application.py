"""高龄津贴: a resident applies for herself, photos included, without household members."""

from playwright.sync_api import expect

from tests.browser.conftest import audit
from tests.browser.people import RESIDENT_NAME, verified_resident
from tests.browser.photos import photo_files
from tests.factories import nonagenarian_id_number

# 高龄津贴 starts at 90 in the demo county.
RESIDENT_ID = nonagenarian_id_number()


def test_a_resident_applies_for_the_elderly_allowance(page, tmp_path):
    verified_resident(page, RESIDENT_ID)
    page.click(".service h2 >> text=高龄津贴")
    expect(page.locator("h1")).to_contain_text("高龄津贴申请")
    expect(page.locator("#add-member")).to_have_count(0)
    page.select_option("select[name=township]", "990102000000")
    page.select_option("select[name=region_code]", "990102001000")
    page.fill("input[name=applicant_name]", RESIDENT_NAME)
    page.fill("input[name=applicant_id_number]", RESIDENT_ID)
    audit(page, "apply-elderly")
    page.click("section:visible >> text=下一步")
    expect(page.locator("input[type=file][data-kind=income_proof]")).to_have_count(0)
    for kind, path in photo_files(tmp_path, "id_card", "hukou").items():
        page.set_input_files(f"input[type=file][data-kind={kind}]", str(path))
    page.click("section:visible >> text=下一步")
    expect(page.locator("section:visible")).to_contain_text("材料照片:2 张")
    page.click("text=提交申请")

    page.wait_for_url("**/cases/*")
    expect(page.locator("h2").first).to_contain_text("高龄津贴")
    expect(page.locator("#attachments li")).to_have_count(2)
