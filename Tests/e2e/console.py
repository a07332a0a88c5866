"""Shared helpers of the browser walks: a headless Chromium per user, logging in, screenshots numbered in the order
they were taken, and filling an order page's action forms. Each walk script is run as

    python3 Tests/e2e/<walk>.py http://127.0.0.1:PORT SCREENSHOT_DIR
"""
import json
import os
import struct
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, SHOTS = sys.argv[1], sys.argv[2]
PASSWORD = "hotline12345"
os.makedirs(SHOTS, exist_ok=True)
for old in os.listdir(SHOTS):
    if old.endswith(".png"):
        os.remove(os.path.join(SHOTS, old))
step = 0


def staleness_of(element):
    """Waits for `element` to leave the page (the form was submitted and the next page loaded). Chromium sometimes
    answers a look at a node of the page being replaced with an inspector error instead of a stale reference: that
    means gone too."""
    def gone(_driver):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e) or "No node with given id" in str(e):
                return True
            raise
    return gone


def browser():
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shot(driver, name, whole_page=False):
    """Saves a screenshot of the window, or of the whole page's height when `whole_page`."""
    global step
    step += 1
    path = os.path.join(SHOTS, f"{step:02d}-{name}.png")
    if whole_page:
        size = driver.get_window_size()
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size["width"], max(size["height"], height + 120))
        driver.save_screenshot(path)
        driver.set_window_size(size["width"], size["height"])
    else:
        driver.save_screenshot(path)
    print(f"ok screenshot {path}")


def api_token(user):
    """An API token for `user` (POST /api/v1/auth/login); like ``log_in`` it waits out the login rate limit per client
    address that walks run one after another may reach (429 with Retry-After)."""
    body = json.dumps({"username": user, "password": PASSWORD}).encode()
    for _ in range(8):
        request = urllib.request.Request(BASE + "/api/v1/auth/login", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return json.loads(reply.read())["token"]
        except urllib.error.HTTPError as e:
            if e.code != 429:
                raise
            time.sleep(min(60, int(e.headers.get("Retry-After", "10"))))
    raise AssertionError(f"{user} could not log in: still rate-limited")


def log_in(user):
    """A browser signed in as `user`, on its home page."""
    return sign_in(browser(), user)


def sign_in(driver, user, next_path=None):
    """Signs `driver` in as `user` and waits for the page the login leads to (home, or `next_path`). The walks all log
    in from 127.0.0.1, so one after another they may reach the login rate limit per client address (20 a minute): then
    the page says 请求过于频繁, and the walk waits it out."""
    for _ in range(8):
        driver.get(BASE + "/login" + (f"?next={next_path}" if next_path else ""))
        driver.find_element(By.ID, "username").send_keys(user)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "button.primary").click()
        WebDriverWait(driver, 30).until(
            lambda d: "请求过于频繁" in d.page_source or ("/login" not in d.current_url and "退出登录" in d.page_source))
        if "请求过于频繁" not in driver.page_source:
            return driver
        time.sleep(10)
    raise AssertionError(f"{user} could not log in: still rate-limited")


def photo_png(path, width=160, height=120):
    """A real PNG (a blue sky over a grey road with a yellow lamp) so that the thumbnail has something to show."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if (x - 120) ** 2 + (y - 30) ** 2 < 90:
                row += bytes([250, 210, 40])
            elif y > 80:
                row += bytes([110, 110, 115])
            else:
                row += bytes([120, 170, 230])
        rows.append(bytes(row))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)
    return path


def actions(driver):
    """The names of the actions the order page offers now."""
    return [s.text.strip() for s in driver.find_elements(By.CSS_SELECTOR, "details > summary")]


def act(driver, number, action, fields=None, selects=None, files=None, choices=None, before_submit=None, navigate=True):
    """Opens the action's form on the order page (loading the page unless it is open already), fills it and submits
    it. `choices` are radio groups (name: value), answered by clicking the option's label; none may be chosen
    beforehand. `before_submit(form)` runs on the filled form, e.g. to take a screenshot."""
    if navigate:
        driver.get(f"{BASE}/orders/{number}")
    summary = next((s for s in driver.find_elements(By.CSS_SELECTOR, "details > summary") if s.text.strip() == action), None)
    assert summary is not None, f"the order page does not offer {action}, only {actions(driver)}"
    summary.click()
    form = summary.find_element(By.XPATH, "..").find_element(By.TAG_NAME, "form")
    WebDriverWait(driver, 30).until(lambda d: form.is_displayed())
    for name, value in (choices or {}).items():
        radios = form.find_elements(By.CSS_SELECTOR, f"input[type=radio][name='{name}']")
        assert radios, f"{action} has no choice {name}"
        assert not any(r.is_selected() for r in radios), f"{action}: {name} is chosen beforehand"
        radio = next(r for r in radios if r.get_attribute("value") == value)
        radio.find_element(By.XPATH, "./ancestor::label").click()
        assert radio.is_selected(), f"{action}: clicking the label did not choose {name}={value}"
    for name, value in (selects or {}).items():
        Select(form.find_element(By.NAME, name)).select_by_value(value)
    for name, value in (fields or {}).items():
        form.find_element(By.NAME, name).send_keys(value)
    for name, path in (files or {}).items():
        form.find_element(By.NAME, name).send_keys(path)
    if before_submit:
        before_submit(form)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # The address may still say done= from the action before: wait for the new page first.
    WebDriverWait(driver, 30).until(staleness_of(form))
    WebDriverWait(driver, 30).until(lambda d: "done=" in d.current_url or "role=\"alert\"" in d.page_source)
    assert "done=" in driver.current_url, f"{action} failed: {driver.find_element(By.CSS_SELECTOR, '.error').text}"


def yellow_is_chosen(form):
    """Only a yellow card is allowed before any: the form shows it as the choice already made."""
    assert form.find_element(By.CSS_SELECTOR, "input[name=colour][value=yellow]").is_selected(), "yellow is not shown as chosen"
    assert not form.find_elements(By.CSS_SELECTOR, "input[name=colour][value=red]"), "a red card is offered before a yellow one"


def expect_status(driver, text):
    facts = driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert text in facts, f"expected status {text}, page says: {facts[:80]}"


def rounds(driver):
    """The reply rounds the order page shows, latest first: (heading, text, review, sent back)."""
    return [(r.find_element(By.TAG_NAME, "h3").text, r.find_element(By.CSS_SELECTOR, "p.content").text,
             " ".join(e.text for e in r.find_elements(By.CSS_SELECTOR, "p.review")), "sent-back" in r.get_attribute("class").split())
            for r in driver.find_elements(By.CSS_SELECTOR, "article.round")]


def click_when_ready(driver, selector):
    """Clicks the element, finding it again if the page replaced it meanwhile."""
    def click(d):
        d.find_element(By.CSS_SELECTOR, selector).click()
        return True
    WebDriverWait(driver, 10, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException]).until(click)


def wait_for(driver, selector, timeout=30):
    """The element, once the page after a click or a submit has it (the navigation may still be under way)."""
    return WebDriverWait(driver, timeout, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException]).until(
        lambda d: d.find_element(By.CSS_SELECTOR, selector))


def api(method, path, token, body=None):
    """One JSON API call with a bearer token; the decoded answer."""
    request = urllib.request.Request(BASE + "/api/v1" + path, method=method)
    request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(request, data, timeout=60) as r:
        return json.loads(r.read())
