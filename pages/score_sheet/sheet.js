// The judge's score sheet (see pages/_score_sheet.py): sliders, comments, the running total and the save state live
// in the browser, and every change is saved through POST /api/judge/sheet — no Streamlit rerun per move.
//
// Per sheet, ONE request is in flight; changes made meanwhile are merged into the next one, so the server stores
// them in the order they were made. A failed request (network, 503) is merged back under newer changes and retried
// with back-off. State is kept per submission on `window` (not in this module: Streamlit may evaluate the module
// again), so a rerun or a quick return to a work lays the changes the server has not confirmed over the data it
// was drawn with, and nothing is shown older than what the judge did.

const SHEET_URL = '/api/judge/sheet';
const TEXT_DELAY_MS = 300;
const RETRY_MS = [500, 1000, 2000, 4000, 8000];
const KEEPALIVE_LIMIT = 60000;  // browsers cap the bodies of keepalive requests in flight at 64 KiB
const BODY_LIMIT = 60000;  // bytes; the route refuses a body over 64,000 (a comment is at most 5,000 characters)
const bytes = (text) => new TextEncoder().encode(text).length;
// The page sends its data as UTF-8 JSON bytes (pages/_ui.py component_data).
const decoded = (data) =>
  ArrayBuffer.isView(data) || data instanceof ArrayBuffer ? JSON.parse(new TextDecoder().decode(data)) : data;

const sheets = window.__ldawardSheets || (window.__ldawardSheets = new Map());

const empty = () => ({points: {}, comments: {}, overall: null});
const isEmpty = (c) => !Object.keys(c.points).length && !Object.keys(c.comments).length && c.overall === null;
const merge = (older, newer) => ({
  points: {...older.points, ...newer.points},
  comments: {...older.comments, ...newer.comments},
  overall: newer.overall !== null ? newer.overall : older.overall,
});

function stateFor(submission) {
  if (!sheets.has(submission)) {
    sheets.set(submission, {
      submission, version: 0, pending: empty(), sending: null, timer: null, retry: 0, retryTimer: null,
      confirmed: null,  // {version, sheet} from the newest answer: newer than the data a rerun may bring
      waiters: [], view: null, error: null, savedAt: null, offline: false,
    });
  }
  return sheets.get(submission);
}

// --- talking to the server ---------------------------------------------------------------------------------

function post(body, keepalive) {
  const text = JSON.stringify(body);
  return fetch(SHEET_URL, {
    method: 'POST', credentials: 'same-origin', keepalive: keepalive && bytes(text) < KEEPALIVE_LIMIT,
    headers: {'Content-Type': 'application/json'}, body: text,
  });
}

function bodyOf(st, changes) {
  const body = {submission: st.submission, version: st.version};
  if (Object.keys(changes.points).length) body.points = changes.points;
  if (Object.keys(changes.comments).length) body.comments = changes.comments;
  if (changes.overall !== null) body.overall = changes.overall;
  return body;
}

function idle(st) {
  return !st.sending && isEmpty(st.pending);
}

function settle(st, ok) {
  if (!idle(st) && ok) return;
  const waiters = st.waiters;
  st.waiters = [];
  waiters.forEach((resolve) => resolve(ok && idle(st)));
}

function schedule(st, delay) {
  clearTimeout(st.timer);
  st.timer = setTimeout(() => pump(st), delay);
}

function pump(st) {
  clearTimeout(st.timer);
  st.timer = null;
  if (st.sending || st.retryTimer) return;
  if (isEmpty(st.pending)) { settle(st, true); return; }
  const changes = st.pending;
  st.pending = empty();
  // Long comments in many boxes could make one body too large: the rest waits for the next request.
  for (const cid of Object.keys(changes.comments)) {
    if (bytes(JSON.stringify(bodyOf(st, changes))) <= BODY_LIMIT) break;
    st.pending.comments[cid] = changes.comments[cid];
    delete changes.comments[cid];
  }
  st.sending = changes;
  show(st, 'saving');
  post(bodyOf(st, changes), true)
    .then(async (reply) => {
      let answer = null;
      try { answer = await reply.json(); } catch (e) { answer = null; }
      if (reply.ok && answer) return answered(st, answer);
      if (reply.status >= 500) return failed(st, changes, false);
      // Right after signing in the page may be drawn before its session cookie is set: a few tries, then say so.
      if (reply.status === 403 && answer && answer.error === 'not_signed_in' && st.retry < 3) {
        return failed(st, changes, false);
      }
      refused(st, answer);  // 400/403/404/413: sending it again would not help; the judge is told why
      return undefined;
    }, () => failed(st, changes, true));
}

