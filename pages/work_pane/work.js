// The work on a judge's screen (see pages/_work_pane.py): its title, the lines about it, whether its sheet is
// submitted, and the evidence in four tabs. Drawn from the page's data, or from the work route's answer the moment
// the live banner follows the organiser to the next work (an 'ldaward:work' event), before the page's run catches
// up. The tab bodies come as HTML built on the server with the applicant's text escaped; everything else is text.
const decoded = (data) =>
  ArrayBuffer.isView(data) || data instanceof ArrayBuffer ? JSON.parse(new TextDecoder().decode(data)) : data;

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

function build(root, data) {
  const work = el('div', {class: 'work', 'data-work': data.submission});
  work.appendChild(el('h2', {class: 'title'}, data.title));
  for (const line of data.about) work.appendChild(el('p', {class: 'about'}, line));
  if (data.locked_note) work.appendChild(el('div', {class: 'locked', role: 'status'}, data.locked_note));

  const list = el('div', {class: 'tabs', role: 'tablist', 'aria-label': data.region});
  const tabs = [];
  const panels = [];
  const chosen = Math.min(root.__tab || 0, data.tabs.length - 1);
  const select = (i, focus) => {
    root.__tab = i;  // kept for the next work: a judge following the slides stays on the slides
    tabs.forEach((t, j) => {
      t.setAttribute('aria-selected', String(i === j));
      t.tabIndex = i === j ? 0 : -1;
      panels[j].hidden = i !== j;
    });
    if (focus) tabs[i].focus();
  };
  data.tabs.forEach((tab, i) => {
    const id = `work-tab-${i}`;
    const button = el('button', {type: 'button', role: 'tab', id, 'aria-controls': `${id}-panel`}, tab.label);
    button.addEventListener('click', () => select(i, false));
    button.addEventListener('keydown', (ev) => {
      const last = data.tabs.length - 1;
      const to = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: last}[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      select((to + data.tabs.length) % data.tabs.length, true);
    });
    const panel = el('div', {class: 'panel', role: 'tabpanel', id: `${id}-panel`, 'aria-labelledby': id});
    for (const note of tab.notes) panel.appendChild(el('p', {class: 'note'}, note));
    if (tab.html) panel.insertAdjacentHTML('beforeend', tab.html);  // built and escaped on the server
    tabs.push(button);
    panels.push(panel);
    list.appendChild(button);
  });
  work.appendChild(list);
  panels.forEach((p) => work.appendChild(p));
  select(chosen, false);
  root.replaceChildren(work);
  root.__signature = data.signature;
}

function render(root, data) {
  if (root.__signature !== data.signature || !root.firstChild) build(root, data);
}

// The live banner fetched the next work (pages/live_follow): draw it now.
if (!window.__ldawardWorkFollow) {
  window.__ldawardWorkFollow = true;
  window.addEventListener('ldaward:work', (event) => {
    const root = window.__ldawardWorkRoot;
    if (root && root.isConnected && event.detail && event.detail.work) render(root, event.detail.work);
  });
}

// As the sheet does (score_sheet/sheet.js), without clearing the mark: the sheet clears it.
function followed(data) {
  const f = window.__ldawardFollowing;
  return !f || Date.now() - f.at > 10000 || f.submission === data.submission;
}

export default function (component) {
  const data = decoded(component.data);
  if (!data || !followed(data)) return undefined;
  let root = component.parentElement.querySelector('.ldaward-work');
  if (!root) {
    root = el('div', {class: 'ldaward-work'});
    component.parentElement.appendChild(root);
  }
  window.__ldawardWorkRoot = root;
  render(root, data);
  return undefined;
}
