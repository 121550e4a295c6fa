"""The review queue has one name: the menu says what the page's heading says, in both languages."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(("language", "word"), [("nl", "Controlelijst"), ("en", "Review queue")])
def test_the_menu_names_the_review_queue_as_its_heading_does(no_csrf, login, language, word):
    clerk = login("clerk")
    clerk.post("/language", data={"lang": language})
    page = clerk.get("/review").get_data(as_text=True)
    menu = re.search(r'<a href="/review">([^<]*)</a>', page).group(1)
    heading = re.search(r"<h1>([^<]*?)\s*<small>", page).group(1)
    assert menu == heading == word
