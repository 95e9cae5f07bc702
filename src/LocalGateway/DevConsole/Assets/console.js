// SocketRelay developer console: reads /_local/api/* every second and draws the page.
// Plain browser JavaScript, no build step, no network beyond this gateway. Every value from the
// API is put into the page as text (textContent), never as HTML: message bodies come from clients.
'use strict';

const expanded = { messages: new Set(), invocations: new Set() };
const headers = { 'Content-Type': 'application/json', 'X-SocketRelay-Console': '1' };

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

const time = ms => ms == null ? '' : new Date(ms).toLocaleTimeString(undefined, { hour12: false }) + '.' + String(ms % 1000).padStart(3, '0');
const short = id => id == null ? '' : (id.length > 12 ? id.slice(0, 8) + '…' : id);
const number = n => n == null ? '–' : (Number.isInteger(n) ? n.toLocaleString() : n.toFixed(1));

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) {
    let reason = path + ' answered ' + response.status;
    try { reason = (await response.json()).error || reason; } catch (e) { /* not JSON */ }
    throw new Error(reason);
  }
  return response.json();
}

// The SQS backend keeps its dead letters in AWS (501): the rest of the page still works.
async function getDeadLetters() {
  try {
    return await getJson('/_local/api/dead-letters?limit=100');
  } catch (e) {
    return { total: 0, deadLetters: [], error: e.message };
  }
}

function stage(id, rows) {
  const list = document.querySelector('#' + id + ' dl');
  list.replaceChildren(...rows.flatMap(([name, value]) => [el('dt', { text: name }), el('dd', { text: number(value) })]));
}

function drawPipeline(p) {
  stage('stage-websocket', [['open connections', p.webSocketApi.connections], ['received', p.webSocketApi.received], ['received / s', p.webSocketApi.receivedPerSecond]]);
  stage('stage-queue', [['accepted', p.queue.accepted], ['waiting', p.queue.queueDepth], ['in flight', p.queue.inFlight], ['completed', p.queue.completed], ['dead letters', p.queue.dlqDepth], ['redriven', p.queue.redriven]]);
  stage('stage-function', [['invocations', p.function.invocations], ['invocations / s', p.function.invocationsPerSecond], ['errors', p.function.errors], ['time-outs', p.function.timeouts]]);
  stage('stage-connections', [['posts', p.connectionsApi.posts], ['delivered', p.connectionsApi.delivered], ['gone', p.connectionsApi.gone], ['failed', p.connectionsApi.failed], ['parked', p.connectionsApi.parked], ['completed, no status', p.connectionsApi.completed], ['delivered / s', p.connectionsApi.deliveredPerSecond]]);
  chart('throughput', [[p.series.received, '#2c62c0'], [p.series.delivered, '#1f8a4c'], [p.series.gone, '#6b7385'], [p.series.failed, '#c0362c']]);
  chart('latency', [[p.series.latencyAvgMs, '#7a3fc0'], [p.series.latencyMaxMs, '#b26b00']]);
}

function chart(id, lines) {
  const svg = document.getElementById(id);
  const width = 600, height = 140, top = 14;
  const max = Math.max(2, Math.ceil(Math.max(...lines.flatMap(([values]) => values))));
  const ns = 'http://www.w3.org/2000/svg';
  const shapes = [];
  for (const fraction of [0.5, 1]) {
    const y = height - (height - top) * fraction;
    const grid = document.createElementNS(ns, 'line');
    Object.entries({ x1: 0, x2: width, y1: y, y2: y, stroke: '#e3e6ec', 'stroke-width': 1 }).forEach(([k, v]) => grid.setAttribute(k, v));
    const label = document.createElementNS(ns, 'text');
    Object.entries({ x: 4, y: y + 11, fill: '#6b7385', 'font-size': 10 }).forEach(([k, v]) => label.setAttribute(k, v));
    label.textContent = number(Math.round(max * fraction));
    shapes.push(grid, label);
  }
  for (const [values, color] of lines) {
    const step = width / Math.max(1, values.length - 1);
    const points = values.map((v, i) => (i * step).toFixed(1) + ',' + (height - (height - top) * v / max).toFixed(1)).join(' ');
    const line = document.createElementNS(ns, 'polyline');
    Object.entries({ points, fill: 'none', stroke: color, 'stroke-width': 1.5, 'vector-effect': 'non-scaling-stroke' }).forEach(([k, v]) => line.setAttribute(k, v));
    shapes.push(line);
  }
  svg.replaceChildren(...shapes);
}

