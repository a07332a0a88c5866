"""Browser walk of quality inspection (质检): telephony events for calls the demo agent answered and an order the agent
took (through the API); the inspector draws a batch of the agent's work from the 质检 page and scores one inspection
(a mark over the item's points refused first, naming the field); the agent appeals from 我的质检; the supervisor
upholds the appeal with a re-score, the original kept beside it; the agent sees the outcome; the manager's 质检统计
shows the week with its chart.

    python3 Tests/e2e/walk_quality.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import datetime
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import BASE, api, api_token, log_in, shot, staleness_of, wait_for


def iso(t):
    return (t + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S+08:00")


def submit(driver, form):
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(staleness_of(form))


def main():
    users = []
    try:
        # 1. Calls the demo agent answered an hour ago (the call-centre system's events) and an order the agent took.
        admin = api_token("admin")
        stamp = str(int(time.time()))
        now = datetime.datetime.utcnow()
        events = []
        for i, talk in enumerate([720, 240]):
            call = f"qa-{stamp}-{i}"
            at = now - datetime.timedelta(minutes=60 - i * 15)
            events += [
                {"event_id": call + "-o", "type": "call_offered", "call_id": call, "caller": "13955550188", "queue": "综合", "at": iso(at)},
                {"event_id": call + "-a", "type": "call_answered", "call_id": call, "agent": "agent", "seat": "A07",
                 "at": iso(at + datetime.timedelta(seconds=12))},
                {"event_id": call + "-e", "type": "call_ended", "call_id": call, "wait_seconds": 12, "talk_seconds": talk, "acw_seconds": 40,
                 "at": iso(at + datetime.timedelta(seconds=12 + talk))},
            ]
        api("POST", "/cti/events", admin, {"events": events})
        agent_token = api_token("agent")
        order = api("POST", "/orders", agent_token, {
            "channel": "phone", "kind": "consultation", "category_code": "01.01.03", "title": "询问公积金提取办理材料",
            "content": "市民询问租房提取住房公积金需要哪些材料。", "caller": {"name": "赵先生", "phone": "13955550188"}})
        number = order["order"]["number"]

        # 2. The inspector draws the agent's work of the last week: a wrong count is refused first, naming the field.
        inspector = log_in("inspector")
        users.append(inspector)
        # 质检 is one of the inspector's call-centre pages, reached through 话务中心.
        inspector.find_element(By.CSS_SELECTOR, "nav.main").find_element(By.LINK_TEXT, "话务中心").click()
        inspector.find_element(By.CSS_SELECTOR, ".hub-cards").find_element(By.LINK_TEXT, "质检").click()
        wait_for(inspector, "form.quality-draw")
        Select(inspector.find_element(By.ID, "q-rule")).select_by_value("agent")
        Select(inspector.find_element(By.ID, "q-agent")).select_by_visible_text("话务员 王丽")
        for field, value in [("q-calls", "500"), ("q-orders", "1")]:
            box = inspector.find_element(By.ID, field)
            inspector.execute_script("arguments[0].removeAttribute('max')", box)
            box.clear()
            box.send_keys(value)
        submit(inspector, inspector.find_element(By.CSS_SELECTOR, "form.quality-draw"))
        error = wait_for(inspector, "p.error").text
        assert error.startswith("抽检通话数："), f"the refusal does not name the field: {error}"
        assert Select(inspector.find_element(By.ID, "q-agent")).first_selected_option.text == "话务员 王丽", "the form lost its values"
        shot(inspector, "inspector-draw-refused")
        box = inspector.find_element(By.ID, "q-calls")
        box.clear()
        box.send_keys("2")
        submit(inspector, inspector.find_element(By.CSS_SELECTOR, "form.quality-draw"))
        WebDriverWait(inspector, 30).until(lambda d: "done=draw" in d.current_url)
        batch = inspector.current_url.split("/quality/batches/")[1].split("?")[0]
        facts = inspector.find_element(By.CSS_SELECTOR, "dl.facts").text
        assert "指定坐席：话务员 王丽" in facts and "随机种子" in facts, facts
        rows = inspector.find_elements(By.CSS_SELECTOR, "table.quality-list tbody tr")
        assert rows, "the batch drew nothing of the agent's work"
        assert all("话务员 王丽" in r.text for r in rows), [r.text for r in rows]
        shot(inspector, "inspector-batch", whole_page=True)

        # 3. Scores the first inspection: a mark over the item's points is refused, then the real marks.
        rows[0].find_element(By.LINK_TEXT, "查看").click()
        form = wait_for(inspector, "form.quality-score")
        inspection = inspector.current_url.split("/quality/inspections/")[1].split("?")[0]
        boxes = form.find_elements(By.CSS_SELECTOR, "input[type=number]")
        assert len(boxes) == 5, "the demo form has five items"
        marks = [8, 25, 20, 12, 10]
        for box, mark in zip(boxes, marks):
            box.send_keys(str(mark))
        inspector.execute_script("arguments[0].removeAttribute('max')", boxes[1])
        boxes[1].clear()
        boxes[1].send_keys("35")
        form.find_element(By.CSS_SELECTOR, "input[name=item_comment_1]").send_keys("办理材料答复不全")
        form.find_element(By.ID, "score-comment").send_keys("服务态度好，答复不够完整。")
        submit(inspector, form)
        error = wait_for(inspector, "p.error").text
        assert error.startswith("得分：") and "答复准确性" in error, error
        assert inspector.find_element(By.ID, "score-comment").get_attribute("value") == "服务态度好，答复不够完整。"
        shot(inspector, "inspector-score-refused", whole_page=True)
        form = inspector.find_element(By.CSS_SELECTOR, "form.quality-score")
        for box, mark in zip(form.find_elements(By.CSS_SELECTOR, "input[type=number]"), marks):
            box.clear()
            box.send_keys(str(mark))
        submit(inspector, form)
        WebDriverWait(inspector, 30).until(lambda d: "done=score" in d.current_url)
        result = inspector.find_element(By.CSS_SELECTOR, "#qi-result").find_element(By.XPATH, "..").text
        assert "75分" in result and "合格" in result, result
        assert not inspector.find_elements(By.CSS_SELECTOR, "form.quality-score"), "a saved score can be changed"
        shot(inspector, "inspector-scored", whole_page=True)

        # 4. The agent finds it in 我的质检 and appeals with a reason.
        agent = log_in("agent")
        users.append(agent)
        agent.find_element(By.CSS_SELECTOR, "nav.main").find_element(By.LINK_TEXT, "话务中心").click()
        agent.find_element(By.CSS_SELECTOR, ".hub-cards").find_element(By.LINK_TEXT, "我的质检").click()
        WebDriverWait(agent, 30).until(lambda d: "/quality/mine" in d.current_url)
        assert "75分" in agent.find_element(By.CSS_SELECTOR, "table.quality-list").text
        shot(agent, "agent-mine")
        agent.get(f"{BASE}/quality/inspections/{inspection}")
        agent.find_element(By.ID, "appeal-reason").send_keys("来电人只问了租房提取，所需材料已按知识库全部告知。")
        submit(agent, agent.find_element(By.ID, "appeal-reason").find_element(By.XPATH, "ancestor::form"))
        WebDriverWait(agent, 30).until(lambda d: "done=appeal" in d.current_url)
        assert "申诉中" in agent.find_element(By.TAG_NAME, "h1").text
        shot(agent, "agent-appealed", whole_page=True)

        # 5. The supervisor upholds it with a re-score; the original stays beside it.
        supervisor = log_in("supervisor")
        users.append(supervisor)
        supervisor.get(BASE + "/quality")
        WebDriverWait(supervisor, 30).until(lambda d: "/quality/appeals" in d.current_url)
        supervisor.find_element(By.CSS_SELECTOR, f"a[href='/quality/inspections/{inspection}']").click()
        form = wait_for(supervisor, "form[action$='/uphold']")
        boxes = form.find_elements(By.CSS_SELECTOR, "input[type=number]")
        boxes[1].clear()
        boxes[1].send_keys("30")
        form.find_element(By.ID, "uphold-comment").send_keys("复听录音，材料已告知完整。")
        shot(supervisor, "supervisor-decide", whole_page=True)
        submit(supervisor, form)
        WebDriverWait(supervisor, 30).until(lambda d: "done=uphold" in d.current_url)
        result = supervisor.find_element(By.CSS_SELECTOR, "#qi-result").find_element(By.XPATH, "..").text
        assert "原评分：75分" in result and "80分" in result, result

        # 6. The agent sees the outcome.
        agent.get(f"{BASE}/quality/inspections/{inspection}")
        assert "申诉成立" in agent.find_element(By.TAG_NAME, "h1").text
        page = agent.find_element(By.TAG_NAME, "main").text
        assert "80分" in page and "75分" in page, page
        shot(agent, "agent-outcome", whole_page=True)

        # 7. The manager's trends: this week with the re-score, the chart drawn on the server.
        manager = log_in("manager")
        users.append(manager)
        manager.get(BASE + "/quality")
        WebDriverWait(manager, 30).until(lambda d: "/quality/trends" in d.current_url)
        assert manager.find_elements(By.CSS_SELECTOR, "svg.chart"), "no chart"
        agents = manager.find_element(By.CSS_SELECTOR, "#qt-agents").find_element(By.XPATH, "..").text
        assert "话务员 王丽" in agents, agents
        shot(manager, "manager-trends", whole_page=True)

        # 8. A unit's staff may not open the quality pages.
        unit = log_in("jiangcheng")
        users.append(unit)
        unit.get(BASE + f"/quality/inspections/{inspection}")
        assert "没有权限" in unit.find_element(By.TAG_NAME, "h1").text
        print(f"ok walk quality: batch {batch} of the agent's work drawn, inspection {inspection} scored 75, appealed by the agent, "
              f"upheld by the supervisor at 80 (original kept), shown in the manager's 质检统计 (the agent's order {number} among the candidates)")
    finally:
        for u in users:
            u.quit()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - any failure fails the walk
        print(f"FAIL walk quality: {e}", file=sys.stderr)
        raise
