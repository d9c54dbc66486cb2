// agentrt inspector: one page over the JSON API of docs/inspector.md (runs, a run, the registry).
// Plain ES2020, no build step, no framework, nothing fetched from another origin. Every text from
// the API goes into the DOM as a text node or an attribute (h() below), never as HTML; the one
// exception is the SVG that Mermaid renders from the graph (securityLevel 'strict').
'use strict';

(() => {
  const HIDDEN = '[hidden: shipping mode]';
  const EVENT_TYPES = [
    'RunStarted', 'StepStarted', 'StepCompleted', 'StepFailed', 'StepRetried', 'RouteTaken',
    'LoopIteration', 'ToolCalled', 'LlmCalled', 'RunCompleted', 'RunFailed', 'RunSuspended',
  ];
  const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
  const REFETCH_MS = 250;

  const app = document.getElementById('app');
  const modeBadge = document.getElementById('mode');
  const connection = document.getElementById('connection');

  // ------------------------------------------------------------------ DOM helpers

  /** An element with attributes and children; strings become text nodes (escaped by the DOM). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'style') Object.assign(el.style, v);
        else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  /** append() for a list of children given as arguments. */
  function put(el, ...children) {
    return append(el, children);
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  // ------------------------------------------------------------------ formatting

  const num = new Intl.NumberFormat('en');

  function fmtNumber(n) {
    return n === null || n === undefined ? '—' : num.format(n);
  }

  function fmtDuration(ms) {
    if (ms === null || ms === undefined) return '—';
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
    const s = Math.round(ms / 1000);
    if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  }

  function fmtCost(usd) {
    if (usd === null || usd === undefined) return '—';
    if (usd === 0) return '$0';
    if (usd < 0.01) return `$${usd.toPrecision(2)}`;
    return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
  }

  function fmtBytes(b) {
    if (b === null || b === undefined || b < 0) return '—';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (b >= 1024 && i < units.length - 1) {
      b /= 1024;
      i++;
    }
    return `${b.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  }

  const pad = (n, w = 2) => String(n).padStart(w, '0');

  /** An ISO instant as local date and time, to the second; the exact instant in a tooltip. */
  function timeEl(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
      + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    return h('time', { datetime: iso, title: iso }, text);
  }

  function tokensText(input, output) {
    return `${fmtNumber(input)} in · ${fmtNumber(output)} out`;
  }

  function statusBadge(status, extra) {
    return h('span', {
      class: `badge st-${status}`, 'data-testid': 'status', 'data-status': status,
    }, status, extra);
  }

  function isHidden(v) {
    return v === HIDDEN;
  }

  function hiddenNote() {
    return h('span', { class: 'hidden-content', 'data-testid': 'hidden' },
      'hidden (shipping mode)');
  }

  /**
   * A content value: hidden, a text in a <pre>, or JSON pretty-printed; an object holding a text of
   * several lines (a file's content, a command's output) field by field, so the text reads as text.
   */
  function contentView(v, opts = {}, depth = 0) {
    if (isHidden(v)) return hiddenNote();
    if (v === null || v === undefined) return h('span', { class: 'muted' }, opts.empty || 'none');
    if (typeof v === 'string') return h('pre', { class: 'text', tabindex: 0 }, v);
    if (depth < 2 && v && typeof v === 'object' && !Array.isArray(v) && hasLongText(v)) {
      return h('dl', { class: 'fields' }, Object.entries(v).map(([k, x]) => h('div', null,
        h('dt', null, k),
        h('dd', null, x !== null && typeof x === 'object' && hasLongText(x) ? contentView(x, opts, depth + 1)
          : typeof x === 'string' && x.includes('\n') ? h('pre', { class: 'text', tabindex: 0 }, x)
            : h('code', null, JSON.stringify(x))))));
    }
    return h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(v, null, 2));
  }

  function hasLongText(o) {
    return !Array.isArray(o) && Object.values(o).some((x) => (typeof x === 'string' && x.includes('\n'))
      || (x !== null && typeof x === 'object' && !Array.isArray(x)
        && Object.values(x).some((y) => typeof y === 'string' && y.includes('\n'))));
  }

  /** A text that may hold JSON (an LLM answer, tool-call arguments): pretty-printed if it does. */
  function maybeJson(text) {
    if (typeof text !== 'string') return text;
    const t = text.trim();
    if (!(t.startsWith('{') || t.startsWith('['))) return text;
    try {
      return JSON.parse(t);
    } catch (e) {
      return text;
    }
  }

  function dl(pairs, attrs) {
    return h('dl', attrs || { class: 'facts' },
      pairs.filter((p) => p).map(([k, v, testid]) =>
        h('div', { 'data-testid': testid || null }, h('dt', null, k), h('dd', null, v))));
  }

  // ------------------------------------------------------------------ API

  async function api(path) {
    const res = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      // not JSON: reported below
    }
    if (!res.ok) {
      const err = new Error((body && body.error) || `${res.status} ${res.statusText}`);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  function errorBox(err, what) {
    return h('div', { class: 'error-box', role: 'alert', 'data-testid': 'error' },
      h('strong', null, `Cannot load ${what}: `), err.message || String(err));
  }

  function setMode(mode) {
    if (!mode) return;
    modeBadge.hidden = false;
    modeBadge.textContent = mode === 'shipping'
      ? 'shipping mode: contents hidden'
      : `${mode} mode`;
    modeBadge.dataset.mode = mode;
    modeBadge.className = `mode mode-${mode}`;
  }

  // ------------------------------------------------------------------ live events

  /**
   * An EventSource whose events call onEvent (debounced by the caller); the header shows whether
   * it is connected. Opening (and reconnecting) calls onEvent(null) too: what changed before the
   * stream was open is not sent.
   */
  function liveStream(url, onEvent) {
    const es = new EventSource(url);
    es.onopen = () => {
      setConnection('live', 'Live updates on');
      onEvent(null);
    };
    es.onerror = () => setConnection('reconnecting', 'Live updates: reconnecting…');
    for (const type of EVENT_TYPES) {
      es.addEventListener(type, (e) => {
        let data = null;
        try {
          data = JSON.parse(e.data);
        } catch (err) {
          // an event without JSON still means something changed
        }
        onEvent(data);
      });
    }
    return () => {
      es.close();
      setConnection('', '');
    };
  }

  function setConnection(state, text) {
    connection.textContent = text;
    connection.dataset.state = state;
  }

  /** fn, once calls have paused for ms, or at the latest maxWait after the first of them. */
  function debounce(fn, ms, maxWait = 1000) {
    let timer = null;
    let first = 0;
    const run = () => {
      timer = null;
      first = 0;
      fn();
    };
    const d = () => {
      const now = Date.now();
      if (!first) first = now;
      clearTimeout(timer);
      timer = setTimeout(run, Math.max(0, Math.min(ms, first + maxWait - now)));
    };
    d.cancel = () => {
      clearTimeout(timer);
      timer = null;
      first = 0;
    };
    return d;
  }

  // ------------------------------------------------------------------ router

  let cleanups = [];

  function onLeave(fn) {
    cleanups.push(fn);
  }

  function parseHash() {
    const hash = location.hash || '#/';
    const raw = hash.slice(1);
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    return { path: path || '/', params };
  }

  /** Changes the hash's query without a navigation (filters, the step shown). */
  function replaceParams(path, params) {
    const qs = params.toString();
    history.replaceState(null, '', `#${path}${qs ? `?${qs}` : ''}`);
  }

  function route() {
    if (location.hash && !location.hash.startsWith('#/')) return; // an in-page anchor
    for (const fn of cleanups.splice(0)) {
      try {
        fn();
      } catch (e) {
        console.warn(e);
      }
    }
    const { path, params } = parseHash();
    document.querySelectorAll('nav a').forEach((a) => a.removeAttribute('aria-current'));
    let m;
    if (path === '/' || path === '/runs') {
      document.getElementById('nav-runs').setAttribute('aria-current', 'page');
      showRuns(params);
    } else if ((m = path.match(/^\/runs\/([^/]+)$/))) {
      showRun(decodeURIComponent(m[1]), params);
    } else if (path === '/registry') {
      document.getElementById('nav-registry').setAttribute('aria-current', 'page');
      showRegistry();
    } else {
      document.title = 'Not found · agentrt inspector';
      render(h('section', null, h('h1', { tabindex: -1 }, 'Not found'),
        h('p', null, 'No page ', h('code', null, path), '. ', h('a', { href: '#/' }, 'See the runs'),
          '.')));
    }
  }

  function render(...nodes) {
    const active = document.activeElement;
    const headingHadFocus = active && active.tagName === 'H1' && app.contains(active);
    clear(app);
    append(app, nodes);
    const heading = app.querySelector('h1');
    // after a navigation the page's heading takes the focus (screen readers announce it)
    if (heading && (navigated || headingHadFocus)) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
    navigated = false;
  }

  let navigated = false;

  window.addEventListener('hashchange', () => {
    navigated = true;
    route();
  });

  // ------------------------------------------------------------------ runs page

  function showRuns(params) {
    document.title = 'Runs · agentrt inspector';
    const filter = { workflow: params.get('workflow') || '', status: params.get('status') || '' };
    const workflowSelect = h('select', { id: 'filter-workflow', 'data-testid': 'filter-workflow' },
      h('option', { value: '' }, 'All workflows'));
    const statusSelect = h('select', { id: 'filter-status', 'data-testid': 'filter-status' },
      h('option', { value: '' }, 'All statuses'));
    const count = h('p', { class: 'count', role: 'status', 'data-testid': 'run-count' });
    const body = h('div', { class: 'runs-body' }, h('p', { class: 'muted' }, 'Loading runs…'));
    const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter runs',
      onsubmit: (e) => e.preventDefault() },
    h('label', { for: 'filter-workflow' }, 'Workflow'), workflowSelect,
    h('label', { for: 'filter-status' }, 'Status'), statusSelect, count);
    render(h('section', { 'aria-labelledby': 'runs-title' },
      h('h1', { id: 'runs-title' }, 'Runs'), form, body));

    let seq = 0;
    let lastSig = null;
    async function load() {
      const mine = ++seq;
      const q = new URLSearchParams();
      if (filter.workflow) q.set('workflow', filter.workflow);
      if (filter.status) q.set('status', filter.status);
      let data;
      try {
        data = await api(`/api/runs${q.toString() ? `?${q}` : ''}`);
      } catch (err) {
        if (mine === seq) put(clear(body), errorBox(err, 'the runs'));
        return;
      }
      if (mine !== seq) return; // a newer load is under way
      const sig = JSON.stringify(data);
      if (sig === lastSig) return; // nothing new: the table (and the focus in it) stays
      lastSig = sig;
      fillSelect(workflowSelect, data.workflows || [], filter.workflow);
      fillSelect(statusSelect, data.statuses || [], filter.status);
      const n = data.runs.length;
      count.textContent = `${n} run${n === 1 ? '' : 's'}`;
      put(clear(body), runsTable(data.runs, filter), unreadable(data.unreadable || []));
    }

    function onFilter() {
      filter.workflow = workflowSelect.value;
      filter.status = statusSelect.value;
      const p = new URLSearchParams();
      if (filter.workflow) p.set('workflow', filter.workflow);
      if (filter.status) p.set('status', filter.status);
      replaceParams('/', p);
      load();
    }
    workflowSelect.addEventListener('change', onFilter);
    statusSelect.addEventListener('change', onFilter);

    const reload = debounce(load, REFETCH_MS);
    onLeave(reload.cancel);
    onLeave(liveStream('/api/events', reload));
    load();
  }

  function fillSelect(select, values, selected) {
    const keep = new Set([...select.options].map((o) => o.value));
    for (const v of values) {
      if (!keep.has(v)) select.append(h('option', { value: v }, v));
    }
    if (selected && !values.includes(selected) && !keep.has(selected)) {
      select.append(h('option', { value: selected }, selected));
    }
    select.value = selected;
  }

  function runsTable(runs, filter) {
    if (runs.length === 0) {
      return h('p', { class: 'empty', 'data-testid': 'no-runs' },
        filter.workflow || filter.status
          ? 'No runs match these filters.'
          : 'No runs yet. Runs appear here as they start.');
    }
    return h('table', { class: 'runs', 'data-testid': 'runs-table' },
      h('caption', { class: 'sr-only' }, 'Runs, newest first'),
      h('thead', null, h('tr', null,
        ['Run', 'Workflow', 'Status', 'Reason', 'Started', 'Duration', 'Tokens', 'Cost', 'Steps']
          .map((c, i) => h('th', { scope: 'col', class: i >= 5 ? 'num' : null }, c)))),
      h('tbody', null, runs.map((r) => h('tr', {
        'data-testid': 'run-row', 'data-run-id': r.runId, 'data-workflow': r.workflow,
        'data-status': r.status,
        // the whole row opens the run for a pointer; the link is the keyboard's way
        onclick: (e) => {
          if (!e.target.closest('a') && !window.getSelection().toString()) {
            location.hash = `#/runs/${encodeURIComponent(r.runId)}`;
          }
        },
      },
      h('td', null, h('a', { href: `#/runs/${encodeURIComponent(r.runId)}`, class: 'mono',
        'data-testid': 'run-link', 'aria-label': `Run ${r.runId} of ${r.workflow}, ${r.status}` },
      r.runId)),
      h('td', null, r.workflow),
      h('td', null, statusBadge(r.status, r.status === 'RUNNING' ? liveDot() : null)),
      h('td', null, r.reason || ''),
      h('td', null, timeEl(r.started)),
      h('td', { class: 'num' }, fmtDuration(r.durationMs)),
      h('td', { class: 'num', title: r.tokens ? tokensText(r.tokens.input, r.tokens.output) : null },
        r.tokens ? fmtNumber(r.tokens.input + r.tokens.output) : '—'),
      h('td', { class: 'num' }, fmtCost(r.costUsd)),
      h('td', { class: 'num' }, fmtNumber(r.steps))))));
  }

  function unreadable(ids) {
    if (!ids.length) return null;
    return h('p', { class: 'warning', role: 'note' },
      `${ids.length} run${ids.length === 1 ? '' : 's'} could not be read from the store: `,
      ids.join(', '));
  }

  function liveDot() {
    return h('span', { class: 'live-dot', 'aria-hidden': 'true' });
  }

  // ------------------------------------------------------------------ run page

  function showRun(runId, params) {
    document.title = `Run ${runId} · agentrt inspector`;
    const state = {
      runId,
      data: null,
      selected: params.has('step') ? Number(params.get('step')) : null,
      mermaidText: null,
      detailSig: null,
      sig: null,
      pending: new Map(), // step key → StepStarted event, for steps not in the log yet
      stop: null,
    };
    const shell = {
      header: h('div', { class: 'run-header', 'data-testid': 'run-header' }),
      budget: h('section', { class: 'card budget', 'aria-labelledby': 'budget-title',
        'data-testid': 'budget' }),
      timeline: h('section', { class: 'card timeline-card', 'aria-labelledby': 'timeline-title' }),
      graph: h('section', { class: 'card graph-card', 'aria-labelledby': 'graph-title' },
        h('h2', { id: 'graph-title' }, 'Workflow graph'),
        h('div', { class: 'graph', id: 'graph', 'data-testid': 'graph', role: 'img',
          'aria-label': 'The workflow graph, with the path this run took highlighted' },
        h('p', { class: 'muted' }, 'Drawing the graph…'))),
      detail: h('aside', { class: 'card step-detail', id: 'step-detail', 'data-testid': 'step-detail',
        'aria-labelledby': 'detail-title', tabindex: -1 }),
      io: h('section', { class: 'card io', 'aria-labelledby': 'io-title' }),
    };
    render(
      h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
        h('a', { href: '#/', 'data-testid': 'back-to-runs' }, 'Runs'), ' › ',
        h('span', { class: 'mono' }, runId)),
      h('h1', { id: 'run-title' }, 'Run ', h('span', { class: 'mono' }, runId)),
      shell.header,
      h('div', { class: 'run-grid' },
        h('div', { class: 'run-main' }, shell.timeline, shell.graph, shell.io),
        h('div', { class: 'run-side' }, shell.budget, shell.detail)));

    let seq = 0;
    async function load() {
      const mine = ++seq;
      let data;
      try {
        data = await api(`/api/runs/${encodeURIComponent(runId)}`);
      } catch (err) {
        if (mine !== seq) return;
        if (err.status === 404 && state.stop) {
          state.stop(); // no such run: nothing will come
          state.stop = null;
        }
        if (!state.data) {
          render(h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
            h('a', { href: '#/' }, 'Runs')),
          h('h1', null, 'Run ', h('span', { class: 'mono' }, runId)), errorBox(err, 'this run'));
        }
        return;
      }
      if (mine !== seq) return;
      if (TERMINAL.has(data.run.status) && state.stop) {
        state.stop();
        state.stop = null;
      }
      // the same document again (a refetch that found nothing new): the page stays as it is
      const sig = JSON.stringify(data);
      if (sig === state.sig) return;
      state.sig = sig;
      state.data = data;
      for (const s of data.steps) state.pending.delete(s.key);
      setMode(data.mode);
      const active = document.activeElement;
      const focusedStep = active && active.dataset && active.dataset.testid === 'step'
        ? active.dataset.stepIndex : undefined;
      state.fetchedAt = Date.now();
      renderRunHeader(shell.header, data, state);
      renderBudget(shell.budget, data.budget);
      renderTimeline(shell.timeline, data, state, select);
      renderIo(shell.io, data);
      // a step in the log does not change: its detail (and what is open in it) stays as it is
      const shown = state.selected === null ? null : data.steps[state.selected];
      const shownSig = shown ? JSON.stringify(shown) : '';
      if (shownSig !== state.detailSig) {
        state.detailSig = shownSig;
        renderDetail(shell.detail, data, state.selected);
      }
      renderGraph(shell.graph.querySelector('.graph'), data.graph, state);
      if (focusedStep !== undefined) {
        const again = shell.timeline.querySelector(`[data-step-index="${focusedStep}"]`);
        if (again) again.focus({ preventScroll: true });
      }
    }

    function select(index, focusDetail) {
      state.selected = index;
      const p = parseHash().params;
      if (index === null) p.delete('step');
      else p.set('step', String(index));
      replaceParams(`/runs/${encodeURIComponent(runId)}`, p);
      shell.timeline.querySelectorAll('[data-testid="step"]').forEach((b) => {
        const on = Number(b.dataset.stepIndex) === index;
        b.setAttribute('aria-pressed', on ? 'true' : 'false');
        b.classList.toggle('selected', on);
      });
      const shown = index === null ? null : state.data.steps[index];
      state.detailSig = shown ? JSON.stringify(shown) : '';
      renderDetail(shell.detail, state.data, index);
      if (focusDetail) {
        shell.detail.scrollIntoView({ block: 'nearest' });
        shell.detail.focus({ preventScroll: true });
      }
    }

    // a running run's duration goes on between events
    const ticker = setInterval(() => {
      const d = state.data;
      const el = shell.header.querySelector('[data-testid="run-duration"] dd');
      if (d && el && d.run.status === 'RUNNING') {
        el.textContent = fmtDuration((d.run.durationMs || 0) + (Date.now() - state.fetchedAt));
      }
    }, 1000);
    onLeave(() => clearInterval(ticker));

    const reload = debounce(load, REFETCH_MS);
    onLeave(reload.cancel);
    state.stop = liveStream(`/api/runs/${encodeURIComponent(runId)}/events`, (e) => {
      // a started step is shown as running until the step log has it
      if (e && e.type === 'StepStarted') state.pending.set(e.stepKey, e);
      reload();
    });
    onLeave(() => {
      if (state.stop) state.stop();
      state.stop = null;
    });
    load();
  }

  function renderRunHeader(el, data, state) {
    const r = data.run;
    const used = data.budget ? data.budget.used : null;
    const live = r.status === 'RUNNING';
    put(clear(el), 
      h('div', { class: 'run-status' },
        statusBadge(r.status),
        live ? h('span', { class: 'live', 'data-testid': 'live-indicator', role: 'status' },
          liveDot(), 'live') : null,
        h('span', { class: 'workflow-name' }, 'workflow ',
          h('a', { href: `#/?workflow=${encodeURIComponent(r.workflow)}` }, r.workflow))),
      r.reason || r.message
        ? h('p', { class: `reason ${r.status === 'FAILED' ? 'reason-failed' : ''}`,
          'data-testid': 'run-reason' },
        r.reason ? h('strong', null, r.reason) : null, r.reason && r.message ? ': ' : '',
        r.message || '', r.stepKey ? h('span', { class: 'muted' }, ` (step ${r.stepKey})`) : null)
        : null,
      dl([
        ['Started', timeEl(r.started)],
        ['Duration', fmtDuration(r.durationMs), 'run-duration'],
        ['Steps', fmtNumber(data.steps.length)],
        ['Tokens', used ? tokensText(sum(data.steps, 'inputTokens'), sum(data.steps, 'outputTokens'))
          : '—', 'run-tokens'],
        ['Cost', fmtCost(used ? used.costUsd : null), 'run-cost'],
        ['Calls', used ? `${fmtNumber(used.llmCalls)} LLM · ${fmtNumber(used.toolCalls)} tool` : '—'],
      ]));
  }

  function pendingNote(state) {
    if (!state.pending.size || !state.data || state.data.run.status !== 'RUNNING') return null;
    const keys = [...state.pending.keys()];
    return h('p', { class: 'pending', 'data-testid': 'running-steps' },
      'Running now: ', keys.map((k, i) => [i ? ', ' : '', h('code', null, k)]));
  }

  function sum(steps, field) {
    return steps.reduce((a, s) => a + ((s.usage && s.usage[field]) || 0), 0);
  }

  const LIMITS = [
    ['maxHops', 'hops', 'Hops', fmtNumber],
    ['maxTokens', 'tokens', 'Tokens', fmtNumber],
    ['maxCostUsd', 'costUsd', 'Cost', fmtCost],
    ['maxLlmCalls', 'llmCalls', 'LLM calls', fmtNumber],
    ['maxToolCalls', 'toolCalls', 'Tool calls', fmtNumber],
    ['maxDurationMs', 'durationMs', 'Duration', fmtDuration],
  ];

  function renderBudget(el, budget) {
    put(clear(el), h('h2', { id: 'budget-title' }, 'Budget'));
    const limits = (budget && budget.limits) || {};
    const used = (budget && budget.used) || {};
    const rows = LIMITS.filter(([limit]) => limits[limit] !== null && limits[limit] !== undefined);
    if (!rows.length) {
      put(el, h('p', { class: 'muted' }, 'No limits set.'));
      return;
    }
    put(el, h('ul', { class: 'bars' }, rows.map(([limit, key, label, fmt]) => {
      const max = limits[limit];
      const value = used[key] || 0;
      const pct = max > 0 ? Math.min(100, (value / max) * 100) : 100;
      const level = value >= max ? 'over' : pct >= 80 ? 'high' : 'ok';
      const text = `${fmt(value)} of ${fmt(max)}`;
      return h('li', { 'data-testid': 'budget-row', 'data-limit': limit },
        h('span', { class: 'bar-label' }, label),
        h('span', { class: `bar bar-${level}`, role: 'meter', 'aria-valuemin': 0,
          'aria-valuemax': max, 'aria-valuenow': Math.min(value, max),
          'aria-valuetext': text, 'aria-label': `${label} used` },
        h('span', { class: 'bar-fill', style: { width: `${pct}%` } })),
        h('span', { class: 'bar-text' }, text));
    })));
  }

  // ------------------------------------------------------------------ timeline

  /**
   * Lanes in reading order: main first, then the lanes of each fork in the order the forks first
   * ran, and within a fork by id, numbers compared as numbers (item 2 before item 10).
   */
  function orderedLanes(lanes, steps) {
    const known = new Map(lanes.map((l) => [l.id, l]));
    for (const s of steps) if (!known.has(s.lane)) known.set(s.lane, { id: s.lane, label: s.lane });
    const fork = (id) => (id.lastIndexOf('[') > 0 ? id.slice(0, id.lastIndexOf('[')) : id);
    const first = new Map();
    steps.forEach((s, i) => {
      const f = fork(s.lane);
      if (!first.has(f)) first.set(f, i);
    });
    const rank = (l) => (l.id === '' ? -1 : first.has(fork(l.id)) ? first.get(fork(l.id)) : Infinity);
    return [...known.values()].sort((a, b) => rank(a) - rank(b)
      || a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  function renderTimeline(el, data, state, select) {
    const steps = data.steps;
    put(clear(el), h('h2', { id: 'timeline-title' }, 'Timeline'));
    if (!steps.length) {
      put(el, h('p', { class: 'muted', 'data-testid': 'no-steps' },
        data.run.status === 'RUNNING' ? 'No step has finished yet.' : 'This run has no steps.'));
      const pending = pendingNote(state);
      if (pending) put(el, pending);
      return;
    }
    const stepsEnd = Math.max(...steps.map((s) => (s.offsetMs || 0) + (s.durationMs || 0)));
    // when every step starts at the same offset (a fixed clock, or all in one millisecond), the
    // times say nothing: bars show the order of the steps instead
    const offset0 = steps[0].offsetMs || 0;
    const byOrder = steps.length > 1 ? steps.every((s) => (s.offsetMs || 0) === offset0)
      : stepsEnd <= 0;
    const running = data.run.status === 'RUNNING';
    // a running run's axis reaches now, so the time since its last step shows
    const end = running && !byOrder ? Math.max(stepsEnd, data.run.durationMs || 0) : stepsEnd;
    const span = byOrder ? steps.length : end;
    const place = (s, i) => (byOrder
      ? { left: (i / span) * 100, width: (1 / span) * 100 }
      : { left: ((s.offsetMs || 0) / span) * 100, width: ((s.durationMs || 0) / span) * 100 });

    put(el, h('p', { class: 'hint' }, byOrder
      ? 'The steps all carry the same start time (a fixed clock, or a run quicker than a millisecond), so bars show their order.'
      : `Bars: when each step ran, over ${fmtDuration(end)}.`,
    ' Select a step to see its calls.'));

    const axis = h('div', { class: 'axis', 'aria-hidden': 'true' },
      h('span', { class: 'axis-label' }),
      h('span', { class: 'axis-track' }, [0, 0.25, 0.5, 0.75, 1].map((f) =>
        h('span', { class: 'tick', style: { left: `${f * 100}%` } },
          byOrder ? (f === 0 ? 'first' : f === 1 ? 'last' : '') : fmtDuration(f * end)))));
    put(el, axis);

    const indexed = steps.map((s, i) => ({ s, i }));
    for (const lane of orderedLanes(data.lanes || [], steps)) {
      const mine = indexed.filter(({ s }) => s.lane === lane.id);
      if (!mine.length) continue;
      put(el, h('div', { class: `lane ${lane.id === '' ? 'lane-main' : ''}`, role: 'group',
        'data-testid': 'lane', 'data-lane-id': lane.id, 'aria-label': `Lane ${lane.label}` },
      h('div', { class: 'lane-title' }, lane.label),
      mine.map(({ s, i }) => stepRow(s, i, place(s, i), state, select)),
      lane.id === '' && running ? runningRow(state, byOrder ? null
        : { left: (stepsEnd / end) * 100, width: ((end - stepsEnd) / end) * 100 }) : null));
    }
  }

  function stepRow(s, i, pos, state, select) {
    const selected = state.selected === i;
    const badges = [];
    if (s.retried) {
      badges.push(h('span', { class: 'tag tag-retry', 'data-testid': 'retry-badge',
        title: `${s.attempts} attempts` }, `retried ×${s.attempts - 1}`));
    }
    if (s.status === 'SUSPENDED') badges.push(h('span', { class: 'tag tag-wait' }, 'waiting (interrupt)'));
    if (s.status === 'RESUMED') badges.push(h('span', { class: 'tag tag-resume' }, 'resumed'));
    if (s.status === 'FAILED') badges.push(h('span', { class: 'tag tag-fail' }, 'failed'));
    if (s.decision && s.decision.value !== null && s.decision.value !== undefined) {
      badges.push(h('span', { class: 'tag tag-route' }, `→ ${display(s.decision.value)}`));
    }
    const calls = s.calls ? s.calls.length : 0;
    const summary = `${s.label}, ${s.status.toLowerCase()}, ${fmtDuration(s.durationMs)}`
      + `${s.retried ? `, ${s.attempts} attempts` : ''}${calls ? `, ${calls} calls` : ''}`;
    return h('button', {
      type: 'button', class: `step st-${s.status}${selected ? ' selected' : ''}`,
      'data-testid': 'step', 'data-step-index': i, 'data-step-key': s.key,
      'data-status': s.status, 'aria-pressed': selected ? 'true' : 'false',
      'aria-controls': 'step-detail', 'aria-label': summary,
      onclick: () => select(i, true),
    },
    h('span', { class: 'step-name' },
      h('span', { class: 'step-label', 'data-testid': 'step-label' }, s.label), badges),
    h('span', { class: 'step-track' },
      h('span', { class: 'step-bar', style: {
        left: `${Math.min(pos.left, 99.4)}%`, width: `max(6px, ${pos.width}%)`,
      } })),
    h('span', { class: 'step-dur' }, fmtDuration(s.durationMs)));
  }

  /** The part of a running run after its last recorded step (not a step: nothing to open). */
  function runningRow(state, pos) {
    const keys = [...state.pending.keys()];
    return h('div', { class: 'step step-running', 'data-testid': 'step-running' },
      h('span', { class: 'step-name' }, h('span', { class: 'step-label' },
        keys.length ? keys.join(', ') : 'next step'), h('span', { class: 'tag tag-route' }, 'running')),
      h('span', { class: 'step-track' }, pos ? h('span', { class: 'step-bar', style: {
        left: `${Math.min(pos.left, 99.4)}%`, width: `max(6px, ${pos.width}%)` } }) : null),
      h('span', { class: 'step-dur' }, pos ? '…' : ''));
  }

  function display(v) {
    if (isHidden(v)) return 'hidden';
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  // ------------------------------------------------------------------ step detail

  function renderDetail(el, data, index) {
    clear(el);
    const s = data && index !== null && index !== undefined ? data.steps[index] : null;
    if (!s) {
      put(el, h('h2', { id: 'detail-title' }, 'Step'),
        h('p', { class: 'muted' }, 'Select a step in the timeline (click it, or Tab to it and press Enter) to see its output, decision and calls.'));
      el.dataset.stepKey = '';
      return;
    }
    el.dataset.stepKey = s.key;
    el.dataset.stepIndex = index;
    const u = s.usage || {};
    put(el, 
      h('h2', { id: 'detail-title' }, 'Step ', h('span', { 'data-testid': 'detail-label' }, s.label)),
      h('p', { class: 'step-meta' }, statusBadge(s.status), ' ', h('code', null, s.key),
        s.kind ? ` · ${s.kind}` : '', s.role && s.role !== 'linear' ? ` · ${s.role}` : ''),
      dl([
        ['Started', timeEl(s.started)],
        ['Duration', fmtDuration(s.durationMs)],
        ['Attempts', s.retried ? h('span', { class: 'tag tag-retry' }, `${s.attempts} (retried)`)
          : fmtNumber(s.attempts)],
        ['Tokens', tokensText(u.inputTokens, u.outputTokens)],
        ['Cost', fmtCost(u.costUsd)],
        s.loop ? ['Loop', `${s.loop.edge}: iteration ${s.loop.iteration} of ${s.loop.max}`] : null,
      ]),
      s.error ? h('div', { class: 'error-box', 'data-testid': 'step-error' },
        h('h3', null, 'Error'), h('pre', { class: 'text' }, s.error)) : null,
      s.decision ? decisionView(s.decision) : null,
      h('details', { class: 'block', open: true }, h('summary', null, h('h3', null, 'Output')),
        contentView(s.output, { empty: 'no output' })),
      messagesView(s.messages),
      callsView(s.calls || []));
  }

  function decisionView(d) {
    const rec = d.recommended;
    const agrees = rec && rec.edge !== null && display(rec.edge) === display(d.value);
    return h('section', { class: 'block decision', 'data-testid': 'decision' },
      h('h3', null, 'Decision'),
      dl([
        ['Route', d.route ? h('code', null, d.route) : '(the output itself)'],
        ['Value', h('strong', { 'data-testid': 'decision-value' }, display(d.value))],
        ['Router recommended', rec
          ? [h('strong', null, display(rec.edge)),
            rec.score !== null && rec.score !== undefined ? ` (score ${Number(rec.score).toFixed(2)}`
              + `${rec.confidence !== null && rec.confidence !== undefined && !isHidden(rec.confidence)
                ? `, confidence ${typeof rec.confidence === 'number' ? rec.confidence.toFixed(2) : display(rec.confidence)}` : ''})` : '',
            ' ', h('span', { class: `tag ${agrees ? 'tag-ok' : 'tag-wait'}` },
              agrees ? 'followed' : 'overridden')]
          : h('span', { class: 'muted' }, 'no router informed this decision')],
      ]));
  }

  function messagesView(messages) {
    if (isHidden(messages)) {
      return h('section', { class: 'block' }, h('h3', null, 'Messages sent'), hiddenNote());
    }
    if (!Array.isArray(messages) || !messages.length) return null;
    return h('section', { class: 'block', 'data-testid': 'agent-messages' },
      h('h3', null, 'Messages sent'),
      h('ul', { class: 'messages' }, messages.map((m) => h('li', null,
        h('span', { class: 'role' }, `to ${m && m.to ? m.to : '?'}`),
        contentView(m && m.text !== undefined ? m.text : m)))));
  }

  function callsView(calls) {
    if (!calls.length) {
      return h('section', { class: 'block' }, h('h3', null, 'Calls'),
        h('p', { class: 'muted' }, 'No LLM or tool calls in this step.'));
    }
    const llm = calls.filter((c) => c.kind === 'llm').length;
    const tool = calls.filter((c) => c.kind === 'tool').length;
    return h('section', { class: 'block', 'data-testid': 'calls' },
      h('h3', null, `Calls (${llm} LLM, ${tool} tool${calls.length > llm + tool
        ? `, ${calls.length - llm - tool} other` : ''})`),
      h('ol', { class: 'calls' }, inIndexOrder(calls).map((c) => h('li', null, callView(c)))));
  }

  /**
   * Calls in the order the step made them (their index), as records may be appended out of it;
   * as recorded when an index repeats (a retried step starts counting again).
   */
  function inIndexOrder(calls) {
    if (new Set(calls.map((c) => c.index)).size !== calls.length) return calls;
    return [...calls].sort((a, b) => a.index - b.index);
  }

  function callView(c) {
    const u = c.usage || {};
    const title = c.kind === 'llm' ? 'LLM' : c.kind === 'tool' ? 'Tool'
      : c.kind === 'intent' ? 'Intent (no result recorded)' : c.kind;
    const head = h('summary', null,
      h('span', { class: `kind kind-${c.kind}` }, title), ' ',
      h('strong', { class: 'call-name', 'data-testid': 'call-name' }, c.name),
      h('span', { class: 'muted' }, ` #${c.index} · ${fmtDuration(c.durationMs)}`
        + `${c.kind === 'llm' ? ` · ${tokensText(u.inputTokens, u.outputTokens)} · ${fmtCost(u.costUsd)}` : ''}`),
      c.effect ? h('span', { class: 'tag tag-effect' }, c.effect) : null);
    let body;
    if (c.kind === 'llm') body = llmBody(c);
    else if (c.kind === 'tool' || c.kind === 'intent') body = toolBody(c);
    else {
      body = [h('h4', null, 'Request'), contentView(c.request), h('h4', null, 'Response'),
        contentView(c.response)];
    }
    return h('details', { class: `call call-${c.kind}`, 'data-testid': 'call',
      'data-call-kind': c.kind, 'data-call-name': c.name }, head, h('div', { class: 'call-body' }, body));
  }

  function llmBody(c) {
    const parts = [];
    parts.push(h('h4', null, 'Messages'));
    if (isHidden(c.messages)) parts.push(hiddenNote());
    else if (Array.isArray(c.messages) && c.messages.length) {
      parts.push(h('ol', { class: 'messages' }, c.messages.map((m) => h('li', null,
        h('span', { class: `role role-${m.role}` }, m.role || '?'),
        contentView(m.text !== undefined ? m.text : m)))));
    } else parts.push(h('p', { class: 'muted' }, 'none recorded'));

    parts.push(contextView(c.context));

    if (isHidden(c.toolCalls)) {
      parts.push(h('h4', null, 'Tool calls requested'), hiddenNote());
    } else if (Array.isArray(c.toolCalls) && c.toolCalls.length) {
      parts.push(h('h4', null, 'Tool calls requested'),
        h('ul', { class: 'tool-requests' }, c.toolCalls.map((t) => h('li', null,
          h('strong', null, t.name), contentView(maybeJson(t.arguments))))));
    }
    parts.push(h('h4', null, 'Answer'));
    parts.push(isHidden(c.text) ? hiddenNote()
      : c.text === null || c.text === undefined
        ? h('p', { class: 'muted' }, c.toolCalls && c.toolCalls.length ? 'no text: the model asked for tools' : 'no text')
        : contentView(maybeJson(c.text)));
    parts.push(rawView(c));
    return parts;
  }

  function contextView(ctx) {
    if (!ctx || typeof ctx !== 'object') return null;
    const sections = Array.isArray(ctx.sections) ? ctx.sections : [];
    return h('div', { class: 'context', 'data-testid': 'context' },
      h('h4', null, 'Context', ctx.profile ? ` (profile ${ctx.profile}` : '',
        ctx.profile && ctx.tokens !== undefined ? `, ${fmtNumber(ctx.tokens)} of ${fmtNumber(ctx.max_tokens)} tokens)` : ctx.profile ? ')' : ''),
      sections.length ? h('table', { class: 'mini' },
        h('thead', null, h('tr', null, ['Section', 'Tokens', 'Included', 'Cut'].map((c) =>
          h('th', { scope: 'col' }, c)))),
        h('tbody', null, sections.map((s) => h('tr', { class: s.cut ? 'cut' : null },
          h('td', null, s.section || s.name || '?'),
          h('td', { class: 'num' }, fmtNumber(s.tokens)),
          h('td', { class: 'num' }, s.kept === undefined ? '—' : fmtNumber(s.kept)),
          h('td', { class: 'num' }, s.cut ? h('strong', null, fmtNumber(s.cut)) : '0'))))) : null);
  }

  function toolBody(c) {
    return [
      h('h4', null, 'Arguments'), contentView(c.arguments),
      h('h4', null, 'Result'),
      c.kind === 'intent' ? h('p', { class: 'muted' }, 'The call was announced but no result was recorded (it may not have completed).')
        : contentView(c.result),
      dl([
        ['Effect', c.effect ? h('code', { 'data-testid': 'call-effect' }, c.effect) : '—'],
        ['Idempotency key', c.idempotencyKey
          ? h('code', { 'data-testid': 'call-idempotency-key' }, c.idempotencyKey) : '—'],
      ]),
      rawView(c),
    ];
  }

  function rawView(c) {
    if (c.request === undefined && c.response === undefined) return null;
    return h('details', { class: 'raw' }, h('summary', null, 'Raw request and response'),
      h('h5', null, 'Request'), contentView(c.request), h('h5', null, 'Response'),
      contentView(c.response));
  }

  function renderIo(el, data) {
    put(clear(el), h('h2', { id: 'io-title' }, 'Input and output'),
      h('div', { class: 'io-grid' },
        h('div', null, h('h3', null, 'Input'), contentView(data.run.input, { empty: 'no input' })),
        h('div', null, h('h3', null, 'Output'), contentView(data.run.output,
          { empty: data.run.status === 'RUNNING' ? 'not finished yet' : 'no output' }))));
  }

  // ------------------------------------------------------------------ graph

  let mermaidLoading = null;
  let graphSeq = 0;

  /** Mermaid (3 MB), loaded from the jar the first time a graph is drawn; null if it fails. */
  function loadMermaid() {
    if (!mermaidLoading) {
      mermaidLoading = new Promise((resolve) => {
        const script = h('script', { src: 'vendor/mermaid/mermaid.min.js' });
        script.onload = () => {
          window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict',
            theme: 'default', flowchart: { htmlLabels: false } });
          resolve(window.mermaid);
        };
        script.onerror = () => resolve(null);
        document.head.append(script);
      });
    }
    return mermaidLoading;
  }

  async function renderGraph(el, graph, state) {
    const text = graph && graph.mermaid;
    if (text === state.mermaidText) return; // unchanged (drawn, or being drawn)
    state.mermaidText = text;
    if (!text) {
      put(clear(el), h('p', { class: 'muted' }, 'The workflow of this run is not in the configuration: no graph.'));
      return;
    }
    const mermaid = await loadMermaid();
    if (state.mermaidText !== text) return; // a newer graph came meanwhile
    if (!mermaid) {
      put(clear(el), h('p', { class: 'warning' }, 'Mermaid did not load: the graph as text:'),
        h('pre', { class: 'text' }, text));
      return;
    }
    const id = `graph-svg-${++graphSeq}`;
    try {
      const { svg } = await mermaid.render(id, text);
      if (state.mermaidText !== text) return; // a newer graph came meanwhile
      // Mermaid's output (strict security level: labels sanitised), not API text
      el.innerHTML = svg;
      const svgEl = el.querySelector('svg');
      if (svgEl) {
        svgEl.setAttribute('aria-hidden', 'true');
        svgEl.setAttribute('focusable', 'false');
      }
      const taken = (graph.taken || []).join(' → ');
      el.setAttribute('aria-label', taken ? `The workflow graph; the run went through ${taken}`
        : 'The workflow graph');
      el.dataset.rendered = 'true';
    } catch (err) {
      const stray = document.getElementById(`d${id}`);
      if (stray) stray.remove();
      put(clear(el), h('p', { class: 'warning' }, `Mermaid could not draw the graph (${err.message || err}):`),
        h('pre', { class: 'text' }, text));
    }
  }

  // ------------------------------------------------------------------ registry page

  async function showRegistry() {
    document.title = 'Registry · agentrt inspector';
    render(h('h1', { id: 'registry-title' }, 'Registry'), h('p', { class: 'muted' }, 'Loading…'));
    let r;
    try {
      r = await api('/api/registry');
    } catch (err) {
      render(h('h1', null, 'Registry'), errorBox(err, 'the registry'));
      return;
    }
    if (parseHash().path !== '/registry') return;
    setMode(r.telemetry && r.telemetry.mode);
    const reach = (v) => (v === true ? h('span', { class: 'ok', title: 'reachable' }, '✓', h('span', { class: 'sr-only' }, ' reachable'))
      : v === false ? h('span', { class: 'bad', title: 'not reachable' }, '✗', h('span', { class: 'sr-only' }, ' not reachable'))
        : h('span', { class: 'unknown', title: 'unknown' }, '?', h('span', { class: 'sr-only' }, ' unknown')));
    const tags = (list) => (list && list.length ? list.map((t) => h('span', { class: 'tag' }, t)) : '—');
    const table = (testid, caption, cols, rows) => h('table', { class: 'registry', 'data-testid': testid },
      h('caption', null, caption),
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: cols.length, class: 'muted' }, 'none'))));
    const jvm = r.jvm || {};
    const heapPct = jvm.heapMaxBytes > 0 ? (jvm.heapUsedBytes / jvm.heapMaxBytes) * 100 : 0;
    render(
      h('h1', { id: 'registry-title' }, 'Registry'),
      h('div', { class: 'registry-grid' },
        h('section', { class: 'card', 'aria-labelledby': 'models-title' },
          h('h2', { id: 'models-title' }, 'Models'),
          table('models', 'Models of config.yml, with whether each can be reached',
            ['Name', 'Provider', 'Model', 'Reachable', 'Detail'],
            (r.models || []).map((m) => h('tr', { 'data-testid': 'model-row', 'data-model': m.name,
              'data-reachable': String(m.reachable) },
            h('td', null, h('strong', null, m.name)), h('td', null, m.provider),
            h('td', null, m.model || '—'), h('td', { class: 'center' }, reach(m.reachable)),
            h('td', { class: 'small' }, m.detail || ''))))),
        h('section', { class: 'card side', 'aria-labelledby': 'runtime-title' },
          h('h2', { id: 'runtime-title' }, 'Runtime'),
          dl([
            ['Telemetry mode', h('strong', { 'data-testid': 'telemetry-mode' }, (r.telemetry && r.telemetry.mode) || '—')],
            ['Store', r.store ? [reach(r.store.open), ' ', h('strong', null, r.store.type), ' ',
              h('span', { class: 'small' }, r.store.detail || '')] : '—', 'store'],
            ['Java', jvm.javaVersion || '—'],
            ['Processors', fmtNumber(jvm.processors)],
            ['Heap', [`${fmtBytes(jvm.heapUsedBytes)} of ${fmtBytes(jvm.heapMaxBytes)}`,
              h('span', { class: `bar ${heapPct >= 80 ? 'bar-high' : 'bar-ok'}`, role: 'meter',
                'aria-label': 'Heap used', 'aria-valuemin': 0, 'aria-valuemax': 100,
                'aria-valuenow': Math.round(heapPct) }, h('span', { class: 'bar-fill', style: { width: `${heapPct}%` } }))]],
            ['Threads', fmtNumber(jvm.threads)],
            ['Uptime', fmtDuration(jvm.uptimeMs)],
            ['Capability tags', tags(r.tags)],
          ])),
        h('section', { class: 'card wide', 'aria-labelledby': 'agents-title' },
          h('h2', { id: 'agents-title' }, 'Agents'),
          table('agents', 'Agents', ['Agent', 'Description', 'Model', 'Tools', 'Tags'],
            (r.agents || []).map((a) => h('tr', { 'data-testid': 'agent-row' },
              h('td', null, h('strong', null, a.id)), h('td', null, a.description || ''),
              h('td', null, a.model || '—'),
              h('td', null, a.tools && a.tools.length ? a.tools.map((t) => h('code', { class: 'chip' }, t)) : '—'),
              h('td', null, tags(a.tags)))))),
        h('section', { class: 'card', 'aria-labelledby': 'workflows-title' },
          h('h2', { id: 'workflows-title' }, 'Workflows'),
          table('workflows', 'Workflows (a name lists its runs)', ['Workflow', 'Description', 'Nodes'],
            (r.workflows || []).map((w) => h('tr', { 'data-testid': 'workflow-row' },
              h('td', null, h('a', { href: `#/?workflow=${encodeURIComponent(w.id)}` }, w.id)),
              h('td', null, w.description || ''), h('td', { class: 'num' }, fmtNumber(w.nodes)))))),
        h('section', { class: 'card side', 'aria-labelledby': 'tools-title' },
          h('h2', { id: 'tools-title' }, 'Tools'),
          table('tools', 'Tools of the tool bus', ['Tool', 'Description', 'Tags'],
            (r.tools || []).map((t) => h('tr', { 'data-testid': 'tool-row' },
              h('td', null, h('code', null, t.name)), h('td', { class: 'small' }, t.description || ''),
              h('td', null, tags(t.tags))))))));
  }

  // ------------------------------------------------------------------ start

  async function loadMode() {
    // the runs page does not say the mode: the registry does (its model probes are cached)
    try {
      const r = await api('/api/registry');
      if (modeBadge.hidden) setMode(r.telemetry && r.telemetry.mode);
    } catch (e) {
      // the pages say what is wrong when they load
    }
  }

  route();
  loadMode();
})();
