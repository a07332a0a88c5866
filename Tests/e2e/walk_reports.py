"""报告 in the console: the manager opens the report list from 考评, generates a special report for the last 30 days
(after a period that ends before it starts is refused naming the field), opens it — figures with their definitions, the
trend chart, the ranking, hot topics and notable cases — and downloads its XLSX, whose workbook has a sheet per table.
Run as

    python3 Tests/e2e/walk_reports.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import io
import urllib.request
import zipfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from console import BASE, log_in, shot, staleness_of, wait_for

TITLE = "近三十天全市专题报告"

manager = log_in("manager")
try:
    manager.get(BASE + "/insight/measures")
    manager.find_element(By.LINK_TEXT, "报告").click()
    WebDriverWait(manager, 30).until(lambda d: "<h1>报告</h1>" in d.page_source)
    shot(manager, "reports-list", whole_page=True)

    # A period that ends before it starts is refused naming the field; nothing is stored.
    form = manager.find_element(By.CSS_SELECTOR, "form[action='/insight/reports']")
    form.find_element(By.NAME, "title").send_keys(TITLE)
    start = form.find_element(By.NAME, "from").get_attribute("value")
    manager.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "to"), "2020-01-01")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(manager, 30).until(staleness_of(form))
    error = wait_for(manager, "p.error[role=alert]").text
    assert error.startswith("受理日期（止）：") and "不能早于开始日期" in error, error
    assert TITLE not in manager.find_element(By.CSS_SELECTOR, "table.list").text, "nothing stored"
    shot(manager, "reports-refused")

    # The special report, generated and opened.
    form = manager.find_element(By.CSS_SELECTOR, "form[action='/insight/reports']")
    title = form.find_element(By.NAME, "title")
    title.clear()
    title.send_keys(TITLE)
    manager.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "from"), start)
    manager.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "to"),
                           manager.execute_script("return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)"))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(manager, 120).until(lambda d: "/insight/reports/" in d.current_url)
    main = manager.find_element(By.TAG_NAME, "main").text
    for text in [TITLE, "主要指标", "响应率", "计算方法", "单位排名", "热点", "典型案例", "下载 Excel"]:
        assert text in main, f"the report shows {text}"
    for code in ["null", "monthly", "special", "unit_id", "先生", "女士"]:
        assert code not in main, f"the report shows {code!r}"
    assert manager.find_elements(By.CSS_SELECTOR, "svg.chart polyline, svg.chart circle"), "the trend is drawn"
    shot(manager, "report", whole_page=True)

    # The workbook, downloaded with the manager's session.
    href = manager.find_element(By.PARTIAL_LINK_TEXT, "下载 Excel").get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in manager.get_cookies())
    request = urllib.request.Request(href, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as r:
        assert "spreadsheetml" in r.headers["Content-Type"], r.headers["Content-Type"]
        data = r.read()
    book = zipfile.ZipFile(io.BytesIO(data))
    workbook = book.read("xl/workbook.xml").decode()
    sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 5, sheets
    for name in ["指标", "趋势", "考评排名", "热点", "典型案例"]:
        assert f'name="{name}"' in workbook, name
    assert "响应率" in book.read("xl/worksheets/sheet1.xml").decode()
finally:
    manager.quit()
print(f"ok walk reports: the manager opened 报告 from 考评, a period ending before it starts was refused naming 受理日期（止）, "
      f"the special report 「{TITLE}」 was generated and opened with figures and definitions, a trend chart, the ranking, hot "
      f"topics and notable cases, and its XLSX downloaded with {len(sheets)} sheets (指标, 趋势, 考评排名, 热点, 典型案例)")
