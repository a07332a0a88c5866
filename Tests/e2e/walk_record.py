"""Browser walk: the order's record as people read it, and 查看完整号码. An order is taken and dispatched through the
API; the unit's user opens it and sees the caller's number masked, reveals it with a reason (the full number is
shown once, as a link to dial), and the next visit shows it masked again. The timeline reads as Chinese sentences
with people's and units' names, deadlines as dates and the chain mark in words; a whole-page screenshot of it is
kept for a person to read.

    python3 Tests/e2e/walk_record.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import json
import re
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from console import api_token, BASE, PASSWORD, log_in, shot

API = BASE + "/api/v1"
PHONE = "13912340077"


def call(method, path, token=None, body=None):
    request = urllib.request.Request(API + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())


def token(user):
    return api_token(user)


agent, dispatcher = token("agent"), token("dispatcher")
created = call("POST", "/orders", agent, {
    "channel": "phone", "kind": "complaint", "category_code": "01.01", "title": "楼道灯坏了半个月",
    "content": "江城区幸福小区3栋楼道灯坏了半个月，老人晚上上下楼不方便，请尽快维修。",
    "caller": {"name": "王阿姨", "phone": PHONE}, "location": {"address": "幸福小区3栋", "district": "江城区"},
})
number = created["order"]["number"]
call("POST", f"/orders/{number}/dispatch", dispatcher, {"lead_unit": "dist-jiangcheng", "note": "请先电话联系市民"})

users = []
try:
    unit = log_in("jiangcheng")
    users.append(unit)
    unit.get(f"{BASE}/orders/{number}")
    facts = unit.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert PHONE not in facts and "139****0077" in facts, f"the unit should see the number masked: {facts}"

    # 先联系、后办理: the unit reveals the caller's number with a reason.
    unit.find_element(By.CSS_SELECTOR, "details.reveal > summary").click()
    unit.find_element(By.ID, "reveal-reason").send_keys("先电话联系市民核实地址")
    unit.find_element(By.CSS_SELECTOR, "details.reveal button[value=phone]").click()
    WebDriverWait(unit, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "div.revealed"))
    revealed = unit.find_element(By.CSS_SELECTOR, "div.revealed")
    assert PHONE in revealed.text, f"the full number is not shown: {revealed.text}"
    assert revealed.find_element(By.TAG_NAME, "a").get_attribute("href") == "tel:" + PHONE
    shot(unit, "unit-reveals-number")
    unit.get(f"{BASE}/orders/{number}")
    assert not unit.find_elements(By.CSS_SELECTOR, "div.revealed") and PHONE not in unit.page_source, "the number stays shown"

    # The timeline a person can read: sentences, names, dates; no codes, ids or key=value.
    timeline = unit.find_element(By.CSS_SELECTOR, "ol.timeline").text
    for expected in ["话务员", "江城区", "派", "请先电话联系市民"]:
        assert expected in timeline, f"the timeline does not mention {expected}: {timeline}"
    for machine in ["=", "dist-", "complaint", "phone", "lead_unit", "T23:59:59"]:
        assert machine not in timeline, f"the timeline shows machine text {machine!r}: {timeline}"
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}", timeline), f"no dates in the timeline: {timeline}"
    chain = unit.find_element(By.CSS_SELECTOR, "#timeline span").text
    assert "记录完整，未被篡改" in chain, f"the chain mark says {chain}"
    unit.execute_script("document.getElementById('timeline').scrollIntoView()")
    shot(unit, "readable-timeline", whole_page=True)
    print(f"ok walk record: the unit revealed the caller's number of order {number} once with a reason, and its timeline reads as Chinese sentences with names, dates and the chain mark in words")
finally:
    for d in users:
        d.quit()
