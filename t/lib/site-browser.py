#!/usr/bin/env python3
"""Load a static site in headless Chromium and report what a reader would hit.

    site-browser.py SITE_DIR SHOTS_DIR

Starts /usr/bin/chromium (or $CHROMIUM) headless with a fresh profile and no
network, talks to it over the DevTools protocol on a pipe (standard library
only), and from SITE_DIR/index.html follows every link inside the site. For
each page, at a desktop width (1280) and a phone width (390), light and
dark, it reports:

  - console errors, uncaught exceptions, resources that failed to load;
  - links and resources (a, link, img) to site files that do not exist, or
    to an #anchor the target page lacks;
  - a missing lang, no or several h1, a heading level skipped, a missing
    header/nav/main/footer landmark, an image without alt, a link marked
    aria-current="page" that leads to another page;
  - text whose contrast with its background is under WCAG AA (4.5:1, or
    3:1 for large text);
  - a page wider than the phone's screen.

Screenshots go to SHOTS_DIR/<page>-desktop.png, -phone.png, -dark.png.
Every HTML file in SITE_DIR must be reachable from index.html. Prints one
line per problem and exits 1 if there is any.
"""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

CHECK_JS = r"""
(() => {
  const problems = [];
  const lang = document.documentElement.getAttribute('lang');
  if (!lang) problems.push('no lang on <html>');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(h1 + ' h1 elements (want 1)');
  let last = 0;
  for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
    const lvl = +h.tagName[1];
    if (last && lvl > last + 1) problems.push('heading ' + h.tagName + ' "' + h.textContent.trim() + '" after h' + last);
    last = lvl;
  }
  // aria-current="page" says "this link is the page you are on"
  for (const a of document.querySelectorAll('a[aria-current="page"]'))
    if (a.href.split('#')[0] !== location.href.split('#')[0])
      problems.push('aria-current="page" on a link to another page: ' + a.getAttribute('href'));
  for (const sel of ['header', 'nav', 'main', 'footer'])
    if (!document.querySelector(sel)) problems.push('no <' + sel + '> landmark');
  if (document.querySelectorAll('main').length > 1) problems.push('several <main>');
  for (const img of document.querySelectorAll('img'))
    if (!img.hasAttribute('alt')) problems.push('img without alt: ' + img.src);
    else if (!img.complete || img.naturalWidth === 0) problems.push('image not shown: ' + img.src);

  const rgb = s => { const m = s.match(/[\d.]+/g) || []; return m.map(Number); };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const bgOf = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3).length === 3
      ? rgb(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3) : [255, 255, 255];
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let checked = 0;
  while (walker.nextNode()) {
    const t = walker.currentNode;
    if (!t.textContent.trim()) continue;
    const el = t.parentElement;
    if (seen.has(el)) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right < 0 || r.left > innerWidth * 4) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') continue;
    const fg = rgb(st.color).slice(0, 3), bg = bgOf(el);
    const a = lum(fg), b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(st.fontSize), bold = +st.fontWeight >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    checked++;
    if (ratio < need) problems.push('contrast ' + ratio.toFixed(2) + ' < ' + need + ' for "' + t.textContent.trim().slice(0, 40) + '" (' + st.color + ' on rgb(' + bg + '))');
  }
  if (!checked) problems.push('no visible text');
  // a phone widens its layout to fit wide content: compare with the screen
  if (document.documentElement.scrollWidth > SCREEN_WIDTH + 1)
    problems.push('page is ' + document.documentElement.scrollWidth + 'px wide in a ' + SCREEN_WIDTH + 'px window');
  const links = [];
  for (const e of document.querySelectorAll('a[href], link[href], img[src]'))
    links.push({tag: e.tagName.toLowerCase(), rel: e.getAttribute('rel') || '', url: e.href || e.src});
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return JSON.stringify({problems, links, ids});
})()
"""


