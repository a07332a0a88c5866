"""Browser walk of the knowledge base (知识库): an editor writes an entry and submits it, the admin sends it back with a
comment, the editor fixes it and the admin publishes it; an agent finds it on /knowledge by search and answers a call
directly with it from the intake desk ("用此答复"), the order page naming the entry used; the admin turns a finished
order into a knowledge draft (解答一个、规范一类).

    python3 Tests/e2e/walk_knowledge.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import sys

from selenium.webdriver.common.by import By
from console import staleness_of, wait_for
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import BASE, log_in, shot

TITLE = "古运河水上巴士月票办理"
QUESTION = "水上巴士月票在哪里办"
ANSWER = ("水上巴士月票可在古运河各码头售票窗口办理，携带本人身份证和一寸照片，当场制卡；"
          "学生凭学生证享半价，月票自办理当月起有效。咨询电话0571-87002345。")
ADDRESS = "办理地点：武林门码头、拱宸桥码头售票窗口，每天8:00至17:30。"


def open_step(driver, name):
    """Opens a review step's form on the entry page and returns it."""
    summary = next((s for s in driver.find_elements(By.CSS_SELECTOR, "details > summary") if s.text.strip() == name), None)
    offered = [s.text.strip() for s in driver.find_elements(By.CSS_SELECTOR, "details > summary")]
    assert summary is not None, f"the entry page does not offer {name}, only {offered}"
    summary.click()
    form = summary.find_element(By.XPATH, "..").find_element(By.TAG_NAME, "form")
    WebDriverWait(driver, 30).until(lambda d: form.is_displayed())
    return form


def step(driver, name, note=None, expect=None):
    form = open_step(driver, name)
    if note is not None:
        form.find_element(By.NAME, "note").send_keys(note)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # The address may still say done= from the step before: wait for the new page first.
    WebDriverWait(driver, 30).until(staleness_of(form))
    WebDriverWait(driver, 30).until(lambda d: "done=" in d.current_url or "role=\"alert\"" in d.page_source)
    assert "done=" in driver.current_url, f"{name} failed: {driver.find_element(By.CSS_SELECTOR, '.error').text}"
    if expect:
        assert expect in driver.find_element(By.CSS_SELECTOR, "h1").text, f"after {name} the entry is not {expect}"


