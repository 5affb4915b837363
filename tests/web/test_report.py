"""The PDF report: content, caching, failures, and that user text can never fetch anything."""

from __future__ import annotations

import io
import threading
import time
from datetime import date

import pytest
from pypdf import PdfReader

import assessments
from app.reports import pdf
from app.reports.fetcher import BlockedURL, SafeFetcher
from tests import personas
from tests.web.helpers import complete, post_section, start

pytestmark = pytest.mark.db

#: Every test here but those that say otherwise has a queue worker rendering for its app.
needs_worker = pytest.mark.usefixtures("pdf_worker")

ATTACK_NAME = "<link rel=attachment href=file:///etc/passwd>"
ATTACK_TEXT = "<img src=http://127.0.0.1:9/x> <style>@import url(file:///etc/passwd);</style>"


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def finished(client):
    token = start(client, organisation="Harbour Retail")
    complete(client, token, personas.answers("p3_retailer"))
    return token


@needs_worker
def test_report_pdf_has_the_stage_hire_reasons_and_appendix(client, finished) -> None:
    response = client.get(f"/assessments/{finished}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="groundwork-harbour-retail-{date.today().isoformat()}.pdf"')
    text = squash(text_of(response.data))
    assert "Hire a data scientist" in text
    assert "The pyramid is in place up to Label (stage 5 of 7)" in text
    assert "Learn is the next level to build" in text
    assert "Appendix: every answer" in text
    assert "Several years" in text  # collect_history's answer, in the appendix
    assert "Harbour Retail" in text
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 6
    fonts = {str(f) for page in reader.pages for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values()}
    assert fonts  # fonts are embedded as PDF font resources


@needs_worker
def test_second_download_is_cached_and_an_edit_invalidates_it(client, finished) -> None:
    first = client.get(f"/assessments/{finished}/report.pdf")
    second = client.get(f"/assessments/{finished}/report.pdf")
    assert (first.headers["X-Report-Cache"], second.headers["X-Report-Cache"]) == ("miss", "hit")
    assert first.data == second.data
    post_section(client, finished, "learn", {"learn_models": "several", "learn_validation": "held_out_baseline",
                                             "learn_runs": "pipeline", "learn_repeatable": "yes",
                                                 "learn_baseline": "tracked"})
    third = client.get(f"/assessments/{finished}/report.pdf")
    assert third.headers["X-Report-Cache"] == "miss"
    assert "Hire a machine learning engineer" in squash(text_of(third.data))


@needs_worker
def test_user_text_cannot_fetch_or_attach_anything(client) -> None:
    token = start(client, organisation=ATTACK_NAME)
    complete(client, token, personas.answers("p1_online_shop") | {"main_question": ATTACK_TEXT})
    response = client.get(f"/assessments/{token}/report.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.attachments == {}
    text = squash(text_of(response.data))
    assert "file:///etc/passwd" in text  # shown as text, not used as a link
    assert response.headers["Content-Disposition"].startswith('attachment; filename="groundwork-link-rel-attachment')


def test_the_report_html_asks_only_for_its_own_stylesheet() -> None:
    outcome = assessments.evaluate(assessments.current(), personas.answers("p1_online_shop")
                                   | {"main_question": ATTACK_TEXT})
    fetcher = SafeFetcher()
    data = pdf.render_pdf(pdf.report_html(outcome, organisation=ATTACK_NAME, when=date(2026, 1, 5)), fetcher)
    assert fetcher.requested == ["groundwork-asset:report.css"]
    assert PdfReader(io.BytesIO(data)).attachments == {}


def test_even_raw_markup_reaching_the_renderer_fetches_nothing_outside() -> None:
    html = ('<html><head><link rel="attachment" href="file:///etc/passwd">'
            '<style>@import url(file:///etc/hostname); p { background: url(http://127.0.0.1:9/x) }</style></head>'
            '<body><p>hello</p><img src="http://127.0.0.1:9/y"><img src="data:image/gif;base64,'
            'R0lGODlhAQABAAAAACw=">'
            '<a rel="attachment" href="file:///etc/passwd">x</a></body></html>')
    fetcher = SafeFetcher()
    data = pdf.render_pdf(html, fetcher)
    assert PdfReader(io.BytesIO(data)).attachments == {}
    assert any(url.startswith("file:") for url in fetcher.requested)  # asked for, and refused


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1:9/x", "https://example.org/", "groundwork-asset:../../../etc/passwd",
    "groundwork-asset:/etc/passwd", "groundwork-asset:missing.css", "ftp://127.0.0.1/x"])
