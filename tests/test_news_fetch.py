"""Safe fetching: address checks on every hop, size caps, hostile HTML, encodings, feeds."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import respx

from renewcast.news import fetch
from renewcast.news.fetch import (
    FetchedPage,
    FetchError,
    canonical_url,
    content_hash,
    fetch_url,
    page_to_article,
    read_feed,
    read_feed_result,
)
from renewcast.sources.base import SourceError

PUBLIC_IP = "93.184.215.14"
HOSTS = {
    "news.example.com": [PUBLIC_IP],
    "evil.example.com": ["127.0.0.1"],
    "mixed.example.com": [PUBLIC_IP, "10.1.2.3"],
    "v6local.example.com": ["::1"],
    "mapped.example.com": ["::ffff:192.168.0.7"],
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve names from HOSTS (IP literals resolve to themselves), never the real DNS."""

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:
        if host in HOSTS:
            addrs = HOSTS[host]
        else:
            try:
                import ipaddress

                addrs = [str(ipaddress.ip_address(host.strip("[]")))]
            except ValueError as e:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from e
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addrs
        ]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def news_dir(fixtures: Path) -> Path:
    return fixtures / "news"


# ---------------------------------------------------------------- URL keys


def test_canonical_url_drops_tracking_fragment_and_trailing_slash() -> None:
    url = (
        "HTTPS://News.Example.COM:443/tv/show-renewed/?utm_source=tw&id=7&fbclid=x&gclid=y#comments"
    )
    assert canonical_url(url) == "https://news.example.com/tv/show-renewed?id=7"
    assert canonical_url("http://news.example.com") == "http://news.example.com/"
    assert canonical_url("http://news.example.com:8080/a//b/") == "http://news.example.com:8080/a/b"
    assert canonical_url("https://a.example.com/x?utm_medium=1") == canonical_url(
        "https://A.example.com/x/"
    )


def test_content_hash_ignores_case_and_whitespace() -> None:
    assert content_hash("Season  Two\nis CONFIRMED") == content_hash("season two is confirmed")
    assert content_hash("season two") != content_hash("season three")


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://evil.example.com/page", "loopback"),
        ("http://127.0.0.1/", "loopback"),
        ("http://10.0.0.1/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://mixed.example.com/", "private"),
        ("http://v6local.example.com/", "loopback"),
        ("http://mapped.example.com/", "private"),
        ("ftp://news.example.com/file", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("https://user:pw@news.example.com/", "credentials"),
        ("https://nowhere.invalid/", "cannot resolve"),
    ],
)
def test_refuses_non_public_and_odd_urls(url: str, why: str) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(url__regex=r".*").respond(200, text="should never be fetched")
        with pytest.raises(FetchError) as err:
            fetch_url(url, client=httpx.Client())
        assert why in str(err.value)
        assert url.split("#")[0] in str(err.value)
        assert not route.called
    assert isinstance(err.value, SourceError)


def test_allow_private_lets_a_local_test_server_through() -> None:
    with respx.mock() as mock:
        mock.get("http://127.0.0.1:8000/feed").respond(200, text="ok")
        page = fetch_url("http://127.0.0.1:8000/feed", client=httpx.Client(), allow_private=True)
    assert page.body == b"ok"


def test_redirect_to_private_address_is_refused() -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.get("https://news.example.com/story").respond(
            302, headers={"Location": "http://10.0.0.1/internal"}
        )
        internal = mock.get("http://10.0.0.1/internal").respond(200, text="secret")
        with pytest.raises(FetchError, match=r"10\.0\.0\.1.*private"):
            fetch_url("https://news.example.com/story", client=httpx.Client())
        assert not internal.called


def test_redirects_are_followed_by_hand_and_checked(news_dir: Path) -> None:
    html = (news_dir / "article_scripts.html").read_bytes()
    with respx.mock() as mock:
        mock.get("http://news.example.com/s").respond(301, headers={"Location": "/story"})
        mock.get("http://news.example.com/story").respond(
            308, headers={"Location": "https://news.example.com/story"}
        )
        mock.get("https://news.example.com/story").respond(
            200, content=html, headers={"Content-Type": "text/html; charset=utf-8"}
        )
        page = fetch_url("http://news.example.com/s", client=httpx.Client())
    assert page.url == "http://news.example.com/s"
    assert page.final_url == "https://news.example.com/story"
    assert page.status == 200
    assert page.charset == "utf-8"
    assert page.body == html
    assert page.fetched_at <= datetime.now(UTC)


def test_too_many_redirects() -> None:
    with respx.mock(assert_all_called=False) as mock:
        for i in range(10):
            mock.get(f"https://news.example.com/r{i}").respond(
                302, headers={"Location": f"/r{i + 1}"}
            )
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetch_url("https://news.example.com/r0", client=httpx.Client())


def test_six_megabyte_body_is_refused_while_streaming() -> None:
    big = b"<p>" + b"x" * 6_000_000 + b"</p>"

    def stream() -> httpx.ByteStream:  # no Content-Length: only the streaming cap can stop it
        return httpx.ByteStream(big)

    with respx.mock() as mock:
        mock.get("https://news.example.com/huge").mock(
            return_value=httpx.Response(200, stream=stream())
        )
        with pytest.raises(FetchError, match="5,000,000-byte cap"):
            fetch_url("https://news.example.com/huge", client=httpx.Client())


