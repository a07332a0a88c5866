"""End-to-end: one order walked through the whole closed loop in Chromium, each step by its own user in its own
browser, with a screenshot after each step: the dispatcher's open list updates live when the order arrives, the
supervisor urges and cards the unit and watches the board, the unit replies with a photo that the reviewer sees;
the caller is not satisfied, so the dispatcher finds the order in the tile 回访不满意待研判 and orders 重办; the unit
replies again, the reviewer sends that reply back once and passes the next, the order page shows every round, and a
satisfied callback closes the order. Then a user of another unit is refused the order's page and the photo, and the
admin opens the calendar.

    python3 Tests/e2e/closed_loop.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import os
import tempfile
import sys
import urllib.error
import urllib.request

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import BASE, SHOTS, PASSWORD, browser, shot, log_in, photo_png, actions, act, yellow_is_chosen, expect_status, rounds, click_when_ready


users = []
try:
    # 0. The dispatcher keeps the pending-dispatch list open while the calls come in.
    dispatcher = log_in("dispatcher")
    users.append(dispatcher)
    dispatcher.get(BASE + "/orders?status=pending_dispatch&sort=newest")
    WebDriverWait(dispatcher, 30).until(lambda d: d.execute_script("return document.getElementById('live') !== null"))

    # 1. The agent takes the call: looks the caller up, types the request, sees the assistant, submits.
    agent = log_in("agent")
    users.append(agent)
    agent.get(BASE + "/intake?phone=13955550001")
    agent.find_element(By.ID, "title").send_keys("江城区滨江路路灯不亮")
    agent.find_element(By.ID, "content").send_keys("江城区滨江街道滨江路一段的路灯已经连续五天不亮了，晚上行人和电动车经过很危险，希望尽快维修。")
    Select(agent.find_element(By.ID, "kind")).select_by_value("complaint")
    Select(agent.find_element(By.ID, "district")).select_by_value("江城区")
    agent.find_element(By.ID, "caller_name").send_keys("赵先生")
    WebDriverWait(agent, 30).until(lambda d: "承办单位推荐" in d.find_element(By.ID, "assist-body").text)
    # Every accepted order is classified: the agent takes the assistant's first category suggestion.
    agent.find_element(By.CSS_SELECTOR, "#assist-body ul li button.link").click()
    assert Select(agent.find_element(By.ID, "category_code")).first_selected_option.get_attribute("value"), "no category chosen"
    shot(agent, "agent-intake-with-assistant")
    agent.find_element(By.CSS_SELECTOR, "#intake-form button.primary").click()
    WebDriverWait(agent, 30).until(lambda d: "done=create" in d.current_url)
    number = agent.current_url.split("/orders/")[1].split("?")[0]
    expect_status(agent, "待派单")
    shot(agent, "agent-order-taken")

    # 2. The dispatcher's open list shows the new order without anyone reloading it; the dispatcher dispatches it.
    WebDriverWait(dispatcher, 20).until(lambda d: f"/orders/{number}" in d.page_source)
    shot(dispatcher, "dispatcher-list-updated-live")
    act(dispatcher, number, "派单", selects={"lead_unit": "dist-jiangcheng"})
    expect_status(dispatcher, "已派单")
    shot(dispatcher, "dispatcher-dispatched")

    # 3. The district signs for it.
    unit = log_in("jiangcheng")
    users.append(unit)
    unit.get(BASE + "/")
    assert "待签收" in unit.page_source
    act(unit, number, "签收")
    expect_status(unit, "办理中")
    shot(unit, "unit-signed")

    # 4. The supervisor urges the district, then gives a yellow card, and watches the board.
    supervisor = log_in("supervisor")
    users.append(supervisor)
    act(supervisor, number, "催办", fields={"note": "市民反映强烈，请今天内安排维修"})
    act(supervisor, number, "亮牌", fields={"reason": "催办后仍未安排维修"}, before_submit=yellow_is_chosen)
    supervisor.get(BASE + "/supervision")
    board = supervisor.page_source
    assert "黄牌警示" in board and "催办" in board and number in board, "the board does not show the supervision"
    shot(supervisor, "supervisor-board")

    # 5. The district replies with a photo of the repaired lamp.
    photo = photo_png(os.path.join(tempfile.mkdtemp(), "现场照片.png"))
    act(unit, number, "答复", fields={"text": "已安排路灯维修班组更换灯具，滨江路路灯于当日恢复照明。"}, files={"files": photo})
    expect_status(unit, "已答复")
    shot(unit, "unit-replied-with-photo")

    # 6. The reviewer sees the photo and passes the reply.
    reviewer = log_in("reviewer")
    users.append(reviewer)
    reviewer.get(f"{BASE}/orders/{number}")
    thumb = reviewer.find_element(By.CSS_SELECTOR, "ul.attachments img")
    assert reviewer.execute_script("return arguments[0].complete && arguments[0].naturalWidth", thumb) == 160, "the photo did not load"
    photo_url = reviewer.find_element(By.LINK_TEXT, "现场照片.png").get_attribute("href")
    reviewer.execute_script("arguments[0].scrollIntoView({block: 'center'})", thumb)
    shot(reviewer, "reviewer-sees-photo")
    act(reviewer, number, "审核通过")
    expect_status(reviewer, "待回访")
    shot(reviewer, "reviewer-passed")

    # 7. The callback agent calls the citizen back: reached, but the lamp is dark again and the caller is not satisfied.
    callback = log_in("callback")
    users.append(callback)
    def shoot_callback_form(form):
        callback.execute_script("arguments[0].scrollIntoView({block: 'center'})", form)
        shot(callback, "callback-form-unsatisfied")
    act(callback, number, "回访", choices={"reached": "true", "resolved": "false", "satisfaction": "unsatisfied"},
        fields={"note": "市民反映路灯只亮了一晚又不亮了，问题未解决，不满意"}, before_submit=shoot_callback_form)
    expect_status(callback, "回访不满意待研判")
    assert "已办结" not in callback.find_element(By.CSS_SELECTOR, "dl.facts").text, "an unsatisfied callback closed the order"
    shot(callback, "callback-disputed")

    # 8. The dispatcher finds it in the home tile 回访不满意待研判, opens it and orders 重办.
    dispatcher.get(BASE + "/")
    tile = WebDriverWait(dispatcher, 30).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".queue[data-label='回访不满意待研判']"))
    WebDriverWait(dispatcher, 30).until(lambda d: int(tile.find_element(By.CSS_SELECTOR, ".count").text.rstrip("+")) >= 1)
    assert "urgent" in tile.get_attribute("class").split(), "the disputed-callback tile is not marked urgent"
    shot(dispatcher, "dispatcher-home-disputed-tile")
    tile.find_element(By.LINK_TEXT, "查看回访不满意待研判").click()
    WebDriverWait(dispatcher, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"table a[href='/orders/{number}']"))
    shot(dispatcher, "dispatcher-disputed-list")
    click_when_ready(dispatcher, f"table a[href='/orders/{number}']")  # the list may reload itself meanwhile
    WebDriverWait(dispatcher, 30).until(lambda d: d.current_url.endswith(f"/orders/{number}"))
    expect_status(dispatcher, "回访不满意待研判")
    assert {"重办", "不满意办结"} <= set(actions(dispatcher)), f"the dispatcher is not offered 重办 and 不满意办结: {actions(dispatcher)}"
    act(dispatcher, number, "重办", fields={"reason": "回访市民反映路灯再次不亮，请彻底排查线路后重新办理"}, navigate=False,
        before_submit=lambda form: shot(dispatcher, "dispatcher-redo-form"))
    expect_status(dispatcher, "已派单")
    shot(dispatcher, "dispatcher-redo")

    # 9. The district signs for it again and replies a second time.
    act(unit, number, "签收")
    expect_status(unit, "办理中")
    act(unit, number, "答复", fields={"text": "已更换滨江路一段的灯具。"})
    expect_status(unit, "已答复")
    shot(unit, "unit-replied-again")

    # 10. The reviewer sends the second reply back with a reason.
    send_back_reason = "答复未说明路灯再次熄灭的原因和后续巡查安排"
    act(reviewer, number, "审核退回", fields={"reason": send_back_reason})
    expect_status(reviewer, "办理中")
    shot(reviewer, "reviewer-sent-back")

    # 11. The district replies a third time, and the reviewer passes it.
    act(unit, number, "答复", fields={"text": "经排查为滨江路一段地下电缆老化漏电，已于当日更换电缆和灯具并恢复照明；维修班组每周夜间巡查一次，连续巡查一个月。"})
    expect_status(unit, "已答复")
    act(reviewer, number, "审核通过", fields={"note": "答复完整"})
    expect_status(reviewer, "待回访")

    # 12. The order page shows every round, latest first, with the reason the second was sent back.
    shown = rounds(reviewer)
    headings = [heading for heading, _, _, _ in shown]
    assert len(shown) == 3, f"expected three reply rounds, the page shows {headings}"
    assert shown[0][0].startswith("第3次答复（重办第1轮）") and "审核通过" in shown[0][2] and not shown[0][3], shown[0]
    assert shown[1][0].startswith("第2次答复（重办第1轮）") and f"审核退回：{send_back_reason}" in shown[1][2] and shown[1][3], shown[1]
    assert shown[2][0].startswith("第1次答复") and "重办" not in shown[2][0] and "审核通过" in shown[2][2], shown[2]
    assert "地下电缆老化" in shown[0][1] and "已更换滨江路一段的灯具" in shown[1][1] and "当日恢复照明" in shown[2][1], shown
    shot(reviewer, "order-all-rounds", whole_page=True)

    # 13. The callback agent calls again: resolved and satisfied, the loop is closed.
    act(callback, number, "回访", choices={"reached": "true", "resolved": "true", "satisfaction": "satisfied"}, selects={"stars": "5"},
        fields={"note": "市民表示路灯已修好，满意"})
    expect_status(callback, "已办结")
    assert "记录完整，未被篡改" in callback.page_source
    shot(callback, "callback-closed")

    # 14. Another district's user cannot open the order, nor its photo.
    other = log_in("hubin")
    users.append(other)
    other.get(f"{BASE}/orders/{number}")
    assert "不存在" in other.page_source and "滨江路" not in other.page_source, "another unit saw the order"
    shot(other, "other-unit-refused")
    other.get(photo_url)
    assert "不存在" in other.page_source, "another unit got the photo"
    try:
        with urllib.request.urlopen(photo_url) as r:  # without a session: sent to the login page
            assert not r.headers.get("Content-Type", "").startswith("image/"), "the photo was served without a session"
    except urllib.error.HTTPError as e:
        assert e.code in (401, 403, 404), e.code
    with urllib.request.urlopen(BASE + "/api/v1/health") as r:
        assert r.status == 200

    # 15. A fire call: the assistant names it while the agent types, and one click refuses it as 119 with the
    # transfer recorded; the order page says so in words.
    agent.get(BASE + "/intake")
    agent.find_element(By.ID, "caller_phone").clear()
    agent.find_element(By.ID, "caller_phone").send_keys("13912340000")
    agent.find_element(By.ID, "content").send_keys("3栋2楼着火了，有老人被困")
    WebDriverWait(agent, 30).until(lambda d: "疑似紧急情况" in d.page_source)
    shot(agent, "agent-emergency-banner")
    agent.find_element(By.CSS_SELECTOR, "#assist-alerts button.danger").click()
    WebDriverWait(agent, 30).until(lambda d: "done=reject" in d.current_url)
    assert "已不予受理" in agent.find_element(By.CSS_SELECTOR, "p.notice").text, "the notice does not name the decision"
    expect_status(agent, "不予受理")
    assert "拨打119" in agent.page_source, "the refusal does not tell the caller to call 119"
    assert "话务员" in agent.find_element(By.CSS_SELECTOR, "ol.timeline").text
    shot(agent, "agent-emergency-refused", whole_page=True)

    # 16. The admin opens the working-day calendar and the unit tree.
    admin = log_in("admin")
    users.append(admin)
    admin.get(BASE + "/admin/calendar?year=2025")
    assert "春节" in admin.page_source, "the calendar does not show the Spring Festival"
    shot(admin, "admin-calendar")
    admin.get(BASE + "/admin/units")
    assert "江城区" in admin.page_source
    shot(admin, "admin-units")
    print(f"ok closed loop walked for order {number} by agent, dispatcher, unit, supervisor, reviewer and callback agent, with a redo and a sent-back reply; a fire call refused as 119 at intake")
finally:
    for d in users:
        d.quit()