function chips(steps) {
  const nodes = [];
  steps.forEach((s, i) => {
    if (i > 0) nodes.push(el('span', { class: 'sep', text: '→' }));
    nodes.push(el('span', { class: 'chip ' + s.step, text: s.step, title: time(s.at) + (s.detail ? ' — ' + s.detail : '') }));
  });
  return el('div', { class: 'chips' }, ...nodes);
}

function toggle(set, key) { set.has(key) ? set.delete(key) : set.add(key); refresh(); }

function drawMessages(data) {
  const rows = [];
  for (const m of data.messages) {
    const first = m.steps.length ? m.steps[0].at : null;
    rows.push(el('tr', { class: 'row', 'data-message-id': m.messageId, 'data-status': m.status || '', onclick: () => toggle(expanded.messages, m.messageId) },
      el('td', { class: 'mono', text: time(first) }),
      el('td', { class: 'mono', text: short(m.messageId), title: m.messageId }),
      el('td', { text: m.messageGroupId || '' }),
      el('td', { class: 'mono', text: m.connectionId || '' }),
      el('td', {}, el('div', { class: 'mono body', text: (m.body || '').slice(0, 200), title: (m.bodyLength || 0) + ' characters' })),
      el('td', {}, chips(m.steps))));
    if (expanded.messages.has(m.messageId)) rows.push(journeyDetails(m));
  }
  document.querySelector('#messages tbody').replaceChildren(...rows);
}

function journeyDetails(m) {
  const start = m.steps.length ? m.steps[0].at : 0;
  const steps = m.steps.map(s => {
    const facts = [];
    if (s.invocationRequestId) facts.push('invocation ' + s.invocationRequestId);
    if (s.batchSize != null) facts.push('batch of ' + s.batchSize);
    if (s.receiveCount != null) facts.push('receive #' + s.receiveCount);
    if (s.statusCode != null) facts.push('@connections ' + s.statusCode);
    if (s.attempts != null) facts.push(s.attempts + ' attempt' + (s.attempts === 1 ? '' : 's'));
    return el('tr', { 'data-step': s.step },
      el('td', { class: 'mono', text: time(s.at) }),
      el('td', { class: 'mono muted', text: '+' + (s.at - start) + ' ms' }),
      el('td', {}, el('span', { class: 'chip ' + s.step, text: s.step })),
      el('td', { text: facts.join(', ') }),
      el('td', { class: 'muted', text: s.detail || '' }));
  });
  return el('tr', { class: 'details', 'data-journey-of': m.messageId },
    el('td', { colSpan: 6 },
      el('div', { class: 'mono muted', text: 'message ' + m.messageId + (m.requestId ? ' · request ' + m.requestId : '') }),
      el('table', { class: 'steps' }, el('tbody', {}, ...steps)),
      el('pre', { text: (m.body || '') + (m.bodyLength > (m.body || '').length ? '\n… (' + m.bodyLength + ' characters in all)' : '') })));
}

