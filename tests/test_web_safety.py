"""Values from articles are escaped on every page (a hostile test article in a copy of the store)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

HOSTILE_TITLE = "<script>alert('title')</script> Partner Track renewed"


@pytest.fixture(scope="module")
def client(synced_db: str, tmp_path_factory: pytest.TempPathFactory, copy_store: Any) -> Any:
    from fastapi.testclient import TestClient

    from renewcast.news.article import Article
    from renewcast.news.ingest import add_articles, extract_documents
    from renewcast.store.db import connect
    from renewcast.web.app import create_app

    url = copy_store(synced_db, tmp_path_factory.mktemp("safety") / "store.db")
    text = (
        f"{HOSTILE_TITLE}\n\n"
        "This is a hostile test article written for renewcast's escaping tests. "
        "Netflix has renewed Partner Track for a second season <img src=x onerror=alert(1)>. "
        'Showrunner Georgia Lee said: "Season two <script>alert(2)</script> will show Murphy '
        'as a whole human being."'
    )
    article = Article(
        id="renewcast-hostile-test",
        text=text,
        url=None,
        published=datetime(2022, 9, 15, 12, tzinfo=UTC),
        title=HOSTILE_TITLE,
    )
    engine = connect(url)
    report = add_articles(engine, [article], uri="<hostile test article>")
    extract_documents(engine, doc_ids=report.added)
    with TestClient(create_app(url)) as c:
        yield c


def test_hostile_article_values_are_escaped(client: Any) -> None:
    sid = client.get("/api/search", params={"q": "Partner Track"}).json()["matches"][0]["series_id"]
    ask = client.get("/api/ask", params={"series_id": sid, "as_of": "2022-09-20"}).json()
    texts = " ".join(str(e.get("claim")) + str(e.get("source")) for e in ask["status_evidence"])
    assert "<script>" in texts or "<img" in texts  # the hostile text reached the answer
    html = client.get(f"/series/{sid}", params={"as_of": "2022-09-20"}).text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html or "&lt;img" in html
    for path in ("/decisions", "/feeds/changes.atom"):
        body = client.get(path, params={"as_of": "2022-09-20"}).text
        assert "<script>alert" not in body and "<img src=x" not in body
