"""The administrator's reference data in the console: the category tree (add, rename, move, retire), a time-limit
rule added with the picker and removed, and a restricted caller (限制呼入) added and lifted. Run as

    python3 Tests/e2e/walk_admin.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import random
import sys
import time

from selenium.webdriver.common.by import By
from console import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import BASE, browser, shot, log_in

# Names unique to this run, so the walk can run again on the same database.
RUN = time.strftime("%H%M%S")


def submit(driver, form, done):
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # The next page replaces this one (its URL may already carry an earlier done=).
    WebDriverWait(driver, 30).until(staleness_of(form))
    WebDriverWait(driver, 30).until(lambda d: "done=" + done in d.current_url or 'role="alert"' in d.page_source)
    if "done=" + done not in driver.current_url:
        errors = driver.find_elements(By.CSS_SELECTOR, ".error")
        raise AssertionError(f"expected {done}, got {driver.current_url}: {errors[0].text if errors else ''}")


def no_codes(driver):
    """What the page says must be words: no stage codes, limit codes or key=value text."""
    text = driver.find_element(By.TAG_NAME, "main").text if driver.find_elements(By.TAG_NAME, "main") else driver.find_element(By.TAG_NAME, "body").text
    for code in ["24ch", "return_window", "working_days", "handling", "=", "restrict_callers"]:
        assert code not in text, f"the page shows {code!r}: {driver.current_url}"


def categories(driver):
    driver.get(BASE + "/admin/categories")
    form = driver.find_element(By.ID, "new-category")
    parents = Select(form.find_element(By.NAME, "parent_code"))
    # The first two top-level categories (options not indented).
    tops = [o for o in parents.options if o.get_attribute("value") and not o.get_attribute("textContent").startswith("\u3000")]
    assert len(tops) >= 2, "the demo tree has top-level categories"
    first, second = (tops[0].get_attribute("value"), tops[0].text), (tops[1].get_attribute("value"), tops[1].text)
    name = f"共享单车停放{RUN}"
    form.find_element(By.NAME, "name").send_keys(name)
    parents.select_by_value(first[0])
    submit(driver, form, "category_created")
    code = driver.current_url.split("/admin/categories/")[1].split("?")[0]
    assert code.startswith(first[0] + "."), f"the new code {code} lies below {first[0]}"
    assert f"位置：{first[1]} / {name}" in driver.page_source
    shot(driver, "admin-category-added", whole_page=True)

    form = driver.find_element(By.CSS_SELECTOR, "form.admin-form")
    field = form.find_element(By.NAME, "name")
    field.clear()
    renamed = f"互联网租赁自行车停放{RUN}"
    field.send_keys(renamed)
    submit(driver, form, "category_updated")
    assert f"修改事项分类：{renamed}" in driver.find_element(By.TAG_NAME, "h1").text

    form = driver.find_element(By.CSS_SELECTOR, "form.admin-form")
    Select(form.find_element(By.NAME, "parent_code")).select_by_value(second[0])
    submit(driver, form, "category_updated")
    lead = driver.find_element(By.CSS_SELECTOR, "p.lead").text
    assert f"位置：{second[1]} / {renamed}（编码 {code}）" in lead, f"moved, code kept: {lead}"
    shot(driver, "admin-category-moved", whole_page=True)

    retire = next(f for f in driver.find_elements(By.CSS_SELECTOR, "form.admin-form") if "停用分类" in f.text)
    submit(driver, retire, "category_retired")
    assert "已停用，不能用于新工单" in driver.page_source
    no_codes(driver)
    shot(driver, "admin-category-retired", whole_page=True)

    driver.get(BASE + "/admin/categories")
    row = driver.find_element(By.XPATH, f"//a[text()='{renamed}']/ancestor::tr")
    assert "retired" in row.get_attribute("class") and "已停用" in row.text
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    shot(driver, "admin-categories-tree")
    return code, renamed


def time_limits(driver):
    driver.get(BASE + "/admin/time-limits")
    no_codes(driver)
    assert "个工作日" in driver.page_source and "审核" in driver.page_source
    count = str(random.randint(5, 9))
    form = driver.find_element(By.ID, "new-time-limit")
    Select(form.find_element(By.NAME, "stage")).select_by_visible_text("回访")
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("建议")
    Select(form.find_element(By.NAME, "limit_unit")).select_by_visible_text("工作小时")
    form.find_element(By.NAME, "limit_count").send_keys(count)
    shot(driver, "admin-time-limit-picker")
    submit(driver, form, "time_limit_added")
    wanted = ["回访", "建议", "全部", "全部", f"{count} 个工作小时"]
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
            if [c.text for c in r.find_elements(By.TAG_NAME, "td")][1:6] == wanted]
    assert len(rows) == 1, "the new rule is listed in words"
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", rows[0])
    shot(driver, "admin-time-limit-added")
    button = rows[0].find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    WebDriverWait(driver, 30).until(staleness_of(button))
    WebDriverWait(driver, 30).until(lambda d: "done=time_limit_removed" in d.current_url)
    left = [r for r in driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
            if [c.text for c in r.find_elements(By.TAG_NAME, "td")][1:6] == wanted]
    assert not left, "the rule is gone"
    no_codes(driver)
    shot(driver, "admin-time-limit-removed")
    return count


def restrictions(driver):
    phone = "139" + "".join(random.choice("0123456789") for _ in range(8))
    masked = phone[:3] + "****" + phone[-4:]
    driver.get(BASE + "/admin/restrictions")
    form = driver.find_element(By.ID, "new-restriction")
    form.find_element(By.NAME, "phone").send_keys(phone)
    form.find_element(By.NAME, "reason").send_keys("一天内无理占线30余次，劝阻无效")
    last = form.find_element(By.NAME, "ends_on").get_attribute("min")
    y, m, d = map(int, last.split("-"))
    ends = time.strftime("%Y-%m-%d", time.localtime(time.mktime((y, m, d + 7, 12, 0, 0, 0, 0, -1))))
    driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "ends_on"), ends)
    submit(driver, form, "restriction_added")
    row = driver.find_element(By.XPATH, f"//td[text()='{masked}']/ancestor::tr")
    assert f"{ends}（含当日）" in row.text and "一天内无理占线" in row.text, row.text
    assert phone not in driver.page_source, "the admin sees the number masked"
    shot(driver, "admin-restriction-added", whole_page=True)

    row.find_element(By.NAME, "note").send_keys("来电人已书面致歉")
    button = row.find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    WebDriverWait(driver, 30).until(staleness_of(button))
    WebDriverWait(driver, 30).until(lambda d: "done=restriction_lifted" in d.current_url)
    assert masked not in driver.page_source, "lifted"
    no_codes(driver)
    shot(driver, "admin-restriction-lifted", whole_page=True)
    return masked


def review_deadlines():
    """The reviewer's queue shows each reply's review deadline (审核时限), not "—"."""
    reviewer = log_in("reviewer")
    try:
        reviewer.get(BASE + "/orders?status=replied&sort=due")
        cells = [c.text for c in reviewer.find_elements(By.CSS_SELECTOR, "td[data-label='时限']")]
        assert cells and all(c.startswith("剩余") or c.startswith("超期") for c in cells), f"review deadlines: {cells[:5]}"
        shot(reviewer, "reviewer-queue-deadlines")
        reviewer.find_element(By.CSS_SELECTOR, "table a").click()
        WebDriverWait(reviewer, 30).until(lambda d: "审核时限" in d.page_source)
        shot(reviewer, "order-review-deadline")
        return len(cells)
    finally:
        reviewer.quit()


def main():
    driver = log_in("admin")
    try:
        code, name = categories(driver)
        count = time_limits(driver)
        masked = restrictions(driver)
        reviewed = review_deadlines()
        # The intake desk no longer offers the retired category.
        agent = log_in("agent")
        try:
            agent.get(BASE + "/intake")
            values = [o.get_attribute("value") for o in agent.find_elements(By.CSS_SELECTOR, "select[name=category_code] option")]
            assert values and code not in values, "the intake desk does not offer a retired category"
        finally:
            agent.quit()
    finally:
        driver.quit()
    print(f"ok walk admin: category {name} added, renamed, moved (code {code} kept) and retired, not offered at intake; "
          f"callback rule of {count} working hours added with the picker and removed; caller {masked} restricted and lifted; "
          f"{reviewed} replies in the reviewer's queue show their review deadlines")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - any failure fails the walk
        print(f"walk admin failed: {error}", file=sys.stderr)
        sys.exit(1)
