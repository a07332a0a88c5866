"""Browser walk of 消息提醒 (notices): a district's staff member watches the bell while an order is dispatched to the
district (through the API), then urged and given a yellow card by a supervisor in the console; the bell's count rises
without a reload; the notice list reads in plain Chinese; opening a notice lands on its order and the count drops;
全部标为已读 empties it.

    python3 Tests/e2e/walk_notices.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import json
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from console import api_token, BASE, PASSWORD, shot, log_in, act, yellow_is_chosen, click_when_ready

UNIT_USER, UNIT_ID, UNIT_NAME = "hubin", "dist-hubin", "湖滨区人民政府"


def api(method, path, token=None, body=None):
    request = urllib.request.Request(BASE + "/api/v1" + path, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(request, data) as r:
        return json.loads(r.read())


def token(user):
    return api_token(user)


def bell_count(driver):
    """The bell's count as shown: '' when it shows none."""
    count = driver.find_element(By.CSS_SELECTOR, "#bell .bell-count")
    return "" if not count.is_displayed() else count.text.strip()


def wait_for_count(driver, expected, what):
    try:
        WebDriverWait(driver, 20).until(lambda d: bell_count(d) == expected)
    except Exception:
        raise AssertionError(f"{what}: the bell shows '{bell_count(driver)}', expected '{expected}'")


def mark_all_read(driver):
    driver.get(BASE + "/notices")
    buttons = [b for b in driver.find_elements(By.CSS_SELECTOR, "button[type=submit]") if b.text.strip() == "全部标为已读"]
    if buttons:
        buttons[0].click()
        WebDriverWait(driver, 30).until(lambda d: "done=read" in d.current_url)
        assert "已全部标为已读" in driver.page_source


unit = supervisor = None
try:
    # The unit's staff member starts with nothing unread (other walks may have told the district of their orders).
    unit = log_in(UNIT_USER)
    mark_all_read(unit)
    unit.get(BASE + "/")
    wait_for_count(unit, "", "after marking everything read")
    unit.execute_script("window.walkMarker = 'still the same page';")
    shot(unit, "notices-unit-home-before")

    # A new order for the district, taken and dispatched through the API.
    agent, dispatcher = token("agent"), token("dispatcher")
    category = next(c["code"] for c in api("GET", "/categories", agent)["items"] if c["code"].count(".") == 2)
    stamp = time.strftime("%H%M%S")
    order = api("POST", "/orders", agent, {
        "channel": "phone", "kind": "complaint", "category_code": category, "title": f"湖畔小区路灯不亮（{stamp}）",
        "content": "湖滨区湖畔街道湖畔小区3栋门口路灯坏了一周，夜里出行不便。", "caller": {"name": "赵女士", "phone": "13900001111"},
        "location": {"address": "湖畔小区3栋", "district": "湖滨区"}})["order"]
    number = order["number"]
    api("POST", f"/orders/{number}/dispatch", dispatcher, {"lead_unit": UNIT_ID, "note": "请尽快核实维修"})
    wait_for_count(unit, "1", "after the dispatch")

    # The supervisor urges it and gives a yellow card in the console.
    supervisor = log_in("supervisor")
    act(supervisor, number, "催办", fields={"note": "请今天内联系市民"})
    act(supervisor, number, "亮牌", fields={"reason": "催办后仍未联系市民"}, before_submit=yellow_is_chosen)

    wait_for_count(unit, "3", "after the urge and the yellow card")
    assert unit.execute_script("return window.walkMarker") == "still the same page", "the home page reloaded"
    assert unit.find_element(By.ID, "bell").get_attribute("aria-label") == "消息提醒，3条未读"
    shot(unit, "notices-bell-rose-live")

    # The list: three sentences a person can read, newest first, all unread.
    click_when_ready(unit, "#bell")
    WebDriverWait(unit, 30).until(lambda d: d.current_url.endswith("/notices"))
    items = unit.find_elements(By.CSS_SELECTOR, "ol.notices li.notice-item")
    sentences = [i.find_element(By.CSS_SELECTOR, ".notice-sentence").text for i in items[:3]]
    expected = [
        f"江州市12345政务服务便民热线中心 督办员 周涛 对工单 {number} 向{UNIT_NAME}亮黄牌：催办后仍未联系市民",
        f"江州市12345政务服务便民热线中心 督办员 周涛 对工单 {number} 催办{UNIT_NAME}（本单第1次）：请今天内联系市民",
        f"江州市12345政务服务便民热线中心 派单员 陈静 对工单 {number} 派单至{UNIT_NAME}主办，答复期限 ",
    ]
    assert sentences[:2] == expected[:2], f"the list reads: {sentences}"
    assert sentences[2].startswith(expected[2]) and sentences[2].endswith("：请尽快核实维修"), f"the dispatch reads: {sentences[2]}"
    assert all("unread" in i.get_attribute("class").split() for i in items[:3]), "the new notices are not marked unread"
    assert "未读 3 条" in unit.find_element(By.CSS_SELECTOR, "p.lead").text
    for code in ["dist-hubin", "urged", "yellow_card", "unit=", "centre"]:
        assert code not in unit.find_element(By.TAG_NAME, "main").text, f"the list shows the code {code}"
    shot(unit, "notices-list", whole_page=True)

    # Opening the urge's notice lands on the order; the count drops by one.
    items[1].find_element(By.CSS_SELECTOR, "button.link").click()
    WebDriverWait(unit, 30).until(lambda d: d.current_url.endswith(f"/orders/{number}"))
    assert number in unit.find_element(By.TAG_NAME, "h1").text
    assert bell_count(unit) == "2", f"after opening one the bell shows '{bell_count(unit)}'"
    shot(unit, "notices-opened-order")

    unit.get(BASE + "/notices")
    items = unit.find_elements(By.CSS_SELECTOR, "ol.notices li.notice-item")
    assert ["unread" in i.get_attribute("class").split() for i in items[:3]] == [True, False, True], "the opened notice is not read"
    mark_all_read(unit)
    assert bell_count(unit) == "" and "没有未读消息" in unit.find_element(By.CSS_SELECTOR, "p.lead").text
    shot(unit, "notices-all-read")
    print(f"ok walk notices: {UNIT_USER}'s bell rose 0→1→3 without a reload as order {number} was dispatched, urged and "
          "carded; the list read in sentences; opening a notice went to the order and the count fell to 2; all read → 0")
finally:
    for d in (unit, supervisor):
        if d:
            d.quit()
