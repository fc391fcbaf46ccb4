// 案件队列: GET /applications in its own order (deadlines first), filters kept in the
// address, keyset pages (the cursors seen are kept for 上一页), j/k/Enter, batch approval.
(function () {
  const { h, boot, fail, flash, label } = window.staffUi;
  const PAGE_SIZE = 20;
  const form = document.getElementById('filters');
  const params = new URLSearchParams(location.search);
  const cursors = [null]; // the cursor of each page seen, for going back
  let page = 0;
  let items = [];
  let selected = -1;
  let me = null;

  async function regionOptions(select, parentCode, chosen) {
    await window.staffUi.regionOptions(select, parentCode, '全部');
    select.value = chosen || '';
  }

  async function setUpFilters() {
    form.status.value = params.get('status') || '';
    form.type.value = params.get('type') || '';
    form.overdue.checked = params.get('overdue') === 'true';
    const region = params.get('region_code') || '';
    const myLevel = me.region && me.region.code;
    if (me.role === 'county_staff') {
      const township = region ? region.slice(0, 6) + '000000' : '';
      await regionOptions(form.township, myLevel, township);
      await regionOptions(form.village, township, region);
    } else {
      form.township.closest('label').hidden = true;
      await regionOptions(form.village, myLevel, region);
    }
    form.township.addEventListener('change', () => regionOptions(form.village, form.township.value, ''));
  }

  function query(cursor) {
    const q = new URLSearchParams({ limit: PAGE_SIZE });
    for (const name of ['status', 'type', 'overdue']) if (params.get(name)) q.set(name, params.get(name));
    if (params.get('region_code')) q.set('region_code', params.get('region_code'));
    if (cursor) q.set('cursor', cursor);
    return q;
  }

  function select(index) {
    const rows = document.querySelectorAll('#queue tbody tr[data-id]');
    if (!rows.length) return;
    selected = Math.max(0, Math.min(index, rows.length - 1));
    rows.forEach((row, n) => {
      row.classList.toggle('selected', n === selected);
      row.setAttribute('aria-selected', n === selected ? 'true' : 'false');
    });
    rows[selected].scrollIntoView({ block: 'nearest' });
  }

  function batchBox(item) {
    if (!item.allowed_actions.includes('county_approve')) return null;
    return h('input', {
      type: 'checkbox', class: 'pick', 'aria-label': `选择 ${item.number}`,
      dataset: { id: item.id, version: item.version },
    });
  }

  async function load() {
    const answer = await window.staffApi.get('/applications?' + query(cursors[page]));
    items = answer.items;
    const batch = me.role === 'county_staff' && items.some((i) => i.allowed_actions.includes('county_approve'));
    document.getElementById('batch').hidden = !batch;
    const table = window.staffCases.caseTable(items, {
      select: batch ? batchBox : null,
      caption: `第 ${page + 1} 页,每页 ${PAGE_SIZE} 件,按办理期限排列`,
    });
    document.getElementById('queue').replaceChildren(table);
    cursors[page + 1] = answer.next_cursor;
    document.getElementById('prev').disabled = page === 0;
    document.getElementById('next').disabled = !answer.next_cursor;
    selected = -1;
    if (items.length) select(0);
  }

  async function approveBatch() {
    const picks = [...document.querySelectorAll('#queue input.pick:checked')];
    if (!picks.length) {
      flash('请先勾选要批准的案件', 'error');
      return;
    }
    const body = {
      action: 'county_approve',
      items: picks.map((box) => ({ id: Number(box.dataset.id), version: Number(box.dataset.version) })),
    };
    const answer = await window.staffApi.post('/applications/batch-actions', body);
    const numbers = Object.fromEntries(items.map((item) => [item.id, item.number]));
    document.getElementById('batch-result').replaceChildren(
      ...answer.items.map((outcome) =>
        h('li', { class: outcome.ok ? '' : 'overdue' },
          `${numbers[outcome.id]}:`,
          outcome.ok ? label('status', outcome.status) : outcome.error.message),
      ),
    );
    const done = answer.items.filter((o) => o.ok).length;
    flash(`已批准 ${done} 件,未成功 ${answer.items.length - done} 件`, done ? 'ok' : 'error');
    await load();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const name of ['status', 'type']) if (form[name].value) q.set(name, form[name].value);
    const region = form.village.value || form.township.value;
    if (region) q.set('region_code', region);
    if (form.overdue.checked) q.set('overdue', 'true');
    location.assign('/staff/queue' + (q.toString() ? '?' + q : ''));
  });

  document.addEventListener('keydown', (event) => {
    // Typing stays typing; Enter on a button or link keeps its own meaning.
    if (event.target.closest('input, select, textarea, dialog')) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'j') select(selected + 1);
    else if (event.key === 'k') select(selected - 1);
    else if (event.key === 'Enter' && selected >= 0 && !event.target.closest('button, a')) {
      location.assign(`/staff/cases/${items[selected].id}`);
    }
  });

  document.getElementById('next').addEventListener('click', () => { page += 1; load().catch(fail); });
  document.getElementById('prev').addEventListener('click', () => { page -= 1; load().catch(fail); });
  document.getElementById('batch-approve').addEventListener('click', () => approveBatch().catch(fail));

  boot(['township_staff', 'county_staff'])
    .then(async (account) => {
      me = account;
      await setUpFilters();
      await load();
    })
    .catch(fail);
})();
