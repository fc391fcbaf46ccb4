// 近亲属备案: the signed-in staff member's own register, and adding to it.
(function () {
  const { boot, fail, flash, label, table, onSubmit, formData, dateTime } = window.staffUi;
  const rows = [];
  let cursor = null;

  async function load(more) {
    if (!more) rows.length = 0;
    const q = new URLSearchParams({ limit: 50 });
    if (more && cursor) q.set('cursor', cursor);
    const page = await window.staffApi.get('/relatives?' + q);
    rows.push(...page.items);
    cursor = page.next_cursor;
    document.getElementById('more').hidden = !cursor;
    document.getElementById('relatives').replaceChildren(table(['姓名', '身份证号', '关系', '备案时间'],
      rows.map((r) => [r.name, r.id_number, label('relation', r.relation), dateTime(r.created_at)]), '尚无备案'));
  }

  onSubmit(document.getElementById('relative-form'), async (form) => {
    const entry = await window.staffApi.post('/relatives', formData(form));
    form.reset();
    flash(`已备案:${entry.name}(${label('relation', entry.relation)})`, 'ok');
    await load(false);
  });
  document.getElementById('more').addEventListener('click', () => load(true).catch(fail));
  boot(['township_staff', 'county_staff']).then(() => load(false)).catch(fail);
})();
