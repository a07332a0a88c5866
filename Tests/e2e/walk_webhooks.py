"""Browser walk of 消息推送 (outbound notifications by webhook): the administrator sets a webhook for a city department
on /admin/webhooks, pointing at a small receiver this walk runs on a loopback port; an order is then dispatched to the
department through the API, and the server's sender (serve's --webhook-every) posts the notice to the receiver, signed
with the department's secret and carrying its idempotency key; the page shows the setting without the secret; the walk
turns the webhook off again at the end.

    python3 Tests/e2e/walk_webhooks.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import hashlib
import hmac
import http.server
import json
import secrets
import threading
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from console import api_token, BASE, PASSWORD, shot, log_in

UNIT_ID, UNIT_NAME = "dept-market", "江州市市场监督管理局"
SECRET = "walk-" + secrets.token_hex(12)
received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def api(method, path, token=None, body=None):
    request = urllib.request.Request(BASE + "/api/v1" + path, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(request, data) as r:
        return json.loads(r.read())


def token(user):
    return api_token(user)


def save(driver, url, enabled):
    driver.get(BASE + "/admin/webhooks")
    Select(driver.find_element(By.ID, "webhook-unit")).select_by_value(UNIT_ID)
    field = driver.find_element(By.ID, "webhook-url")
    field.clear()
    field.send_keys(url)
    if enabled:
        driver.find_element(By.ID, "webhook-secret").send_keys(SECRET)
    box = driver.find_element(By.NAME, "enabled")
    if box.is_selected() != enabled:
        box.click()
    driver.find_element(By.CSS_SELECTOR, "#webhook-form button.primary").click()
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.notice, p.error"))
    errors = driver.find_elements(By.CSS_SELECTOR, "p.error")
    assert not errors, "refused: " + errors[0].text
    assert "已保存该单位的消息推送设置。" in driver.page_source, "the setting was saved"


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"

    driver = log_in("admin")
    try:
        driver.get(BASE + "/admin/webhooks")
        assert "消息推送" in driver.page_source and "死信" in driver.page_source
        save(driver, url, enabled=True)
        page = driver.page_source
        assert UNIT_NAME in page and url in page and "已开启" in page and SECRET not in page, "the setting is listed, never the secret"
        shot(driver, "webhooks-set", whole_page=True)

        agent, dispatcher = token("agent"), token("dispatcher")
        category = next(c["code"] for c in api("GET", "/categories", agent)["items"] if c["code"].count(".") == 2)
        stamp = time.strftime("%H%M%S")
        order = api("POST", "/orders", agent, {
            "channel": "phone", "kind": "complaint", "category_code": category, "title": f"超市售卖过期食品（{stamp}）",
            "content": "江城区人民路一家超市货架上有过期牛奶，店员不肯处理。", "caller": {"name": "钱先生", "phone": "13900002222"},
            "location": {"address": "人民路88号", "district": "江城区"}})["order"]
        number = order["number"]
        api("POST", f"/orders/{number}/dispatch", dispatcher, {"lead_unit": UNIT_ID, "note": "请核查处理"})

        deadline = time.time() + 60
        while time.time() < deadline and not received:
            time.sleep(0.5)
        assert received, "the receiver got the notice within a minute"
        headers, body = received[0]
        headers = {k.lower(): v for k, v in headers.items()}
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers.get("x-hotline-signature") == expected, "signed with the department's secret"
        payload = json.loads(body)
        assert payload["order_number"] == str(number) and payload["kind"] == "派单" and payload["unit_name"] == UNIT_NAME, payload
        assert headers.get("idempotency-key") == payload["delivery_id"], "the idempotency key is the delivery id"
        assert "派单至江州市市场监督管理局主办" in payload["sentence"], payload["sentence"]
        time.sleep(1)
        assert len(received) == 1, f"sent once, got {len(received)}"

        save(driver, url, enabled=False)
        assert "已关闭" in driver.page_source
        shot(driver, "webhooks-off", whole_page=True)
    finally:
        driver.quit()
        server.shutdown()
    print(f"ok walk webhooks: the admin set {UNIT_NAME}'s webhook in the console (secret never shown); order {number}'s "
          f"dispatch reached a local receiver once, signed (HMAC-SHA256) with its idempotency key and the notice's sentence; "
          f"the webhook was turned off again")


if __name__ == "__main__":
    main()