function answered(st, answer) {
  st.sending = null;
  st.retry = 0;
  st.offline = false;
  st.error = null;
  st.version = answer.version;
  st.confirmed = {version: answer.version, state: answer.state, sheet: answer.sheet};
  st.savedAt = new Date();
  if (answer.foreign) {
    st.foreign = true;  // another tab or device wrote in between: show what is stored, with what is still queued
    if (st.view) st.view.take(answer.sheet, st.pending);
  }
  show(st, 'saved');
  if (isEmpty(st.pending)) settle(st, true); else pump(st);
}

function failed(st, changes, offline) {
  st.sending = null;
  st.pending = merge(changes, st.pending);  // newer changes win over the ones being retried
  st.offline = offline;
  show(st, offline ? 'offline' : 'retrying');
  settle(st, false);
  const delay = RETRY_MS[Math.min(st.retry, RETRY_MS.length - 1)];
  st.retry += 1;
  st.retryTimer = setTimeout(() => { st.retryTimer = null; pump(st); }, delay);
}

function refused(st, answer) {
  st.sending = null;
  st.error = (answer && (answer.message_th || answer.message_en)) || null;
  show(st, 'error');
  if (isEmpty(st.pending)) settle(st, false); else pump(st);
}

function flushOne(st) {
  return new Promise((resolve) => {
    if (idle(st)) { resolve(true); return; }
    st.waiters.push(resolve);
    if (st.retryTimer) { clearTimeout(st.retryTimer); st.retryTimer = null; }
    pump(st);
  });
}

// Resolves when every queued change of every sheet is answered: true when all are saved, false when one could not
// be (it stays queued and is retried). The live-follow code awaits it before switching work.
function flushAll() {
  return Promise.all([...sheets.values()].map(flushOne)).then((oks) => oks.every(Boolean));
}

// The page is going away: no waiting for answers (keepalive lets these finish after the page is gone).
// What is in flight goes again with it, so the last request to land carries the newest value of every field.
function leaving() {
  for (const st of sheets.values()) {
    clearTimeout(st.timer);
    if (!isEmpty(st.pending)) post(bodyOf(st, merge(st.sending || empty(), st.pending)), true).catch(() => {});
  }
}

if (!window.__ldawardSheet) {
  window.__ldawardSheet = {flush: flushAll};
  window.addEventListener('pagehide', leaving);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) for (const st of sheets.values()) pump(st);
  });
}

// --- drawing ---------------------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') node.textContent = v; else node.setAttribute(k, v === true ? '' : String(v));
  }
  children.forEach((c) => c && node.appendChild(c));
  return node;
}

const fmt = (x) => (Math.round(x * 100) / 100).toString();

function show(st, status) {
  st.status = status;
  if (st.view) st.view.status();
}

function statusText(st, L) {
  if (st.status === 'saving') return L.saving;
  if (st.status === 'offline' || st.status === 'retrying') return L.offline;
  if (st.status === 'error') return L.error_prefix + (st.error || '');
  if (st.savedAt) {
    const t = st.savedAt;
    return L.saved + ' ' + String(t.getHours()).padStart(2, '0') + ':' + String(t.getMinutes()).padStart(2, '0');
  }
  return L.autosave;
}

