"""Browser walk of agent performance (坐席绩效) and the service stars (服务之星): a manager reaches 坐席绩效 through
话务中心, reads last week's stars, teams and agents against the targets, sets a target (a value out of range refused by
name first); an agent reads 我的绩效 — their own figures against the targets, their team, the stars — and no one
else's scores.

    python3 Tests/e2e/walk_performance.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from console import BASE, log_in, shot, wait_for


def main():
    users = []
    try:
        manager = log_in("manager")
        users.append(manager)
        manager.find_element(By.CSS_SELECTOR, "nav.main").find_element(By.LINK_TEXT, "话务中心").click()
        cards = [a.text for a in manager.find_elements(By.CSS_SELECTOR, ".hub-cards a")]
        assert {"话务大屏", "人力预测", "排班", "质检", "专家坐席", "坐席绩效"} <= set(cards), cards
        shot(manager, "manager-callcentre")
        manager.find_element(By.LINK_TEXT, "坐席绩效").click()
        wait_for(manager, "nav.week-nav")
        # Last week is complete, and the demo centre's call history gives every demo agent enough calls to be ranked.
        manager.find_element(By.LINK_TEXT, "← 上一周").click()
        WebDriverWait(manager, 30).until(lambda d: "week=" in d.current_url)
        stars = manager.find_elements(By.CSS_SELECTOR, ".service-stars li")
        assert len(stars) == 3, f"{len(stars)} stars"
        assert "第1名" in stars[0].text and "分" in stars[0].text
        teams = [r.find_element(By.TAG_NAME, "th").text for r in manager.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=teams-h] tbody tr")]
        assert {"一班", "二班", "三班"} <= set(teams), teams
        agents = manager.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=agents-h] tbody tr")
        assert len(agents) >= 8 and agents[0].find_element(By.TAG_NAME, "td").text == "1"
        text = manager.find_element(By.TAG_NAME, "main").text
        for word in ("agent", "null", "=", "nil"):
            assert word not in text, f"{word!r} on the page"
        shot(manager, "manager-performance", whole_page=True)

        manager.find_element(By.CSS_SELECTOR, "details.card summary").click()
        field = manager.find_element(By.ID, "t-satisfaction_rate")
        field.clear()
        field.send_keys("1.5")
        manager.find_element(By.CSS_SELECTOR, "details.card button.primary").click()
        error = wait_for(manager, "p.error").text
        assert "满意率目标应在0至1之间" in error, error
        shot(manager, "manager-target-refused")
        manager.find_element(By.CSS_SELECTOR, "details.card summary").click()
        field = manager.find_element(By.ID, "t-satisfaction_rate")
        field.clear()
        field.send_keys("0.85")
        manager.find_element(By.CSS_SELECTOR, "details.card button.primary").click()
        WebDriverWait(manager, 30).until(lambda d: "done=targets" in d.current_url)
        assert "绩效目标已保存" in manager.page_source and "满意率不低于85.0%" in manager.page_source

        agent = log_in("agent")
        users.append(agent)
        agent.find_element(By.CSS_SELECTOR, "nav.main").find_element(By.LINK_TEXT, "话务中心").click()
        agent.find_element(By.LINK_TEXT, "我的绩效").click()
        agent.find_element(By.LINK_TEXT, "← 上一周").click()
        WebDriverWait(agent, 30).until(lambda d: "week=" in d.current_url)
        tiles = [t.text for t in agent.find_elements(By.CSS_SELECTOR, ".perf-tiles li")]
        assert len(tiles) == 6 and any("平均处理时长" in t and "目标不超过" in t for t in tiles), tiles
        assert "综合排名第" in agent.find_element(By.ID, "mine-h").text
        assert not agent.find_elements(By.ID, "agents-h"), "an agent sees everyone's scores"
        assert "设置绩效目标" not in agent.page_source
        shot(agent, "agent-performance", whole_page=True)
        print("ok walk performance: 话务中心 leads to 坐席绩效; last week's three service stars, three teams and every agent ranked;"
              " a target out of range refused by name, then saved; the agent's own dashboard without others' scores")
    finally:
        for u in users:
            u.quit()


if __name__ == "__main__":
    sys.exit(main())
