"""Browser walk: the unit leader's review (单位领导审核). The admin adds a street unit of its own with a staff member and
a unit admin (through the API) and ticks 单位领导审核 on the unit's form. An order is dispatched to the street and its
staff member replies: the order waits in 待单位审核, which the unit admin sees as a tile on the home page. The admin
sends the reply back with a reason (back to 办理中, the round kept), the staff member replies again, and the admin
passes it on: the order is 已答复 and waits for the centre's review. The setting is turned off again at the end.

    python3 Tests/e2e/walk_leader_review.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import json
import sys
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from console import api_token, BASE, PASSWORD, act, expect_status, log_in, rounds, shot

API = BASE + "/api/v1"


def call(method, path, token=None, body=None):
    request = urllib.request.Request(API + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())


def token(user):
    return api_token(user)


# A unit of this walk's own, so that no other walk's unit reviews its replies.
suffix = str(int(time.time()))[-6:]
unit = f"st-review-{suffix}"
staff_login, admin_login = f"hpstaff{suffix}", f"hpadmin{suffix}"
admin_token = token("admin")
call("POST", "/units", admin_token, {"id": unit, "name": f"江城区和平街道办事处{suffix[-2:]}号", "kind": "street",
                                     "parent_id": "dist-jiangcheng", "district": "江城区"})
call("POST", "/users", admin_token, {"id": staff_login, "display_name": "和平街道经办人", "role": "unit_staff", "unit_id": unit,
                                     "password": PASSWORD})
call("POST", "/users", admin_token, {"id": admin_login, "display_name": "和平街道主任", "role": "unit_admin", "unit_id": unit,
                                     "password": PASSWORD})

users = []
try:
    admin = log_in("admin")
    users.append(admin)
    admin.get(f"{BASE}/admin/units/{unit}")
    box = admin.find_element(By.NAME, "leader_review")
    assert not box.is_selected(), "the setting is on before the admin ticks it"
    box.click()
    shot(admin, "unit-form-leader-review")
    box.find_element(By.XPATH, "./ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(admin, 30).until(lambda d: "done=unit_updated" in d.current_url or "role=\"alert\"" in d.page_source)
    assert "done=unit_updated" in admin.current_url, admin.find_element(By.CSS_SELECTOR, ".error").text
    assert any(u["id"] == unit and u["leader_review"] for u in call("GET", "/units", admin_token)["items"]), "the setting was not saved"

    agent, dispatcher, staff = token("agent"), token("dispatcher"), token(staff_login)
    number = call("POST", "/orders", agent, {
        "channel": "phone", "kind": "complaint", "category_code": "01.01", "title": "和平路井盖缺失",
        "content": "江城区和平路38号门口井盖缺失，夜间行人容易踩空，请尽快处理。",
        "caller": {"name": "王女士", "phone": "13912340099"}, "location": {"address": "和平路38号", "district": "江城区"},
    })["order"]["number"]
    call("POST", f"/orders/{number}/dispatch", dispatcher, {"lead_unit": unit})
    call("POST", f"/orders/{number}/sign", staff, {})
    first = call("POST", f"/orders/{number}/reply", staff, {"text": "已处理。"})
    assert first["order"]["status"] == "unit_review", first["order"]["status"]

    leader = log_in(admin_login)
    users.append(leader)
    leader.get(BASE + "/")
    tile = leader.find_element(By.CSS_SELECTOR, "div.queue[data-label='待单位审核']")
    assert tile.find_element(By.CSS_SELECTOR, ".count").text == "1", tile.text
    shot(leader, "unit-admin-home-tile")
    tile.find_element(By.CSS_SELECTOR, "a.open").click()
    assert f"/orders/{number}" in leader.page_source, "the waiting order is not on the tile's list"
    leader.get(f"{BASE}/orders/{number}")
    expect_status(leader, "待单位审核")
    assert "答复，待单位审核" in leader.page_source
    shot(leader, "order-waits-for-unit-review", whole_page=True)
    act(leader, number, "单位审核退回", fields={"reason": "答复过于简单，请写明井盖补装时间和联系市民情况"},
        before_submit=lambda form: shot(leader, "send-back-form"))
    expect_status(leader, "办理中")
    assert "单位审核已退回，经办人需重新答复" in leader.page_source and "已单位" not in leader.page_source
    assert "单位审核退回经办人重新办理" in leader.page_source
    assert any("单位审核退回：答复过于简单" in review for _, _, review, _ in rounds(leader)), rounds(leader)
    shot(leader, "sent-back-by-unit", whole_page=True)

    second = call("POST", f"/orders/{number}/reply", staff, {
        "text": "和平街道已于当日补装和平路38号门口井盖，并设置警示标志，经现场核实已恢复通行安全，已电话联系王女士告知处理结果。"})
    assert second["order"]["status"] == "unit_review", second["order"]["status"]
    act(leader, number, "单位审核通过", fields={"note": "同意报送中心"})
    expect_status(leader, "已答复")
    assert "单位审核已通过，答复已报送中心审核" in leader.page_source
    assert "单位审核通过，答复报送中心审核" in leader.page_source
    shot(leader, "passed-to-centre", whole_page=True)

    reviewer = log_in("reviewer")
    users.append(reviewer)
    reviewer.get(f"{BASE}/orders/{number}")
    names = [s.text.strip() for s in reviewer.find_elements(By.CSS_SELECTOR, "details > summary")]
    assert "审核通过" in names, names
    shot(reviewer, "reviewer-sees-it")
except Exception as error:
    print(f"FAILED walk_leader_review: {error}", file=sys.stderr)
    sys.exit(1)
finally:
    for driver in users:
        driver.quit()
    call("PATCH", f"/units/{unit}", admin_token, {"leader_review": False})

print("ok walk leader review: 单位领导审核 ticked on a unit's form holds a staff reply in 待单位审核 (tile on the unit admin's home), "
      "单位审核退回 sends it back to 办理中 keeping the round, 单位审核通过 sends the next reply on to the centre's review")