class Browser:
    def __init__(self, profile):
        exe = os.environ.get('CHROMIUM') or shutil.which('chromium') or '/usr/bin/chromium'
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # the child's ends above 9, out of the way of fds 3 and 4
        high = []
        for fd in (to_child_r, from_child_w):
            high.append(fcntl.fcntl(fd, fcntl.F_DUPFD, 10))
            os.close(fd)
        to_child_r, from_child_w = high

        args = [exe, '--headless', '--no-sandbox', '--disable-gpu',
                '--disable-background-networking', '--disable-component-update',
                '--disable-sync', '--no-first-run', '--no-default-browser-check',
                '--disable-extensions', '--hide-scrollbars', '--mute-audio',
                '--host-resolver-rules=MAP * ~NOTFOUND', '--user-data-dir=' + profile,
                '--remote-debugging-pipe', 'about:blank']
        def fds_3_4():
            # DevTools reads commands on fd 3 and writes answers on fd 4;
            # dup2 leaves them inheritable, os.pipe()'s own fds are not
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.log = open(os.path.join(profile, 'chromium.log'), 'wb')
        self.proc = subprocess.Popen(args, preexec_fn=fds_3_4, close_fds=False,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b''
        self.next_id = 0
        self.events = []
        self.session = None

    def _read(self, deadline):
        while b'\0' not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError('no answer from chromium')
            r, _, _ = select.select([self.from_child], [], [], left)
            if r:
                chunk = os.read(self.from_child, 1 << 20)
                if not chunk:
                    raise RuntimeError('chromium closed the DevTools pipe')
                self.buf += chunk
        msg, self.buf = self.buf.split(b'\0', 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        msg = {'id': self.next_id, 'method': method, 'params': params or {}}
        if session and self.session:
            msg['sessionId'] = self.session
        os.write(self.to_child, json.dumps(msg).encode() + b'\0')
        deadline = time.time() + timeout
        while True:
            m = self._read(deadline)
            if m.get('id') == self.next_id:
                if 'error' in m:
                    raise RuntimeError('%s: %s' % (method, m['error']))
                return m.get('result', {})
            if 'method' in m:
                self.events.append(m)

    def wait_event(self, method, timeout=30):
        deadline = time.time() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m['method'] == method:
                    del self.events[i]
                    return m
            m = self._read(deadline)
            if 'method' in m:
                self.events.append(m)

    def drain(self, quiet=0.3):
        # events that arrive just after load (a late resource failure)
        deadline = time.time() + quiet
        try:
            while True:
                m = self._read(deadline)
                if 'method' in m:
                    self.events.append(m)
        except TimeoutError:
            pass

    def close(self):
        try:
            self.send('Browser.close', session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def errors_from(events):
    out = []
    for m in events:
        p = m.get('params', {})
        if m['method'] == 'Runtime.exceptionThrown':
            out.append('exception: ' + p['exceptionDetails'].get('text', '?'))
        elif m['method'] == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'assert'):
            out.append('console.%s: %s' % (p['type'], ' '.join(str(a.get('value', a.get('description', ''))) for a in p.get('args', []))))
        elif m['method'] == 'Log.entryAdded' and p['entry'].get('level') == 'error':
            out.append('console: %s (%s)' % (p['entry'].get('text'), p['entry'].get('url', '')))
        elif m['method'] == 'Network.loadingFailed' and not p.get('canceled'):
            out.append('failed to load: %s' % p.get('errorText'))
    return out


def main():
    site, shots = (os.path.abspath(a) for a in sys.argv[1:3])
    os.makedirs(shots, exist_ok=True)
    profile = tempfile.mkdtemp(prefix='psm-chromium-')
    problems = []
    b = Browser(profile)
    try:
        target = b.send('Target.createTarget', {'url': 'about:blank'}, session=False)['targetId']
        b.session = b.send('Target.attachToTarget', {'targetId': target, 'flatten': True},
                           session=False)['sessionId']
        for d in ('Page', 'Runtime', 'Log', 'Network'):
            b.send(d + '.enable')
        todo, seen, ids, anchors = ['index.html'], set(), {}, []
        modes = [('desktop', 1280, 800, False, 'light'), ('phone', 390, 844, True, 'light'),
                 ('dark', 1280, 800, False, 'dark')]
        for name, width, height, mobile, scheme in modes:
            b.send('Emulation.setDeviceMetricsOverride',
                   {'width': width, 'height': height, 'deviceScaleFactor': 1, 'mobile': mobile})
            b.send('Emulation.setEmulatedMedia',
                   {'features': [{'name': 'prefers-color-scheme', 'value': scheme}]})
            queue = list(todo) if name == 'desktop' else sorted(seen)
            visited = set()
            while queue:
                page = queue.pop(0)
                if page in visited:
                    continue
                visited.add(page)
                url = 'file://' + urllib.parse.quote(os.path.join(site, page))
                b.events.clear()
                b.send('Page.navigate', {'url': url})
                b.wait_event('Page.loadEventFired')
                b.drain()
                for e in errors_from(b.events):
                    problems.append('%s (%s): %s' % (page, name, e))
                js = CHECK_JS.replace('SCREEN_WIDTH', str(width))
                res = json.loads(b.send('Runtime.evaluate', {'expression': js,
                                                             'returnByValue': True})['result']['value'])
                for p in res['problems']:
                    problems.append('%s (%s): %s' % (page, name, p))
                ids[page] = set(res['ids'])
                for link in res['links']:
                    u = urllib.parse.urlparse(link['url'])
                    if u.scheme != 'file':
                        continue
                    path = urllib.parse.unquote(u.path)
                    rel = os.path.relpath(path, site)
                    if rel.startswith('..') or not os.path.isfile(path):
                        problems.append('%s: broken link to %s' % (page, link['url']))
                        continue
                    if u.fragment:
                        anchors.append((page, rel, u.fragment))
                    if rel.endswith('.html') and name == 'desktop' and rel not in visited:
                        queue.append(rel)
                metrics = b.send('Page.getLayoutMetrics')
                size = metrics.get('cssContentSize') or metrics['contentSize']
                shot = b.send('Page.captureScreenshot', {
                    'format': 'png', 'captureBeyondViewport': True,
                    'clip': {'x': 0, 'y': 0, 'width': width,
                             'height': min(max(size['height'], height), 4000), 'scale': 1}})
                fname = page.replace('/', '-')[:-len('.html')] + '-' + name + '.png'
                with open(os.path.join(shots, fname), 'wb') as f:
                    f.write(base64.b64decode(shot['data']))
                print('loaded %s (%s)' % (page, name))
            if name == 'desktop':
                seen = visited
        for page, rel, frag in anchors:
            if rel in ids and frag not in ids[rel]:
                problems.append('%s: link to %s#%s, which has no such id' % (page, rel, frag))
        for root, _, files in os.walk(site):
            for f in files:
                rel = os.path.relpath(os.path.join(root, f), site)
                if f.endswith('.html') and rel not in seen:
                    problems.append('%s: no link leads to it from index.html' % rel)
    finally:
        b.close()
        if os.environ.get("SITE_BROWSER_KEEP"):
            print("profile kept in " + profile)
        else:
            shutil.rmtree(profile, ignore_errors=True)
    for p in problems:
        print('problem: ' + p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
