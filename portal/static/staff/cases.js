// A table of queue rows (GET /applications items), shared by the home page and the queue.
(function () {
  const { h, label, daysLeft } = window.staffUi;

  function materials(counts) {
    if (!counts || !counts.required) return h('span', { class: 'muted' }, '—');
    if (!counts.missing) return h('span', { class: 'tag good' }, `齐全 ${counts.accepted}/${counts.required}`);
    return h('span', { class: 'tag warn' }, `已核 ${counts.accepted}/${counts.required},待补 ${counts.missing}`);
  }

  function flags(item) {
    return item.flags.map((flag) => h('span', { class: 'tag bad' }, label('flag', flag)));
  }

  // options.select(item) → a cell before the number (e.g. a checkbox), or nothing.
  function caseTable(items, options) {
    const opts = options || {};
    const head = ['案件编号', '申请人', '类型', '村(社区)', '状态', '办理期限', '材料', '提示'];
    if (opts.select) head.unshift('选择');
    const rows = items.map((item) =>
      h(
        'tr',
        { dataset: { id: item.id } },
        opts.select ? h('td', {}, opts.select(item)) : null,
        h('td', {}, h('a', { href: `/staff/cases/${item.id}` }, item.number || `#${item.id}`)),
        h('td', {}, item.applicant.name, item.on_behalf ? h('span', { class: 'tag' }, '代办') : null),
        h('td', {}, label('type', item.type)),
        h('td', {}, item.region_name),
        h('td', {}, label('status', item.status)),
        h('td', {}, item.deadline ? [item.deadline, ' ', daysLeft(item.days_left)] : '—'),
        h('td', {}, materials(item.materials)),
        h('td', {}, flags(item)),
      ),
    );
    return h(
      'table',
      { class: 'cases' },
      opts.caption ? h('caption', { class: 'muted' }, opts.caption) : null,
      h('thead', {}, h('tr', {}, head.map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: head.length, class: 'muted' }, '暂无案件'))),
    );
  }

  window.staffCases = { caseTable, materials };
})();
