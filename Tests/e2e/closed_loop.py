"""End-to-end: one order walked through the whole closed loop in Chromium, each step by its own user in its own
browser, with a screenshot after each step: the dispatcher's open list updates live when the order arrives, the
supervisor urges and cards the unit and watches the board, the unit replies with a photo that the reviewer sees;
then a user of another unit is refused the order's page and the photo, and the admin opens the calendar.

    python3 Tests/e2e/closed_loop.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import os
import struct
import sys
import tempfile
import urllib.error
import urllib.request
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, SHOTS = sys.argv[1], sys.argv[2]
PASSWORD = "hotline12345"
os.makedirs(SHOTS, exist_ok=True)
for old in os.listdir(SHOTS):
    if old.endswith(".png"):
        os.remove(os.path.join(SHOTS, old))
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


def photo_png(path, width=160, height=120):
    """A real PNG (a blue sky over a grey road with a yellow lamp) so that the thumbnail has something to show."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if (x - 120) ** 2 + (y - 30) ** 2 < 90:
                row += bytes([250, 210, 40])
            elif y > 80:
                row += bytes([110, 110, 115])
            else:
                row += bytes([120, 170, 230])
        rows.append(bytes(row))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)
    return path


def actions(driver):
    """The names of the actions the order page offers now."""
    return [s.text.strip() for s in driver.find_elements(By.CSS_SELECTOR, "details > summary")]


def act(driver, number, action, fields=None, selects=None, files=None, choices=None):
    """Opens the action's form on the order page, fills it and submits it. `choices` are radio groups (name: value),
    answered by clicking the option's label; none may be chosen beforehand."""
    driver.get(f"{BASE}/orders/{number}")
    summary = next((s for s in driver.find_elements(By.CSS_SELECTOR, "details > summary") if s.text.strip() == action), None)
    assert summary is not None, f"the order page does not offer {action}, only {actions(driver)}"
    summary.click()
    form = summary.find_element(By.XPATH, "..").find_element(By.TAG_NAME, "form")
    WebDriverWait(driver, 10).until(lambda d: form.is_displayed())
    for name, value in (choices or {}).items():
        radios = form.find_elements(By.CSS_SELECTOR, f"input[type=radio][name='{name}']")
        assert radios, f"{action} has no choice {name}"
        assert not any(r.is_selected() for r in radios), f"{action}: {name} is chosen beforehand"
        radio = next(r for r in radios if r.get_attribute("value") == value)
        radio.find_element(By.XPATH, "./ancestor::label").click()
        assert radio.is_selected(), f"{action}: clicking the label did not choose {name}={value}"
    for name, value in (selects or {}).items():
        Select(form.find_element(By.NAME, name)).select_by_value(value)
    for name, value in (fields or {}).items():
        form.find_element(By.NAME, name).send_keys(value)
    for name, path in (files or {}).items():
        form.find_element(By.NAME, name).send_keys(path)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url or "role=\"alert\"" in d.page_source)
    assert "done=" in driver.current_url, f"{action} failed: {driver.find_element(By.CSS_SELECTOR, '.error').text}"


def expect_status(driver, text):
    facts = driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert text in facts, f"expected status {text}, page says: {facts[:80]}"


