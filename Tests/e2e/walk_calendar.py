"""Browser walk of the provisional calendar (临时日历): the admin is warned on the home page while next year has no
official schedule (from 1 November), the calendar page shows that year's statutory holidays marked 临时 with the form
that loads the State Council's schedule, and a malformed schedule is refused with the line named, storing nothing.
Loads no schedule, so other walks see the calendar as it was."""
import datetime
import sys

from selenium.webdriver.common.by import By

from console import BASE, SHOTS, log_in, shot, wait_for

today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
year = today.year + 1 if today.month >= 11 else today.year
admin = log_in("admin")
try:
    home = admin.page_source
    admin.get(BASE + f"/admin/calendar?year={year}")
    if "（放假，临时）" in admin.page_source:
        assert f"{year}年的国务院放假安排尚未载入" in home, f"the home page warns of {year}"
    admin.get(BASE + "/")
    shot(admin, "calendar-home")
    admin.get(BASE + f"/admin/calendar?year={year + 1}")
    page = admin.page_source
    assert "（放假，临时）" in page, "statutory holidays of a provisional year are marked 临时"
    assert "尚未载入" in page and "载入国务院放假安排" in page
    shot(admin, "calendar-provisional-year", whole_page=True)
    admin.find_element(By.ID, "sc-year").clear()
    admin.find_element(By.ID, "sc-year").send_keys(str(year + 1))
    admin.find_element(By.ID, "sc-csv").send_keys(f"{year + 1}-02-05,{year + 1}-02-40,holiday,春节")
    admin.find_element(By.XPATH, "//button[text()='载入放假安排']").click()
    error = wait_for(admin, "p.error[role=alert]").text
    assert "放假安排CSV第1行无法识别" in error, error
    assert "（放假，临时）" in admin.page_source, "nothing was loaded"
    shot(admin, "calendar-schedule-refused")
finally:
    admin.quit()
print(f"ok walk calendar: {year + 1} shows statutory holidays marked 临时 with the schedule form; a malformed schedule is refused naming its line")
