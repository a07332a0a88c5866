"""The citizen portal in a browser (市民门户), on a phone-sized window: a citizen proves a phone with the one-time code
the test SMS gateway receives, sends a request with a photo and a map pin, follows it while the centre and the unit
work it through the API, reads the official answer, rates it; a second citizen can see none of it.

Needs the test SMS receiver (Tests/e2e/sms_receiver.py) at $HOTLINE_TEST_SMS_URL; the walk points the platform's SMS
gateway at it.
"""
import json
import os
import re
import tempfile
import time
import urllib.request

from console import BASE, By, api, api_token, browser, photo_png, shot, staleness_of, wait_for, WebDriverWait

SMS = os.environ.get("HOTLINE_TEST_SMS_URL", "http://127.0.0.1:18025")


def citizen_browser():
    driver = browser()
    driver.set_window_size(412, 915)
    return driver


def sms_to(phone, since=0):
    with urllib.request.urlopen(f"{SMS}/messages?to={phone}", timeout=10) as r:
        return json.loads(r.read())[since:]


def code_for(phone, since):
    """The six digits of the newest SMS to `phone` after the first `since`, once it arrives (the sender runs every second)."""
    for _ in range(60):
        found = sms_to(phone, since)
        if found:
            match = re.search(r"(\d{6})", found[-1]["text"])
            assert match, found[-1]
            return match.group(1)
        time.sleep(0.5)
    raise AssertionError(f"no SMS reached {phone}")


def verify(driver, phone, tracking_number=None):
    """Asks for a code on the page open now (验证手机号 or 进度查询) and types it in."""
    since = len(sms_to(phone))
    if tracking_number:
        driver.find_element(By.ID, "number").clear()
        driver.find_element(By.ID, "number").send_keys(tracking_number)
    driver.find_element(By.ID, "phone").send_keys(phone)
    button = driver.find_element(By.ID, "send-code-button")
    button.click()
    WebDriverWait(driver, 30).until(staleness_of(button))
    errors = driver.find_elements(By.CSS_SELECTOR, ".error")
    assert not errors, errors[0].text
    code = code_for(phone, since)
    wait_for(driver, "#code").send_keys(code)
    button = driver.find_element(By.ID, "verify-button")
    button.click()
    WebDriverWait(driver, 30).until(staleness_of(button))


admin = api_token("admin")
api("PUT", "/channels/sms/gateway", admin, {"outbound_url": SMS + "/sms", "enabled": True,
                                            "inbound_secret": "e2e-sms-inbound-secret-0001", "outbound_secret": "e2e-sms-outbound-secret-001"})

# 1. A citizen sends a request with a photo and a pin on the map.
phone = "139" + str(int(time.time()) % 100000000).zfill(8)
citizen = citizen_browser()
citizen.get(BASE + "/")
wait_for(citizen, ".portal-hero")
shot(citizen, "portal-home")
citizen.find_element(By.LINK_TEXT, "我要反映").click()
wait_for(citizen, "a[href='/portal/verify?next=/portal/submit']").click()
wait_for(citizen, "#phone")
verify(citizen, phone)
wait_for(citizen, "#submit-form")
citizen.find_element(By.CSS_SELECTOR, "input[name=kind][value=complaint]").click()
citizen.find_element(By.ID, "content").send_keys("幸福路12号小区门口的路灯坏了一个多月，晚上出行很不安全，请尽快修复。")
citizen.find_element(By.ID, "address").send_keys("幸福路12号")
# The test command installs Leaflet (libjs-leaflet): the pin is put on the district shapes.
wait_for(citizen, "#pin-map.leaflet-container")
WebDriverWait(citizen, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pin-map path.leaflet-interactive"))
citizen.find_element(By.ID, "pin-map").click()
WebDriverWait(citizen, 10).until(lambda d: d.find_element(By.ID, "latitude").get_attribute("value"))
photo = photo_png(os.path.join(tempfile.mkdtemp(), "路灯.png"))
citizen.find_element(By.ID, "files").send_keys(photo)
shot(citizen, "portal-form", whole_page=True)
button = citizen.find_element(By.ID, "submit-button")
button.click()
WebDriverWait(citizen, 30).until(staleness_of(button))
number = wait_for(citizen, "#order-number").text
assert re.fullmatch(r"\d{14}", number), number
shot(citizen, "portal-submitted")
print(f"ok walk portal: request {number} sent with a photo")

# 2. The centre and the unit work it; the citizen sees progress without staff names.
disp, unit, rev, cb = api_token("dispatcher"), api_token("jiangcheng"), api_token("reviewer"), api_token("callback")
order = api("GET", f"/orders/{number}", disp)["order"]
assert order["channel"] == "web", order["channel"]
assert order["location"].get("latitude"), order["location"]
category = next(c["code"] for c in api("GET", "/categories", disp)["items"] if c["name"] == "城市建设和市政管理")
api("POST", f"/orders/{number}/reclassify", disp, {"category_code": category, "reason": "市民网上反映路灯问题"})
api("POST", f"/orders/{number}/dispatch", disp, {"lead_unit": "dist-jiangcheng"})
api("POST", f"/orders/{number}/sign", unit)
citizen.find_element(By.LINK_TEXT, "查看办理进度").click()
wait_for(citizen, "#steps")
assert "办理中" in citizen.find_element(By.ID, "order-status").text
shot(citizen, "portal-handling")
api("POST", f"/orders/{number}/reply", unit, {"text": "经核查，路灯线路老化，已于今日更换线路和灯具，恢复照明。感谢您的反映。"})
api("POST", f"/orders/{number}/pass-review", rev)
api("POST", f"/orders/{number}/callback", cb, {"reached": True, "resolved": True, "satisfaction": "satisfied"})
citizen.refresh()
answer = wait_for(citizen, "#answer").text
assert "恢复照明" in answer, answer
page = citizen.page_source
for staff in ["承办员", "审核员", "回访员", "jiangcheng", "reviewer", "dispatcher"]:
    assert staff not in page, staff

# 3. The citizen rates the answer.
citizen.find_element(By.CSS_SELECTOR, "input[name=satisfaction][value=satisfied]").click()
citizen.find_element(By.CSS_SELECTOR, "input[name=stars][value='5']").click()
citizen.find_element(By.ID, "comment").send_keys("修得很快，谢谢！")
button = citizen.find_element(By.ID, "rate-button")
button.click()
WebDriverWait(citizen, 30).until(staleness_of(button))
assert "满意，5星" in wait_for(citizen, "#rating").text
shot(citizen, "portal-rated", whole_page=True)
record = api("GET", f"/orders/{number}", disp)
assert record["order"]["status"] == "closed", record["order"]["status"]
print(f"ok walk portal: {number} answered, read and rated by its citizen")

# 4. Another citizen sees none of it, by link or by the tracking form.
other = citizen_browser()
other.get(BASE + "/portal/track")
wait_for(other, "#number")
verify(other, "137" + phone[3:], tracking_number=number)
wait_for(other, ".portal-card h1")
assert "未找到该工单" in other.page_source, other.page_source[:400]
assert "恢复照明" not in other.page_source and "幸福路12号" not in other.page_source
shot(other, "portal-other-citizen")
other.get(BASE + "/portal/orders/" + number)
assert "未找到该工单" in other.page_source and "恢复照明" not in other.page_source
other.get(BASE + "/portal")
assert number not in other.page_source
print("ok walk portal: another citizen's order is never visible")
other.quit()
citizen.quit()