function build(root, data, st, setTriggerValue) {
  const L = data.labels;
  const locked = data.locked;
  const values = {points: {}, comments: {}, overall: ''};
  const inputs = new Map();  // criterion id -> {range, output, note, comment, box}

  const total = el('strong', {class: 'total'});
  const scored = el('span', {class: 'scored'});
  const status = el('span', {class: 'status', role: 'status', 'aria-live': 'polite'});
  // The criterion last changed, shown in the bar on a phone, where the bar stays on screen but the criterion's own
  // heading scrolls away under it. Not the one with the focus: a finger dragging a slider need not move the focus.
  const current = el('span', {class: 'current', hidden: true});
  let currentId = null;
  const bar = el('div', {class: 'bar'}, el('span', {class: 'total-label'}, total, scored), current, status);
  const warning = el('div', {class: 'warning', role: 'alert', hidden: true});
  const sheet = el('div', {class: 'sheet', 'data-sheet': data.submission, 'data-locked': locked ? 'true' : 'false'},
    bar, warning);

  const refresh = () => {
    const given = data.criteria.filter((c) => values.points[c.id] !== undefined && values.points[c.id] !== null);
    const sum = given.reduce((s, c) => s + Number(values.points[c.id]), 0);
    total.textContent = `${L.total} ${fmt(sum)} / ${data.max_total}`;
    scored.textContent = ` · ${L.scored.replace('{k}', given.length).replace('{n}', data.criteria.length)}`;
    sheet.dataset.total = fmt(sum);
    for (const c of data.criteria) {
      const w = inputs.get(c.id);
      const p = values.points[c.id];
      const has = p !== undefined && p !== null;
      w.box.classList.toggle('unscored', !has);
      w.range.value = has ? p : 0;
      // What a screen reader says as the slider moves: the criterion's name and the points in words.
      w.range.setAttribute('aria-valuetext', `${c.title}: ${has ? L.points_of.replace('{p}', fmt(p))
        .replace('{max}', c.max) : L.not_scored_short}`);
      w.output.textContent = has ? `${fmt(p)} / ${c.max}` : `— / ${c.max}`;
      if (w.note) w.note.hidden = has;
      if (w.comment.getRootNode().activeElement !== w.comment) w.comment.value = values.comments[c.id] || '';
      if (c.id === currentId) {
        current.textContent = `${L.criterion} ${data.criteria.indexOf(c) + 1}: ${w.output.textContent}`;
        current.hidden = false;
      }
    }
    const ov = sheet.querySelector('textarea.overall');
    if (ov && ov.getRootNode().activeElement !== ov) ov.value = values.overall || '';
  };

  const changed = (cid) => { currentId = cid; };

  const queue = (kind, cid, value, delay) => {
    if (kind === 'points') { values.points[cid] = value; st.pending.points[cid] = value; }
    if (kind === 'comment') { values.comments[cid] = value; st.pending.comments[cid] = value; }
    if (kind === 'overall') { values.overall = value; st.pending.overall = value; }
    st.error = st.status === 'error' ? null : st.error;
    if (delay) schedule(st, delay); else pump(st);
  };

  data.criteria.forEach((c, i) => {
    const pid = `pts-${c.id}`;
    const cidAttr = {'data-criterion': c.id};
    const range = el('input', {type: 'range', id: pid, class: 'points', min: 0, max: c.max, step: 0.5,
      disabled: locked, ...cidAttr});
    const output = el('output', {class: 'value', for: pid});
    const head = el('div', {class: 'head'}, el('label', {for: pid, text: `${i + 1}. ${c.title} (${L.max} ${c.max})`}),
      output);
    const box = el('section', {class: 'criterion', ...cidAttr}, head, range);
    let note = null;
    if (!locked) {
      const zero = el('button', {type: 'button', class: 'zero', text: L.give_zero,
        'aria-label': `${L.give_zero}: ${i + 1}. ${c.title}`, ...cidAttr});
      note = el('div', {class: 'note'}, el('span', {text: L.not_scored}), zero);
      zero.addEventListener('click', () => { changed(c.id); queue('points', c.id, 0); refresh(); });
      box.appendChild(note);
    }
    if (c.hint) box.appendChild(el('div', {class: 'hint', text: c.hint}));
    if (c.guidance) {
      box.appendChild(el('details', {class: 'guidance'}, el('summary', {text: L.guidance}),
        el('p', {text: c.guidance})));
    }
    const cmtId = `cmt-${c.id}`;
    // Every box is labelled "Comment" on screen; a screen reader's list of fields tells them apart by criterion.
    const comment = el('input', {type: 'text', id: cmtId, class: 'comment', maxlength: 5000, disabled: locked,
      autocomplete: 'off', 'aria-label': `${L.comment}: ${i + 1}. ${c.title}`, ...cidAttr});
    box.appendChild(el('label', {for: cmtId, class: 'small', text: L.comment}));
    box.appendChild(comment);
    range.addEventListener('input', () => { changed(c.id); queue('points', c.id, Number(range.value)); refresh(); });
    comment.addEventListener('input', () => queue('comment', c.id, comment.value, TEXT_DELAY_MS));
    comment.addEventListener('blur', () => pump(st));
    inputs.set(c.id, {range, output, note, comment, box});
    sheet.appendChild(box);
  });

  sheet.addEventListener('focusin', (ev) => {
    const box = ev.target.closest ? ev.target.closest('section.criterion') : null;
    if (!box) return;
    // A control the sticky bar covers (it was reached by Tab from below, or the page scrolled) is brought out.
    const r = ev.target.getBoundingClientRect();
    const b = bar.getBoundingClientRect();
    if (r.top < b.bottom && r.bottom > b.top) ev.target.scrollIntoView({block: 'center'});
  });

  const overall = el('textarea', {id: 'overall', class: 'overall', rows: 3, maxlength: 5000, disabled: locked});
  overall.addEventListener('input', () => queue('overall', null, overall.value, TEXT_DELAY_MS));
  overall.addEventListener('blur', () => pump(st));
  sheet.appendChild(el('div', {class: 'overall-box'}, el('label', {for: 'overall', text: L.overall}), overall));

  if (!locked) {
    // While the queue is flushed the buttons say they are busy but stay enabled: a disabled button loses the focus,
    // and a keyboard user would be thrown back to the top of the page.
    let busy = false;
    const act = (kind) => async () => {
      if (busy) return;
      busy = true;
      sheet.querySelectorAll('.actions button').forEach((b) => b.setAttribute('aria-disabled', 'true'));
      const ok = await flushAll();
      busy = false;
      sheet.querySelectorAll('.actions button').forEach((b) => b.removeAttribute('aria-disabled'));
      if (!ok) { show(st, st.status === 'error' ? 'error' : 'offline'); return; }
      setTriggerValue('action', {kind, submission: data.submission, version: st.version, at: Date.now()});
    };
    const save = el('button', {type: 'button', class: 'save', text: L.save});
    const next = el('button', {type: 'button', class: 'next', text: L.next, disabled: !data.has_next});
    const submit = el('button', {type: 'button', class: 'submit primary', text: L.submit});
    save.addEventListener('click', act('save'));
    next.addEventListener('click', act('next'));
    submit.addEventListener('click', act('submit'));
    sheet.appendChild(el('div', {class: 'actions'}, el('div', {class: 'row'}, save, next), submit));
  }
  root.replaceChildren(sheet);

  const view = {
    key: data.signature,
    // Values to show: the data drawn (or the server's newer answer), with what the server has not confirmed over it.
    load(base) {
      values.points = {...base.points};
      values.comments = {...base.comments};
      values.overall = base.overall || '';
      const unconfirmed = merge(st.sending || empty(), st.pending);
      Object.assign(values.points, unconfirmed.points);
      Object.assign(values.comments, unconfirmed.comments);
      if (unconfirmed.overall !== null) values.overall = unconfirmed.overall;
      refresh();
    },
    take(sheetValues, stillQueued) {
      values.points = {...sheetValues.points, ...stillQueued.points};
      values.comments = {...sheetValues.comments, ...stillQueued.comments};
      values.overall = stillQueued.overall !== null ? stillQueued.overall : (sheetValues.overall || '');
      warning.textContent = L.other_tab;
      warning.hidden = false;
      // A box being typed in keeps its text (it is queued and wins); the others show what is stored.
      for (const c of data.criteria) inputs.get(c.id).comment.value = values.comments[c.id] || '';
      refresh();
    },
    status() {
      status.textContent = statusText(st, L);
      status.dataset.state = st.status || 'idle';
      bar.classList.toggle('problem', st.status === 'offline' || st.status === 'retrying' || st.status === 'error');
    },
  };
  return view;
}

