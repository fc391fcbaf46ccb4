// 公示: the public notice of a region as residents see it (publicity and granted list).
(function () {
  const { h, boot, fail, table, onSubmit } = window.staffUi;
  const form = document.getElementById('notice-form');
  const rows = [];
  let cursor = null;

  async function load(more) {
    if (!more) rows.length = 0;
    const q = new URLSearchParams({ region_code: form.region_code.value, limit: 50 });
    if (more && cursor) q.set('cursor', cursor);
    const page = await window.staffApi.get('/public/notices?' + q);
    rows.push(...page.items);
    cursor = page.next_cursor;
    document.getElementById('more').hidden = !cursor;
    document.getElementById('notices').replaceChildren(table(['姓名', '村(社区)', '状态', '月保障金', '公示截止', '起始月份'],
      rows.map((n) => [n.name, n.village,
        n.status === 'publicizing' ? h('span', { class: 'tag warn' }, '公示中') : h('span', { class: 'tag good' }, '已批准'),
        n.monthly_amount ? `${n.monthly_amount} 元` : '—', n.publicity_ends_on || '—', n.start_month || '—']),
      '该区域暂无公示'));
  }

  onSubmit(form, () => load(false));
  document.getElementById('more').addEventListener('click', () => load(true).catch(fail));

  boot(['township_staff', 'county_staff'])
    .then(async (me) => {
      const select = form.region_code;
      select.replaceChildren(h('option', { value: me.region.code }, `${me.region.name}(全部)`));
      const children = await window.staffApi.get(`/regions?parent_code=${me.region.code}&limit=100`);
      select.append(...children.items.map((r) => h('option', { value: r.code }, r.name)));
      await load(false);
    })
    .catch(fail);
})();
