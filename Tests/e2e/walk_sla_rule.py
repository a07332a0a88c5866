"""The SLA sweeper's rule (时限监控规则) on its admin page: reached from the administration home, a share out of range
refused naming its field, a change saved and shown in words, then the defaults restored; and the State Council's
schedule uploaded as a CSV file on the calendar page, a malformed file refused naming its line, storing nothing. Run as

    python3 Tests/e2e/walk_sla_rule.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import datetime
import os
import tempfile

from selenium.webdriver.common.by import By
from console import staleness_of, wait_for
from selenium.webdriver.support.ui import WebDriverWait

from console import BASE, log_in, shot


def save(driver, warn, urge, red):
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/admin/sla-rule']")
    field = form.find_element(By.NAME, "warn_percent")
    field.clear()
    field.send_keys(warn)
    box = form.find_element(By.NAME, "urge_when_overdue")
    if box.is_selected() != urge:
        box.click()
    reds = form.find_element(By.NAME, "yellow_cards_for_red")
    reds.clear()
    reds.send_keys(red)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(staleness_of(form))


admin = log_in("admin")
try:
    admin.get(BASE + "/admin")
    admin.find_element(By.LINK_TEXT, "时限监控规则").click()
    assert "<h1>时限监控规则</h1>" in admin.page_source
    assert "各环节时限用去80%时预警" in admin.page_source, "the rule in force, in words"
    shot(admin, "sla-rule")

    save(admin, "0", True, "3")
    error = wait_for(admin, "p.error[role=alert]").text
    assert error.startswith("预警比例："), error
    shot(admin, "sla-rule-refused")

    save(admin, "70", False, "0")
    assert "done=sla_rule_changed" in admin.current_url, admin.current_url
    text = admin.find_element(By.TAG_NAME, "main").text
    assert "已保存时限监控规则" in text and "各环节时限用去70%时预警" in text and "超期不自动催办" in text and "不自动亮红牌" in text, text
    for code in ["warn_percent", "=", "true", "false"]:
        assert code not in text, f"the page shows {code!r}"
    shot(admin, "sla-rule-saved")
    save(admin, "80", True, "3")
    assert "各环节时限用去80%时预警" in admin.page_source, "defaults restored for other walks"

    # A malformed schedule file for the year after next: refused with its line named, nothing loaded.
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
    year = (today.year + 1 if today.month >= 11 else today.year) + 1
    path = os.path.join(tempfile.mkdtemp(), "放假安排.csv")
    with open(path, "w", encoding="utf-8-sig") as f:
        f.write(f"start,end,kind,name\n{year}-01-01,{year}-01-01,holiday,元旦\n{year}-02-05,{year}-02-40,holiday,春节\n")
    admin.get(BASE + f"/admin/calendar?year={year}")
    admin.find_element(By.ID, "sc-year").clear()
    admin.find_element(By.ID, "sc-year").send_keys(str(year))
    admin.find_element(By.ID, "sc-file").send_keys(path)
    button = admin.find_element(By.XPATH, "//button[text()='载入放假安排']")
    button.click()
    WebDriverWait(admin, 30).until(staleness_of(button))
    error = wait_for(admin, "p.error[role=alert]").text
    assert "放假安排CSV第3行无法识别" in error, error
    assert "（放假，临时）" in admin.page_source, "nothing was loaded"
    shot(admin, "calendar-upload-refused")
finally:
    admin.quit()
print("ok walk sla rule: 时限监控规则 reached from 系统管理, a bad share refused naming its field, a change saved and shown in words, "
      "defaults restored; a malformed schedule file refused naming its line, nothing loaded")