def test_declared_oversize_body_is_refused_before_reading() -> None:
    with respx.mock() as mock:
        mock.get("https://news.example.com/huge").respond(
            200, content=b"x" * 2_000, headers={"Content-Length": "6000000"}
        )
        with pytest.raises(FetchError, match="6,000,000 bytes exceeds"):
            fetch_url("https://news.example.com/huge", client=httpx.Client(), max_bytes=1_000)


def test_http_error_and_timeout_name_the_url() -> None:
    with respx.mock() as mock:
        mock.get("https://news.example.com/gone").respond(404)
        mock.get("https://news.example.com/slow").mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(FetchError, match=r"https://news.example.com/gone: HTTP 404"):
            fetch_url("https://news.example.com/gone", client=httpx.Client())
        with pytest.raises(FetchError, match=r"https://news.example.com/slow: timed out after 2 s"):
            fetch_url("https://news.example.com/slow", client=httpx.Client(), timeout=2)


# ---------------------------------------------------------------- clean + extract


def test_html_with_scripts_gives_clean_text_and_metadata(news_dir: Path) -> None:
    html = (news_dir / "article_scripts.html").read_bytes()
    page = FetchedPage(
        url="https://news.example.com/story?utm_source=x",
        final_url="https://news.example.com/story",
        status=200,
        content_type="text/html; charset=utf-8",
        body=html,
        fetched_at=datetime(2024, 3, 15, tzinfo=UTC),
    )
    article = page_to_article(page, None)
    for payload in ("TRACKER-PAYLOAD", "SCRIPT-IN-BODY", "STYLE-PAYLOAD", "injected junk", "AAAA"):
        assert payload not in article.text
    assert "renewed the coastal mystery drama Harbor Lights for a third season" in article.text
    assert "creator Mara Okafor told Variety" in article.text
    assert article.title == "Harbor Lights renewed for season 3"
    assert article.publisher == "Screen Daily Wire"
    assert article.published_date is not None and article.published_date.isoformat() == "2024-03-14"
    assert article.url == "https://news.example.com/story"
    assert article.id.startswith("web:")


def test_non_utf8_html_decodes_with_declared_charset(news_dir: Path) -> None:
    raw = (news_dir / "latin1.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = page_to_article(raw, "https://news.example.com/fr/ombres")
    assert "Hélène Garçon, la créatrice" in article.text
    assert "\ufffd" not in article.text


def test_wrong_or_unknown_charset_falls_back_to_utf8_with_replacement() -> None:
    body = "<html><body><article><p>Caf\u00e9 society returns for a second season of gossip, "
    body += "scandal and far too many croissants in the heart of the old town.</p>"
    raw = body.encode("utf-8") + b"\xff\xfe broken bytes</p></article></body></html>"
    assert "Café society" in fetch.decode_html(raw, "no-such-charset")
    assert "\ufffd" in fetch.decode_html(raw, None)
    article = page_to_article(raw, None)
    assert "Café society returns" in article.text


def test_hostile_html_survives() -> None:
    nested = "<div>" * 50_000 + "deep" + "</div>" * 50_000
    huge_attr = '<img alt="' + "A" * 3_000_000 + '">'
    text = "<p>" + "The drama was cancelled after two seasons despite strong ratings. " * 5 + "</p>"
    html = f"<html><body>{huge_attr}{nested}<article>{text}</article><script>{'x' * 10}</script>"
    article = page_to_article(html.encode(), "https://news.example.com/hostile")
    assert "cancelled after two seasons" in article.text
    assert "AAAA" not in article.text


def test_page_without_text_raises_source_error_naming_url() -> None:
    with pytest.raises(SourceError, match=r"https://news\.example\.com/empty: no article text"):
        page_to_article(
            b"<html><body><script>1</script></body></html>", "https://news.example.com/empty"
        )


# ---------------------------------------------------------------- feeds


def test_rss_feed(news_dir: Path) -> None:
    data = (news_dir / "rss.xml").read_bytes()
    entries = read_feed(data, "https://tvwire.example.com/feed.xml")
    assert [e.title for e in entries] == [
        "Harbor Lights renewed for season 3",
        "Glass Orchard cancelled after one season",
    ]
    assert entries[0].url == "https://tvwire.example.com/harbor-lights-season-3?utm_source=rss"
    assert entries[0].published == datetime(2024, 3, 14, 9, 30, tzinfo=UTC)
    assert entries[1].published == datetime(2024, 3, 13, 23, 0, tzinfo=UTC)
    assert entries[0].summary == "The streamer has renewed Harbor Lights."
    result = read_feed_result(data, "https://tvwire.example.com/feed.xml")
    assert len(result.problems) == 1 and "no link" in result.problems[0].message
    assert entries[0].to_json()["published"] == "2024-03-14T09:30:00+00:00"


def test_atom_feed(news_dir: Path) -> None:
    entries = read_feed((news_dir / "atom.xml").read_bytes(), "atom.xml")
    assert len(entries) == 1
    e = entries[0]
    assert e.url == "https://seriesdesk.example.org/night-ferry-final-season"
    assert e.title == "Night Ferry ends with season 4"
    assert e.published == datetime(2024, 5, 1, 6, 15, tzinfo=UTC)
    assert e.summary == "The fourth season of Night Ferry will be its last."


def test_not_a_feed_raises_source_error() -> None:
    with pytest.raises(SourceError, match=r"junk\.xml: not a readable RSS/Atom feed"):
        read_feed(b"\x00\x01 definitely not xml", "junk.xml")