def test_fetcher_refuses_everything_but_data_and_own_assets(url: str) -> None:
    with pytest.raises(BlockedURL):
        SafeFetcher().fetch(url)


def test_fetcher_allows_data_urls_and_the_report_stylesheet() -> None:
    assert SafeFetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert b"@page" in SafeFetcher().fetch("groundwork-asset:report.css").read()


def test_a_failed_render_shows_an_error_and_keeps_the_answers(client, app, finished, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise OSError("the renderer fell over")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with app.app_context():
        from app.services.reports import queue

        jobs = queue()
    from app.reports import queue as pdf_queue

    pdf_queue.bind(app)
    client.get(f"/assessments/{finished}/report.pdf")  # queued; no worker yet, so "being prepared"
    jobs.huey.execute(jobs.huey.dequeue())  # the worker's turn: the render fails
    response = client.get(f"/assessments/{finished}/report.pdf")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "could not be prepared" in html and "Try again" in html and "answers are saved" in html
    monkeypatch.undo()
    assert client.get(f"/assessments/{finished}").status_code == 200
    client.get(f"/assessments/{finished}/report.pdf")  # the next request queues it again
    jobs.huey.execute(jobs.huey.dequeue())
    again = client.get(f"/assessments/{finished}/report.pdf")
    assert again.status_code == 200 and again.data.startswith(b"%PDF")


def test_report_of_an_unfinished_assessment_redirects(client) -> None:
    token = start(client)
    assert client.get(f"/assessments/{token}/report.pdf").status_code == 302


@needs_worker
def test_with_no_thread_free_to_wait_the_report_is_prepared_in_the_background(client, app, finished) -> None:
    app.config["PDF_WAITERS"] = 0
    url = f"/assessments/{finished}/report.pdf"
    first = client.get(url)
    assert first.status_code == 202
    assert first.headers["Refresh"].endswith(url) and first.headers["Retry-After"]
    assert "being prepared" in first.get_data(as_text=True)
    for _ in range(300):
        response = client.get(url)
        if response.status_code == 200:
            break
        assert response.status_code == 202
        time.sleep(0.1)
    assert response.status_code == 200 and response.headers["X-Report-Cache"] == "hit"
    assert response.data.startswith(b"%PDF")


def test_a_full_queue_answers_503_with_retry_after(client, app, finished) -> None:
    app.config["PDF_MAX_JOBS"] = 0
    response = client.get(f"/assessments/{finished}/report.pdf")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "Please try again" in response.get_data(as_text=True)


def test_a_render_left_in_the_queue_too_long_asks_to_try_again(client, app, finished, monkeypatch) -> None:
    from app.services import reports

    app.config.update(PDF_QUEUE_TIMEOUT=0, PDF_WAIT=0)
    monkeypatch.setattr(reports, "GRACE", 0)
    assert client.get(f"/assessments/{finished}/report.pdf").status_code == 202  # no worker takes it
    time.sleep(0.05)
    response = client.get(f"/assessments/{finished}/report.pdf")
    assert response.status_code == 503
    assert "Too many reports" in response.get_data(as_text=True)
    assert client.get(f"/assessments/{finished}/report.pdf").status_code == 202  # queued anew


@needs_worker
def test_renders_requested_from_many_threads_at_once_all_arrive(app, finished) -> None:
    app.config["PDF_WAIT"] = 120  # a loaded machine must not turn the waiting requests into "being prepared"
    results: list[tuple[int, bytes]] = []

    def fetch() -> None:
        with app.test_client() as own:
            response = own.get(f"/assessments/{finished}/report.pdf")
            results.append((response.status_code, response.data[:4]))

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 4
    # Two wait for the one render and get it; the others are told it is being prepared (unless a
    # waiting place came free again before they asked).
    codes = [code for code, _ in results]
    assert set(codes) <= {200, 202} and codes.count(200) >= 2
    assert all(head == b"%PDF" for code, head in results if code == 200)


@needs_worker
def test_a_web_thread_never_renders(client, finished, monkeypatch) -> None:
    """The request waits for the queue's worker; the render runs on the worker, not the request's thread."""
    rendered_on = []
    real = pdf.render_pdf

    def spy(html, fetcher=None):
        rendered_on.append(threading.current_thread().name)
        return real(html, fetcher)

    monkeypatch.setattr(pdf, "render_pdf", spy)
    response = client.get(f"/assessments/{finished}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert rendered_on == ["pdf-worker"] and threading.current_thread().name != "pdf-worker"


def test_stored_pdfs_keep_the_most_recently_used_within_their_size(app) -> None:
    from datetime import timedelta

    from app.extensions import db
    from app.models import RenderedPdf, utcnow
    from app.services.reports import evict

    with app.app_context():
        now = utcnow()
        for age, key in enumerate(("d4", "c3", "b2", "a1")):
            db.session.add(RenderedPdf(key=key, data=b"x" * 1000, size=1000, last_used=now - timedelta(minutes=age)))
        db.session.add(RenderedPdf(key="e5", requested_at=now - timedelta(hours=2), last_used=now))  # abandoned
        db.session.commit()
        evict(2500)
        assert set(db.session.execute(db.select(RenderedPdf.key)).scalars()) == {"d4", "c3"}


def test_the_cache_key_is_the_rendered_html() -> None:
    html = "<p>same</p>"
    assert pdf.cache_key(html) == pdf.cache_key(html)
    assert pdf.cache_key(html) != pdf.cache_key("<p>other</p>")


def test_filename_comes_from_the_organisation_and_date_only() -> None:
    assert pdf.filename("Ünïcode & Co / ../etc", date(2026, 11, 23)) == "groundwork-unicode-co-etc-2026-11-23.pdf"
    assert pdf.filename("", date(2026, 1, 2)) == "groundwork-organisation-2026-01-02.pdf"


@needs_worker
def test_report_says_what_changed_since_the_previous_assessment(client, app) -> None:
    from tests.web.helpers import create_org, make_assessment, sign_up

    sign_up(client, "pdf@example.org")
    org = create_org(client, "Progressing")
    make_assessment(app, org, personas.answers("p1_online_shop"), label="Q1")
    _, token = make_assessment(app, org, personas.answers("p2_media_company"), label="Q2")
    text = squash(text_of(client.get(f"/assessments/{token}/report.pdf").data))
    assert "What changed since the last assessment" in text
    assert "Compared with Q1" in text
    assert "0 → 3. Up from stage 0 to 3: Collect, Store and Move are now in place." in text
    assert "Data engineer → Data analyst" in text


@needs_worker
def test_renaming_the_previous_assessment_renames_it_in_the_next_download(client, app) -> None:
    from tests.web.helpers import create_org, form_token, make_assessment, sign_up

    sign_up(client, "relabel@example.org")
    org = create_org(client, "Relabelled")
    _, first = make_assessment(app, org, personas.answers("p1_online_shop"), label="Q1 draft")
    _, token = make_assessment(app, org, personas.answers("p2_media_company"), label="Q2")
    assert "Compared with Q1 draft" in squash(text_of(client.get(f"/assessments/{token}/report.pdf").data))
    client.post(f"/assessments/{first}/label", data={
        "csrf_token": form_token(client, f"/assessments/{first}"), "label": "Q1 baseline"})
    again = client.get(f"/assessments/{token}/report.pdf")
    assert again.headers["X-Report-Cache"] == "miss"
    text = squash(text_of(again.data))
    assert "Compared with Q1 baseline" in text and "Q1 draft" not in text


@needs_worker
def test_a_share_link_pdf_shows_the_shared_assessment_alone(client, app) -> None:
    from tests.web.helpers import create_org, form_token, make_assessment, sign_up

    sign_up(client, "share-pdf@example.org")
    org = create_org(client, "Sharing Ltd")
    make_assessment(app, org, personas.answers("p1_online_shop") | {"main_question": "Secret earlier question"},
                    label="Private Q1")
    _, token = make_assessment(app, org, personas.answers("p2_media_company"), label="Q2")
    client.post(f"/assessments/{token}/shares", data={"csrf_token": form_token(client, f"/assessments/{token}")})
    page = client.get(f"/assessments/{token}").get_data(as_text=True)
    assert "shows this assessment alone" in page
    share = page.split("/shared/")[1].split("<")[0]
    anonymous = app.test_client()
    text = squash(text_of(anonymous.get(f"/shared/{share}/report.pdf").data))
    assert "Hire a data analyst" in text
    assert "Private Q1" not in text and "What changed since" not in text and "Secret earlier" not in text
    # The organisation's own download still compares with the previous assessment.
    assert "Compared with Private Q1" in squash(text_of(client.get(f"/assessments/{token}/report.pdf").data))


@needs_worker
def test_two_organisations_with_the_same_content_get_their_own_history(app) -> None:
    from tests.web.helpers import create_org, make_assessment, sign_up

    texts = []
    for who, previous in (("one@example.org", "Alpha history"), ("two@example.org", "Beta history")):
        client = app.test_client()
        sign_up(client, who)
        org = create_org(client, "Same Name Ltd")
        make_assessment(app, org, personas.answers("p1_online_shop"), label=previous)
        _, token = make_assessment(app, org, personas.answers("p2_media_company"), label="Now")
        texts.append(squash(text_of(client.get(f"/assessments/{token}/report.pdf").data)))
    assert "Alpha history" in texts[0] and "Beta history" not in texts[0]
    assert "Beta history" in texts[1] and "Alpha history" not in texts[1]


@needs_worker
def test_unusual_text_still_renders(client) -> None:
    name = "Ω" + "x" * 199
    token = start(client, organisation=name)
    text = "שלום عالم 📈 " + "y" * 480 + " \x00 end"
    complete(client, token, personas.answers("p6_mixed_unsure") | {"main_question": text})
    response = client.get(f"/assessments/{token}/report.pdf")
    assert response.status_code == 200
    # pdftotext, not pypdf: pypdf misreads a subset font with a custom encoding
    # (WeasyPrint uses one when a page mixes many scripts); poppler reads it right.
    import subprocess

    content = squash(subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,
                                    check=True).stdout.decode())
    assert "Hire a data engineer first" in content and "yyyy" in content and "Ωxxx" in content


@needs_worker
def test_new_pdfs_and_new_assessments_are_limited_per_address(client, app, finished) -> None:
    app.config.update(PDF_RATE_LIMIT="2 per minute", START_RATE_LIMIT="3 per minute")
    assert client.get(f"/assessments/{finished}/report.pdf").status_code == 200  # rendered: counted
    for _ in range(3):
        assert client.get(f"/assessments/{finished}/report.pdf").status_code == 200  # cached: not counted
    others = [start(client, organisation=name) for name in ("Second", "Third")]
    for token in others:
        complete(client, token, personas.answers("p1_online_shop"))
    assert client.get(f"/assessments/{others[0]}/report.pdf").status_code == 200  # the second render
    refused = client.get(f"/assessments/{others[1]}/report.pdf")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    start(client, organisation="Fourth")  # the third under this limit (the fixture counted under the default)
    with pytest.raises(AssertionError):
        start(client, organisation="Fifth")
