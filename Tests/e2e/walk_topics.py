"""热点预警 in the console: a burst of similar orders created through the API becomes a hot topic when the manager
refreshes the topics on /insight/topics; the page shows it with its terms, counts and trend bars, its link lists the
burst's orders, the alert is in the notices (the bell), and a threshold out of range is refused naming its field. Run as

    python3 Tests/e2e/walk_topics.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from console import BASE, api_token, log_in, shot, staleness_of, wait_for, api

ESTATE = "枫林雅居"
BURST = [
    f"{ESTATE}旁边工地夜间施工噪音扰民", f"投诉{ESTATE}附近工地半夜施工", f"{ESTATE}工地夜间施工严重影响睡眠",
    f"{ESTATE}附近工地夜间施工噪音太大", f"{ESTATE}旁工地夜里还在施工", f"再次投诉{ESTATE}工地夜间施工扰民",
    f"{ESTATE}小区旁工地夜间施工噪音", f"{ESTATE}工地施工噪音扰民，请管一管",
]



agent = api_token("agent")
numbers = []
for i, text in enumerate(BURST):
    order = api("POST", "/orders", agent, {
        "channel": "phone", "kind": "complaint", "category_code": "01.01", "title": text, "content": text + "，已经持续一周。",
        "caller": {"name": "市民", "phone": f"1370000{i:04d}"}, "location": {"address": f"{ESTATE}{i + 1}栋", "district": "江城区"}})
    numbers.append(order["order"]["number"])

manager = log_in("manager")
try:
    manager.get(BASE + "/")
    manager.find_element(By.LINK_TEXT, "热点").click()
    assert "<h1>热点预警</h1>" in manager.page_source
    button = manager.find_element(By.XPATH, "//button[text()='立即更新热点']")
    button.click()
    WebDriverWait(manager, 60).until(staleness_of(button))
    assert "热点已更新" in manager.page_source, manager.page_source[:2000]
    link = manager.find_element(By.PARTIAL_LINK_TEXT, ESTATE)
    row = link.find_element(By.XPATH, "./ancestor::tr")
    text = row.text
    assert "件" in text and row.find_elements(By.CSS_SELECTOR, "svg.trend rect"), text
    main = manager.find_element(By.TAG_NAME, "main").text
    for code in ["scope", "city", "district", "=", "min_size", "null"]:
        assert code not in main, f"the page shows {code!r}"
    shot(manager, "topics", whole_page=True)

    # The alert in the notices (the bell counts it until the topic is opened).
    manager.get(BASE + "/notices")
    assert "热点预警" in manager.page_source and ESTATE in manager.page_source, "the alert is listed"
    shot(manager, "topics-notice")

    # The topic's orders.
    manager.get(BASE + "/insight/topics")
    manager.find_element(By.PARTIAL_LINK_TEXT, ESTATE).click()
    WebDriverWait(manager, 30).until(lambda d: "相关工单" in d.page_source)
    for number in numbers:
        assert manager.find_elements(By.LINK_TEXT, number), f"order {number} is listed under its topic"
    shot(manager, "topic-orders", whole_page=True)

    # A threshold out of range is refused naming its field; the stored ones stay.
    manager.get(BASE + "/insight/topics")
    form = manager.find_element(By.CSS_SELECTOR, "form[action='/insight/topics/settings']")
    field = form.find_element(By.NAME, "min_ratio")
    field.clear()
    field.send_keys("0.5")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(manager, 30).until(staleness_of(form))
    error = wait_for(manager, "p.error[role=alert]").text
    assert error.startswith("上升倍数："), error
    shot(manager, "topics-threshold-refused")
finally:
    manager.quit()
print(f"ok walk topics: {len(BURST)} similar orders about {ESTATE} became a hot topic on 热点预警 after 立即更新热点, with terms, "
      "counts and trend bars; its link lists every one of its orders, the alert is in the notices, and a threshold out of range "
      "is refused naming its field")
