"""Browser walk of 考评指标 and 考评排名: an order is taken, dispatched and signed through the API; the manager opens
home, follows 考评 to the measures page (by unit, then by day with its chart), opens the ranking and downloads its CSV
in the browser's session.

    python3 Tests/e2e/walk_insight.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import sys

from selenium.webdriver.common.by import By

from console import api_token, BASE, shot, log_in, api



def no_codes(driver, where):
    text = driver.find_element(By.TAG_NAME, "main").text if driver.find_elements(By.TAG_NAME, "main") else driver.page_source
    for code in ["response_rate", "dist-", "dept-", "null", "=", "NaN"]:
        assert code not in text, f"{where} shows '{code}'"


manager = None
try:
    agent, dispatcher, unit = api_token("agent"), api_token("dispatcher"), api_token("jiangcheng")
    order = api("POST", "/orders", agent, {
        "channel": "phone", "kind": "complaint", "category_code": "01.01.03", "title": "路口信号灯故障", "content": "江城区人民路与解放路路口信号灯不亮，车辆通行混乱。",
        "caller": {"name": "李女士", "phone": "13900001111"}, "location": {"address": "人民路与解放路路口", "district": "江城区"}})
    number = order["order"]["number"]
    api("POST", f"/orders/{number}/dispatch", dispatcher, {"lead_unit": "dist-jiangcheng"})
    api("POST", f"/orders/{number}/sign", unit, {})
    manager_token = api_token("manager")
    figures = api("GET", "/measures?by=unit", manager_token)
    row = next(r for r in figures["rows"] if r["key"] == "dist-jiangcheng")
    assert row["dispatched"] >= 1 and row["response_rate"] is not None, row

    manager = log_in("manager")
    shot(manager, "manager-home")
    manager.find_element(By.LINK_TEXT, "考评").click()
    assert "考评指标" in manager.page_source and "响应率" in manager.page_source
    assert "江城区人民政府" in manager.page_source, "the unit with the new order is a row"
    assert "派单工单数" in manager.page_source, "definitions beside the figures"
    no_codes(manager, "measures page")
    shot(manager, "measures-by-unit", whole_page=True)

    manager.get(BASE + "/insight/measures?by=day")
    assert manager.find_elements(By.CSS_SELECTOR, "svg.chart polyline, svg.chart circle"), "the trend chart is drawn"
    no_codes(manager, "measures by day")
    shot(manager, "measures-trend", whole_page=True)

    manager.get(BASE + "/insight/ranking")
    assert "考评排名" in manager.page_source and "江城区人民政府" in manager.page_source
    no_codes(manager, "ranking page")
    shot(manager, "ranking", whole_page=True)
    href = manager.find_element(By.LINK_TEXT, "导出 CSV").get_attribute("href")
    csv = manager.execute_async_script(
        "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e));", href)
    assert csv.lstrip("\ufeff").startswith("考核类别,名次,单位,综合得分"), csv[:80]
    assert "江城区人民政府" in csv
    print("ok walk insight: the manager reads the measures by unit with their definitions, the daily trend chart, "
          "the month's ranking and downloads its CSV")
except Exception as e:
    print(f"FAILED walk insight: {e}")
    sys.exit(1)
finally:
    if manager:
        manager.quit()
