// The classroom page of `pushpull serve`: it opens a session, follows its
// days through Server-Sent Events, draws the orbit and the curves on
// canvases, and sends the controls' changes, which the server validates.
// Plain JavaScript with no library and no build step, so that it works
// offline from the binary.
'use strict';

(function () {
  const speeds = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 45, 60];
  const platforms = ['none', 'content', 'conversation', 'collaboration', 'contribution', 'commerce', 'curation'];
  // Marker draw order, as in the plots: the rarer, telling statuses on top.
  // Kinds: 0 deep space, 1 + status (none, customer, advocate, detractor, churned).
  const drawOrder = [0, 1, 5, 2, 4, 3];

  const $ = (id) => document.getElementById(id);
  // rem is the root font size in CSS pixels: the page scales with the
  // screen (live.css), and the canvases scale with it.
  const rem = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 20;
  const live = { session: null, look: null, state: null, source: null, dirty: true };
  window.live = live; // for the browser test and for the curious

  // ---- messages -------------------------------------------------------

  function showMessage(text, info) {
    $('message-text').textContent = text;
    $('message').classList.toggle('info', !!info);
    $('message').hidden = false;
  }
  function clearMessage() { $('message').hidden = true; }
  $('message-close').addEventListener('click', clearMessage);

  // ---- talking to the server -------------------------------------------

  async function post(path, body) {
    let resp;
    try {
      resp = await fetch(`/api/sessions/${live.session}/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (err) {
      showMessage('The server cannot be reached: is `pushpull serve` still running?');
      return null;
    }
    let answer = {};
    try { answer = await resp.json(); } catch (err) { /* an empty answer */ }
    if (!resp.ok) {
      showMessage(answer.error || `The server answered ${resp.status}.`);
      return null;
    }
    return answer;
  }

  async function control(action, extra) {
    const answer = await post('control', Object.assign({ action }, extra || {}));
    if (answer) {
      clearMessage();
      applyStatus(answer);
    }
    return answer;
  }

  // change sends one assignment, key=value, as --set takes it; on a
  // refusal the controls go back to what the server holds.
  async function change(assignment) {
    const answer = await post('set', { set: assignment });
    if (answer) clearMessage(); else renderBrands(true);
    return answer;
  }

  async function open() {
    let resp, answer;
    try {
      resp = await fetch('/api/sessions', { method: 'POST' });
      answer = await resp.json();
    } catch (err) {
      showMessage('The server cannot be reached: start it with `pushpull serve`, then reload this page.');
      return;
    }
    if (!resp.ok) {
      showMessage(answer.error || `The server answered ${resp.status}.`);
      return;
    }
    live.session = answer.session;
    live.look = answer.look;
    $('session-note').textContent =
      `Every viewer gets a simulation of their own, so students can try their own “what if” on a laptop ` +
      `without changing the one on the projector. The server runs at most ${answer.max_sessions} at once ` +
      `and closes one nobody has watched for ${formatMinutes(answer.idle_minutes)}.`;
    buildLegend();
    connect();
  }

  function connect() {
    const source = new EventSource(`/api/sessions/${live.session}/events`);
    live.source = source;
    source.addEventListener('state', (e) => onState(JSON.parse(e.data)));
    source.addEventListener('update', (e) => onUpdate(JSON.parse(e.data)));
    source.addEventListener('closed', (e) => {
      source.close();
      const reason = JSON.parse(e.data).reason;
      showMessage(`This simulation has ended: ${reason}. Reload the page to start a new one.`, true);
      setEnabled(false);
    });
    source.addEventListener('open', () => {
      if (!$('message').classList.contains('info') || $('message').hidden) return;
      clearMessage();
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        showMessage('Lost the connection to the server, or the session was closed. Reload the page to start again.');
        setEnabled(false);
      } else {
        showMessage('Reconnecting to the server…', true);
      }
    };
  }

  window.addEventListener('pagehide', () => {
    if (live.session && navigator.sendBeacon) navigator.sendBeacon(`/api/sessions/${live.session}/close`);
  });

  // ---- state ------------------------------------------------------------

  function onState(ev) {
    const st = {
      generation: ev.generation,
      scenario: ev.scenario,
      customers: ev.customers,
      status: ev.status,
      brands: ev.brands,
      marks: ev.marks || [],
      orbit: ev.orbit,
      days: [],
      series: { customers: [], advocates: [], detractors: [], churned: [] },
    };
    for (const b of ev.brands) {
      for (const k in st.series) st.series[k].push([]);
    }
    live.state = st;
    appendDays(ev.history);
    $('title').textContent = `${ev.scenario}, live`;
    document.title = `${ev.scenario}, live: pushpull`;
    let line = `${fmt(ev.customers)} customers`;
    const note = $('population-note');
    if (ev.full_customers) {
      line = `${fmt(ev.customers)} of ${fmt(ev.full_customers)} customers`;
      note.hidden = false;
      note.textContent = `This page runs ${fmt(ev.customers)} customers where the scenario has ${fmt(ev.full_customers)}, ` +
        `so that every viewer's simulation steps fast; the curves are shares of all customers, which hardly depend on it.`;
    } else {
      note.hidden = true;
    }
    $('scenario').textContent = line;
    $('scenario').title = ev.description;
    $('description').textContent = `The scenario: ${ev.description}`;
    renderBrands(true);
    renderMarks();
    applyStatus(ev.status);
    setEnabled(true);
    live.dirty = true;
  }

  function onUpdate(ev) {
    const st = live.state;
    if (!st || ev.generation !== st.generation) return; // a state event follows
    if (ev.days) appendDays(ev.days);
    if (ev.marks) { st.marks.push(...ev.marks); renderMarks(); }
    if (ev.brands) { st.brands = ev.brands; renderBrands(false); }
    if (ev.orbit) st.orbit = ev.orbit;
    applyStatus(ev.status);
    live.dirty = true;
  }

  function appendDays(rows) {
    const st = live.state;
    const n = st.customers;
    for (const row of rows) {
      st.days.push(row.day);
      for (const k in st.series) {
        row[k].forEach((v, b) => st.series[k][b].push(v / n));
      }
    }
    renderCounts();
  }

  function applyStatus(s) {
    if (!live.state || !s || !s.days) return;
    live.state.status = s;
    $('day').textContent = `day ${s.day}`;
    $('of-days').textContent = `of ${s.days}`;
    $('seed').textContent = `seed ${s.seed}`;
    renderStats(s.brands || []);
    document.body.dataset.day = s.day;
    const play = $('play');
    play.textContent = s.playing ? '❚❚ Pause' : (s.ended ? '■ Ended' : '▶ Play');
    play.disabled = s.ended && !s.playing;
    $('step').disabled = s.ended;
    const i = nearestSpeed(s.speed);
    if (document.activeElement !== $('speed')) $('speed').value = i;
    $('speed-out').textContent = `${s.speed} days/s`;
  }

  function setEnabled(on) {
    for (const el of document.querySelectorAll('header button, header input, #brands input, #brands select, #brands button, #any-key input, #any-key button')) {
      el.disabled = !on;
    }
    if (on && live.state) applyStatus(live.state.status);
  }

  // ---- header controls --------------------------------------------------

  $('play').addEventListener('click', () => {
    const s = live.state && live.state.status;
    if (s) control(s.playing ? 'pause' : 'play');
  });
  $('step').addEventListener('click', () => control('step'));
  $('reset').addEventListener('click', () => control('reset'));
  $('restore').addEventListener('click', () => control('restore'));
  $('speed').addEventListener('input', () => { $('speed-out').textContent = `${speeds[$('speed').value]} days/s`; });
  $('speed').addEventListener('change', () => control('speed', { speed: speeds[$('speed').value] }));

  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (t.closest && t.closest('input, select, textarea, button')) return;
    if (e.key === ' ') { e.preventDefault(); $('play').click(); }
    if (e.key === 'ArrowRight') { e.preventDefault(); $('step').click(); }
  });

  $('any-key').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('any-key-text').value.trim();
    if (text) change(text);
  });

  function nearestSpeed(v) {
    let best = 0;
    speeds.forEach((s, i) => { if (Math.abs(s - v) < Math.abs(speeds[best] - v)) best = i; });
    return best;
  }

  // ---- brand cards ------------------------------------------------------

  // The controls of a brand: each sends brand.NAME.KEY=VALUE.
  const sliders = [
    { key: 'push.rate', field: 'push_rate', label: 'Push budget', unit: '', title: 'Push impressions a day per customer of the market', max: 3, step: 0.05 },
    { key: 'pull.content', field: 'content', label: 'Pull content', unit: '', title: 'Pieces of content the brand publishes a day', max: 5, step: 0.25 },
    { key: 'push.overclaim', field: 'overclaim', label: 'Overclaim', unit: '0 = honest', title: 'How far its claims exceed its real quality: 0 is honest', max: 0.5, step: 0.05 },
  ];

  function renderBrands(force) {
    const st = live.state;
    if (!st) return;
    const host = $('brands');
    if (force || host.children.length !== st.brands.length) {
      host.replaceChildren(...st.brands.map((b, i) => brandCard(b, i)));
    }
    st.brands.forEach((b, i) => updateCard(host.children[i], b, force));
    renderCounts();
  }

  function brandCard(b, i) {
    const colour = live.look.brands[i];
    const card = document.createElement('article');
    card.className = 'brand';
    card.dataset.brand = b.name;
    card.style.setProperty('--brand', colour);
    card.style.setProperty('--on-brand', live.look.brand_text[i]);
    const head = document.createElement('h2');
    const name = document.createElement('span');
    name.textContent = b.strategy ? `${b.name} · ${b.strategy}` : b.name;
    const count = document.createElement('span');
    count.className = 'count';
    head.append(name, count);
    // What explains the adoption: who knows the brand, how far they trust
    // it, who shut it out, and what it earned so far.
    const stats = document.createElement('div');
    stats.className = 'stats';
    const controls = document.createElement('div');
    controls.className = 'controls';
    const set = (key, value) => change(`brand.${b.name}.${key}=${value}`);
    const id = (key) => `b${i}-${key.replace('.', '-')}`;
    const pairs = {};

    for (const s of sliders) {
      const label = labelFor(id(s.key), s.label, s.unit);
      label.title = s.title;
      const range = input('range', id(s.key));
      range.min = 0; range.max = s.max; range.step = s.step;
      range.dataset.field = s.field;
      const num = input('number', id(s.key) + '-n');
      num.step = s.step;
      num.dataset.field = s.field;
      num.setAttribute('aria-label', `${s.label}, exact value`);
      range.addEventListener('input', () => { num.value = range.value; });
      range.addEventListener('change', () => set(s.key, range.value));
      num.addEventListener('change', () => set(s.key, num.value === '' ? '""' : num.value));
      const box = document.createElement('div');
      box.className = 'value';
      box.append(range, num);
      pairs[s.key] = field('slider', label, box);
    }

    const optIn = input('checkbox', id('push.targeting'));
    optIn.dataset.field = 'targeting';
    optIn.addEventListener('change', () => set('push.targeting', optIn.checked ? 'opt_in' : 'everyone'));
    pairs['push.targeting'] = field('', optIn, labelFor(optIn.id, 'Opt-in only', ''));

    const platform = document.createElement('select');
    platform.id = id('pull.platform');
    platform.dataset.field = 'platform';
    for (const p of platforms) platform.append(new Option(p, p));
    platform.addEventListener('change', () => set('pull.platform', platform.value));
    pairs['pull.platform'] = field('', labelFor(platform.id, 'Platform', ''), platform);

    const sw = document.createElement('div');
    sw.className = 'switch';
    sw.dataset.field = 'response';
    sw.setAttribute('role', 'group');
    sw.setAttribute('aria-label', `${b.name}: incident response`);
    for (const [value, text] of [['admit', 'Admit'], ['hide', 'Hide']]) {
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.textContent = text;
      btn.dataset.value = value;
      btn.addEventListener('click', () => set('trust.response', value));
      sw.append(btn);
    }
    pairs['trust.response'] = field('', labelFor('', 'Mistakes', ''), sw);
    // Two a row: push, then pull, then honesty and trust.
    for (const key of ['push.rate', 'push.targeting', 'pull.content', 'pull.platform', 'push.overclaim', 'trust.response']) {
      controls.append(pairs[key]);
    }

    card.append(head, stats, controls);
    return card;
  }

  function labelFor(forId, text, unit) {
    const l = document.createElement('label');
    if (forId) l.htmlFor = forId;
    l.textContent = text;
    if (unit) {
      const u = document.createElement('span');
      u.className = 'unit';
      u.textContent = unit;
      l.append(u);
    }
    return l;
  }

  function field(kind, ...children) {
    const f = document.createElement('div');
    f.className = kind ? `field ${kind}` : 'field';
    f.append(...children);
    return f;
  }

  function input(type, id) {
    const el = document.createElement('input');
    el.type = type;
    el.id = id;
    return el;
  }

  // updateCard shows a brand's settings as the server holds them; a field
  // someone is typing in is left alone unless force says otherwise.
  function updateCard(card, b, force) {
    for (const el of card.querySelectorAll('[data-field]')) {
      const v = b[el.dataset.field];
      if (!force && el === document.activeElement && el.type === 'number') continue;
      if (el.type === 'checkbox') el.checked = v === 'opt_in';
      else if (el.classList.contains('switch')) {
        for (const btn of el.children) btn.setAttribute('aria-pressed', String(btn.dataset.value === v));
      } else el.value = v;
    }
  }

  function renderCounts() {
    const st = live.state;
    if (!st) return;
    const cards = $('brands').children;
    st.brands.forEach((b, i) => {
      const card = cards[i];
      const series = st.series.customers[i];
      if (!card || !series.length) return;
      const share = series[series.length - 1];
      card.querySelector('.count').textContent = `${fmt(Math.round(share * st.customers))} customers · ${Math.round(share * 100)}%`;
    });
  }

  function renderStats(now) {
    const st = live.state;
    const cards = $('brands').children;
    const pct = (n) => `${Math.round(100 * n / st.customers)}%`;
    now.forEach((x, i) => {
      const el = cards[i] && cards[i].querySelector('.stats');
      if (!el) return;
      el.textContent = `aware ${pct(x.aware)} · trust ${x.trust.toFixed(2)} · blocked ${pct(x.blocked)} · profit ${money(x.profit)}`;
      el.title = 'aware: share of all customers who know the brand; trust: mean trust among them (0.5 neutral); ' +
        'blocked: share who blocked its push; profit: margin less spend since day 1';
    });
  }

  // money writes an amount the way a slide would: 12.3k, -1.2M.
  function money(v) {
    const a = Math.abs(v);
    if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
    if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
    return `${Math.round(v)}`;
  }

  function renderMarks() {
    const st = live.state;
    const list = $('marks');
    list.replaceChildren(...st.marks.slice().reverse().map((m) => {
      const li = document.createElement('li');
      li.value = m.n;
      const dot = document.createElement('span');
      dot.className = 'swatch';
      dot.style.background = live.look.brands[m.brand];
      li.append(dot, `from day ${m.day + 1}: ${m.label}`);
      li.title = m.set;
      return li;
    }));
  }

  // ---- drawing ----------------------------------------------------------

  function buildLegend() {
    const items = [
      [3, 'advocate'], [2, 'customer'], [4, 'detractor'], [5, 'churned'], [1, 'drawn in, no purchase'], [0, 'no brand'],
    ];
    const head = document.createElement('li');
    const b = document.createElement('b');
    b.textContent = 'In the orbit:';
    head.append(b);
    $('legend').replaceChildren(head, ...items.map(([kind, text]) => {
      const li = document.createElement('li');
      const c = document.createElement('canvas');
      c.width = 40; c.height = 40;
      const ctx = c.getContext('2d');
      ctx.scale(2, 2);
      marker(ctx, kind, 10, 10, 1.8);
      li.append(c, text);
      return li;
    }));
  }

  // sizeCanvas matches a canvas to its size on screen, for sharp lines on
  // any display, and returns its context in CSS pixels.
  function sizeCanvas(canvas) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx, w, h };
  }

  function draw() {
    if (live.dirty && live.state) {
      live.dirty = false;
      drawOrbit();
      const st = live.state;
      drawChart($('chart-adoption'), [{ data: st.series.customers }]);
      drawChart($('chart-advocacy'), [{ data: st.series.advocates }, { data: st.series.detractors, dash: true }]);
      drawChart($('chart-churn'), [{ data: st.series.churned }]);
    }
    requestAnimationFrame(draw);
  }

  function drawOrbit() {
    const canvas = $('orbit');
    const { ctx, w } = sizeCanvas(canvas);
    const look = live.look, lay = look.layout, st = live.state;
    const R = w / 2 - 2, c = w / 2;
    const at = (x, y) => [c + R * x, c - R * y];
    // The plots draw the orbit on a 720-pixel square; markers scale with it.
    const k = w / 720 * 1.5;
    ctx.clearRect(0, 0, w, w);
    circle(ctx, c, c, R, look.space_ring);
    circle(ctx, c, c, R * lay.deep_space, '#FFFFFF');
    lay.planets.forEach((p, b) => {
      const [x, y] = at(p[0], p[1]);
      circle(ctx, x, y, R * lay.well, tint(look.brands[b], look.well_tint));
    });
    const pts = st.orbit.points, s = lay.scale;
    for (const kind of drawOrder) {
      for (let i = 0; i < pts.length; i += 3) {
        if (pts[i + 2] !== kind) continue;
        const [x, y] = at(pts[i] / s, pts[i + 1] / s);
        marker(ctx, kind, x, y, k);
      }
    }
    // Names go inside the planets when every one fits there at a size a
    // class reads, else all under them on white cards, as in the plots.
    const core = R * lay.core;
    const least = 0.85 * rem();
    const fits = (name, width, most) => {
      for (let size = most; size >= least; size--) {
        ctx.font = `700 ${size}px system-ui, sans-serif`;
        if (ctx.measureText(name).width <= width) return size;
      }
      return 0;
    };
    const names = st.brands.map((b) => b.name);
    const inside = names.every((n) => fits(n, core * 1.6, Math.min(1.3 * rem(), core * 0.6)) > 0);
    ctx.textAlign = 'center';
    lay.planets.forEach((p, b) => {
      const [x, y] = at(p[0], p[1]);
      circle(ctx, x, y, core + 2, '#FFFFFF');
      circle(ctx, x, y, core, look.brands[b]);
      if (inside) {
        fits(names[b], core * 1.6, Math.min(1.3 * rem(), core * 0.6));
        ctx.fillStyle = look.brand_text[b];
        ctx.textBaseline = 'middle';
        ctx.fillText(names[b], x, y);
        return;
      }
      const size = fits(names[b], R * lay.well * 1.6, 1.1 * rem()) || least;
      ctx.font = `700 ${size}px system-ui, sans-serif`;
      const tw = Math.min(ctx.measureText(names[b]).width, R * lay.well * 1.8);
      const top = y + core + 4;
      ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
      roundRect(ctx, x - tw / 2 - 5, top, tw + 10, size * 1.3, size * 0.3);
      ctx.fill();
      ctx.fillStyle = '#1a1a1a';
      ctx.textBaseline = 'top';
      ctx.fillText(names[b], x, top + size * 0.15, R * lay.well * 1.8);
    });
  }

  function roundRect(ctx, x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y);
    ctx.arcTo(x + w, y, x + w, y + h, r);
    ctx.arcTo(x + w, y + h, x, y + h, r);
    ctx.arcTo(x, y + h, x, y, r);
    ctx.arcTo(x, y, x + w, y, r);
    ctx.closePath();
  }

  function marker(ctx, kind, x, y, k) {
    const look = live.look;
    const colour = kind === 0 ? look.deep_space : look.status[kind - 1];
    const shape = kind === 0 ? 'deep' : look.markers[kind - 1];
    switch (shape) {
      case 'deep': circle(ctx, x, y, 2 * k, colour); break;
      case 'dot': circle(ctx, x, y, 2.2 * k, colour); break;
      case 'disc': circle(ctx, x, y, 3.2 * k, colour); break;
      case 'triangle': {
        const r = 5 * k;
        ctx.beginPath();
        ctx.moveTo(x, y - r);
        ctx.lineTo(x - r * 0.87, y + r * 0.5);
        ctx.lineTo(x + r * 0.87, y + r * 0.5);
        ctx.closePath();
        ctx.fillStyle = colour;
        ctx.fill();
        break;
      }
      case 'cross': {
        const r = 3.6 * k;
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.8 * k;
        ctx.beginPath();
        ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r);
        ctx.moveTo(x - r, y + r); ctx.lineTo(x + r, y - r);
        ctx.stroke();
        break;
      }
      case 'ring': {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.3 * k;
        ctx.beginPath();
        ctx.arc(x, y, 3.2 * k, 0, 2 * Math.PI);
        ctx.stroke();
        break;
      }
    }
  }

  function circle(ctx, x, y, r, colour) {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
  }

  // drawChart draws shares of the market against days, one line per
  // brand and layer, with the changes numbered where they apply.
  function drawChart(canvas, layers) {
    const { ctx, w, h } = sizeCanvas(canvas);
    const st = live.state;
    const days = st.status.days;
    let top = 0;
    for (const layer of layers) for (const line of layer.data) for (const v of line) top = Math.max(top, v);
    const r = rem();
    const font = Math.round(0.8 * r);
    const ticks = h < 7 * r ? 2 : 4;
    const [ymax, tick] = niceScale(top, ticks);
    // Room on the right for the brands' names at the ends of their lines.
    ctx.font = `700 ${font}px system-ui, sans-serif`;
    const labelWidth = Math.max(...st.brands.map((b) => ctx.measureText(b.name).width)) + 0.7 * font;
    const left = 3.4 * font, right = labelWidth + 0.6 * font, upper = 1.2 * font, lower = 1.6 * font;
    const pw = w - left - right, ph = h - upper - lower;
    const X = (d) => left + pw * d / days;
    const Y = (v) => upper + ph * (1 - v / ymax);
    ctx.clearRect(0, 0, w, h);
    ctx.font = `${font}px system-ui, sans-serif`;
    ctx.fillStyle = '#555';
    ctx.strokeStyle = '#e2e2e2';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i * tick <= ymax + 1e-9; i++) {
      const v = i * tick;
      ctx.beginPath(); ctx.moveTo(left, Y(v)); ctx.lineTo(left + pw, Y(v)); ctx.stroke();
      ctx.fillText(`${Math.round(v * 1000) / 10}%`, left - 0.4 * font, Y(v));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const every = days > 600 ? 180 : days > 250 ? 60 : days > 100 ? 30 : days > 40 ? 10 : 5;
    for (let d = 0; d <= days; d += every) ctx.fillText(`${d}`, X(d), upper + ph + 0.3 * font);
    // Where the run stands.
    const today = st.days.length ? st.days[st.days.length - 1] : 0;
    ctx.fillStyle = '#f3f3f3';
    ctx.fillRect(X(today), upper, left + pw - X(today), ph);
    // Changes: a dashed line where each applies, numbered at the top.
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 2;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.font = `700 ${font}px system-ui, sans-serif`;
    let free = -Infinity; // labels of changes close together go side by side
    for (const m of st.marks) {
      const x = X(m.day + 0.5);
      ctx.strokeStyle = live.look.brands[m.brand];
      ctx.beginPath(); ctx.moveTo(x, upper); ctx.lineTo(x, upper + ph); ctx.stroke();
      ctx.fillStyle = '#1a1a1a';
      const lx = Math.max(x + 3, free);
      ctx.fillText(String(m.n), lx, 1);
      free = lx + ctx.measureText(String(m.n)).width + 5;
    }
    ctx.setLineDash([]);
    // Lines: thick, and dashed for the second layer (detractors).
    ctx.lineWidth = Math.max(3, 0.18 * r);
    ctx.lineJoin = 'round';
    for (const layer of layers) {
      ctx.setLineDash(layer.dash ? [9, 6] : []);
      layer.data.forEach((line, b) => {
        ctx.strokeStyle = live.look.brands[b];
        ctx.beginPath();
        line.forEach((v, i) => {
          const x = X(st.days[i]), y = Y(v);
          if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
        });
        ctx.stroke();
      });
    }
    ctx.setLineDash([]);
    endLabels(ctx, layers[0].data, X(today), Y, upper, upper + ph, font);
    canvas.dataset.points = String(st.days.length);
  }

  // endLabels names each brand at the end of its line, on a tag of its
  // colour, moving tags apart where lines run close together.
  function endLabels(ctx, lines, x, Y, top, bottom, font) {
    const h = 1.3 * font;
    const tags = lines.map((line, b) => ({ b, y: line.length ? Y(line[line.length - 1]) : bottom }))
      .sort((p, q) => p.y - q.y);
    for (let i = 0; i < tags.length; i++) {
      tags[i].y = Math.min(Math.max(tags[i].y, top + h / 2, i ? tags[i - 1].y + h + 2 : -Infinity), bottom - h / 2);
    }
    for (let i = tags.length - 2; i >= 0; i--) tags[i].y = Math.min(tags[i].y, tags[i + 1].y - h - 2);
    ctx.font = `700 ${font}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const t of tags) {
      const name = live.state.brands[t.b].name;
      const w = ctx.measureText(name).width + 0.6 * font;
      ctx.fillStyle = live.look.brands[t.b];
      roundRect(ctx, x + 0.3 * font, t.y - h / 2, w, h, 0.25 * font);
      ctx.fill();
      ctx.fillStyle = live.look.brand_text[t.b];
      ctx.fillText(name, x + 0.6 * font, t.y + 0.05 * font);
    }
  }

  // niceScale picks the top of a share axis and its tick step: round
  // steps (1, 2, 2.5 or 5 times a power of ten), at most ticks of them.
  function niceScale(v, ticks) {
    const top = Math.min(Math.max(v, 0.04), 1);
    for (const step of [0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25]) {
      const n = Math.ceil(top / step - 1e-9);
      if (n <= ticks) return [n * step, step];
    }
    return [1, 0.25];
  }

  // ---- small helpers ----------------------------------------------------

  function hexRGB(hex) {
    const n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  function tint(hex, f) {
    const [r, g, b] = hexRGB(hex).map((v) => Math.round(v + (255 - v) * f));
    return `rgb(${r}, ${g}, ${b})`;
  }

  function fmt(n) { return Number(n).toLocaleString('en-US'); }

  function formatMinutes(m) {
    if (m >= 1) return `${Math.round(m)} minute${Math.round(m) === 1 ? '' : 's'}`;
    return `${Math.round(m * 60)} seconds`;
  }

  // layoutOrbit makes the orbit as large a square as the first screen
  // allows beside the curves.
  function layoutOrbit() {
    const root = document.documentElement.style;
    if (window.innerWidth <= 900) {
      root.removeProperty('--orbit-size');
      return;
    }
    // What the rest of the first screen takes; never the orbit itself, so
    // that its size cannot feed back into itself.
    let used = $('orbit-panel').querySelector('h2').offsetHeight + 0.8 * rem();
    for (const el of [document.querySelector('header'), $('message'), $('brands')]) used += el.offsetHeight;
    const size = Math.floor(Math.max(13 * rem(), Math.min(window.innerHeight - used, window.innerWidth * 0.45)));
    if (root.getPropertyValue('--orbit-size') !== `${size}px`) {
      root.setProperty('--orbit-size', `${size}px`);
      live.dirty = true;
    }
  }
  const watch = new ResizeObserver(layoutOrbit);
  for (const el of [document.querySelector('header'), $('message'), $('brands')]) watch.observe(el);
  window.addEventListener('resize', layoutOrbit);
  setEnabled(false);
  requestAnimationFrame(draw);
  open();
})();
