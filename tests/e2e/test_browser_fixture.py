"""A person's path through the UI on the invented fixture stories, in headless Chromium."""

from __future__ import annotations

import pytest
from api.storyfixture import HOSTILE_TAIL, build
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from storywire.store import Store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory, live_server):
    path = tmp_path_factory.mktemp("e2e") / "fixture.db"
    with Store.open(path) as store:
        build(store)
    with live_server(path) as url:
        yield url


def no_alert(browser) -> bool:
    try:
        browser.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def search(browser, words: str, tries: int = 3) -> None:
    """Type into the search box and press Enter. Chrome once answered "node does not belong
    to the document" for a box found a moment before: find it afresh and try again."""
    for attempt in range(tries):
        try:
            browser.find_element(By.ID, "search-box").send_keys(words, Keys.ENTER)
            return
        except WebDriverException:
            if attempt == tries - 1:
                raise


def test_story_list_story_diff_search_and_actor(site, browser, screenshot, follow):
    browser.get(site + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.stories tbody tr")
    # Newest story first; each row lists its languages and outlets.
    assert rows[0].find_element(By.CSS_SELECTOR, "a.story-link").text == "Storm hits Kelport harbour"
    assert {t.text for t in rows[0].find_elements(By.CSS_SELECTOR, ".tag.lang")} == {"EN", "FR"}
    assert "Daily Echo" in rows[0].text
    screenshot("story-list")

    follow(rows[0].find_element(By.CSS_SELECTOR, "a.story-link").click)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Storm hits Kelport harbour"
    pair = browser.find_element(By.CSS_SELECTOR, "#versions .pair")
    source_marks = [m.text for m in pair.find_elements(By.CSS_SELECTOR, ".text.source mark.edit.replace")]
    copy_marks = [m.text for m in pair.find_elements(By.CSS_SELECTOR, ".text.copy mark.edit.replace")]
    assert source_marks[0] == "storm" and copy_marks[0] == "flood"
    assert "Critics blamed the port authority." in [m.text.strip() for m in pair.find_elements(By.CSS_SELECTOR, "mark.edit.insert")]
    words = browser.find_element(By.CSS_SELECTOR, "table.words").text
    assert "flood / storm" in words and "Ilse Brant" in words
    assert "outlets disagree" in browser.find_element(By.CSS_SELECTOR, "table.figures").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.timeline circle.dot")) == 4
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.graph line.edge")) == 2
    assert no_alert(browser)
    screenshot("story-page")

    follow(lambda: search(browser, "rebuild"))
    results = browser.find_elements(By.CSS_SELECTOR, "ol.results a.article-link")
    assert {r.text for r in results} >= {"Storm hits Kelport harbour", "Flood hits Kelport harbour"}
    assert browser.find_elements(By.CSS_SELECTOR, "ol.results mark")
    screenshot("search")

    browser.get(site + "/stories/s-harbour")
    follow(browser.find_element(By.CSS_SELECTOR, "#actors a.actor-link").click)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ilse Brandt"
    variants = [v.text for v in browser.find_elements(By.CSS_SELECTOR, "table.variants td.variant")]
    assert sorted(variants) == ["Ilse Brandt", "Ilse Brant"]
    screenshot("actor")


def test_hostile_article_is_shown_as_text(site, browser, screenshot):
    browser.get(site + "/articles/h1")
    assert no_alert(browser)
    assert HOSTILE_TAIL.strip() in browser.find_element(By.CSS_SELECTOR, "article.clean-text").text
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("<img src=x onerror=alert(1)>")
    hrefs = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    assert browser.find_element(By.CSS_SELECTOR, ".unsafe-url").text.startswith("javascript:")
    # No element was injected by the article's markup.
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 1
    screenshot("hostile-article")
    browser.get(site + "/stories/s-harbour")
    assert no_alert(browser)
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