function drawInvocations(data) {
  const rows = [];
  for (const inv of data.invocations) {
    rows.push(el('tr', { class: 'row', 'data-invocation': inv.requestId, onclick: () => toggle(expanded.invocations, inv.requestId) },
      el('td', { class: 'mono', text: time(inv.startedAt) }),
      el('td', { class: 'mono', text: inv.requestId }),
      el('td', { text: inv.batchSize }),
      el('td', { text: inv.durationMs == null ? 'running' : inv.durationMs + ' ms' }),
      el('td', { text: inv.coldStart == null ? '' : (inv.coldStart ? 'yes' : 'no') }),
      el('td', { class: 'outcome-' + inv.outcome, text: (inv.outcome || '') + (inv.errorType ? ' ' + inv.errorType : '') + (inv.failed ? ' · ' + inv.failed + ' failed' : '') })));
    if (expanded.invocations.has(inv.requestId)) {
      const lines = inv.logs.map(line => typeof line === 'string' ? line : JSON.stringify(line)).join('\n');
      rows.push(el('tr', { class: 'details', 'data-logs-of': inv.requestId },
        el('td', { colSpan: 6 },
          el('div', { class: 'muted', text: inv.logs.length + ' log line(s)' + (inv.droppedLogLines ? ', ' + inv.droppedLogLines + ' more not kept' : '') + ' · messages ' + inv.messageIds.join(', ') }),
          el('pre', { class: 'logs', text: lines || '(the function wrote nothing for this invocation at the current log level)' }))));
    }
  }
  document.querySelector('#invocations tbody').replaceChildren(...rows);
}

function drawConnections(data) {
  document.querySelector('#connections tbody').replaceChildren(...data.connections.map(c =>
    el('tr', { 'data-connection': c.connectionId },
      el('td', { class: 'mono', text: c.connectionId }),
      el('td', { class: 'mono', text: time(c.connectedAt) }),
      el('td', { class: 'mono', text: time(c.lastActiveAt) }),
      el('td', { text: c.messages }),
      el('td', { class: 'muted', text: c.sourceIp + ' ' + c.userAgent }))));
}

async function act(method, path) {
  const error = document.getElementById('dlq-error');
  try {
    const response = await fetch(path, { method, headers, body: method === 'POST' ? '{}' : undefined });
    const text = await response.text();
    error.textContent = response.ok ? '' : (JSON.parse(text).error || response.status);
  } catch (e) {
    error.textContent = String(e);
  }
  refresh();
}

function drawDeadLetters(data) {
  document.getElementById('dlq-total').textContent = data.error ? '' : data.total + ' in the dead-letter queue';
  if (data.error) document.getElementById('dlq-error').textContent = data.error;
  document.getElementById('redrive-all').disabled = data.total === 0;
  document.querySelector('#dead-letters tbody').replaceChildren(...data.deadLetters.map(d =>
    el('tr', { 'data-dead-letter': d.messageId },
      el('td', { class: 'mono', text: time(d.deadLetteredTimestamp) }),
      el('td', { class: 'mono', text: short(d.messageId), title: d.messageId }),
      el('td', { text: d.messageGroupId }),
      el('td', { text: d.receiveCount }),
      el('td', { class: 'reason', text: d.reason }),
      el('td', {}, el('div', { class: 'mono body', text: d.body.slice(0, 200), title: d.body.length + ' characters' })),
      el('td', {},
        el('button', { type: 'button', class: 'redrive', text: 'Redrive', onclick: () => act('POST', '/_local/api/dead-letters/redrive?messageId=' + encodeURIComponent(d.messageId)) }),
        ' ',
        el('button', { type: 'button', class: 'delete danger', text: 'Delete', onclick: () => { if (confirm('Delete this dead letter for good?')) act('DELETE', '/_local/api/dead-letters/' + encodeURIComponent(d.messageId)); } })))));
}

let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  const live = document.getElementById('live');
  try {
    const [pipeline, messages, invocations, connections, deadLetters] = await Promise.all([
      getJson('/_local/api/pipeline'), getJson('/_local/api/messages?limit=100'), getJson('/_local/api/invocations?limit=50'),
      getJson('/_local/api/connections'), getDeadLetters()]);
    drawPipeline(pipeline);
    drawMessages(messages);
    drawInvocations(invocations);
    drawConnections(connections);
    drawDeadLetters(deadLetters);
    live.textContent = 'live · ' + new Date(pipeline.now).toLocaleTimeString(undefined, { hour12: false });
    live.className = 'live ok';
  } catch (e) {
    live.textContent = 'gateway not reachable';
    live.className = 'live down';
  } finally {
    refreshing = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('redrive-all').addEventListener('click', () => act('POST', '/_local/api/dead-letters/redrive'));
  refresh();
  setInterval(refresh, 1000);
});
