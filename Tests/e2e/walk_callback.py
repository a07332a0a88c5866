"""Browser walk: the callback rule (回访规则). An order is taken, dispatched, replied to and passed through the API; one
unanswered callback is recorded. The callback agent's form then says how many unanswered calls this round has had and
what closes the order; the caller, reached at last, gives one star, which puts the order under the supervisors'
attention (督办关注). The supervisor sees the tile on the home page and on the board, opens the list, and takes the
order off with 已研判; the tile's list no longer holds it. The admin's time-limits page shows the rule's settings.

    python3 Tests/e2e/walk_callback.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import json
import sys
import urllib.request

from selenium.webdriver.common.by import By

from console import api_token, BASE, PASSWORD, act, log_in, shot

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


agent, dispatcher, unit, reviewer, callback = (token(u) for u in ["agent", "dispatcher", "jiangcheng", "reviewer", "callback"])
number = call("POST", "/orders", agent, {
    "channel": "phone", "kind": "complaint", "category_code": "01.01", "title": "小区门口路灯不亮",
    "content": "江城区幸福小区南门路灯坏了一周，晚上出行不便，请尽快维修。",
    "caller": {"name": "李先生", "phone": "13912340088"}, "location": {"address": "幸福小区南门", "district": "江城区"},
})["order"]["number"]
call("POST", f"/orders/{number}/dispatch", dispatcher, {"lead_unit": "dist-jiangcheng"})
call("POST", f"/orders/{number}/sign", unit, {})
call("POST", f"/orders/{number}/reply", unit, {"text": "江城区城管局已派人更换幸福小区南门路灯灯泡，经现场核实已恢复照明，已电话联系市民告知结果。"})
call("POST", f"/orders/{number}/pass-review", reviewer, {})
call("POST", f"/orders/{number}/callback", callback, {"reached": False, "note": "无人接听"})

users = []
try:
    agent_view = log_in("callback")
    users.append(agent_view)
    agent_view.get(f"{BASE}/orders/{number}")
    summary = next(s for s in agent_view.find_elements(By.CSS_SELECTOR, "details > summary") if s.text.strip() == "回访")
    summary.click()
    hint = summary.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "p.hint").text
    assert "本轮已回访未接通1次（1天）" in hint and "至少2个不同日期" in hint, hint
    shot(agent_view, "callback-form-says-attempts")
    act(agent_view, number, "回访", choices={"reached": "true", "resolved": "true", "satisfaction": "basically_satisfied"},
        selects={"stars": "1"}, fields={"note": "市民表示路灯修好了，但等了太久"})

    supervisor = log_in("supervisor")
    users.append(supervisor)
    supervisor.get(BASE + "/")
    tile = next(a for a in supervisor.find_elements(By.CSS_SELECTOR, "a") if "supervision_flagged=true" in (a.get_attribute("href") or ""))
    shot(supervisor, "supervisor-home-flagged")
    supervisor.get(BASE + "/supervision")
    assert "督办关注" in supervisor.page_source
    shot(supervisor, "board-flagged", whole_page=True)
    supervisor.get(BASE + "/orders?supervision_flagged=true")
    assert f"/orders/{number}" in supervisor.page_source, "the flagged order is not on the list"
    shot(supervisor, "flagged-list")
    supervisor.get(f"{BASE}/orders/{number}")
    assert "回访低分（1星），自动列入督办关注" in supervisor.page_source
    act(supervisor, number, "已研判", fields={"note": "已电话回访核实，路灯已修复，市民对等待时间不满，已提醒江城区加快响应"},
        before_submit=lambda form: shot(supervisor, "acknowledge-form"))
    assert "督办员已研判，移出督办关注" in supervisor.page_source
    assert "已已" not in supervisor.page_source, "the done notice repeats 已"
    shot(supervisor, "acknowledged-timeline", whole_page=True)
    supervisor.get(BASE + "/orders?supervision_flagged=true")
    assert f"/orders/{number}" not in supervisor.page_source, "the acknowledged order is still on the list"

    admin = log_in("admin")
    users.append(admin)
    admin.get(BASE + "/admin/time-limits")
    assert "未接通须分布的天数" in admin.page_source and "投诉件回访不满意时列入督办关注" in admin.page_source
    admin.execute_script("document.getElementById('callback-rule').scrollIntoView()")
    shot(admin, "admin-callback-rule")
except Exception as error:
    print(f"FAILED walk_callback: {error}", file=sys.stderr)
    sys.exit(1)
finally:
    for driver in users:
        driver.quit()

print(f"ok walk callback: the form counts unanswered calls by day; a 1-star callback flagged order {number} for the supervisors "
      "(home, board, list), 已研判 took it off; the admin page shows the rule")
