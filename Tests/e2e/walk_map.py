"""The map (工单地图) and the caller profile (来电人画像): a caller reports six matters around one corner of 湖滨区湖畔街道
through the API (with coordinates); the manager's map draws the four districts from the shipped shapes, the order points
and a hot spot there; the agent's intake desk shows the caller's profile (the monthly chart and the 高频来电 tag) and
the supervisor sees it on the order page. Run as

    python3 Tests/e2e/walk_map.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import random
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from console import BASE, api_token, log_in, shot, api

# A phone of this run only, so the walk runs again on the same database.
PHONE = "1370" + "".join(random.choice("0123456789") for _ in range(7))
CORNER = (30.2885, 120.2250)  # inside 湖滨区湖畔街道 in the shipped shapes



def no_codes(driver, element_id):
    text = driver.find_element(By.ID, element_id).text
    for code in ["=", "pending_dispatch", "dispatched", "null", "undefined", "NaN", PHONE]:
        assert code not in text, f"{element_id} shows {code!r}: {text[:200]}"


def report_matters():
    agent = api_token("agent")
    numbers = []
    for i in range(6):
        body = {
            "channel": "phone", "kind": "complaint", "category_code": "01", "title": f"湖畔路夜间施工噪音（第{i + 1}次）",
            "content": "湖畔路口工地夜间施工噪音扰民，影响休息。",
            "caller": {"name": "王大爷", "phone": PHONE},
            "location": {"address": "湖滨路8号", "district": "湖滨区", "street": "湖滨区湖畔街道办事处",
                         "latitude": CORNER[0] + 0.0003 * i, "longitude": CORNER[1] + 0.0002 * i},
        }
        numbers.append(api("POST", "/orders", agent, body)["order"]["number"])
    return numbers


def manager_map():
    driver = log_in("manager")
    try:
        driver.get(BASE + "/insight/map")
        WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "order-map").get_attribute("data-ready") == "true"
                                        or "失败" in d.find_element(By.ID, "map-status-line").text)
        box = driver.find_element(By.ID, "order-map")
        assert box.get_attribute("data-ready") == "true", driver.find_element(By.ID, "map-status-line").text
        districts = {e.get_attribute("data-district") for e in driver.find_elements(By.CSS_SELECTOR, "#order-map path[data-district]")}
        assert districts == {"江城区", "湖滨区", "高新区", "青山县"}, districts
        points = driver.find_elements(By.CSS_SELECTOR, "#order-map path.order-point")
        assert len(points) >= 6, f"{len(points)} points drawn"
        spots = driver.find_elements(By.CSS_SELECTOR, "#order-map path.hot-spot")
        assert spots, "no hot spot drawn"
        assert "湖滨区湖畔街道" in driver.find_element(By.CSS_SELECTOR, "ol.hot-spots").text
        for element_id in ["map-summary", "map-status-line", "spots-h"]:
            no_codes(driver, element_id)
        driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.ID, "map-h"))
        shot(driver, "map-manager")
        # Street colouring instead of districts, from the layer control.
        driver.find_element(By.XPATH, "//label[contains(., '按街道（乡镇）着色')]//input").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#order-map path[data-street]"))
        shot(driver, "map-streets")
        return len(points), len(spots)
    finally:
        driver.quit()


def agent_profile():
    driver = log_in("agent")
    try:
        driver.get(BASE + "/intake?phone=" + PHONE)
        section = driver.find_element(By.CSS_SELECTOR, "section.caller-profile")
        text = section.text
        assert "高频来电" in text and "老年人" in text, text
        assert "共 6 件工单" in text, text
        assert PHONE not in section.get_attribute("innerHTML"), "the phone is masked in the profile"
        bars = section.find_elements(By.CSS_SELECTOR, "svg rect")
        assert len(bars) == 12 and any(int(b.get_attribute("height")) > 0 for b in bars)
        no_codes(driver, "caller-profile-h")
        driver.execute_script("arguments[0].scrollIntoView()", section)
        shot(driver, "intake-caller-profile")
    finally:
        driver.quit()


def supervisor_order(number):
    driver = log_in("supervisor")
    try:
        driver.get(BASE + "/orders/" + number)
        section = driver.find_element(By.CSS_SELECTOR, "section.caller-profile")
        assert "高频来电" in section.text
        driver.execute_script("arguments[0].scrollIntoView()", section)
        shot(driver, "order-caller-profile")
    finally:
        driver.quit()


numbers = report_matters()
drawn, spots = manager_map()
agent_profile()
supervisor_order(numbers[-1])
print(f"ok walk map: four district shapes, {drawn} order points and {spots} hot spots drawn offline for the manager; "
      "the caller profile with its monthly chart and tags on the intake desk and the order page")
sys.exit(0)
