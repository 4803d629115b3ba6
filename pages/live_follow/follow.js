// The live pitching session on a judge's page: a banner (the work on stage, its stage, the time left, counted down
// here), the "follow" switch, the organisers' reminders — and, while following, the move to each work presented.
// One long poll per browser tab (GET /api/judge/live) is answered the moment the organiser moves on; no timer asks
// the server anything. Before switching work, the score sheet's queued saves are sent (window.__ldawardSheet.flush),
// so the work left behind keeps every change; the next work is then fetched (GET /api/judge/work) and drawn by the
// work and sheet components before the page's run catches up.
const FEEDS = (window.__ldawardLiveFeeds = window.__ldawardLiveFeeds || new Map());  // edition -> feed
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const CATCH_UP_MS = 1000;  // the page's run catches up 1-2 s after the work is drawn
// The page sends its data as UTF-8 JSON bytes (pages/_ui.py component_data).
const decoded = (data) =>
  ArrayBuffer.isView(data) || data instanceof ArrayBuffer ? JSON.parse(new TextDecoder().decode(data)) : data;

function feedFor(edition) {
  if (FEEDS.has(edition)) return FEEDS.get(edition);
  const feed = {edition, v: null, r: null, live: null, at: 0, reminders: [], listeners: new Set(), offline: false};
  FEEDS.set(edition, feed);
  (async () => {
    let backoff = 500;
    for (;;) {
      const seen = feed.v === null ? '' : `&v=${feed.v}&r=${feed.r}`;
      try {
        const res = await fetch(`/api/judge/live?edition=${edition}${seen}`, {credentials: 'same-origin',
                                                                            cache: 'no-store'});
        if (res.status === 200) {
          const body = await res.json();
          Object.assign(feed, {v: body.v, r: body.r, live: body.live, at: Date.now(), offline: false});
          if (body.reminders) feed.reminders = body.reminders;
          backoff = 500;
          feed.listeners.forEach((listener) => listener());
          if (feed.listeners.size === 0) { FEEDS.delete(edition); break; }
          continue;
        }
        // 403: no session cookie yet (right after signing in, the page is drawn while the cookie is being set)
        // or no more (signed out, when the page is about to go): ask again shortly, not as "offline".
        if (res.status !== 403) feed.offline = true;
      } catch (e) {
        feed.offline = true;  // the server is away: try again below
      }
      feed.listeners.forEach((listener) => listener());
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 8000);
      if (feed.listeners.size === 0) { FEEDS.delete(edition); break; }  // no banner left on the page
    }
  })();
  return feed;
}

function clock(seconds) {
  const s = Math.abs(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;  // applicant text (work names) only ever as text
  return node;
}

export default function (component) {
  const {parentElement, setStateValue, setTriggerValue} = component;
  const data = decoded(component.data);
  const feed = feedFor(data.edition);
  let root = parentElement.querySelector('.ldl');
  if (!root) {
    root = el('div', 'ldl');
    root.setAttribute('role', 'region');
    root.setAttribute('aria-label', data.labels.region);
    parentElement.appendChild(root);
  }
  const state = (root.__state = root.__state || {});

  const follow = async (target) => {
    Object.assign(feed, {asked: target, askedAt: Date.now()});
    try {
      if (window.__ldawardSheet && window.__ldawardSheet.flush) await window.__ldawardSheet.flush();
    } catch (e) { /* the sheet keeps what it could not send and sends it later */ }
    // The work and its sheet, drawn at once from one small request; the page's run that the trigger starts then
    // catches up (the picker, the buttons below), and nobody waits for it. Without an answer the run draws it.
    const more = (data.owed || []).some((id) => id !== target) ? 1 : 0;
    try {
      const res = await fetch(`/api/judge/work?edition=${data.edition}&submission=${target}&lang=${data.lang}`
        + `&next=${more}`, {credentials: 'same-origin', cache: 'no-store'});
      if (res.status === 200 && feed.asked === target) {
        const work = await res.json();
        // Until the page's run catches up, a run started meanwhile (the judge's click) brings the work left
        // behind: the work and the sheet keep this one (see following() in those components).
        window.__ldawardFollowing = {submission: target, at: Date.now()};
        window.dispatchEvent(new CustomEvent('ldaward:work', {detail: work}));
        // Every following page asks at once; their runs, later and spread over a second, leave the server to
        // the other judges' fetches and slider saves first.
        await sleep(CATCH_UP_MS + Math.random() * CATCH_UP_MS);
      }
    } catch (e) { /* the page's run draws the work */ }
    setTriggerValue('follow', target);
  };

  // The switch as the judge last set it in this tab (the page learns it with the rerun that setting it starts).
  const following = () => (feed.following === undefined ? !!data.following : feed.following);

  const draw = () => {
    root.replaceChildren();
    const live = feed.live;
    const works = data.works || {};
    const reminder = (feed.reminders || []).find((r) => (data.owed || []).includes(r.submission));
    if (reminder) {
      root.appendChild(el('div', 'ldl-remind', `${data.labels.remind} ${works[String(reminder.submission)]}`));
    }
    if (!live) {
      if (feed.offline && feed.at) root.appendChild(el('div', 'ldl-note', data.labels.offline));
      return;
    }
    const row = el('div', 'ldl-row');
    const banner = el('div', `ldl-banner ldl-${live.stage}`);
    banner.setAttribute('aria-live', 'polite');
    const stage = data.labels.stages[live.stage] || data.labels.stages.idle;
    banner.appendChild(el('strong', '', `${stage}: `));
    banner.appendChild(el('span', 'ldl-work', live.work));
    const left = el('span', 'ldl-left');
    banner.appendChild(left);
    const tick = () => {
      if (live.seconds_left === null || live.seconds_left === undefined) { left.textContent = ''; return; }
      const seconds = live.seconds_left - Math.floor((Date.now() - feed.at) / 1000);
      left.textContent = ` · ${data.labels.left} ${clock(seconds)}${seconds < 0 ? data.labels.over : ''}`;
      left.classList.toggle('ldl-over', seconds < 0);
    };
    tick();
    clearInterval(state.timer);
    state.timer = setInterval(tick, 1000);
    row.appendChild(banner);
    const label = el('label', 'ldl-toggle');
    const box = el('input');
    box.type = 'checkbox';
    box.checked = following();
    box.addEventListener('change', () => {
      feed.following = box.checked;  // the page's next data says so too, but this run's data is older
      setStateValue('following', box.checked);
      draw();
    });
    label.appendChild(box);
    label.appendChild(el('span', '', data.labels.follow));
    row.appendChild(label);
    root.appendChild(row);
    if (feed.offline) root.appendChild(el('div', 'ldl-note', data.labels.offline));
    // Follow: move to the work on stage once (a judge who then picks another work is not pulled back until the
    // organiser presents the next one); only to works this judge scores.
    const target = live.submission;
    // A request lost on its way (the page was busy) is made again after a few seconds.
    const asked = target === feed.asked && Date.now() - feed.askedAt < 5000;
    if (following() && target !== data.followed && !asked && String(target) in works) {
      follow(target);
    }
  };

  // Called again on every rerun with new data: one listener per mounted banner, the newest.
  if (state.draw) feed.listeners.delete(state.draw);
  state.draw = draw;
  feed.listeners.add(draw);
  draw();
  return () => { feed.listeners.delete(draw); clearInterval(state.timer); };
}
