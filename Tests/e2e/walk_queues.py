"""Queues, filters and export in the console (issue 11, items 5-7):

1. three orders are taken and dispatched through the API (each walk makes its own);
2. the district (江城区) signs one and asks for an extension (申请延期) on its order page;
3. the dispatcher finds it in the home tile 延期待审批, whose list is headed 延期待审批 with the tile's count, opens it
   from there and approves it (同意延期);
4. the district sees the decision on the order page (the timeline and the later deadline);
5. the supervisor filters the order list with the form (status + kind + words), sees the heading describe it, exports
   it (导出 CSV) and the downloaded file holds exactly the filtered orders.

    python3 Tests/e2e/walk_queues.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import csv
import glob
import json
import os
import sys
import tempfile
import time
import urllib.request

from console import api_token, BASE, shot, log_in, sign_in, act, expect_status, click_when_ready
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def api(method, path, token=None, body=None):
    request = urllib.request.Request(BASE + "/api/v1" + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"{}")


def token(user):
    return api_token(user)


def browser_with_downloads(directory):
    """A headless Chromium like console.browser(), which saves downloads into `directory` without asking."""
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    options.add_experimental_option("prefs", {"download.default_directory": directory, "download.prompt_for_download": False,
                                              "download.directory_upgrade": True, "intl.accept_languages": "zh-CN,zh"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": directory})
    return driver


def tile(driver, label):
    return WebDriverWait(driver, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, f".queue[data-label='{label}']"))


def listed(driver):
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "table.orders tbody td:first-child a")]


def main():
    users = []
    try:
        # 1. Three orders sharing an unusual word, so the filter below has something to leave out.
        word = "走查" + time.strftime("%H%M%S")
        agent, dispatcher_token = token("agent"), token("dispatcher")
        leaf = next(c["code"] for c in api("GET", "/categories", agent)["items"] if c["code"].count(".") == 2)
        def take(title, kind, dispatch):
            order = api("POST", "/orders", agent, {
                "channel": "phone", "kind": kind, "category_code": leaf, "title": title,
                "content": f"{title}，市民来电反映，请尽快处理。", "caller": {"name": "钱女士", "phone": "13900001111"},
                "location": {"address": "江城区滨江路1号", "district": "江城区"}})["order"]["number"]
            if dispatch:
                api("POST", f"/orders/{order}/dispatch", dispatcher_token, {"lead_unit": "dist-jiangcheng"})
            return order
        extended = take(f"{word} 小区路灯长期不亮", "complaint", True)
        consultation = take(f"{word} 咨询路灯维修进度", "consultation", True)
        waiting = take(f"{word} 另一处路灯不亮", "complaint", False)

        # 2. The district signs the order and asks for three more working days.
        unit = log_in("jiangcheng")
        users.append(unit)
        unit.get(BASE + "/")
        for label in ["待签收", "办理中", "审核退回", "重办", "被催办", "被亮牌", "即将超期", "已超期", "待审核"]:
            tile(unit, label)
        shot(unit, "unit-home-queues")
        act(unit, extended, "签收")
        act(unit, extended, "申请延期", fields={"working_days": "3", "reason": "需协调供电公司更换线路，预计三个工作日"})
        facts = unit.find_element(By.CSS_SELECTOR, "dl.facts").text
        assert "待审批" in facts, f"the order page does not say the extension is pending: {facts}"
        shot(unit, "unit-extension-requested")

        # 3. The dispatcher finds it in 延期待审批 and approves it from that list.
        dispatcher = log_in("dispatcher")
        users.append(dispatcher)
        dispatcher.get(BASE + "/")
        queue = tile(dispatcher, "延期待审批")
        count = int(queue.find_element(By.CSS_SELECTOR, ".count").text.rstrip("+"))
        assert count >= 1, "the 延期待审批 tile is empty"
        assert "urgent" in queue.get_attribute("class").split(), "the tile is not marked urgent"
        dispatcher.execute_script("arguments[0].scrollIntoView({block: 'center'})", queue)
        shot(dispatcher, "dispatcher-home-extension-tile")
        queue.find_element(By.LINK_TEXT, "查看延期待审批").click()
        WebDriverWait(dispatcher, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"table a[href='/orders/{extended}']"))
        heading = dispatcher.find_element(By.TAG_NAME, "h1").text
        assert heading == "延期待审批", f"the tile opens a list headed {heading}"
        total = dispatcher.find_element(By.CSS_SELECTOR, "p.lead").text
        assert f"共 {count} 件" in total, f"the tile said {count}, the list says {total}"
        row = dispatcher.find_element(By.CSS_SELECTOR, f"table a[href='/orders/{extended}']")
        dispatcher.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
        shot(dispatcher, "dispatcher-extension-queue")
        click_when_ready(dispatcher, f"table a[href='/orders/{extended}']")
        WebDriverWait(dispatcher, 30).until(lambda d: d.current_url.endswith(f"/orders/{extended}"))
        act(dispatcher, extended, "同意延期", fields={"note": "同意，请按期办结"}, navigate=False)
        shot(dispatcher, "dispatcher-extension-approved")

        # 4. The district sees the decision on its order page.
        unit.get(f"{BASE}/orders/{extended}")
        page = unit.find_element(By.TAG_NAME, "main").text
        assert "同意延期3个工作日" in page, "the unit does not see the approval in the timeline"
        assert "待审批" not in unit.find_element(By.CSS_SELECTOR, "dl.facts").text, "the extension still shows as pending"
        expect_status(unit, "办理中")
        unit.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        shot(unit, "unit-sees-extension-approved")

        # 5. The supervisor filters the list with the form and exports exactly what it shows.
        downloads = tempfile.mkdtemp(prefix="walk-queues-")
        supervisor = browser_with_downloads(downloads)
        users.append(supervisor)
        sign_in(supervisor, "supervisor", next_path="/orders")
        WebDriverWait(supervisor, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form.filters"))
        # One count of overdue orders at units: the home tile, the board's tile and the list they open agree.
        supervisor.get(BASE + "/")
        home_overdue = tile(supervisor, "超期在办").find_element(By.CSS_SELECTOR, ".count").text
        supervisor.get(BASE + "/supervision")
        board_tile = tile(supervisor, "超期在办")
        board_overdue = board_tile.find_element(By.CSS_SELECTOR, ".count").text
        shot(supervisor, "supervisor-board-overdue")
        board_tile.find_element(By.LINK_TEXT, "查看超期在办").click()
        WebDriverWait(supervisor, 30).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "超期在办")
        list_overdue = supervisor.find_element(By.CSS_SELECTOR, "p.lead").text
        assert home_overdue == board_overdue and f"共 {home_overdue} 件" in list_overdue, \
            f"超期在办: home {home_overdue}, board {board_overdue}, list {list_overdue}"
        supervisor.get(BASE + "/orders")
        form = supervisor.find_element(By.CSS_SELECTOR, "form.filters")
        form.find_element(By.NAME, "q").send_keys(word)
        Select(form.find_element(By.NAME, "status")).select_by_visible_text("办理中")
        Select(form.find_element(By.NAME, "kind")).select_by_visible_text("投诉")
        shot(supervisor, "supervisor-filter-form")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(supervisor, 30).until(lambda d: "q=" in d.current_url)
        heading = supervisor.find_element(By.TAG_NAME, "h1").text
        assert heading == f"办理中 · 投诉 · 含“{word}”", f"the heading does not describe the filter: {heading}"
        shown = listed(supervisor)
        assert shown == [extended], f"the filtered list shows {shown}, not just {extended} (left out: {consultation}, {waiting})"
        form = supervisor.find_element(By.CSS_SELECTOR, "form.filters")
        assert form.find_element(By.NAME, "q").get_attribute("value") == word, "the form forgot the words"
        assert Select(form.find_element(By.NAME, "status")).first_selected_option.text == "办理中"
        assert Select(form.find_element(By.NAME, "kind")).first_selected_option.text == "投诉"
        shot(supervisor, "supervisor-filtered-list", whole_page=True)
        supervisor.find_element(By.LINK_TEXT, "导出 CSV").click()
        deadline = time.time() + 15
        files = []
        while time.time() < deadline:
            files = [f for f in glob.glob(os.path.join(downloads, "*.csv"))]
            if files and not glob.glob(os.path.join(downloads, "*.crdownload")):
                break
            time.sleep(0.2)
        assert files, "no CSV was downloaded"
        with open(files[0], encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0][:4] == ["工单编号", "状态", "渠道", "诉求类型"], f"unexpected CSV header {rows[0]}"
        exported = [r[0] for r in rows[1:]]
        assert exported == shown, f"the CSV holds {exported}, the list shows {shown}"
        assert rows[1][1] == "办理中" and rows[1][3] == "投诉" and word in rows[1][6], f"unexpected CSV row {rows[1]}"
        # The clear-filters link brings the whole list back.
        supervisor.find_element(By.LINK_TEXT, "清除筛选").click()
        WebDriverWait(supervisor, 30).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "全部工单")
        print(f"ok walk queues: extension on {extended} requested by the district, approved from the dispatcher's 延期待审批 "
              f"queue (tile {count} = list total), decision seen by the unit; supervisor's filtered list (办理中 · 投诉 · "
              f"“{word}”) showed 1 of 3 orders and its CSV export held exactly it; 超期在办 {home_overdue} on the supervisor's "
              f"home = board = list")
    finally:
        for driver in users:
            driver.quit()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # any failure: say what, exit non-zero
        print(f"FAILED walk queues: {e}", file=sys.stderr)
        raise
