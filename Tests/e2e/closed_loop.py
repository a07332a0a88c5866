"""End-to-end: one order walked through the whole closed loop in Chromium, each step by its own user in its own
browser, with a screenshot after each step; then a user of another unit is refused the order's page.

    python3 Tests/e2e/closed_loop.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import os
import sys
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, SHOTS = sys.argv[1], sys.argv[2]
PASSWORD = "hotline12345"
os.makedirs(SHOTS, exist_ok=True)
step = 0


def browser():
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shot(driver, name):
    global step
    step += 1
    path = os.path.join(SHOTS, f"{step:02d}-{name}.png")
    driver.save_screenshot(path)
    print(f"ok screenshot {path}")


def log_in(user):
    driver = browser()
    driver.get(BASE + "/login")
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    WebDriverWait(driver, 10).until(lambda d: "您好" in d.page_source)
    return driver


def act(driver, number, action, fields=None, selects=None):
    """Opens the action's form on the order page, fills it and submits it."""
    driver.get(f"{BASE}/orders/{number}")
    summary = next(s for s in driver.find_elements(By.TAG_NAME, "summary") if s.text.strip() == action)
    summary.click()
    form = summary.find_element(By.XPATH, "..").find_element(By.TAG_NAME, "form")
    for name, value in (selects or {}).items():
        Select(form.find_element(By.NAME, name)).select_by_value(value)
    for name, value in (fields or {}).items():
        form.find_element(By.NAME, name).send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url or "role=\"alert\"" in d.page_source)
    assert "done=" in driver.current_url, f"{action} failed: {driver.find_element(By.CSS_SELECTOR, '.error').text}"


def expect_status(driver, text):
    facts = driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert text in facts, f"expected status {text}, page says: {facts[:80]}"


users = []
try:
    # 1. The agent takes the call: looks the caller up, types the request, sees the assistant, submits.
    agent = log_in("agent")
    users.append(agent)
    agent.get(BASE + "/intake?phone=13955550001")
    agent.find_element(By.ID, "title").send_keys("江城区滨江路路灯不亮")
    agent.find_element(By.ID, "content").send_keys("江城区滨江街道滨江路一段的路灯已经连续五天不亮了，晚上行人和电动车经过很危险，希望尽快维修。")
    Select(agent.find_element(By.ID, "kind")).select_by_value("complaint")
    Select(agent.find_element(By.ID, "district")).select_by_value("江城区")
    agent.find_element(By.ID, "caller_name").send_keys("赵先生")
    WebDriverWait(agent, 10).until(lambda d: "承办单位推荐" in d.find_element(By.ID, "assist-body").text)
    shot(agent, "agent-intake-with-assistant")
    agent.find_element(By.CSS_SELECTOR, "#intake-form button.primary").click()
    WebDriverWait(agent, 10).until(lambda d: "done=create" in d.current_url)
    number = agent.current_url.split("/orders/")[1].split("?")[0]
    expect_status(agent, "待派单")
    shot(agent, "agent-order-taken")

    # 2. The dispatcher dispatches it to the district.
    dispatcher = log_in("dispatcher")
    users.append(dispatcher)
    act(dispatcher, number, "派单", selects={"lead_unit": "dist-jiangcheng"})
    expect_status(dispatcher, "已派单")
    shot(dispatcher, "dispatcher-dispatched")

    # 3. The district signs for it and replies.
    unit = log_in("jiangcheng")
    users.append(unit)
    unit.get(BASE + "/")
    assert "待签收" in unit.page_source
    act(unit, number, "签收")
    expect_status(unit, "办理中")
    shot(unit, "unit-signed")
    act(unit, number, "答复", fields={"text": "已安排路灯维修班组更换灯具，滨江路路灯于当日恢复照明。"})
    expect_status(unit, "已答复")
    shot(unit, "unit-replied")

    # 4. The reviewer passes the reply.
    reviewer = log_in("reviewer")
    users.append(reviewer)
    act(reviewer, number, "审核通过")
    expect_status(reviewer, "待回访")
    shot(reviewer, "reviewer-passed")

    # 5. The callback agent calls the citizen back and closes the loop.
    callback = log_in("callback")
    users.append(callback)
    act(callback, number, "回访", selects={"reached": "true", "resolved": "true", "satisfaction": "satisfied"}, fields={"note": "市民表示路灯已修好，满意"})
    expect_status(callback, "已办结")
    assert "哈希链校验通过" in callback.page_source
    shot(callback, "callback-closed")

    # 6. Another district's user cannot open the order.
    other = log_in("hubin")
    users.append(other)
    other.get(f"{BASE}/orders/{number}")
    assert "不存在" in other.page_source and "滨江路" not in other.page_source, "another unit saw the order"
    shot(other, "other-unit-refused")
    with urllib.request.urlopen(BASE + "/api/v1/health") as r:
        assert r.status == 200
    print(f"ok closed loop walked for order {number} by agent, dispatcher, unit, reviewer and callback agent")
finally:
    for d in users:
        d.quit()
