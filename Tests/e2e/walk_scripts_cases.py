"""Browser walk of reply scripts (话术) and typical cases (典型案例): an editor adds a script for a matter, a refusal
naming the field first; an agent sees it beside the knowledge suggestions on the intake desk while typing, with the
general opening and closing scripts, and copies it with one click; a supervisor marks a closed demo order as a typical
case from its page; an agent finds the case in /cases by a tag and by words, the caller masked.

    python3 Tests/e2e/walk_scripts_cases.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import BASE, log_in, shot, staleness_of, wait_for

SCRIPT_TITLE = "社保卡挂失的安抚与提醒"
SCRIPT_TEXT = ("社保卡丢了确实着急，您先别担心：现在拨打12333就能临时挂失，挂失后卡里的钱不会被盗用。"
               "临时挂失5天内有效，请在期限内到合作银行网点办理正式挂失和补卡。")
CASE_TITLE = "一次说清办理渠道，避免重复来电"
CASE_NOTE = "受理时先问清市民所在区县和诉求要点，答复中写明办理地点、时间和所需材料，市民一次办成。"


def main():
    users = []
    try:
        # 1. The editor writes a script for 社保卡; without a situation the form says which field is missing.
        editor = log_in("editor")
        users.append(editor)
        assert "话术" in [a.text for a in editor.find_elements(By.CSS_SELECTOR, "nav.main a")]
        editor.get(BASE + "/scripts")
        assert editor.find_elements(By.CSS_SELECTOR, "ol.script-list li"), "the demo city has no scripts"
        shot(editor, "editor-scripts")
        editor.find_element(By.LINK_TEXT, "新建话术").click()
        editor.find_element(By.ID, "s-title").send_keys(SCRIPT_TITLE)
        editor.execute_script("document.getElementById('s-situation').removeAttribute('required')")
        category = Select(editor.find_element(By.ID, "s-category"))
        # A matter two levels down: the script serves every category below it.
        code = next(o.get_attribute("value") for o in category.options if o.text == "劳动和社会保障 / 城镇职工社会保险")
        category.select_by_value(code)
        editor.find_element(By.ID, "s-text").send_keys(SCRIPT_TEXT)
        editor.find_element(By.ID, "s-tags").send_keys("社保卡 挂失 安抚")
        editor.find_element(By.CSS_SELECTOR, ".knowledge-form button.primary").click()
        error = wait_for(editor, "p.error").text
        assert error.startswith("场景："), f"the refusal does not name the field: {error}"
        assert editor.find_element(By.ID, "s-text").get_attribute("value") == SCRIPT_TEXT, "the form lost what was typed"
        shot(editor, "editor-script-refused")
        Select(editor.find_element(By.ID, "s-situation")).select_by_value("comfort")
        editor.find_element(By.CSS_SELECTOR, ".knowledge-form button.primary").click()
        WebDriverWait(editor, 30).until(lambda d: "done=create" in d.current_url)
        script = editor.current_url.split("/scripts/")[1].split("?")[0]
        assert "话术已保存" in editor.find_element(By.CSS_SELECTOR, "p.notice").text
        assert "新建" in editor.find_element(By.TAG_NAME, "table").text, "the history has no first line"
        shot(editor, "editor-script-saved", whole_page=True)

        # 2. An agent types a call about a lost social security card: the script shows beside the knowledge answers.
        agent = log_in("agent")
        users.append(agent)
        agent.get(BASE + "/intake?phone=13955550123")
        agent.find_element(By.ID, "title").send_keys("社保卡丢失")
        agent.find_element(By.ID, "content").send_keys("市民的社保卡丢了，很着急，想问怎么挂失和补办。")
        chosen = Select(agent.find_element(By.ID, "category_code"))
        below = next(o.get_attribute("value") for o in chosen.options if o.get_attribute("value").startswith(code + "."))
        chosen.select_by_value(below)
        WebDriverWait(agent, 60).until(lambda d: SCRIPT_TITLE in d.find_element(By.ID, "assist-body").text)
        body = agent.find_element(By.ID, "assist-body")
        headings = [h.text for h in body.find_elements(By.TAG_NAME, "h3")]
        assert "话术" in headings, f"no 话术 section: {headings}"
        assert "知识库" in headings and headings.index("知识库") < headings.index("话术"), f"scripts are not beside the knowledge: {headings}"
        scripts = body.find_elements(By.CSS_SELECTOR, "ul.assist-scripts li")
        texts = [li.text for li in scripts]
        assert any("标准开场白" in t for t in texts) and any("结束语" in t for t in texts), f"the general scripts are missing: {texts}"
        mine = next(li for li in scripts if SCRIPT_TITLE in li.text)
        agent.execute_script("arguments[0].scrollIntoView({block: 'center'})", mine)
        copy = mine.find_element(By.XPATH, ".//button[normalize-space()='复制']")
        copy.click()
        WebDriverWait(agent, 10).until(lambda d: copy.text != "复制")
        assert copy.text == "已复制", f"the copy button says {copy.text}"
        shot(agent, "agent-intake-scripts")
        agent.get(f"{BASE}/scripts/{script}")
        assert SCRIPT_TEXT in agent.find_element(By.CSS_SELECTOR, "p.script-text").text
        assert "修改记录" not in agent.page_source and "修改话术" not in agent.page_source, "an agent sees the editors' tools"
        shot(agent, "agent-script")

        # 3. A supervisor marks a closed demo order as a typical case from its page.
        supervisor = log_in("supervisor")
        users.append(supervisor)
        supervisor.get(BASE + "/orders?status=closed")
        finished = [a.get_attribute("href") for a in supervisor.find_elements(By.CSS_SELECTOR, "table.orders td:first-child a")]
        source = None
        for href in finished[:20]:
            supervisor.get(href)
            if supervisor.find_elements(By.LINK_TEXT, "标为典型案例"):
                source = href.split("/orders/")[1]
                break
        assert source, "no closed order offers 标为典型案例"
        shot(supervisor, "supervisor-closed-order")
        supervisor.find_element(By.LINK_TEXT, "标为典型案例").click()
        assert supervisor.find_element(By.TAG_NAME, "h1").text == "标为典型案例"
        supervisor.find_element(By.ID, "c-title").clear()
        supervisor.find_element(By.ID, "c-title").send_keys(CASE_TITLE)
        for value in ["exemplary", "policy_question"]:
            supervisor.find_element(By.CSS_SELECTOR, f"input[name='tags[]'][value='{value}']").click()
        supervisor.find_element(By.ID, "c-note").send_keys(CASE_NOTE)
        shot(supervisor, "supervisor-case-form", whole_page=True)
        form = supervisor.find_element(By.CSS_SELECTOR, ".knowledge-form")
        form.find_element(By.CSS_SELECTOR, "button.primary").click()
        WebDriverWait(supervisor, 30).until(staleness_of(form))
        WebDriverWait(supervisor, 30).until(lambda d: "done=create" in d.current_url)
        case = supervisor.current_url.split("/cases/")[1].split("?")[0]
        assert CASE_TITLE in supervisor.find_element(By.TAG_NAME, "h1").text
        shot(supervisor, "supervisor-case-saved", whole_page=True)
        supervisor.get(f"{BASE}/orders/{source}")
        assert CASE_TITLE in supervisor.find_element(By.CSS_SELECTOR, "dl.facts").text, "the order page does not name its case"
        assert not supervisor.find_elements(By.LINK_TEXT, "标为典型案例"), "the order is offered for marking twice"

        # 4. The agent finds the case in /cases by its tag and by words; the caller is masked, the order one click away.
        agent.get(BASE + "/")
        agent.find_element(By.CSS_SELECTOR, "nav.main").find_element(By.LINK_TEXT, "案例").click()
        Select(agent.find_element(By.ID, "cases-tag")).select_by_value("exemplary")
        agent.find_element(By.ID, "cases-q").send_keys("重复来电")
        agent.find_element(By.CSS_SELECTOR, ".knowledge-search button.primary").click()
        WebDriverWait(agent, 30).until(lambda d: "tag=exemplary" in d.current_url)
        found = [a.text for a in agent.find_elements(By.CSS_SELECTOR, "ol.case-list li h3 a")]
        assert found == [CASE_TITLE], f"the library found {found}"
        shot(agent, "agent-cases-search")
        agent.find_element(By.LINK_TEXT, CASE_TITLE).click()
        facts = agent.find_element(By.CSS_SELECTOR, "dl.facts").text
        caller = next(line for line in facts.splitlines() if "*" in line)
        assert "****" in caller, f"the caller is not masked: {caller}"
        assert CASE_NOTE in agent.page_source
        assert agent.find_elements(By.LINK_TEXT, source), "the agent, who may see the order, has no link to it"
        assert "撤销典型案例" not in agent.page_source, "an agent may retire cases"
        shot(agent, "agent-case", whole_page=True)

        # 5. A unit's staff may read neither library: the 403 page.
        unit = log_in("jiangcheng")
        users.append(unit)
        for path in ["/scripts", f"/cases/{case}"]:
            unit.get(BASE + path)
            assert "没有权限" in unit.find_element(By.TAG_NAME, "h1").text, f"{path} is open to a unit"
        shot(unit, "unit-cases-refused")
        print(f"ok walk scripts and cases: script {script} written and copied at the intake desk; "
              f"closed order {source} marked as case {case} and found by an agent")
    finally:
        for u in users:
            u.quit()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 — any failure fails the walk
        print(f"FAILED walk scripts and cases: {e}", file=sys.stderr)
        raise
