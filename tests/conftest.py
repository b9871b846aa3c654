"""Fixtures for the documentation-site tests: the built site, a local HTTP server, headless Chromium.

The site is the one `python tools/docs.py` builds into `_site/`; it is built here only when missing.
Chromium is Debian's (`apt-get install -y chromium`), driven by Playwright's Python package through
`executable_path`: nothing downloads a browser. Screenshots go to `artifacts/docs-screenshots/` (git-ignored),
or to $QDETLIT_SCREENSHOTS.
"""
import functools, http.server, os, shutil, sys, threading
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'tools'))
import docs  # tools/docs.py

CHROMIUM_FLAGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']

@pytest.fixture(scope='session')
def site():
    if not (docs.SITE/'index.html').exists(): docs.build()
    return docs.SITE

@pytest.fixture(scope='session')
def shots():
    d = Path(os.environ.get('QDETLIT_SCREENSHOTS', ROOT/'artifacts'/'docs-screenshots'))
    d.mkdir(parents=True, exist_ok=True)
    return d

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass

@pytest.fixture(scope='session')
def base_url(site):
    "The site served over HTTP on the loopback interface (search needs http, not file://)."
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(site)))
    t = threading.Thread(target=srv.serve_forever, daemon=True); t.start()
    yield f'http://127.0.0.1:{srv.server_address[1]}/'
    srv.shutdown(); srv.server_close()

def chromium_path():
    for p in (os.environ.get('CHROMIUM'), shutil.which('chromium'), shutil.which('chromium-browser')):
        if p and Path(p).exists(): return p

@pytest.fixture(scope='session')
def browser():
    exe = chromium_path()
    if not exe: pytest.fail("no Chromium found: `apt-get update && apt-get install -y chromium` (or set $CHROMIUM)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_FLAGS)  # fresh profile each launch
        yield b
        b.close()

class Page:
    "A browser tab that records console errors, uncaught exceptions and failed requests."
    def __init__(self, page, base_url):
        self.pw, self.base, self.errors = page, base_url, []
        page.on('console', lambda m: m.type == 'error' and self.errors.append(f'console: {m.text} ({m.location.get("url")})'))
        page.on('pageerror', lambda e: self.errors.append(f'page error: {e}'))
        page.on('requestfailed', lambda r: self.errors.append(f'request failed: {r.url} ({r.failure})'))
        page.on('response', lambda r: r.status >= 400 and self.errors.append(f'HTTP {r.status}: {r.url}'))
    def open(self, path):
        self.pw.goto(self.base + path)
        self.settle()
    def settle(self):
        "Wait for the network, the images and MathJax to finish."
        self.pw.wait_for_load_state('networkidle')
        self.pw.wait_for_function("[...document.images].every(i => i.complete)")
        self.pw.wait_for_function("!window.MathJax || !MathJax.Hub || MathJax.Hub.queue.pending === 0")
    def images(self):
        "(src, natural width) of every image of the page's article."
        return self.pw.eval_on_selector_all('article img', 'els => els.map(i => [i.getAttribute("src"), i.naturalWidth])')

@pytest.fixture
def page(browser, base_url):
    ctx = browser.new_context(viewport={'width': 1366, 'height': 900})
    pg = Page(ctx.new_page(), base_url)
    yield pg
    ctx.close()
