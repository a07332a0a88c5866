"""Browser walk: escalation, the centre's coordination queue (协调督办) and joint consultation (会商). An order is taken
and dispatched to 江城区 through the API; the supervisor escalates it by hand on the order page, finds it in the
协调督办 tile of the home page and on the supervision board, and records the 会商 on the order page: 住建局 leads,
江城区 assists, due in about a week. The order leaves the queue, the timeline says what was decided in words, and the
housing bureau's user finds the order waiting for its signature, the district's user sees it as 协办.

    python3 Tests/e2e/walk_consult.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import datetime
import json
import re
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from console import api_token, BASE, PASSWORD, act, expect_status, log_in, shot

API = BASE + "/api/v1"
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def call(method, path, token=None, body=None):
    request = urllib.request.Request(API + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())


def token(user):
    return api_token(user)


def queue_count(driver):
    """The count on the 协调督办 tile of the page open now."""
    tile = driver.find_element(By.CSS_SELECTOR, "div.queue[data-label='协调督办'] .count")
    return int(tile.text.rstrip("+"))


agent, dispatcher, supervisor = token("agent"), token("dispatcher"), token("supervisor")
created = call("POST", "/orders", agent, {
    "channel": "phone", "kind": "complaint", "category_code": "01.01", "title": "老旧小区外墙脱落无人管",
    "content": "江城区幸福小区5栋外墙瓷砖多次脱落，物业、街道和住建部门互相推诿，请尽快协调处理。",
    "caller": {"name": "陈先生", "phone": "13912340088"}, "location": {"address": "幸福小区5栋", "district": "江城区"},
})
number = created["order"]["number"]
call("POST", f"/orders/{number}/dispatch", dispatcher, {"lead_unit": "dist-jiangcheng"})
waiting_before = call("GET", "/orders?escalated=pending", supervisor)["total"]

now = datetime.datetime.now(CHINA)
due = (now + datetime.timedelta(days=7)).date()
while due.weekday() >= 5:
    due += datetime.timedelta(days=1)

users = []
try:
    sup = log_in("supervisor")
    users.append(sup)
    # 提级督办 by hand, then the order waits in 协调督办.
    act(sup, number, "提级督办", fields={"reason": "物业、街道和住建部门互相推诿，需中心协调"})
    sup.get(BASE + "/")
    assert queue_count(sup) == waiting_before + 1, "the home tile does not count the escalated order"
    shot(sup, "supervisor-home-coordination-tile")
    sup.get(BASE + "/supervision")
    board = sup.find_element(By.ID, "coordination").find_element(By.XPATH, "..").text
    assert number in board, f"the board's coordination section does not list {number}: {board}"
    shot(sup, "supervision-board-coordination", whole_page=True)

    # 会商 on the order page: units met, meeting time, lead, assistant, due date, decision.
    def fill(form):
        for name, values in [("units[]", ["dept-housing", "dist-jiangcheng"]), ("assisting_units[]", ["dist-jiangcheng"])]:
            picker = Select(form.find_element(By.NAME, name))
            for value in values:
                picker.select_by_value(value)
        Select(form.find_element(By.NAME, "lead_unit")).select_by_value("dept-housing")
        # Date inputs take their value as the browser's own format; set it as the form would send it.
        sup.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "meeting_at"), now.strftime("%Y-%m-%dT%H:%M"))
        sup.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "due_by"), due.isoformat())
        form.find_element(By.NAME, "decision").send_keys("由市住建局牵头督促物业维修外墙，江城区配合做好居民安全防护，按期答复市民。")
        shot(sup, "consultation-form-filled", whole_page=True)

    act(sup, number, "会商", before_submit=fill)
    expect_status(sup, "已派单")
    facts = sup.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "会商决定" in facts and "住房和城乡建设局主办" in facts, f"the facts do not show the decision: {facts}"
    timeline = sup.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert "会商（参会单位：" in timeline and "决定由江州市住房和城乡建设局主办，江城区人民政府协办" in timeline, f"timeline: {timeline}"
    for machine in ["=", "dept-", "dist-", "consulted", "lead_unit"]:
        assert machine not in timeline, f"the timeline shows machine text {machine!r}: {timeline}"
    assert "会商" not in [s.text.strip() for s in sup.find_elements(By.CSS_SELECTOR, "details > summary")], "会商 is offered twice"
    sup.execute_script("document.getElementById('timeline').scrollIntoView()")
    shot(sup, "order-after-consultation", whole_page=True)
    sup.get(BASE + "/")
    assert queue_count(sup) == waiting_before, "the order is still counted in 协调督办"

    # The lead unit has it to sign for; the assisting district sees it.
    housing = log_in("housing")
    users.append(housing)
    housing.get(f"{BASE}/orders/{number}")
    expect_status(housing, "已派单")
    offered = [s.text.strip() for s in housing.find_elements(By.CSS_SELECTOR, "details > summary")]
    assert "签收" in offered, f"the lead unit is not offered 签收: {offered}"
    shot(housing, "lead-unit-sees-order")
    district = log_in("jiangcheng")
    users.append(district)
    district.get(f"{BASE}/orders/{number}")
    assert "协办单位" in district.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert re.search(r"会商", district.page_source)
    print(f"ok walk consult: the supervisor escalated order {number}, found it in 协调督办 on the home page and the board, "
          f"held the 会商 on the order page (住建局 leads, 江城区 assists, due {due}), the order left the queue and went to the housing bureau to sign")
finally:
    for d in users:
        d.quit()
