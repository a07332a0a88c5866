"""Browser walk of the expert seats (专家坐席, 政策专员): a manager stations a department with its matters, hours and
specialist, the form naming a bad field first; an agent reaches 转专家坐席 from the intake desk and asks the social
security seat a question; the bureau's specialist finds it, answers it and turns the answer into a knowledge draft in
the same step (解答一个、规范一类); the agent reads the answer; the knowledge editor finds the draft to review.

    python3 Tests/e2e/walk_experts.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import BASE, log_in, shot, wait_for

QUESTION = f"灵活就业人员断缴社保三个月后，能否一次性补缴？补缴后医保待遇何时恢复？（{int(time.time()) % 100000}）"
ANSWER = ("灵活就业人员断缴后可在江州人社小程序或区社保服务大厅申请补缴，当年内的欠费可一次性补齐；"
          "医保待遇自补缴到账的次月起恢复，断缴期间发生的医疗费用不予报销。")


def check(choice_texts, wanted):
    for label in choice_texts:
        if wanted in label.text:
            label.find_element(By.TAG_NAME, "input").click()
            return
    raise AssertionError(f"no choice {wanted}")


def main():
    users = []
    try:
        # 1. The manager sees the demo seats and stations the housing bureau; bad hours are refused by name first.
        manager = log_in("manager")
        users.append(manager)
        # Expert seats are one of the manager's call-centre pages, reached through 话务中心.
        manager.find_element(By.CSS_SELECTOR, "nav.main").find_element(By.LINK_TEXT, "话务中心").click()
        manager.find_element(By.CSS_SELECTOR, ".hub-cards").find_element(By.LINK_TEXT, "专家坐席").click()
        seats = [h.text for h in manager.find_elements(By.CSS_SELECTOR, ".expert-seat h3")]
        assert any("公积金专家坐席" in s for s in seats) and any("人社专家坐席" in s for s in seats), f"demo seats missing: {seats}"
        shot(manager, "manager-experts")
        manager.find_element(By.LINK_TEXT, "新增专家坐席").click()
        name = f"住建专家坐席{int(time.time()) % 1000}"
        manager.find_element(By.ID, "s-name").send_keys(name)
        Select(manager.find_element(By.ID, "s-unit")).select_by_value("dept-housing")
        check(manager.find_elements(By.CSS_SELECTOR, "fieldset:nth-of-type(1) label"), "住房保障与房地产")
        hours = manager.find_element(By.ID, "s-hours")
        hours.clear()
        hours.send_keys("上午九点到十二点")
        check(manager.find_elements(By.CSS_SELECTOR, "fieldset:nth-of-type(2) label"), "住建局承办员")
        manager.find_element(By.CSS_SELECTOR, "form.admin-form button.primary").click()
        error = wait_for(manager, "p.error").text
        assert "值守时间" in error, f"the refusal does not name the hours: {error}"
        assert manager.find_element(By.ID, "s-name").get_attribute("value") == name, "the form lost what was typed"
        shot(manager, "manager-seat-refused")
        hours = manager.find_element(By.ID, "s-hours")
        hours.clear()
        hours.send_keys("09:00-12:00 14:00-17:00")
        manager.find_element(By.CSS_SELECTOR, "form.admin-form button.primary").click()
        WebDriverWait(manager, 30).until(lambda d: "done=seat" in d.current_url)
        assert name in manager.page_source and "专家坐席已保存" in manager.page_source
        shot(manager, "manager-seat-saved", whole_page=True)

        # 2. An agent takes a call and, unsure of the policy, asks the social security seat from the intake desk.
        agent = log_in("agent")
        users.append(agent)
        agent.get(BASE + "/intake?phone=13955550177")
        link = agent.find_element(By.ID, "expert-link")
        assert link.text == "转专家坐席"
        agent.get(link.get_attribute("href"))
        seat = Select(agent.find_element(By.ID, "a-seat"))
        choice = next(o for o in seat.options if o.text.startswith("人社专家坐席"))
        assert "人力资源和社会保障局" in choice.text and ("值守中" in choice.text or "不在值守时间" in choice.text), choice.text
        seat.select_by_visible_text(choice.text)
        agent.find_element(By.ID, "a-question").send_keys(QUESTION)
        shot(agent, "agent-ask")
        agent.find_element(By.CSS_SELECTOR, "form.admin-form button.primary").click()
        WebDriverWait(agent, 30).until(lambda d: "done=asked" in d.current_url)
        consultation = agent.current_url.split("?")[0]
        assert "已转专家坐席" in agent.find_element(By.CSS_SELECTOR, "p.notice").text
        assert "待解答" in agent.find_element(By.TAG_NAME, "h1").text and "留言会商" in agent.page_source
        shot(agent, "agent-consultation-waiting")

        # 3. The bureau's specialist finds the question among the seat's and answers it, making a knowledge draft.
        specialist = log_in("hrss")
        users.append(specialist)
        specialist.find_element(By.LINK_TEXT, "专家坐席").click()
        specialist.find_element(By.PARTIAL_LINK_TEXT, QUESTION[:20]).click()
        box = specialist.find_element(By.NAME, "to_knowledge")
        assert box.is_selected(), "the draft is not offered by default"
        specialist.find_element(By.ID, "e-answer").send_keys(ANSWER)
        shot(specialist, "specialist-answer")
        specialist.find_element(By.CSS_SELECTOR, "form.admin-form button.primary").click()
        WebDriverWait(specialist, 30).until(lambda d: "done=answered" in d.current_url)
        assert ANSWER in specialist.find_element(By.ID, "expert-answer").text
        assert "已转为知识草稿" in specialist.page_source
        shot(specialist, "specialist-answered", whole_page=True)

        # 4. The agent reads the answer; the editor finds the draft among the drafts to review.
        agent.get(consultation)
        assert ANSWER in agent.find_element(By.ID, "expert-answer").text and "已解答" in agent.find_element(By.TAG_NAME, "h1").text
        assert "提交解答" not in agent.page_source, "the agent is offered the specialist's form"
        shot(agent, "agent-reads-answer", whole_page=True)
        editor = log_in("editor")
        users.append(editor)
        editor.get(BASE + "/knowledge?status=draft")
        editor.find_element(By.PARTIAL_LINK_TEXT, QUESTION[:15]).click()
        assert "江州人社小程序" in editor.page_source and "草稿" in editor.page_source
        shot(editor, "editor-draft", whole_page=True)
        for page in ("manager-experts", "specialist-answered"):
            pass
        print(f"ok walk experts: a seat stationed after a refusal, a question asked from the intake desk, answered by the "
              f"specialist with a knowledge draft in one step, read by the agent, found by the editor")
    finally:
        for u in users:
            u.quit()


if __name__ == "__main__":
    sys.exit(main())