users = []
try:
    # 0. The dispatcher keeps the pending-dispatch list open while the calls come in.
    dispatcher = log_in("dispatcher")
    users.append(dispatcher)
    dispatcher.get(BASE + "/orders?status=pending_dispatch&sort=newest")
    WebDriverWait(dispatcher, 10).until(lambda d: d.execute_script("return document.getElementById('live') !== null"))

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

    # 2. The dispatcher's open list shows the new order without anyone reloading it; the dispatcher dispatches it.
    WebDriverWait(dispatcher, 20).until(lambda d: f"/orders/{number}" in d.page_source)
    shot(dispatcher, "dispatcher-list-updated-live")
    act(dispatcher, number, "派单", selects={"lead_unit": "dist-jiangcheng"})
    expect_status(dispatcher, "已派单")
    shot(dispatcher, "dispatcher-dispatched")

    # 3. The district signs for it.
    unit = log_in("jiangcheng")
    users.append(unit)
    unit.get(BASE + "/")
    assert "待签收" in unit.page_source
    act(unit, number, "签收")
    expect_status(unit, "办理中")
    shot(unit, "unit-signed")

    # 4. The supervisor urges the district, then gives a yellow card, and watches the board.
    supervisor = log_in("supervisor")
    users.append(supervisor)
    act(supervisor, number, "催办", fields={"note": "市民反映强烈，请今天内安排维修"})
    act(supervisor, number, "亮牌", selects={"colour": "yellow"}, fields={"reason": "催办后仍未安排维修"})
    supervisor.get(BASE + "/supervision")
    board = supervisor.page_source
    assert "黄牌警示" in board and "催办" in board and number in board, "the board does not show the supervision"
    shot(supervisor, "supervisor-board")

    # 5. The district replies with a photo of the repaired lamp.
    photo = photo_png(os.path.join(tempfile.mkdtemp(), "现场照片.png"))
    act(unit, number, "答复", fields={"text": "已安排路灯维修班组更换灯具，滨江路路灯于当日恢复照明。"}, files={"files": photo})
    expect_status(unit, "已答复")
    shot(unit, "unit-replied-with-photo")

    # 6. The reviewer sees the photo and passes the reply.
    reviewer = log_in("reviewer")
    users.append(reviewer)
    reviewer.get(f"{BASE}/orders/{number}")
    thumb = reviewer.find_element(By.CSS_SELECTOR, "ul.attachments img")
    assert reviewer.execute_script("return arguments[0].complete && arguments[0].naturalWidth", thumb) == 160, "the photo did not load"
    photo_url = reviewer.find_element(By.LINK_TEXT, "现场照片.png").get_attribute("href")
    reviewer.execute_script("arguments[0].scrollIntoView({block: 'center'})", thumb)
    shot(reviewer, "reviewer-sees-photo")
    act(reviewer, number, "审核通过")
    expect_status(reviewer, "待回访")
    shot(reviewer, "reviewer-passed")

    # 7. The callback agent calls the citizen back and closes the loop.
    callback = log_in("callback")
    users.append(callback)
    act(callback, number, "回访", choices={"reached": "true", "resolved": "true", "satisfaction": "satisfied"}, fields={"note": "市民表示路灯已修好，满意"})
    expect_status(callback, "已办结")
    assert "哈希链校验通过" in callback.page_source
    shot(callback, "callback-closed")

    # 8. Another district's user cannot open the order, nor its photo.
    other = log_in("hubin")
    users.append(other)
    other.get(f"{BASE}/orders/{number}")
    assert "不存在" in other.page_source and "滨江路" not in other.page_source, "another unit saw the order"
    shot(other, "other-unit-refused")
    other.get(photo_url)
    assert "不存在" in other.page_source, "another unit got the photo"
    try:
        with urllib.request.urlopen(photo_url) as r:  # without a session: sent to the login page
            assert not r.headers.get("Content-Type", "").startswith("image/"), "the photo was served without a session"
    except urllib.error.HTTPError as e:
        assert e.code in (401, 403, 404), e.code
    with urllib.request.urlopen(BASE + "/api/v1/health") as r:
        assert r.status == 200

    # 9. The admin opens the working-day calendar and the unit tree.
    admin = log_in("admin")
    users.append(admin)
    admin.get(BASE + "/admin/calendar?year=2025")
    assert "春节" in admin.page_source, "the calendar does not show the Spring Festival"
    shot(admin, "admin-calendar")
    admin.get(BASE + "/admin/units")
    assert "江城区" in admin.page_source
    shot(admin, "admin-units")
    print(f"ok closed loop walked for order {number} by agent, dispatcher, unit, supervisor, reviewer and callback agent")
finally:
    for d in users:
        d.quit()