// Draws data (the page's, or the work route's when the live banner followed the organiser) in the mounted root.
function render(root, data, setTriggerValue) {
  const st = stateFor(data.submission);
  // The server's answer may be newer than the data this run read (a save confirmed after the page's query).
  const base = st.confirmed && st.confirmed.version > data.version ? st.confirmed.sheet : data.sheet;
  if (st.version < data.version) st.version = data.version;
  if (!st.view || st.view.key !== data.signature || root.firstChild !== st.drawn || st.root !== root) {
    st.view = build(root, data, st, setTriggerValue);
    st.root = root;
    st.drawn = root.firstChild;
    st.view.load(base);
  } else if (data.version > (st.drawnVersion || 0)) {
    st.view.load(base);
  }
  st.drawnVersion = Math.max(data.version, st.drawnVersion || 0);
  st.view.status();
}

// The live banner fetched the next work (pages/live_follow): draw its sheet now; the page's run that follows brings
// the same data, which then changes nothing on screen.
if (!window.__ldawardSheetFollow) {
  window.__ldawardSheetFollow = true;
  window.addEventListener('ldaward:work', (event) => {
    const mount = window.__ldawardSheetMount;
    if (mount && mount.root.isConnected && event.detail && event.detail.sheet) {
      render(mount.root, event.detail.sheet, mount.setTriggerValue);
    }
  });
}

// A work drawn from the route (a follow) stays until the page's run that catches up with it brings it: a run started
// before (a click) brings the work left behind, which is not drawn over it. Ten seconds at most (a lost run).
function followed(data) {
  const f = window.__ldawardFollowing;
  if (!f || Date.now() - f.at > 10000) return true;
  if (f.submission === data.submission) { window.__ldawardFollowing = null; return true; }
  return false;
}

export default function (component) {
  const {parentElement, setTriggerValue} = component;
  const data = decoded(component.data);
  if (!data || !followed(data)) return undefined;
  let root = parentElement.querySelector('.ldaward-root');
  if (!root) {
    root = document.createElement('div');
    root.className = 'ldaward-root';
    parentElement.appendChild(root);
  }
  window.__ldawardSheetMount = {root, setTriggerValue};
  render(root, data, setTriggerValue);
  return undefined;  // nothing to undo: the listeners are the DOM's, which goes with the element
}
