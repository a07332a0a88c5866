"""Browser walk of the manager's home and 驻场分析: an order is answered on the call and another dispatched through the
API; the manager's home shows this month's rates with their definitions, the 12-month chart, the ranking and the links;
the manager opens 驻场分析, reads the ranking of departments and records a stationing, which then shows with its
before/after direct-answer rate. Run as

    python3 Tests/e2e/walk_manager.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import datetime
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import api_token, BASE, shot, log_in, staleness_of, api



def no_codes(driver, where):
    text = driver.find_element(By.TAG_NAME, "main").text if driver.find_elements(By.TAG_NAME, "main") else driver.page_source
    for code in ["response_rate", "dist-", "dept-", "null", "=", "NaN", "unit_id"]:
        assert code not in text, f"{where} shows '{code}'"


manager = None
try:
    agent, dispatcher = api_token("agent"), api_token("dispatcher")
    base = {"channel": "phone", "kind": "consultation", "category_code": "01.01.03", "caller": {"name": "王先生", "phone": "13900002222"},
            "location": {"address": "人民路1号", "district": "江城区"}}
    api("POST", "/orders", agent, dict(base, title="咨询信号灯报修电话", content="想问路口信号灯坏了找哪个部门。",
                                       decision={"type": "answer_directly", "answer": "已告知报修电话。"}))
    sent = api("POST", "/orders", agent, dict(base, kind="complaint", title="路口信号灯故障", content="人民路路口信号灯不亮。"))["order"]["number"]
    api("POST", f"/orders/{sent}/dispatch", dispatcher, {"lead_unit": "dist-jiangcheng"})
    figures = api("GET", "/specialists", api_token("manager"))
    assert figures["departments"], "the API ranks departments"

    manager = log_in("manager")
    page = manager.page_source
    assert "主要指标" in page and "响应率" in page, "this month's figures"
    assert "较上月" in page or "上月无可比数据" in page or "与上月持平" in page, "the change against last month"
    assert "ⓘ" in page and "÷" in page, "definitions beside the figures"
    assert manager.find_elements(By.CSS_SELECTOR, "svg.chart polyline, svg.chart circle"), "the 12-month chart is drawn"
    assert "本月各类单位排名前三" in page
    for label in ["地图", "报告", "驻场分析"]:
        assert manager.find_elements(By.LINK_TEXT, label), f"the home links to {label}"
    no_codes(manager, "manager's home")
    shot(manager, "manager-home", whole_page=True)

    manager.find_element(By.LINK_TEXT, "驻场分析").click()
    WebDriverWait(manager, 30).until(lambda d: "最需要政策专员驻场的部门" in d.page_source)
    assert "驻场指数" in manager.page_source and "直接答复率" in manager.page_source
    rows = manager.find_elements(By.CSS_SELECTOR, "table.specialists tbody tr")
    assert rows and "件" in rows[0].text, "departments ranked with their volume"
    no_codes(manager, "specialist page")
    shot(manager, "specialists", whole_page=True)

    form = manager.find_element(By.CSS_SELECTOR, "form[aria-label='记录驻场安排']")
    Select(form.find_element(By.NAME, "unit_id")).select_by_visible_text("江城区人民政府")
    start = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    manager.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "from"), start)
    form.find_element(By.NAME, "note").send_keys("政策专员驻场")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(manager, 30).until(staleness_of(form))
    WebDriverWait(manager, 30).until(lambda d: "done=recorded" in d.current_url or 'role="alert"' in d.page_source)
    assert "done=recorded" in manager.current_url, manager.find_element(By.CSS_SELECTOR, ".error").text
    table = manager.find_element(By.CSS_SELECTOR, "table.stationings")
    assert "江城区人民政府" in table.text and "仍在驻场" in table.text and "%" in table.text, table.text
    no_codes(manager, "specialist page after recording")
    manager.execute_script("arguments[0].scrollIntoView({block: 'center'})", table)
    shot(manager, "stationing-recorded")
    print("ok walk manager: the manager's home shows the month's rates with definitions and change, the 12-month chart, "
          "the ranking and links; 驻场分析 ranks departments and records a stationing with its before/after direct-answer rate")
except Exception as e:
    print(f"FAILED walk manager: {e}")
    sys.exit(1)
finally:
    if manager:
        manager.quit()
