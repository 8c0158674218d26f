"""A real browser on the web side: headless Chromium (Debian's `chromium` and
`chromium-driver`) driven by Selenium fills the subscription form, follows the link of the
confirmation mail that aiosmtpd received, confirms, and unsubscribes from the newsletter's own
link. Screenshots of each page, at a phone's width, are kept in out/browser/ to look at."""

from __future__ import annotations

import csv
import email
import re
import shutil
import urllib.parse
from email import policy
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import REPO
from web_server import WebServer

SHOTS = REPO / "out" / "browser"
NEW = "selain.kayttaja@example.fi"


@pytest.fixture
def browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail("chromium and chromium-driver are missing: run `make deps` (Debian packages)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=412,1400", "--lang=fi"]:
        options.add_argument(argument)
    session = webdriver.Chrome(service=Service(driver), options=options)
    session.set_page_load_timeout(60)
    yield session
    session.quit()


def submit_and_see(browser, heading: str) -> None:
    """Submits the page's form and waits until the page that replaces it shows `heading` (a
    click returns before the navigation it starts has finished; while the old document goes
    away Chromium may answer a look-up with an error, which only means "not yet")."""
    browser.find_element(By.CSS_SELECTOR, "form button[type='submit']").click()

    def shown(driver) -> bool:
        return driver.find_element(By.TAG_NAME, "h1").text == heading

    try:
        WebDriverWait(browser, 60, ignored_exceptions=(WebDriverException,)).until(shown)
    except TimeoutException:
        pytest.fail(f"expected a page headed {heading!r}, the browser shows: {browser.page_source[:2000]}")


def shot(browser, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def test_subscribe_confirm_and_unsubscribe_in_a_browser(workspace, smtp_server, browser):
    relay = smtp_server()
    workspace.write_list("members", [{"email": "aino.makela@example.fi", "name": "Aino Mäkelä"}])
    workspace.set_smtp(relay.url)
    server = WebServer(workspace).start()
    try:
        browser.get(server.url + "/tilaa")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fi"
        # Every field has a label the browser associates with it.
        for field in ["email", "name", "municipality", "consent"]:
            element = browser.find_element(By.ID, field)
            assert browser.find_elements(By.CSS_SELECTOR, f"label[for='{field}']"), field
            assert element.is_displayed()
        browser.find_element(By.ID, "email").send_keys(NEW)
        browser.find_element(By.ID, "name").send_keys("Selain Käyttäjä")
        Select(browser.find_element(By.ID, "municipality")).select_by_visible_text("Äänekoski")
        browser.find_element(By.CSS_SELECTOR, "input[name='interests'][value='Musiikki']").click()
        # Keyboard only: focus the consent box and tick it with the space bar.
        browser.find_element(By.ID, "consent").send_keys(Keys.SPACE)
        shot(browser, "1-tilaa-lomake")
        submit_and_see(browser, "Tarkista sähköpostisi")
        shot(browser, "2-tilaa-lahetetty")

        assert relay.wait_for(1)
        message = email.message_from_bytes(relay.messages()[0][1], policy=policy.default)
        link = re.search(r"http://\S+/vahvista\?t=\S+", message.get_body(("plain",)).get_content()).group(0)
        browser.get(link)
        assert browser.find_element(By.TAG_NAME, "h1").text == "Vahvista tilaus"
        shot(browser, "3-vahvista")
        submit_and_see(browser, "Tilaus vahvistettu")
        shot(browser, "4-vahvistettu")
        with open(workspace.root / "Lists" / "members.csv", encoding="utf-8") as f:
            row = next(r for r in csv.DictReader(f) if r["email"] == NEW)
        assert (row["name"], row["municipality"], row["interests"], row["consent_source"]) == \
            ("Selain Käyttäjä", "Äänekoski", "musiikki", "web")

        sent = workspace.run("send", "2026-12", "--list", "members")
        assert sent.returncode == 0, sent.stderr
        newsletter = next(email.message_from_bytes(raw, policy=policy.default)
                          for entry, raw in relay.messages() if entry["rcpt_tos"] == [NEW]
                          and "Vahvista" not in email.message_from_bytes(raw, policy=policy.default)["Subject"])
        url = re.search(r"<(https://[^>]+/peru\?t=[^>]+)>", newsletter["List-Unsubscribe"]).group(1)
        browser.get(server.url + "/peru?" + urllib.parse.urlsplit(url).query)
        assert browser.find_element(By.TAG_NAME, "h1").text == "Peru uutiskirjeen tilaus"
        shot(browser, "5-peru")
        submit_and_see(browser, "Tilaus peruttu")
        shot(browser, "6-peruttu")
        assert NEW in (workspace.root / "Lists" / "suppressed.csv").read_text(encoding="utf-8")

        browser.get(server.url + "/")
        shot(browser, "7-arkisto")
        browser.get(server.url + "/events/index.html")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Tulevat tapahtumat"
        shot(browser, "8-tapahtumat")
    finally:
        server.stop()
