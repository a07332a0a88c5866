"""Browser walk of schedules (排班) and staffing (人力预测): a supervisor opens the demo roster, changes one agent's cell in
the week grid and sees that day's coverage change by one agent on the phones; two overlapping shifts for one agent are
refused naming the field; a manager's staffing page draws the chart of forecast calls, required and scheduled agents;
the supervisor adds a shift that covers the present hour, puts an agent on it today, and the big screen lists that agent
on shift by team; an agent sees only their own shifts.

    python3 Tests/e2e/walk_schedules.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import datetime
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import BASE, log_in, shot, staleness_of, wait_for

CHINA = datetime.timezone(datetime.timedelta(hours=8))


def scheduled_at_eight(driver, day):
    """The agents on the phones in 08:00–08:30 of `day`, read from its coverage page."""
    driver.get(BASE + f"/schedules/day?day={day}")
    for row in driver.find_elements(By.CSS_SELECTOR, "table.coverage tbody tr"):
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        if cells and cells[0] == "08:00–08:30":
            return float(cells[2].replace("人手不足", "").strip())
    raise AssertionError("no 08:00 row on the coverage page")


def submit(driver, button):
    button.click()
    WebDriverWait(driver, 30).until(staleness_of(button))


def main():
    users = []
    try:
        now = datetime.datetime.now(CHINA)
        today = now.date()
        # A day of next week: the demo rosters this week and the next.
        day = today + datetime.timedelta(days=7 + (2 - today.weekday()) % 7 if today.weekday() != 2 else 7)
        sup = log_in("supervisor")
        users.append(sup)
        assert "话务中心" in [a.text for a in sup.find_elements(By.CSS_SELECTOR, "nav.main a")]
        sup.get(BASE + "/callcentre")
        assert "排班" in [a.text for a in sup.find_elements(By.CSS_SELECTOR, ".hub-cards a")]
        before = scheduled_at_eight(sup, day)

        # 1. The week grid: agent8's cell on `day` becomes 早班 (or 休息 when it is 早班 already).
        sup.get(BASE + f"/schedules?week={day}")
        assert "一班" in sup.page_source and "二班" in sup.page_source, "the demo teams are missing"
        cell = Select(sup.find_element(By.ID, f"c:agent8:{day}"))
        was_early = cell.first_selected_option.text == "早班"
        cell.select_by_visible_text("休息" if was_early else "早班")
        shot(sup, "supervisor-week-grid", whole_page=True)
        submit(sup, sup.find_element(By.CSS_SELECTOR, "form[aria-label='排班表'] button.primary"))
        assert "排班已保存" in wait_for(sup, "p.notice").text
        after = scheduled_at_eight(sup, day)
        assert after == before + (-1 if was_early else 1), f"coverage at 08:00 went from {before} to {after}"
        shot(sup, "supervisor-day-coverage", whole_page=True)

        # 2. Two overlapping shifts for one agent on one day: refused by the field's label, nothing stored.
        sup.get(BASE + f"/schedules/cell?day={day}&agent=agent8")
        Select(sup.find_element(By.ID, "cell-kind")).select_by_value("shift")
        Select(sup.find_element(By.ID, "cell-shift1")).select_by_visible_text("早班 08:00–16:00")
        Select(sup.find_element(By.ID, "cell-shift2")).select_by_visible_text("中班 10:00–18:00")
        submit(sup, sup.find_element(By.CSS_SELECTOR, "form[aria-label='调整排班'] button.primary"))
        error = wait_for(sup, "p.error").text
        assert error.startswith("班次：") and "时间重叠" in error, f"the refusal does not name the field: {error}"
        shot(sup, "supervisor-overlap-refused")
        assert scheduled_at_eight(sup, day) == after, "a refused cell changed the coverage"

        # 3. The manager's staffing page: tomorrow by default; then that day, forecast from the demo's call history.
        mgr = log_in("manager")
        users.append(mgr)
        mgr.get(BASE + "/staffing")
        assert mgr.find_element(By.ID, "st-day").get_attribute("value") == str(today + datetime.timedelta(days=1))
        mgr.get(BASE + f"/staffing?day={day}")
        basis = wait_for(mgr, "#staffing-basis").text
        assert "话务历史预测" in basis, f"the demo's history was not used: {basis}"
        assert mgr.find_elements(By.CSS_SELECTOR, "svg.staffing-chart rect.bar"), "no bars of forecast calls"
        assert len(mgr.find_elements(By.CSS_SELECTOR, "svg.staffing-chart polyline")) == 2, "the required and scheduled lines"
        assert mgr.find_elements(By.CSS_SELECTOR, "table.staffing tr.short"), "the demo's eight agents leave gaps at the peaks"
        shot(mgr, "manager-staffing", whole_page=True)

        # 4. A shift covering the present hour, agent8 on it today: the big screen lists them on shift by team.
        start = now.hour * 60
        end = min(1440, start + 120)
        name = f"值守{now:%H%M}"
        sup.get(BASE + "/schedules/setup")
        form = sup.find_element(By.CSS_SELECTOR, "form[aria-label='新建班次']")
        form.find_element(By.NAME, "name").send_keys(name)
        form.find_element(By.NAME, "start").send_keys(f"{start // 60:02d}:{start % 60:02d}")
        form.find_element(By.NAME, "end").send_keys(f"{end // 60:02d}:{end % 60:02d}")
        submit(sup, form.find_element(By.CSS_SELECTOR, "button.primary"))
        assert "班次已保存" in wait_for(sup, "p.notice").text
        shot(sup, "supervisor-shift-added")
        sup.get(BASE + f"/schedules/cell?day={today}&agent=agent8")
        Select(sup.find_element(By.ID, "cell-kind")).select_by_value("shift")
        first = Select(sup.find_element(By.ID, "cell-shift1"))
        first.select_by_visible_text(next(o.text for o in first.options if o.text.startswith(name)))
        Select(sup.find_element(By.ID, "cell-shift2")).select_by_value("")
        submit(sup, sup.find_element(By.CSS_SELECTOR, "form[aria-label='调整排班'] button.primary"))
        assert "该格排班已保存" in wait_for(sup, "p.notice").text
        sup.get(BASE + "/screen")
        WebDriverWait(sup, 30).until(lambda d: "话务员 赵磊" in d.find_element(By.ID, "on-shift").text)
        row = next(li.text for li in sup.find_elements(By.CSS_SELECTOR, "#on-shift li") if "话务员 赵磊" in li.text)
        assert row.startswith("三班"), f"agent8 is listed outside their team: {row}"
        sup.set_window_size(1920, 1080)
        shot(sup, "screen-on-shift")

        # 5. An agent sees their own shifts only (我的排班), read only.
        agent = log_in("agent")
        users.append(agent)
        agent.get(BASE + f"/schedules?week={day}")
        assert "我的排班" in agent.find_element(By.TAG_NAME, "h1").text
        assert "话务员 赵磊" not in agent.page_source and not agent.find_elements(By.TAG_NAME, "select")
        shot(agent, "agent-my-schedule")
        print(f"ok walk schedules: the grid edit moved {day}'s 08:00 coverage from {before:g} to {after:g}, an overlap was refused "
              f"by field, the staffing chart drew bars and two lines with gaps, the big screen listed 话务员 赵磊 on shift in 三班, "
              f"the agent saw only their own row")
    finally:
        for u in users:
            u.quit()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - a walk reports any failure and exits non-zero
        print(f"FAILED walk schedules: {e!r}")
        sys.exit(1)