def main():
    users = []
    try:
        # 1. The editor's home: the knowledge tiles open their lists, whose heading is the tile's name.
        editor = log_in("editor")
        users.append(editor)
        tiles = [t.get_attribute("data-label") for t in editor.find_elements(By.CSS_SELECTOR, ".queue")]
        assert "知识待审核" in tiles and "知识草稿" in tiles, f"editor tiles: {tiles}"
        shot(editor, "editor-home")
        editor.find_element(By.LINK_TEXT, "查看知识草稿").click()
        assert editor.find_element(By.TAG_NAME, "h1").text == "知识草稿", "the drafts tile opens a list with another heading"
        assert "知识库" in [a.text for a in editor.find_elements(By.CSS_SELECTOR, "nav.main a")]

        # 2. The editor writes a new entry; a missing answer is refused naming the field, nothing stored.
        editor.get(BASE + "/knowledge/new")
        editor.find_element(By.ID, "k-title").send_keys(TITLE)
        editor.find_element(By.ID, "k-questions").send_keys(QUESTION + "\n水上巴士有没有月票\n学生坐水上巴士能打折吗")
        editor.execute_script("document.getElementById('k-answer').removeAttribute('required')")
        editor.find_element(By.ID, "k-answer").send_keys("   ")
        Select(editor.find_element(By.ID, "k-category")).select_by_value("06")
        Select(editor.find_element(By.ID, "k-unit")).select_by_value("dept-transport")
        editor.find_element(By.ID, "k-keywords").send_keys("水上巴士 月票 码头")
        editor.find_element(By.CSS_SELECTOR, ".knowledge-form button.primary").click()
        WebDriverWait(editor, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.error"))
        error = wait_for(editor, "p.error").text
        assert error.startswith("答案："), f"the refusal does not name the field as labelled: {error}"
        assert editor.find_element(By.ID, "k-title").get_attribute("value") == TITLE, "the form lost what was typed"
        shot(editor, "editor-new-entry-refused")
        editor.find_element(By.ID, "k-answer").send_keys(ANSWER)
        editor.find_element(By.CSS_SELECTOR, ".knowledge-form button.primary").click()
        WebDriverWait(editor, 30).until(lambda d: "done=create" in d.current_url)
        entry = editor.current_url.split("/knowledge/")[1].split("?")[0]
        assert "草稿" in editor.find_element(By.CSS_SELECTOR, "h1").text
        step(editor, "提交审核", expect="待审核")
        assert "不能由您审核通过" in editor.page_source, "the page does not say why the editor cannot approve"
        assert "审核通过并发布" not in [s.text for s in editor.find_elements(By.CSS_SELECTOR, "details > summary")]
        shot(editor, "editor-entry-submitted", whole_page=True)

        # 3. The admin (a second reviewer) finds it in 知识待审核 and sends it back with a reason.
        admin = log_in("admin")
        users.append(admin)
        admin.find_element(By.LINK_TEXT, "查看知识待审核").click()
        assert admin.find_element(By.TAG_NAME, "h1").text == "知识待审核"
        assert TITLE in admin.page_source, "the submitted entry is not in 知识待审核"
        shot(admin, "admin-review-queue")
        admin.find_element(By.LINK_TEXT, TITLE).click()
        step(admin, "退回修改", note="请补充办理地点和时间", expect="草稿")

        # 4. The editor sees the review comment, adds the address, submits again; the admin publishes it.
        editor.get(f"{BASE}/knowledge/{entry}")
        comment = editor.find_element(By.CSS_SELECTOR, ".review-comment").text
        assert "请补充办理地点和时间" in comment, f"the editor does not see the review comment: {comment}"
        shot(editor, "editor-sees-review-comment", whole_page=True)
        editor.find_element(By.LINK_TEXT, "修改内容").click()
        editor.find_element(By.ID, "k-answer").send_keys(ADDRESS)
        editor.find_element(By.CSS_SELECTOR, ".knowledge-form button.primary").click()
        WebDriverWait(editor, 30).until(lambda d: "done=edit" in d.current_url)
        step(editor, "提交审核", expect="待审核")
        admin.get(f"{BASE}/knowledge/{entry}")
        step(admin, "审核通过并发布", note="内容准确", expect="已发布")
        history = admin.find_element(By.CSS_SELECTOR, "table.history").text
        for words in ["新建", "提交审核", "退回修改", "请补充办理地点和时间", "修改", "审核通过并发布"]:
            assert words in history, f"the history lacks {words}"
        shot(admin, "admin-entry-published", whole_page=True)

        # 5. An agent finds it on /knowledge by the citizen's words.
        agent = log_in("agent")
        users.append(agent)
        agent.find_element(By.LINK_TEXT, "知识库").click()
        shot(agent, "agent-knowledge-browse")
        agent.find_element(By.ID, "knowledge-q").send_keys(QUESTION)
        agent.find_element(By.CSS_SELECTOR, ".knowledge-search button.primary").click()
        WebDriverWait(agent, 30).until(lambda d: "q=" in d.current_url and d.find_element(By.TAG_NAME, "h1").text == "知识检索")
        first = agent.find_element(By.CSS_SELECTOR, "ol.knowledge-list li h3 a")
        assert first.text == TITLE, f"the search's first result is {first.text}"
        assert agent.find_elements(By.CSS_SELECTOR, "ol.knowledge-list mark"), "the matching words are not marked"
        shot(agent, "agent-knowledge-search")
        first.click()
        assert "武林门码头" in agent.find_element(By.CSS_SELECTOR, "p.content").text
        assert "版本与审核记录" not in agent.page_source, "an agent sees the editors' history"
        shot(agent, "agent-knowledge-entry")

        # 6. At the intake desk the assistant suggests it; "用此答复" makes it the direct answer.
        agent.get(BASE + "/intake?phone=13955550088")
        agent.find_element(By.ID, "title").send_keys("咨询水上巴士月票")
        agent.find_element(By.ID, "content").send_keys("市民想了解" + QUESTION + "，学生有没有优惠。")
        Select(agent.find_element(By.ID, "kind")).select_by_value("consultation")
        WebDriverWait(agent, 30).until(lambda d: TITLE in d.find_element(By.ID, "assist-body").text)
        item = next(li for li in agent.find_elements(By.CSS_SELECTOR, "#assist-body li") if TITLE in li.text)
        item.find_element(By.XPATH, ".//button[normalize-space()='用此答复']").click()
        assert agent.find_element(By.ID, "knowledge-id").get_attribute("value") == entry
        assert "武林门码头" in agent.find_element(By.ID, "answer").get_attribute("value")
        if not Select(agent.find_element(By.ID, "category_code")).first_selected_option.get_attribute("value"):
            Select(agent.find_element(By.ID, "category_code")).select_by_value("06")
        shot(agent, "agent-intake-use-knowledge")
        agent.find_element(By.CSS_SELECTOR, "#intake-form button.primary").click()
        WebDriverWait(agent, 30).until(lambda d: "done=answer_directly" in d.current_url)
        assert "已直接答复" in agent.find_element(By.CSS_SELECTOR, "p.notice").text, "the notice does not name the decision"
        number = agent.current_url.split("/orders/")[1].split("?")[0]
        facts = agent.find_element(By.CSS_SELECTOR, "dl.facts").text
        assert "已办结" in facts, f"the direct answer did not close the order: {facts[:80]}"
        assert TITLE in facts, "the order page does not say which knowledge entry was used"
        assert "武林门码头" in agent.page_source, "the order page does not show the answer"
        assert "采用知识库答案直接答复" in agent.find_element(By.CSS_SELECTOR, "ol.timeline").text
        shot(agent, "agent-order-answered-from-knowledge", whole_page=True)
        agent.get(f"{BASE}/knowledge/{entry}")
        assert "采用 1 次" in agent.page_source, "the use is not counted on the entry"

        # 7. The admin turns a finished order into a knowledge draft: the form is filled from the order.
        admin.get(BASE + "/orders?status=closed")
        finished = [a.get_attribute("href") for a in admin.find_elements(By.CSS_SELECTOR, "table.orders td:first-child a")]
        # A unit's reply that passed review makes the better draft; a direct answer will do if there is none.
        source, fallback = None, None
        for href in finished[:20]:
            if href.endswith("/" + number):
                continue
            admin.get(href)
            if not admin.find_elements(By.LINK_TEXT, "转为知识草稿"):
                continue
            if admin.find_elements(By.CSS_SELECTOR, "article.round"):
                source = href.split("/orders/")[1]
                break
            fallback = fallback or href
        if source is None and fallback:
            admin.get(fallback)
            source = fallback.split("/orders/")[1]
        assert source, "no finished order offers 转为知识草稿"
        shot(admin, "admin-finished-order")
        admin.find_element(By.LINK_TEXT, "转为知识草稿").click()
        assert admin.find_element(By.TAG_NAME, "h1").text == "转为知识草稿"
        assert admin.find_element(By.ID, "k-title").get_attribute("value"), "the title is not filled from the order"
        assert admin.find_element(By.ID, "k-answer").get_attribute("value"), "the answer is not filled from the order"
        assert source in admin.find_element(By.CSS_SELECTOR, "p.notice").text
        shot(admin, "admin-draft-from-order", whole_page=True)
        admin.find_element(By.CSS_SELECTOR, ".knowledge-form button.primary").click()
        WebDriverWait(admin, 30).until(lambda d: "done=create" in d.current_url)
        facts = admin.find_element(By.CSS_SELECTOR, "dl.facts").text
        assert source in facts, "the draft does not record the order it came from"
        assert f"由工单 {source} 转为知识草稿" in admin.find_element(By.CSS_SELECTOR, "table.history").text
        shot(admin, "admin-draft-created", whole_page=True)

        # 8. A unit's staff may not read the knowledge base: the 403 page.
        unit = log_in("jiangcheng")
        users.append(unit)
        unit.get(BASE + "/knowledge")
        assert "没有权限" in unit.find_element(By.TAG_NAME, "h1").text
        shot(unit, "unit-knowledge-refused")
        print(f"ok walk knowledge: entry {entry} written, sent back with a comment, fixed and published by a second reviewer, "
              f"found by an agent and used as the direct answer of order {number}; finished order {source} turned into a draft")
    finally:
        for u in users:
            u.quit()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 — any failure fails the walk
        print(f"FAILED walk knowledge: {e}", file=sys.stderr)
        raise
